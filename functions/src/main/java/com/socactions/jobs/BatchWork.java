package com.socactions.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.socactions.platform.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * The work of a batch operation (a list of items answered one by one): the items are split into
 * chunks of about {@link Spec#chunkSize()}, each chunk one call of the service with the chunk's
 * items, and the chunks' per-item results are put back in request order and merged into the
 * response the service would have given for the whole list (summary and comment over every item).
 *
 * <p>Items the service answers together (the same indicator twice, the same account by two
 * spellings of its name) share a {@link Spec#groupKey() group key} and always land in the same
 * chunk, so a later duplicate is answered as the service answers it inside one call, never as a
 * re-run.
 *
 * @param <R> the service's response to a list of items
 * @param <I> the answer for one item
 */
public final class BatchWork<R, I> implements JobWork<R> {

  /**
   * What an operation contributes.
   *
   * @param operation the operationId
   * @param kind what rates are observed by (see {@link JobWork#kind()})
   * @param chunkSize items a chunk aims at: a multiple of the upstream's own batch size, small
   *     enough that one chunk finishes well inside the synchronous budget
   * @param groupKey items with equal keys are answered together (null: the item alone)
   * @param call the service method the synchronous path calls
   * @param resultsOf the per-item results of a response, in the order of its items
   * @param merge the response for every item (in request order), given the chunks that ran (for
   *     what they say about the call as a whole, e.g. which databases answered)
   * @param failedItem the answer for an item whose chunk never ran, given the item and why
   * @param responseType to read a checkpointed chunk back
   * @param modelCost the cost of a number of items before any is observed
   */
  public record Spec<R, I>(
      String operation,
      String kind,
      int chunkSize,
      Function<String, String> groupKey,
      Function<List<String>, R> call,
      Function<R, List<I>> resultsOf,
      BiFunction<List<I>, List<R>, R> merge,
      BiFunction<String, String, I> failedItem,
      Class<R> responseType,
      IntFunction<Duration> modelCost) {
    public Spec {
      Objects.requireNonNull(operation, "'operation' cannot be null.");
      if (chunkSize < 1) {
        throw new IllegalArgumentException("'chunkSize' must be at least 1, not " + chunkSize);
      }
    }
  }

  private final Spec<R, I> spec;
  private final List<String> items;
  private final List<int[]> chunks;

  public BatchWork(Spec<R, I> spec, List<String> items) {
    this.spec = spec;
    this.items = List.copyOf(items);
    this.chunks = plan(this.items, spec.groupKey(), spec.chunkSize());
  }

  /**
   * Request indexes per chunk: groups in order of their first item, a chunk closed once it holds
   * {@code chunkSize} items or more (a group is never split), each chunk's indexes ascending.
   */
  static List<int[]> plan(List<String> items, Function<String, String> groupKey, int chunkSize) {
    Map<String, List<Integer>> groups = new LinkedHashMap<>();
    for (int i = 0; i < items.size(); i++) {
      String key = groupKey == null ? null : groupKey.apply(items.get(i));
      groups.computeIfAbsent(key == null ? "#" + i : "=" + key, k -> new ArrayList<>()).add(i);
    }
    List<int[]> chunks = new ArrayList<>();
    List<Integer> current = new ArrayList<>();
    for (List<Integer> group : groups.values()) {
      current.addAll(group);
      if (current.size() >= chunkSize) {
        chunks.add(sorted(current));
        current = new ArrayList<>();
      }
    }
    if (!current.isEmpty() || chunks.isEmpty()) {
      chunks.add(sorted(current));
    }
    return chunks;
  }

  private static int[] sorted(List<Integer> indexes) {
    int[] sorted = indexes.stream().mapToInt(Integer::intValue).toArray();
    Arrays.sort(sorted);
    return sorted;
  }

  @Override
  public String operation() {
    return spec.operation();
  }

  @Override
  public String kind() {
    return spec.kind();
  }

  @Override
  public int total() {
    return items.size();
  }

  @Override
  public int chunkCount() {
    return chunks.size();
  }

  @Override
  public int chunkItems(int chunk) {
    return chunks.get(chunk).length;
  }

  @Override
  public Duration modelCost(int count) {
    return spec.modelCost().apply(count);
  }

  @Override
  public R run(int chunk) {
    int[] indexes = chunks.get(chunk);
    List<String> part = new ArrayList<>(indexes.length);
    for (int index : indexes) {
      part.add(items.get(index));
    }
    R response = spec.call().apply(part);
    int answered = spec.resultsOf().apply(response).size();
    if (answered != indexes.length) {
      throw new IllegalStateException(
          spec.operation() + " answered " + answered + " results for " + indexes.length + " items");
    }
    return response;
  }

  @Override
  public byte[] write(R chunkAnswer) {
    try {
      return Json.MAPPER.writeValueAsBytes(chunkAnswer);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write a chunk of " + spec.operation(), e);
    }
  }

  @Override
  public R read(byte[] bytes) {
    try {
      return Json.MAPPER.readValue(bytes, spec.responseType());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read a chunk of " + spec.operation(), e);
    }
  }

  @Override
  public Object answer(List<R> answers, String failure) {
    if (answers.size() != chunks.size()) {
      throw new IllegalArgumentException(
          answers.size() + " chunk answers for a plan of " + chunks.size());
    }
    if (chunks.size() == 1 && answers.get(0) != null) {
      return answers.get(0);
    }
    List<I> all = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      all.add(null);
    }
    List<R> ran = new ArrayList<>();
    for (int c = 0; c < chunks.size(); c++) {
      int[] indexes = chunks.get(c);
      R answer = answers.get(c);
      if (answer == null) {
        for (int index : indexes) {
          all.set(index, spec.failedItem().apply(items.get(index), failure));
        }
        continue;
      }
      ran.add(answer);
      List<I> results = spec.resultsOf().apply(answer);
      for (int k = 0; k < indexes.length; k++) {
        all.set(indexes[k], results.get(k));
      }
    }
    return spec.merge().apply(all, ran);
  }
}
