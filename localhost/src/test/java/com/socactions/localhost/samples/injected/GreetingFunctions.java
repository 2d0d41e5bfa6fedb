package com.socactions.localhost.samples.injected;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import java.util.Optional;

/** Takes its dependency by constructor and has no no-argument constructor: needs an injector. */
public class GreetingFunctions {
  private final String greeting;

  public GreetingFunctions(String greeting) {
    this.greeting = greeting;
  }

  @FunctionName("Greeting")
  public HttpResponseMessage greet(
      @HttpTrigger(
              name = "req",
              route = "greeting",
              methods = {HttpMethod.GET},
              authLevel = AuthorizationLevel.ANONYMOUS)
          HttpRequestMessage<Optional<String>> request) {
    return request.createResponseBuilder(HttpStatus.OK).body(greeting).build();
  }
}
