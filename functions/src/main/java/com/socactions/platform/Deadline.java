package com.socactions.platform;

import java.time.Duration;

/**
 * A point in monotonic time, read from a {@link Ticker}, by which a piece of work must be done (a
 * batch of lookups answered). {@link UpstreamPolicy} never waits past one, nor starts an attempt
 * after it.
 */
public final class Deadline {
  private final Ticker ticker;
  private final long deadlineNanos;
  private final Duration budget;

  private Deadline(Ticker ticker, long deadlineNanos, Duration budget) {
    this.ticker = ticker;
    this.deadlineNanos = deadlineNanos;
    this.budget = budget;
  }

  /** The deadline {@code budget} from now on {@code ticker}. */
  public static Deadline after(Duration budget, Ticker ticker) {
    return new Deadline(ticker, ticker.read() + budget.toNanos(), budget);
  }

  /** The time left, zero once passed. */
  public Duration remaining() {
    long left = deadlineNanos - ticker.read();
    return left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
  }

  public boolean passed() {
    return deadlineNanos - ticker.read() <= 0;
  }

  /** The whole budget the deadline was set with. */
  public Duration budget() {
    return budget;
  }

  /** The budget in whole seconds (at least 1), for messages. */
  public long budgetSeconds() {
    return Math.max(1, (budget.toMillis() + 999) / 1000);
  }

  /** {@code wait}, or what is left when that is less. */
  public Duration cap(Duration wait) {
    Duration left = remaining();
    return wait.compareTo(left) > 0 ? left : wait;
  }
}
