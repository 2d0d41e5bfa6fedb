package com.socactions.enrichment.rdap;

import java.time.Duration;

/** A point in monotonic time by which a batch must be answered. */
final class Deadline {
  private final long deadlineNanos;
  private final Duration budget;

  private Deadline(long deadlineNanos, Duration budget) {
    this.deadlineNanos = deadlineNanos;
    this.budget = budget;
  }

  static Deadline after(Duration budget) {
    return new Deadline(System.nanoTime() + budget.toNanos(), budget);
  }

  Duration remaining() {
    long left = deadlineNanos - System.nanoTime();
    return left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
  }

  boolean passed() {
    return deadlineNanos - System.nanoTime() <= 0;
  }

  Duration budget() {
    return budget;
  }

  /** The budget in whole seconds (at least 1), for messages. */
  long budgetSeconds() {
    return Math.max(1, (budget.toMillis() + 999) / 1000);
  }
}
