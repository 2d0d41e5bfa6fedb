package com.socactions.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.socactions.platform.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Work that is one call and is not split (an incident's enrichment: its lookups already run side by
 * side and share their answers): one chunk, whose answer is the response. Its items are what its
 * cost grows with (an incident's RDAP lookups), so rates observed on a small call scale to a large
 * one.
 *
 * @param <R> the service's response
 */
public final class WholeWork<R> implements JobWork<R> {
  private final String operation;
  private final String kind;
  private final Supplier<R> call;
  private final Function<String, R> failed;
  private final Class<R> responseType;
  private final int items;
  private final Duration modelPerItem;

  /**
   * @param items what the call's cost grows with (at least 1)
   * @param call the service call
   * @param failed the response when the call never finished, naming why (the service's own way of
   *     saying a part failed)
   * @param modelPerItem the cost of an item before any is observed
   */
  public WholeWork(
      String operation,
      String kind,
      int items,
      Supplier<R> call,
      Function<String, R> failed,
      Class<R> responseType,
      Duration modelPerItem) {
    this.operation = operation;
    this.kind = kind;
    this.call = call;
    this.failed = failed;
    this.responseType = responseType;
    this.items = Math.max(1, items);
    this.modelPerItem = modelPerItem;
  }

  @Override
  public String operation() {
    return operation;
  }

  @Override
  public String kind() {
    return kind;
  }

  @Override
  public int total() {
    return items;
  }

  @Override
  public int chunkCount() {
    return 1;
  }

  @Override
  public int chunkItems(int chunk) {
    return items;
  }

  @Override
  public Duration modelCost(int count) {
    return modelPerItem.multipliedBy(count);
  }

  @Override
  public R run(int chunk) {
    return call.get();
  }

  @Override
  public byte[] write(R chunkAnswer) {
    try {
      return Json.MAPPER.writeValueAsBytes(chunkAnswer);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write the answer of " + operation, e);
    }
  }

  @Override
  public R read(byte[] bytes) {
    try {
      return Json.MAPPER.readValue(bytes, responseType);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the answer of " + operation, e);
    }
  }

  @Override
  public Object answer(List<R> chunks, String failure) {
    R only = chunks.get(0);
    return only != null ? only : failed.apply(failure);
  }
}
