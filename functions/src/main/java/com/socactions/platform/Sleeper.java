package com.socactions.platform;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Waits between attempts (back-off, {@code Retry-After}, rate limiter). Injected so a test of a
 * {@code Retry-After: 1} records the wait instead of sleeping through it.
 */
@FunctionalInterface
public interface Sleeper {
  Sleeper SYSTEM = duration -> TimeUnit.NANOSECONDS.sleep(duration.toNanos());

  /** Waits {@code duration}; throws when the thread is interrupted (the batch was cancelled). */
  void sleep(Duration duration) throws InterruptedException;

  /**
   * Waits {@code duration} within a call to {@code upstream}. An interrupt (the call was cancelled)
   * keeps the thread's flag and fails the call.
   *
   * @param waitingFor what the wait is for, as the failure says it: {@code "interrupted while
   *     waiting " + waitingFor}
   * @throws UpstreamException of {@code upstream}, status 0, when interrupted
   */
  default void await(Duration duration, String upstream, String waitingFor) {
    try {
      sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UpstreamException(upstream, "interrupted while waiting " + waitingFor, e);
    }
  }
}
