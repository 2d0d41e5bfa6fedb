package com.socactions.enrichment.incident;

import com.socactions.decisions.Decision;
import com.socactions.decisions.DecisionOperation;
import java.time.Instant;

/**
 * An EnrichIncident call as one {@code SOCActions_CL} row: how many entities, how many lookups
 * failed, how long it took, and what it suggested (tags, severity).
 */
final class EnrichmentDecisions {
  static final String ENRICHED = "enriched";
  static final String PARTIAL = "partial";

  private EnrichmentDecisions() {}

  static Decision of(IncidentEnrichment answer, long durationMs, Instant at) {
    IncidentEnrichment.Summary summary = answer.summary();
    String detail =
        "tags: "
            + (answer.tags().isEmpty() ? "none" : String.join(", ", answer.tags()))
            + "; suggested severity: "
            + (answer.suggestedSeverity() == null ? "unchanged" : answer.suggestedSeverity())
            + "; ips "
            + summary.ips()
            + ", hosts "
            + summary.hosts()
            + ", accounts "
            + summary.accounts()
            + ", domains "
            + summary.domains()
            + ", urls "
            + summary.urls();
    return Decision.builder(
            DecisionOperation.ENRICH_INCIDENT, summary.failedLookups() > 0 ? PARTIAL : ENRICHED, at)
        .incident(answer.incidentId(), answer.incidentNumber())
        .detail(detail)
        .durationMs(durationMs)
        .entities(summary.entities(), summary.failedLookups())
        .build();
  }
}
