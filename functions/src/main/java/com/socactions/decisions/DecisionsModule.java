package com.socactions.decisions;

import com.google.common.base.Suppliers;
import com.socactions.platform.AzureCredentials;
import com.socactions.platform.ConfigurationException;
import com.socactions.platform.RequestLog;
import com.socactions.platform.Settings;
import com.socactions.platform.Sleeper;
import com.socactions.platform.TableLease;
import com.socactions.platform.TableStorage;
import com.socactions.platform.Ticker;
import com.socactions.platform.UpstreamClients;
import com.socactions.providers.Readiness;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Level;

/**
 * Decisions to Log Analytics, wired from the settings ({@link LogsIngestionSettings}): off (a
 * {@link DecisionLog} that writes nothing) when they are absent; otherwise a {@link
 * LogsIngestionDecisionLog} with the app's Azure identity, built on the first decision and closed
 * (its buffer spilled) when the process stops. A malformed setting never fails an operation:
 * decisions are then not sent, and health says which setting to fix.
 */
public final class DecisionsModule {
  /** The component's name in health. */
  public static final String HEALTH_COMPONENT = "logs-ingestion";

  static final String LEASE_TABLE = "DecisionLeases";

  /** A replay run holds the lease at most this long (twenty calls take far less). */
  static final Duration REPLAY_LEASE = Duration.ofMinutes(5);

  /** Health's token check waits at most this long. */
  static final Duration TOKEN_CHECK_WAIT = Duration.ofSeconds(3);

  private static final RequestLog LOG = RequestLog.of(DecisionsModule.class);

  private final Settings settings;
  private final AzureCredentials credentials;
  private final Supplier<Wiring> wiring;
  private final DecisionLog log;

  /** What the settings gave: a running log, nothing (off), or the setting to fix. */
  private record Wiring(LogsIngestionDecisionLog log, ConfigurationException problem) {}

  public DecisionsModule(
      Settings settings,
      UpstreamClients kit,
      AzureCredentials credentials,
      Supplier<TableStorage> storage) {
    this(settings, kit, credentials, storage, true);
  }

  /** For tests: whether to start the background thread. */
  DecisionsModule(
      Settings settings,
      UpstreamClients kit,
      AzureCredentials credentials,
      Supplier<TableStorage> storage,
      boolean background) {
    Clock clock = kit.clock();
    this.settings = settings;
    this.credentials = credentials;
    this.wiring =
        Suppliers.memoize(() -> wire(settings, clock, credentials, storage, kit, background));
    this.log = this::record;
  }

  private static Wiring wire(
      Settings settings,
      Clock clock,
      AzureCredentials credentials,
      Supplier<TableStorage> storage,
      UpstreamClients kit,
      boolean background) {
    Optional<LogsIngestionSettings> configured;
    try {
      configured = LogsIngestionSettings.from(settings);
    } catch (ConfigurationException e) {
      LOG.warning("Decisions are not sent to Log Analytics: " + e.getMessage());
      return new Wiring(null, e);
    }
    if (configured.isEmpty()) {
      return new Wiring(null, null);
    }
    LogsIngestionUploader uploader =
        new LogsIngestionUploader(
            configured.get(), credentials.capped(AzureCredentials.DEFAULT_MAX_TOKEN_WAIT), kit);
    DecisionSpill spill =
        new DecisionSpill(Suppliers.memoize(() -> storage.get().table(DecisionSpill.TABLE)));
    Supplier<TableLease> lease =
        Suppliers.memoize(
            () ->
                new TableLease(
                    storage.get().table(LEASE_TABLE),
                    clock,
                    Ticker.SYSTEM,
                    Sleeper.SYSTEM,
                    REPLAY_LEASE,
                    Duration.ZERO,
                    TableLease.DEFAULT_POLL_INTERVAL));
    LogsIngestionDecisionLog log =
        new LogsIngestionDecisionLog(
            uploader,
            spill,
            lease,
            clock,
            LogsIngestionDecisionLog.DEFAULT_BUFFER_CAPACITY,
            LogsIngestionDecisionLog.DEFAULT_BATCH_SIZE);
    if (background) {
      log.start(
          LogsIngestionDecisionLog.DEFAULT_FLUSH_INTERVAL,
          LogsIngestionDecisionLog.DEFAULT_REPLAY_INTERVAL);
      // A stopping worker keeps what is buffered in the spill table for the next one.
      Runtime.getRuntime().addShutdownHook(new Thread(log::close, "decision-log-close"));
    }
    return new Wiring(log, null);
  }

  /** The log the services record their decisions in; never throws, off when not configured. */
  public DecisionLog log() {
    return log;
  }

  private void record(List<Decision> decisions) {
    try {
      LogsIngestionDecisionLog target = wiring.get().log();
      if (target != null) {
        target.record(decisions);
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Could not record " + decisions.size() + " decision(s)", e);
    }
  }

  /** The running log, when the settings turn it on (tests). */
  Optional<LogsIngestionDecisionLog> running() {
    return Optional.ofNullable(wiring.get().log());
  }

  /**
   * Health's {@value #HEALTH_COMPONENT}: {@code not_configured} when off; {@code error} naming the
   * setting when the settings are malformed, or when no token for Azure Monitor can be had before
   * anything was sent; otherwise what {@link LogsIngestionDecisionLog#readiness()} says.
   */
  public Readiness readiness() {
    Wiring wired = wiring.get();
    if (wired.problem() != null) {
      return Readiness.error(wired.problem().getMessage());
    }
    if (wired.log() == null) {
      return Readiness.notConfigured(
          "Decisions are not sent to Log Analytics: set "
              + LogsIngestionSettings.ENDPOINT
              + " and "
              + LogsIngestionSettings.RULE_ID
              + " (deploy arm/logs-ingestion.json, or redeploy with DecisionsToLogAnalytics)");
    }
    Readiness readiness = wired.log().readiness();
    if (readiness.status() == Readiness.Status.OK && wired.log().sentCount() == 0) {
      if (!credentials.isConfigured()) {
        return Readiness.error(readiness.detail() + "; " + AzureCredentials.MISSING_IDENTITY);
      }
      try {
        credentials.token(LogsIngestionUploader.SCOPE, TOKEN_CHECK_WAIT);
      } catch (RuntimeException e) {
        return Readiness.error(
            readiness.detail() + "; no token for Azure Monitor: " + e.getMessage());
      }
    }
    return readiness;
  }
}
