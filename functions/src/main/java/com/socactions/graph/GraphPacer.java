package com.socactions.graph;

import com.socactions.platform.Sleeper;
import com.socactions.platform.Ticker;
import com.socactions.platform.UpstreamException;
import java.time.Duration;
import java.util.Objects;

/**
 * Keeps the calls to one Graph area at least an interval apart within this process, and backs off
 * when the area throttles. For Identity Protection and Conditional Access, whose limit is about one
 * request a second per tenant for all apps together and whose 429s may carry no {@code Retry-After}
 * (throttling.md, "Identity protection and conditional access service limits"). Callers wait their
 * turn one at a time, which is what the limit asks for.
 *
 * <p>Other instances of the app and other apps in the tenant share the limit but not this pacer, so
 * a 429 can still come; {@link #throttled} then spaces the next calls out further.
 */
final class GraphPacer {
  /** Waits after consecutive 429s without {@code Retry-After} double up to this. */
  static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(32);

  private final String area;
  private final Duration interval;
  private final Duration maxBackoff;
  private final Ticker ticker;
  private final Sleeper sleeper;
  private boolean started;
  private long nextAllowed;
  private int strikes;

  GraphPacer(String area, Duration interval, Ticker ticker, Sleeper sleeper) {
    this.area = Objects.requireNonNull(area, "'area' cannot be null.");
    this.interval = Objects.requireNonNull(interval, "'interval' cannot be null.");
    this.maxBackoff = DEFAULT_MAX_BACKOFF;
    this.ticker = Objects.requireNonNull(ticker, "'ticker' cannot be null.");
    this.sleeper = Objects.requireNonNull(sleeper, "'sleeper' cannot be null.");
  }

  /**
   * Waits until this area may be called again and books the call. Holds the pacer while it waits,
   * so concurrent callers go one after another, each an interval after the one before.
   *
   * @throws UpstreamException when the thread is interrupted while waiting
   */
  synchronized void await() {
    if (started) {
      long wait = nextAllowed - ticker.read();
      if (wait > 0) {
        try {
          sleeper.sleep(Duration.ofNanos(wait));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new UpstreamException(
              GraphClient.UPSTREAM, "interrupted while pacing calls to " + area, e);
        }
      }
    }
    started = true;
    nextAllowed = ticker.read() + interval.toNanos();
  }

  /**
   * The area answered 429: the next call waits {@code retryAfter} when Graph gave one, else a wait
   * that doubles with each 429 in a row (2 s, 4 s, ... up to 32 s).
   *
   * @return how long the next call waits from now
   */
  synchronized Duration throttled(Duration retryAfter) {
    strikes++;
    Duration wait =
        retryAfter != null ? retryAfter : interval.multipliedBy(1L << Math.min(strikes, 20));
    if (wait.compareTo(maxBackoff) > 0 && retryAfter == null) {
      wait = maxBackoff;
    }
    if (wait.compareTo(interval) < 0) {
      wait = interval;
    }
    nextAllowed = Math.max(nextAllowed, ticker.read() + wait.toNanos());
    return wait;
  }

  /** The area answered: the back-off starts again from one interval. */
  synchronized void succeeded() {
    strikes = 0;
  }
}
