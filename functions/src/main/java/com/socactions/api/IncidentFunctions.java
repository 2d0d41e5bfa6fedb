package com.socactions.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import com.socactions.enrichment.incident.IncidentEnrichmentService;
import com.socactions.enrichment.incident.IncidentLookup;
import com.socactions.sentinel.Incident;
import com.socactions.sentinel.Incidents;
import java.util.Optional;
import java.util.Set;

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
        request,
        context,
        call -> {
          JsonNode body = call.jsonObjectBody();
          Incident incident = Incidents.parse(body.get("incident"), "incident");
          if (incident.entities().size() > IncidentEnrichmentService.MAX_ENTITIES) {
            throw ProblemException.tooLarge(
                "incident",
                "the incident has "
                    + incident.entities().size()
                    + " entities; at most "
                    + IncidentEnrichmentService.MAX_ENTITIES
                    + " a call");
          }
          Set<IncidentLookup> lookups = BatchInput.options(body, "lookups", IncidentLookup.class);
          return call.ok(
              services
                  .incidents()
                  .service()
                  .enrich(incident, BodyFields.text(body, "provider"), lookups));
        });
  }
}
