package com.socactions.enrichment.rdap;

import com.socactions.indicators.IpAddresses;
import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Answers cached by address range: one RDAP network answer covers every address from its start to
 * its end. Lookups return the most specific (latest-starting) cached range that contains the
 * address. Bounded: past {@code maxEntries}, expired entries go first, then the oldest.
 */
final class RangeCache<V> {
  private final Clock clock;
  private final Duration ttl;
  private final int maxEntries;
  // Key: range start; value: entries starting there, by end (nested ranges may share a start).
  private final NavigableMap<BigInteger, NavigableMap<BigInteger, Entry<V>>> v4 = new TreeMap<>();
  private final NavigableMap<BigInteger, NavigableMap<BigInteger, Entry<V>>> v6 = new TreeMap<>();
  private final ArrayDeque<Entry<V>> insertionOrder = new ArrayDeque<>();
  private BigInteger widestV4 = BigInteger.ZERO;
  private BigInteger widestV6 = BigInteger.ZERO;
  private int size;

  RangeCache(Clock clock, Duration ttl, int maxEntries) {
    this.clock = clock;
    this.ttl = ttl;
    this.maxEntries = maxEntries;
  }

  synchronized V get(InetAddress address) {
    boolean isV4 = address instanceof Inet4Address;
    NavigableMap<BigInteger, NavigableMap<BigInteger, Entry<V>>> map = isV4 ? v4 : v6;
    BigInteger value = IpAddresses.toBigInteger(address);
    BigInteger lowestStart = value.subtract(isV4 ? widestV4 : widestV6);
    Instant now = clock.instant();
    // Walk down from the nearest start; no range wider than the widest cached can reach further.
    for (Map.Entry<BigInteger, NavigableMap<BigInteger, Entry<V>>> starting
        : map.headMap(value, true).descendingMap().entrySet()) {
      if (starting.getKey().compareTo(lowestStart) < 0) {
        break;
      }
      Map.Entry<BigInteger, Entry<V>> smallest = starting.getValue().ceilingEntry(value);
      if (smallest != null && smallest.getValue().expiresAt.isAfter(now)) {
        return smallest.getValue().value;
      }
    }
    return null;
  }

  synchronized void put(InetAddress start, InetAddress end, V value) {
    boolean isV4 = start instanceof Inet4Address;
    BigInteger from = IpAddresses.toBigInteger(start);
    BigInteger to = IpAddresses.toBigInteger(end);
    if (to.compareTo(from) < 0) {
      return;
    }
    Entry<V> entry = new Entry<>(isV4, from, to, value, clock.instant().plus(ttl));
    Entry<V> previous = (isV4 ? v4 : v6).computeIfAbsent(from, k -> new TreeMap<>()).put(to, entry);
    if (previous == null) {
      size++;
    } else {
      insertionOrder.remove(previous);
    }
    insertionOrder.addLast(entry);
    BigInteger width = to.subtract(from);
    if (isV4 && width.compareTo(widestV4) > 0) {
      widestV4 = width;
    } else if (!isV4 && width.compareTo(widestV6) > 0) {
      widestV6 = width;
    }
    if (size > maxEntries) {
      evict();
    }
  }

  synchronized int size() {
    return size;
  }

  private void evict() {
    Instant now = clock.instant();
    insertionOrder.removeIf(e -> {
      if (!e.expiresAt.isAfter(now)) {
        unlink(e);
        return true;
      }
      return false;
    });
    while (size > maxEntries) {
      unlink(insertionOrder.removeFirst());
    }
  }

  private void unlink(Entry<V> e) {
    NavigableMap<BigInteger, NavigableMap<BigInteger, Entry<V>>> map = e.isV4 ? v4 : v6;
    NavigableMap<BigInteger, Entry<V>> byEnd = map.get(e.start);
    if (byEnd != null && byEnd.remove(e.end, e)) {
      size--;
      if (byEnd.isEmpty()) {
        map.remove(e.start);
      }
    }
  }

  private record Entry<V>(boolean isV4, BigInteger start, BigInteger end, V value, Instant expiresAt) {}
}
