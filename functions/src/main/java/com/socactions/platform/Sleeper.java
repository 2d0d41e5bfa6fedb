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
}
