package com.socactions.jobs;

import com.google.common.base.Suppliers;
import com.socactions.platform.AzureCredentials;
import com.socactions.platform.ConfigurationException;
import com.socactions.platform.Settings;
import com.socactions.platform.TableStorage;
import com.socactions.platform.Ticker;
import com.socactions.platform.UpstreamClients;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Long work, wired from the settings: the job store (Table Storage), the job queue, the observed
 * rates and the decision rule. Built on first use; a malformed setting surfaces from the first call
 * that needs it.
 */
public final class JobsModule {
  /** ISO-8601 duration: how long a job and its answer are kept after the request (default 24 h). */
  public static final String RETENTION_SETTING = "JOBS_RETENTION";

  /**
   * ISO-8601 duration: the work a synchronous call may take on (default 60 s, at most 90 s, so the
   * answer reaches Logic Apps well inside its 120 s).
   */
  public static final String SYNC_BUDGET_SETTING = "JOBS_SYNC_BUDGET";

  static final Duration MAX_SYNC_BUDGET = Duration.ofSeconds(90);
  static final Duration MIN_RETENTION = Duration.ofHours(1);
  static final Duration MAX_RETENTION = Duration.ofDays(30);

  private final WorkRates rates = new WorkRates();
  private final Supplier<Jobs> jobs;

  /**
   * @param rebuild the work of a stored request (the operations that may run as jobs)
   * @param answerWriter writes the answers a job keeps: of work done, and of a refusal of the
   *     request as a whole (told from a failure a retry may mend)
   */
  public JobsModule(
      Settings settings,
      Clock clock,
      Supplier<TableStorage> storage,
      AzureCredentials credentials,
      UpstreamClients kit,
      Jobs.Rebuild rebuild,
      Jobs.AnswerWriter answerWriter) {
    this.jobs =
        Suppliers.memoize(
            () ->
                new Jobs(
                    new JobStore(storage),
                    new JobQueue(JobQueue.Options.from(settings), credentials, kit),
                    new SyncBudget(syncBudget(settings), rates),
                    rates,
                    rebuild,
                    answerWriter,
                    clock,
                    Ticker.SYSTEM,
                    retention(settings),
                    Jobs.DEFAULT_WORKER_SLICE));
  }

  public Jobs jobs() {
    return jobs.get();
  }

  /** What each kind of work has cost lately on this instance. */
  public WorkRates rates() {
    return rates;
  }

  private static Duration syncBudget(Settings settings) {
    Duration budget =
        settings.getDuration(
            SYNC_BUDGET_SETTING, Duration.ofSeconds(SyncBudget.DEFAULT_BUDGET_SECONDS));
    if (budget.isNegative() || budget.compareTo(MAX_SYNC_BUDGET) > 0) {
      throw new ConfigurationException(
          SYNC_BUDGET_SETTING,
          "Setting "
              + SYNC_BUDGET_SETTING
              + " must be from PT0S to "
              + MAX_SYNC_BUDGET
              + " (Logic Apps waits 120 s for a synchronous action), not "
              + budget);
    }
    return budget;
  }

  private static Duration retention(Settings settings) {
    Duration retention = settings.getDuration(RETENTION_SETTING, Jobs.DEFAULT_RETENTION);
    if (retention.compareTo(MIN_RETENTION) < 0 || retention.compareTo(MAX_RETENTION) > 0) {
      throw new ConfigurationException(
          RETENTION_SETTING,
          "Setting "
              + RETENTION_SETTING
              + " must be from "
              + MIN_RETENTION
              + " to "
              + MAX_RETENTION
              + ", not "
              + retention);
    }
    return retention;
  }
}
