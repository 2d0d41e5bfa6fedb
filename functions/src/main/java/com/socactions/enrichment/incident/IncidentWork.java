package com.socactions.enrichment.incident;

import com.socactions.jobs.JobWork;
import com.socactions.jobs.WholeWork;
import com.socactions.sentinel.Incident;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * EnrichIncident as {@link JobWork}: the whole incident in one service call, and the model of what
 * it costs before any has been observed (its RDAP lookups at the registries' pace; replaced by what
 * this instance observes, see {@link com.socactions.jobs.WorkRates}).
 */
public final class IncidentWork {
  /**
   * One RDAP lookup of an incident's enrichment: its addresses and domains go to many registries,
   * each paced on its own.
   */
  static final Duration INCIDENT_RDAP_PER_LOOKUP = Duration.ofMillis(150);

  /**
   * EnrichIncident's deadline in a job: nobody waits on the call, so a slow registry gets the time
   * it needs, within a worker's slice.
   */
  public static final Duration JOB_INCIDENT_DEADLINE = Duration.ofMinutes(3);

  private IncidentWork() {}

  /**
   * The work of one EnrichIncident call.
   *
   * @param inJob whether a worker runs it (the service then gets {@link #JOB_INCIDENT_DEADLINE})
   * @throws com.socactions.platform.InputTooLargeException when the incident is more than one call
   *     takes ({@link IncidentEnrichmentService#admit})
   */
  public static JobWork<?> of(
      Incident incident,
      Optional<String> cmdbProvider,
      Set<IncidentLookup> lookups,
      IncidentEnrichmentService service,
      boolean inJob) {
    IncidentEnrichmentService.admit(incident);
    IncidentEnrichmentService run = inJob ? service.withDeadline(JOB_INCIDENT_DEADLINE) : service;
    // RDAP is what can take long: one lookup per address and per domain, at the registries' pace.
    long rdapLookups =
        lookups.contains(IncidentLookup.WHOIS)
            ? incident.entities().stream()
                .filter(entity -> entity.kind() != null)
                .filter(
                    entity ->
                        switch (entity.kind().toLowerCase(Locale.ROOT)) {
                          case "ip", "dnsresolution", "url" -> true;
                          default -> false;
                        })
                .count()
            : 0;
    return new WholeWork<>(
        "EnrichIncident",
        "EnrichIncident" + (rdapLookups > 0 ? "/whois" : ""),
        (int) Math.max(1, rdapLookups),
        () -> run.enrich(incident, cmdbProvider, lookups),
        failure -> run.unanswered(incident, failure),
        IncidentEnrichment.class,
        rdapLookups > 0 ? INCIDENT_RDAP_PER_LOOKUP : Duration.ZERO);
  }
}
