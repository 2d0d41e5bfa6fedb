package com.socactions.platform;

/**
 * Monotonic time in nanoseconds, for deadlines, back-offs and idle times. Only differences between
 * two readings mean anything. Production uses {@link #SYSTEM}; tests move a fake by hand, so no
 * test has to measure or wait for wall-clock time.
 */
@FunctionalInterface
public interface Ticker {
  Ticker SYSTEM = System::nanoTime;

  long read();
}
