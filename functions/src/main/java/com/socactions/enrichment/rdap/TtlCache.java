package com.socactions.enrichment.rdap;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A small bounded map whose entries expire; past its bound, expired entries go, then any. */
final class TtlCache<K, V> {
  private final Clock clock;
  private final int maxEntries;
  private final Map<K, Timed<V>> entries = new ConcurrentHashMap<>();

  TtlCache(Clock clock, int maxEntries) {
    this.clock = clock;
    this.maxEntries = maxEntries;
  }

  V get(K key) {
    Timed<V> timed = entries.get(key);
    if (timed == null) {
      return null;
    }
    if (!timed.expiresAt.isAfter(clock.instant())) {
      entries.remove(key, timed);
      return null;
    }
    return timed.value;
  }

  void put(K key, V value, Duration ttl) {
    if (ttl.isZero()) {
      return;
    }
    if (entries.size() >= maxEntries) {
      Instant now = clock.instant();
      entries.values().removeIf(t -> !t.expiresAt.isAfter(now));
      Iterator<K> keys = entries.keySet().iterator();
      while (entries.size() >= maxEntries && keys.hasNext()) {
        keys.next();
        keys.remove();
      }
    }
    entries.put(key, new Timed<>(value, clock.instant().plus(ttl)));
  }

  private record Timed<V>(V value, Instant expiresAt) {}
}
