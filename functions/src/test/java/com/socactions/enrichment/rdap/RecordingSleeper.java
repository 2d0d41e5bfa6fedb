package com.socactions.enrichment.rdap;

import com.socactions.platform.Sleeper;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records each wait and moves the ticker by it instead of sleeping. */
final class RecordingSleeper implements Sleeper {
  private final FakeTicker ticker;
  private final List<Duration> sleeps = new CopyOnWriteArrayList<>();

  RecordingSleeper(FakeTicker ticker) {
    this.ticker = ticker;
  }

  @Override
  public void sleep(Duration duration) {
    sleeps.add(duration);
    ticker.advance(duration);
  }

  List<Duration> sleeps() {
    return List.copyOf(sleeps);
  }
}
