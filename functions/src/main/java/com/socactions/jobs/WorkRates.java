package com.socactions.jobs;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one item of each kind of work has cost lately on this instance: an exponentially weighted
 * average of the time per item of each chunk run (inline or in a worker), by {@link
 * JobWork#kind()}. This is the "current budget" of the upstreams as this instance sees it: a Graph
 * that paces or answers slowly, a registry that throttles, a CMDB whose queries take seconds all
 * show here within a chunk, whatever their cause.
 */
public final class WorkRates {
  /** Weight of the newest chunk: a few chunks make an upstream's change of pace count. */
  static final double NEWEST_WEIGHT = 0.5;

  /**
   * Chunks of fewer items are not counted: their fixed costs (a token, one round trip, a lookup
   * that covers a whole network) say little about the pace of a large batch.
   */
  static final int MIN_ITEMS = 20;

  private final Map<String, Double> nanosPerItem = new ConcurrentHashMap<>();

  /**
   * Records a chunk of {@code items} items of {@code kind} that took {@code took}; chunks of fewer
   * than {@value #MIN_ITEMS} items are left out.
   */
  public void observe(String kind, int items, Duration took) {
    if (items < MIN_ITEMS || took.isNegative()) {
      return;
    }
    double perItem = (double) took.toNanos() / items;
    nanosPerItem.merge(
        kind, perItem, (old, newest) -> old * (1 - NEWEST_WEIGHT) + newest * NEWEST_WEIGHT);
  }

  /** The time per item of {@code kind} lately, if any chunk of it has run here. */
  public Optional<Duration> perItem(String kind) {
    Double nanos = nanosPerItem.get(kind);
    return nanos == null ? Optional.empty() : Optional.of(Duration.ofNanos(Math.round(nanos)));
  }
}
