package com.socactions.enrichment.rdap;

import com.socactions.platform.Ticker;
import java.time.Duration;

/** A point in monotonic time, read from a {@link Ticker}, by which a batch must be answered. */
final class Deadline {
  private final Ticker ticker;
  private final long deadlineNanos;
  private final Duration budget;

  private Deadline(Ticker ticker, long deadlineNanos, Duration budget) {
    this.ticker = ticker;
    this.deadlineNanos = deadlineNanos;
    this.budget = budget;
  }

  static Deadline after(Duration budget, Ticker ticker) {
    return new Deadline(ticker, ticker.read() + budget.toNanos(), budget);
  }

  Duration remaining() {
    long left = deadlineNanos - ticker.read();
    return left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
  }

  boolean passed() {
    return deadlineNanos - ticker.read() <= 0;
  }

  Duration budget() {
    return budget;
  }

  /** The budget in whole seconds (at least 1), for messages. */
  long budgetSeconds() {
    return Math.max(1, (budget.toMillis() + 999) / 1000);
  }
}
