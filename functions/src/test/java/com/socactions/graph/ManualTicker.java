package com.socactions.graph;

import com.socactions.platform.Sleeper;
import com.socactions.platform.Ticker;
import com.socactions.testing.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** Time a test moves by hand: every sleep is recorded and moves the ticker on, without waiting. */
final class ManualTicker implements Ticker, Sleeper {
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final MutableClock clock = new MutableClock(Instant.parse("2025-03-01T10:00:00Z"));
  private final List<Duration> sleeps = new CopyOnWriteArrayList<>();

  @Override
  public long read() {
    return nanos.get();
  }

  @Override
  public void sleep(Duration duration) {
    sleeps.add(duration);
    advance(duration);
  }

  /**
   * A clock that moves with this ticker (every sleep and advance), for code that judges time on a
   * clock.
   */
  Clock clock() {
    return clock;
  }

  void advance(Duration duration) {
    nanos.addAndGet(duration.toNanos());
    clock.advance(duration);
  }

  List<Duration> sleeps() {
    return List.copyOf(sleeps);
  }
}
