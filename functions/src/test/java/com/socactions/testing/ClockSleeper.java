package com.socactions.testing;

import com.socactions.platform.Sleeper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Waits in virtual time: a sleep moves a {@link MutableClock} on by the wait, from its reading when
 * the sleep starts, and returns at once. Every wait is recorded. Meant for one thread at a time:
 * threads sleeping side by side each move the clock on from where the others left it.
 */
public final class ClockSleeper implements Sleeper {
  private final MutableClock clock;
  private final List<Duration> sleeps = new CopyOnWriteArrayList<>();

  public ClockSleeper(MutableClock clock) {
    this.clock = clock;
  }

  @Override
  public void sleep(Duration duration) {
    sleeps.add(duration);
    synchronized (clock) {
      Instant wake = clock.instant().plus(duration);
      Instant now = clock.instant();
      if (wake.isAfter(now)) {
        clock.advance(Duration.between(now, wake));
      }
    }
  }

  public List<Duration> sleeps() {
    return List.copyOf(sleeps);
  }
}
