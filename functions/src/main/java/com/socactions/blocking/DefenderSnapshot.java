package com.socactions.blocking;

import com.socactions.blocking.DefenderEnforcementPoint.Key;
import com.socactions.blocking.DefenderIndicatorsClient.DefenderIndicator;
import com.socactions.indicators.IndicatorType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * What Defender holds, tenant-wide, for the indicator types this connector maps, so that a batch of
 * indicators the ledger does not know costs no list call of its own: one unfiltered, paged read of
 * every indicator (Defender caps a tenant at 15,000, so one or two calls), kept for at most {@code
 * maxAge} and updated with this process's own imports and deletes. Filtering per batch by value
 * cost a list call per few hundred values (three per 1,000 IPs); the snapshot costs one or two per
 * {@code maxAge}, whatever the batch size.
 *
 * <p>What it can miss: an indicator someone else creates in Defender (console, another tool) after
 * the read, for at most {@code maxAge}; an import of such a value updates their indicator as
 * Defender's import always does. Values this connector blocked are never at risk: the ledger
 * answers them {@code already_active} before any provider call. Another instance of this app
 * imports only values its ledger claimed, so it cannot race this one on a value either.
 *
 * <p>Thread-safe: concurrent batches share one read (the first one that finds the snapshot stale
 * reads; the others wait for it). A failed read throws the client's {@code UpstreamException} and
 * keeps no snapshot, so the next batch reads again.
 */
final class DefenderSnapshot {
  /** How long a read stays the answer for values the ledger does not know. */
  static final Duration DEFAULT_MAX_AGE = Duration.ofMinutes(1);

  private final Supplier<List<DefenderIndicator>> read;
  private final Clock clock;
  private final Duration maxAge;
  private final Object refresh = new Object();
  private volatile Held held;
  private final AtomicInteger reads = new AtomicInteger();

  /**
   * One read, kept up to date with our own imports and deletes.
   *
   * @param total how many indicators Defender holds, of every type (the tenant cap counts them all)
   */
  private record Held(
      Instant readAt, Map<Key, List<DefenderIndicator>> byKey, AtomicInteger total) {}

  DefenderSnapshot(Supplier<List<DefenderIndicator>> read, Clock clock, Duration maxAge) {
    if (maxAge == null || maxAge.isNegative()) {
      throw new IllegalArgumentException("'maxAge' must be zero or more, not " + maxAge);
    }
    this.read = read;
    this.clock = clock;
    this.maxAge = maxAge;
  }

  /** The indicators Defender holds for {@code key} (none: empty), reading first when stale. */
  List<DefenderIndicator> of(Key key) {
    return current().getOrDefault(key, List.of());
  }

  /** The whole view, reading first when stale. */
  Map<Key, List<DefenderIndicator>> current() {
    Held now = held;
    if (fresh(now)) {
      return now.byKey();
    }
    synchronized (refresh) {
      now = held;
      if (!fresh(now)) {
        now = readNow();
      }
      return now.byKey();
    }
  }

  /**
   * How many active indicators Defender holds for the tenant, of every type: the last read's count
   * (reading first when stale) plus this process's imports of new values since, minus its deletes.
   * Other instances' imports since the read are not in it; the read is at most {@code maxAge} old.
   */
  int size() {
    current();
    return held.total().get();
  }

  /** How many times Defender was read: a caller compares two readings to know if it read. */
  int reads() {
    return reads.get();
  }

  /** Reads Defender again now, whatever the view's age (before refusing on its count). */
  void refresh() {
    synchronized (refresh) {
      readNow();
    }
  }

  private Held readNow() {
    Instant readAt = clock.instant();
    List<DefenderIndicator> indicators = read.get();
    reads.incrementAndGet();
    Held now = new Held(readAt, index(indicators), new AtomicInteger(indicators.size()));
    held = now;
    return now;
  }

  /** Our import made {@code indicator} Defender's one indicator of its type and value. */
  void imported(Key key, DefenderIndicator indicator) {
    Held now = held;
    if (now != null && now.byKey().put(key, List.of(indicator)) == null) {
      now.total().incrementAndGet(); // a new value: one more indicator against the tenant's cap
    }
  }

  /** Our delete removed (or found gone) the indicator with this id. */
  void deleted(Key key, String id) {
    Held now = held;
    if (now != null) {
      now.byKey()
          .computeIfPresent(
              key,
              (k, list) -> {
                List<DefenderIndicator> rest =
                    list.stream().filter(indicator -> !id.equals(indicator.id())).toList();
                if (rest.size() < list.size()) {
                  now.total().decrementAndGet();
                }
                return rest.isEmpty() ? null : rest;
              });
    }
  }

  private boolean fresh(Held now) {
    return now != null && now.readAt().plus(maxAge).isAfter(clock.instant());
  }

  private static Map<Key, List<DefenderIndicator>> index(List<DefenderIndicator> indicators) {
    Map<String, IndicatorType> typeByDefenderName = new HashMap<>();
    DefenderEnforcementPoint.TYPES.forEach(
        (type, name) -> typeByDefenderName.put(name.toLowerCase(Locale.ROOT), type));
    Map<Key, List<DefenderIndicator>> byKey = new ConcurrentHashMap<>();
    for (DefenderIndicator indicator : indicators) {
      IndicatorType type =
          indicator.indicatorType() == null
              ? null
              : typeByDefenderName.get(indicator.indicatorType().toLowerCase(Locale.ROOT));
      if (type != null && indicator.indicatorValue() != null) {
        Key key = Key.of(type, indicator.indicatorValue());
        byKey.merge(
            key,
            List.of(indicator),
            (a, b) -> {
              List<DefenderIndicator> both = new ArrayList<>(a);
              both.addAll(b);
              return List.copyOf(both);
            });
      }
    }
    return byKey;
  }
}
