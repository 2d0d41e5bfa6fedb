package com.socactions.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.socactions.blocking.BlockWork;
import com.socactions.enrichment.EnrichmentWork;
import com.socactions.enrichment.Lookup;
import com.socactions.enrichment.incident.IncidentEnrichmentService;
import com.socactions.enrichment.incident.IncidentLookup;
import com.socactions.enrichment.incident.IncidentWork;
import com.socactions.identity.AccountWork;
import com.socactions.jobs.JobWork;
import com.socactions.jobs.Jobs;
import com.socactions.jobs.StoredRequest;
import com.socactions.sentinel.Incident;
import com.socactions.sentinel.Incidents;
import java.util.Set;

/**
 * The operations that may answer 202, each as {@link JobWork}: its body read once (the same reading
 * for a call answered now and for its job) and handed to its capability's job work ({@link
 * BlockWork}, {@link AccountWork}, {@link EnrichmentWork}, {@link IncidentWork}), which splits it
 * into chunks that each call the service method the synchronous path always called, and models what
 * it costs before any of it has been observed.
 */
final class LongWork implements Jobs.Rebuild {
  private final AppServices services;

  LongWork(AppServices services) {
    this.services = services;
  }

  @Override
  public JobWork<?> work(StoredRequest request) {
    return work(
        request.operation(), RequestJson.parse(request.body()), request.workflowRunId(), true);
  }

  /**
   * The work of one request.
   *
   * @param inJob whether a worker runs it (EnrichIncident then gets {@link
   *     IncidentWork#JOB_INCIDENT_DEADLINE})
   * @throws ProblemException for a body that is malformed as a whole (the same 4xx as ever)
   */
  JobWork<?> work(String operation, JsonNode body, String workflowRunId, boolean inJob) {
    return switch (operation) {
      case "BlockIndicators", "AllowIndicators", "UnblockIndicators" ->
          BlockWork.of(
              operation,
              Commands.block(body, workflowRunId, services.blocking().defaultProvider()),
              services.blocking().service(),
              "servicenow".equalsIgnoreCase(services.settings().get("CMDB_DEFAULT_PROVIDER", "")));
      case "DisableAccounts", "EnableAccounts", "RevokeSessions", "ConfirmCompromised" ->
          AccountWork.of(
              operation, Commands.accounts(body, workflowRunId), services.identity().service());
      case "EnrichIpAddresses" ->
          EnrichmentWork.ips(
              BatchInput.items(body, "ips", BatchInput.MAX_ASYNC_ITEMS),
              BatchInput.options(body, "lookups", Lookup.class),
              services.enrichment().service(),
              BatchInput.MAX_ASYNC_ITEMS);
      case "EnrichDomains" ->
          EnrichmentWork.domains(
              BatchInput.items(body, "domains", BatchInput.MAX_ASYNC_ITEMS),
              services.enrichment().service());
      case "EnrichIncident" -> incident(body, inJob);
      default -> throw new IllegalArgumentException(operation + " does not run as a job");
    };
  }

  private JobWork<?> incident(JsonNode body, boolean inJob) {
    // Read in the order the call always checked: the incident (and its size), then the options.
    Incident incident =
        IncidentEnrichmentService.admit(Incidents.parse(body.get("incident"), "incident"));
    Set<IncidentLookup> lookups = BatchInput.options(body, "lookups", IncidentLookup.class);
    return IncidentWork.of(
        incident,
        BodyFields.text(body, "provider"),
        lookups,
        services.incidents().service(),
        inJob);
  }
}
