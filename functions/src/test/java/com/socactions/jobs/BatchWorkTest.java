package com.socactions.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class BatchWorkTest {
  private static List<List<Integer>> plan(List<String> items, int size) {
    return BatchWork.plan(items, item -> item.toLowerCase(Locale.ROOT), size).stream()
        .map(chunk -> Arrays.stream(chunk).boxed().toList())
        .toList();
  }

  @Test
  void chunksKeepRequestOrderAndCloseOnceTheyHoldTheirSize() {
    assertThat(plan(List.of("a", "b", "c", "d", "e"), 2))
        .containsExactly(List.of(0, 1), List.of(2, 3), List.of(4));
  }

  @Test
  void duplicatesLandInTheChunkOfTheirFirstOccurrenceEvenWhenItGrowsPastItsSize() {
    assertThat(plan(List.of("a", "b", "c", "A", "B", "d"), 3))
        .containsExactly(List.of(0, 1, 3, 4), List.of(2, 5));
  }

  @Test
  void itemsWithoutAKeyStandAlone() {
    assertThat(BatchWork.plan(List.of("x", "x", "x"), item -> null, 2))
        .extracting(chunk -> chunk.length)
        .containsExactly(2, 1);
  }

  @Test
  void theAnswerPutsEachChunksResultsBackInRequestOrderAndFailsTheChunksThatNeverRan() {
    BatchWork<List<String>, String> work =
        new BatchWork<>(
            new BatchWork.Spec<List<String>, String>(
                "Op",
                "Op",
                2,
                item -> item.toLowerCase(Locale.ROOT),
                part -> part.stream().map(item -> "done " + item).toList(),
                part -> part,
                (all, ran) -> all,
                (input, why) -> "failed " + input + " (" + why + ")",
                null,
                count -> java.time.Duration.ZERO),
            List.of("a", "b", "c", "A", "d"));

    List<String> first = work.run(0);
    Object answer = work.answer(Arrays.asList(first, null, work.run(2)), "Graph is down");

    assertThat(first).containsExactly("done a", "done A");
    assertThat(answer)
        .isEqualTo(
            List.of(
                "done a",
                "failed b (Graph is down)",
                "failed c (Graph is down)",
                "done A",
                "done d"));
  }
}
