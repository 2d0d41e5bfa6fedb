package com.socactions.jobs;

import java.time.Duration;

/**
 * The decision rule: whether a request's work fits the synchronous call, up front and while it
 * runs.
 *
 * <ul>
 *   <li>Up front, a request goes to a job when the caller asks for it ({@code Prefer:
 *       respond-async}), when it has more than {@link #MAX_SYNC_ITEMS} items, or when its estimated
 *       cost passes the {@linkplain #budget() budget}. The estimate is the observed time per item
 *       of its kind ({@link WorkRates}) times its items, or, before any is observed, the work's own
 *       model ({@link JobWork#modelCost}: batch sizes, pacing and usual latencies of the upstreams
 *       it calls).
 *   <li>While it runs, between chunks: when the time spent so far plus the remaining items at the
 *       pace this call has shown would pass the budget, the rest is handed to a job.
 * </ul>
 *
 * <p>The budget, {@value #DEFAULT_BUDGET_SECONDS} s by default, leaves Logic Apps' 120 s and the
 * front end's 230 s room for one chunk that runs longer than expected and for writing the answer.
 */
public final class SyncBudget {
  public static final long DEFAULT_BUDGET_SECONDS = 60;

  /** Items above which a request always runs as a job. */
  public static final int MAX_SYNC_ITEMS = 1_000;

  private final Duration budget;
  private final WorkRates rates;

  public SyncBudget(Duration budget, WorkRates rates) {
    if (budget.isNegative()) {
      throw new IllegalArgumentException("'budget' cannot be negative.");
    }
    this.budget = budget;
    this.rates = rates;
  }

  public Duration budget() {
    return budget;
  }

  /** What {@code items} items of {@code work} are expected to cost. */
  public Duration estimate(JobWork<?> work, int items) {
    return rates
        .perItem(work.kind())
        .map(perItem -> perItem.multipliedBy(items))
        .orElseGet(() -> work.modelCost(items));
  }

  /** Whether the request goes to a job before any of it runs. */
  public boolean asyncUpFront(JobWork<?> work, boolean preferAsync) {
    return preferAsync
        || work.total() > MAX_SYNC_ITEMS
        || estimate(work, work.total()).compareTo(budget) > 0;
  }

  /**
   * Whether the rest of a running call goes to a job: the time so far plus the items left at this
   * call's own pace would pass the budget.
   */
  public boolean handOff(Duration elapsed, int itemsDone, int itemsLeft) {
    if (itemsLeft <= 0) {
      return false;
    }
    Duration pace =
        itemsDone <= 0 ? Duration.ZERO : elapsed.dividedBy(itemsDone).multipliedBy(itemsLeft);
    return elapsed.plus(pace).compareTo(budget) > 0;
  }
}
