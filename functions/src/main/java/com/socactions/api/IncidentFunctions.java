package com.socactions.api;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import java.util.Optional;

/** HTTP operations on Sentinel incidents: enrichment of every entity in one call. */
public class IncidentFunctions {
  private final AppServices services;

  public IncidentFunctions(AppServices services) {
    this.services = services;
  }

  @FunctionName("EnrichIncident")
  public HttpResponseMessage enrichIncident(
      @HttpTrigger(
              name = "request",
              methods = {HttpMethod.POST},
              route = "v1/incidents/enrich",
              authLevel = AuthorizationLevel.FUNCTION)
          HttpRequestMessage<Optional<String>> request,
      ExecutionContext context) {
    return Invocation.handle(
        request, context, call -> LongRequests.run(call, services, "EnrichIncident"));
  }
}
