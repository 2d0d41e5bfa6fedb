package com.socactions.graph;

import com.socactions.platform.CallBudget;
import com.socactions.platform.SharedBudget;
import com.socactions.platform.UpstreamException;
import java.time.Duration;
import java.util.Objects;

/**
 * Keeps the calls to one Graph area at least an interval apart across every instance of the app,
 * and backs off when the area throttles. For Identity Protection and Conditional Access, whose
 * limit is one request a second per tenant for all apps together and whose 429s may carry no {@code
 * Retry-After} (throttling-limits.md, "Identity protection and conditional access service limits").
 * The turns come from a {@link CallBudget} of one call per interval ({@link SharedBudget}: a row in
 * Table Storage that every instance books from), so K instances make one call a second between
 * them, not K.
 *
 * <p>Other apps in the tenant share the limit but not this budget, so a 429 can still come; {@link
 * #throttled} then holds every instance back: for Graph's {@code Retry-After}, or for a wait that
 * doubles with each 429 in a row when Graph gives none.
 */
final class GraphPacer {
  /** Waits after consecutive 429s without {@code Retry-After} double up to this. */
  static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(32);

  /**
   * The longest a call waits for its turn; past it the call fails with 429 and {@code Retry-After}
   * (other instances hold the turns before it).
   */
  static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(30);

  private final String area;
  private final CallBudget budget;
  private final Duration interval;
  private final Duration maxBackoff;
  private int strikes; // guarded by this

  GraphPacer(String area, CallBudget budget, Duration interval) {
    this.area = Objects.requireNonNull(area, "'area' cannot be null.");
    this.budget = Objects.requireNonNull(budget, "'budget' cannot be null.");
    this.interval = Objects.requireNonNull(interval, "'interval' cannot be null.");
    this.maxBackoff = DEFAULT_MAX_BACKOFF;
  }

  /** The budget's limits for {@code interval}: one call in any such interval. */
  static SharedBudget.Limits limits(Duration interval) {
    return SharedBudget.Limits.of(1, interval);
  }

  /**
   * Waits until this area may be called again and books the call: concurrent callers, here or in
   * other instances, go one after another, each at least an interval after the one before.
   *
   * @throws UpstreamException status 429 with {@code Retry-After} when the turn is more than {@link
   *     #DEFAULT_MAX_WAIT} away, or when the thread is interrupted while waiting
   */
  void await() {
    budget.acquire(DEFAULT_MAX_WAIT);
  }

  /**
   * The area answered 429: no instance calls it before {@code retryAfter} when Graph gave one, else
   * before a wait that doubles with each 429 in a row (2 s, 4 s, ... up to 32 s).
   *
   * @return how long the next call waits from now
   */
  Duration throttled(Duration retryAfter) {
    Duration wait;
    synchronized (this) {
      strikes++;
      wait = retryAfter != null ? retryAfter : interval.multipliedBy(1L << Math.min(strikes, 20));
      if (wait.compareTo(maxBackoff) > 0 && retryAfter == null) {
        wait = maxBackoff;
      }
      if (wait.compareTo(interval) < 0) {
        wait = interval;
      }
    }
    budget.throttled(wait);
    return wait;
  }

  /** The area answered: the back-off starts again from one interval. */
  synchronized void succeeded() {
    strikes = 0;
  }

  @Override
  public String toString() {
    return area;
  }
}
