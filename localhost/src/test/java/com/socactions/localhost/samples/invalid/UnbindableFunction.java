package com.socactions.localhost.samples.invalid;

import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import java.util.Map;

/** A POJO body, which the local host deliberately does not bind. */
public class UnbindableFunction {

  @FunctionName("Unbindable")
  public HttpResponseMessage run(
      @HttpTrigger(name = "req") HttpRequestMessage<Map<String, Object>> request) {
    return null;
  }
}
