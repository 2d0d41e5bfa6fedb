package com.socactions.localhost.samples.injected;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import java.util.Optional;

/** Counts its own invocations: a reused instance would answer 2 on the second call. */
public class CountingFunctions {
  private int invocations;

  @FunctionName("Count")
  public HttpResponseMessage count(
      @HttpTrigger(
              name = "req",
              route = "count",
              methods = {HttpMethod.GET},
              authLevel = AuthorizationLevel.ANONYMOUS)
          HttpRequestMessage<Optional<String>> request) {
    invocations++;
    return request.createResponseBuilder(HttpStatus.OK).body("invocations=" + invocations).build();
  }
}
