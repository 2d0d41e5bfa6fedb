package com.socactions.localhost.samples.catchall;

import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import java.util.Optional;

/** Like the app's own fallback: every method, every path, lowest precedence. */
public class CatchAllFunction {

  @FunctionName("CatchAll")
  public HttpResponseMessage catchAll(
      @HttpTrigger(name = "req", route = "{*path}", authLevel = AuthorizationLevel.ANONYMOUS)
          HttpRequestMessage<Optional<String>> request,
      @BindingName("path") String path) {
    return request.createResponseBuilder(HttpStatus.NOT_FOUND).body("catch-all:" + path).build();
  }
}
