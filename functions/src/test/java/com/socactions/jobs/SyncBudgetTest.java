package com.socactions.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SyncBudgetTest {
  private final WorkRates rates = new WorkRates();
  private final SyncBudget budget = new SyncBudget(Duration.ofSeconds(60), rates);

  private static BatchWork<List<String>, String> work(int items, Duration modelPerItem) {
    return new BatchWork<>(
        new BatchWork.Spec<>(
            "Op",
            "Op/kind",
            100,
            null,
            part -> part,
            part -> part,
            (all, ran) -> all,
            (input, why) -> why,
            null,
            modelPerItem::multipliedBy),
        IntStream.range(0, items).mapToObj(Integer::toString).toList());
  }

  @Test
  void beforeAnythingIsObservedTheModelDecides() {
    assertThat(budget.asyncUpFront(work(500, Duration.ofMillis(100)), false)).isFalse();
    assertThat(budget.asyncUpFront(work(700, Duration.ofMillis(100)), false)).isTrue();
  }

  @Test
  void anObservedPaceReplacesTheModel() {
    rates.observe("Op/kind", 100, Duration.ofSeconds(50));

    assertThat(budget.asyncUpFront(work(150, Duration.ofMillis(1)), false)).isTrue();
    assertThat(budget.asyncUpFront(work(100, Duration.ofMillis(1)), false)).isFalse();
  }

  @Test
  void aFastUpstreamObservedLetsALargeBatchRunInTheCall() {
    rates.observe("Op/kind", 100, Duration.ofMillis(500));

    assertThat(budget.asyncUpFront(work(1_000, Duration.ofSeconds(1)), false)).isFalse();
  }

  @Test
  void moreThanAThousandItemsOrPreferAsyncAlwaysMakeAJob() {
    assertThat(budget.asyncUpFront(work(1_001, Duration.ZERO), false)).isTrue();
    assertThat(budget.asyncUpFront(work(1, Duration.ZERO), true)).isTrue();
  }

  @Test
  void whileRunningTheRestGoesToAJobWhenThisCallsPaceWouldPassTheBudget() {
    assertThat(budget.handOff(Duration.ofSeconds(20), 100, 100)).isFalse();
    assertThat(budget.handOff(Duration.ofSeconds(20), 100, 300)).isTrue();
    assertThat(budget.handOff(Duration.ofSeconds(61), 100, 1)).isTrue();
    assertThat(budget.handOff(Duration.ofSeconds(61), 100, 0)).isFalse();
  }

  @Test
  void ratesFollowTheNewestChunksAndScaleByItems() {
    rates.observe("k", 20, Duration.ofSeconds(20));
    rates.observe("k", 20, Duration.ofSeconds(60));

    assertThat(rates.perItem("k")).hasValue(Duration.ofSeconds(2));
    assertThat(rates.perItem("other")).isEmpty();
  }

  @Test
  void aChunkOfAFewItemsSaysNothingAboutThePace() {
    rates.observe("k", 3, Duration.ofSeconds(30));

    assertThat(rates.perItem("k")).isEmpty();
  }
}
