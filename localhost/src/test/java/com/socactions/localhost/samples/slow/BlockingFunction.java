package com.socactions.localhost.samples.slow;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/** Never finishes on its own: only the host's timeout (an interrupt) ends it. */
public class BlockingFunction {
  @FunctionName("Block")
  public HttpResponseMessage block(
      @HttpTrigger(
              name = "req",
              route = "block",
              methods = {HttpMethod.GET},
              authLevel = AuthorizationLevel.ANONYMOUS)
          HttpRequestMessage<Optional<String>> request)
      throws InterruptedException {
    new CountDownLatch(1).await();
    return request.createResponseBuilder(HttpStatus.OK).body("unreachable").build();
  }

  @FunctionName("Quick")
  public HttpResponseMessage quick(
      @HttpTrigger(
              name = "req",
              route = "quick",
              methods = {HttpMethod.GET},
              authLevel = AuthorizationLevel.ANONYMOUS)
          HttpRequestMessage<Optional<String>> request) {
    return request.createResponseBuilder(HttpStatus.OK).body("quick").build();
  }
}
