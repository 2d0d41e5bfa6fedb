package com.socactions.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Counts of events in sliding windows, for checking a rate limit the strictest way. */
public final class SlidingWindow {
  private SlidingWindow() {}

  /**
   * The most of {@code times} (epoch milliseconds, any order) that fall in any half-open interval
   * of length {@code window}, wherever it starts.
   */
  public static int mostIn(List<Long> times, Duration window) {
    List<Long> sorted = new ArrayList<>(times);
    sorted.sort(null);
    int most = 0;
    int from = 0;
    for (int to = 0; to < sorted.size(); to++) {
      while (sorted.get(to) - sorted.get(from) >= window.toMillis()) {
        from++;
      }
      most = Math.max(most, to - from + 1);
    }
    return most;
  }
}
