package com.socactions.enrichment.incident;

import com.google.common.base.Suppliers;
import com.google.common.util.concurrent.ThreadFactoryBuilder;
import com.socactions.cmdb.CmdbService;
import com.socactions.decisions.DecisionLog;
import com.socactions.enrichment.EnrichmentService;
import com.socactions.platform.ConfigurationException;
import com.socactions.platform.DeadlineTimer;
import com.socactions.platform.Settings;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The incident enrichment capability, wired from the settings on first use: its service and the
 * executor its lookups run on (one per process). A malformed {@value #DEADLINE_SETTING} surfaces as
 * a {@link ConfigurationException} from the first call, never at start.
 */
public final class IncidentModule {
  /** ISO-8601 duration, e.g. {@code PT45S}: how long one call's lookups may take together. */
  public static final String DEADLINE_SETTING = "ENRICH_INCIDENT_DEADLINE";

  /**
   * Threads for lookups: five per call at most, and they mostly wait on RDAP and the CMDB (which
   * bound their own concurrency), so a few calls side by side need no more.
   */
  static final int DEFAULT_THREADS = 16;

  /** Longest deadline accepted: the answer must reach Logic Apps before its 120 s are up. */
  static final Duration MAX_DEADLINE = Duration.ofSeconds(100);

  private final Supplier<IncidentEnrichmentService> service;

  public IncidentModule(
      Settings settings,
      Supplier<EnrichmentService> enrichment,
      CmdbService cmdb,
      DecisionLog decisions,
      Clock clock) {
    this.service =
        Suppliers.memoize(
            () -> {
              Duration deadline = deadline(settings);
              return new IncidentEnrichmentService(
                      enrichment,
                      cmdb,
                      executor(),
                      deadline,
                      DEADLINE_SETTING,
                      DeadlineTimer.SYSTEM)
                  .decisionLog(decisions, clock);
            });
  }

  private static Duration deadline(Settings settings) {
    Duration deadline =
        settings.getDuration(DEADLINE_SETTING, IncidentEnrichmentService.DEFAULT_DEADLINE);
    if (deadline.isNegative() || deadline.isZero() || deadline.compareTo(MAX_DEADLINE) > 0) {
      throw new ConfigurationException(
          DEADLINE_SETTING,
          "Setting "
              + DEADLINE_SETTING
              + " must be more than zero and at most "
              + MAX_DEADLINE
              + " (Logic Apps gives a synchronous action 120 s), not "
              + deadline);
    }
    return deadline;
  }

  public IncidentEnrichmentService service() {
    return service.get();
  }

  private static ExecutorService executor() {
    // Daemon threads: a worker process that is shutting down must not wait for a stalled lookup.
    return Executors.newFixedThreadPool(
        DEFAULT_THREADS,
        new ThreadFactoryBuilder().setNameFormat("incident-enrichment-%d").setDaemon(true).build());
  }
}
