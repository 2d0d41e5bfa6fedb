package com.socactions.enrichment.rdap;

import com.socactions.indicators.IpAddresses;
import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Answers cached by address range: one RDAP network answer covers every address from its start to
 * its end. A lookup returns the most specific cached range that holds the address.
 *
 * <p>Each range is indexed as the CIDR blocks that cover it (ARIN's 13.64.0.0-13.107.255.255 is a
 * /11, a /13 and a /14), in one hash map per prefix length. A lookup asks only the lengths that
 * hold a block right now, longest first: at most 33 (IPv4) or 129 (IPv6) hash probes whatever the
 * number of entries, and nested or overlapping ranges need no scan. Of two ranges whose blocks
 * holding the address have the same length, the narrower range wins. When the last block of a
 * length goes (expiry, eviction), that length is no longer asked.
 *
 * <p>Reads share a read lock; writes (put, and removing expired entries a read found) take the
 * write lock. Bounded: past {@code maxEntries}, expired entries go first, then the oldest.
 */
final class RangeCache<V> {
  /**
   * Ranges needing more blocks than this are indexed by their first blocks only (a cache miss,
   * never a wrong answer).
   */
  private static final int MAX_BLOCKS_PER_RANGE = 64;

  private final Clock clock;
  private final Duration ttl;
  private final int maxEntries;
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private final Family<V> v4 = new Family<>(32);
  private final Family<V> v6 = new Family<>(128);
  // Insertion order is eviction order; a re-put moves the range to the end.
  private final LinkedHashMap<Range, Entry<V>> byRange = new LinkedHashMap<>();

  RangeCache(Clock clock, Duration ttl, int maxEntries) {
    this.clock = clock;
    this.ttl = ttl;
    this.maxEntries = maxEntries;
  }

  /** The value of the most specific live range holding {@code address}, or null. */
  V get(InetAddress address) {
    boolean isV4 = address instanceof Inet4Address;
    BigInteger value = IpAddresses.toBigInteger(address);
    Instant now = clock.instant();
    List<Entry<V>> expired = null;
    lock.readLock().lock();
    try {
      Family<V> family = isV4 ? v4 : v6;
      for (Map.Entry<Integer, Map<BigInteger, List<Entry<V>>>> blocks :
          family.byLength.descendingMap().entrySet()) {
        List<Entry<V>> holding =
            blocks.getValue().get(value.shiftRight(family.bits - blocks.getKey()));
        if (holding == null) {
          continue;
        }
        Entry<V> best = null;
        for (Entry<V> entry : holding) {
          if (!entry.expiresAt.isAfter(now)) {
            expired = expired == null ? new ArrayList<>() : expired;
            expired.add(entry);
          } else if (best == null || entry.width.compareTo(best.width) < 0) {
            best = entry;
          }
        }
        if (best != null) {
          return best.value;
        }
      }
    } finally {
      lock.readLock().unlock();
      if (expired != null) {
        removeAll(expired);
      }
    }
    return null;
  }

  void put(InetAddress start, InetAddress end, V value) {
    boolean isV4 = start instanceof Inet4Address;
    BigInteger from = IpAddresses.toBigInteger(start);
    BigInteger to = IpAddresses.toBigInteger(end);
    if (to.compareTo(from) < 0 || isV4 != (end instanceof Inet4Address)) {
      return;
    }
    Family<V> family = isV4 ? v4 : v6;
    Range range = new Range(isV4, from, to);
    Entry<V> entry =
        new Entry<>(
            range,
            to.subtract(from),
            IpRanges.blocks(from, to, family.bits, MAX_BLOCKS_PER_RANGE),
            value,
            clock.instant().plus(ttl));
    lock.writeLock().lock();
    try {
      Entry<V> previous = byRange.remove(range);
      if (previous != null) {
        unlink(previous);
      }
      byRange.put(range, entry);
      for (IpRanges.Block block : entry.blocks) {
        family
            .byLength
            .computeIfAbsent(block.length(), k -> new HashMap<>())
            .computeIfAbsent(block.prefix(), k -> new ArrayList<>(1))
            .add(entry);
      }
      if (byRange.size() > maxEntries) {
        evict();
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  int size() {
    lock.readLock().lock();
    try {
      return byRange.size();
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * The shortest prefix length a lookup of this family asks, i.e. the widest block cached; -1 when
   * none is. It grows back as wide ranges expire or are evicted.
   */
  int widestPrefixLength(boolean isV4) {
    lock.readLock().lock();
    try {
      Family<V> family = isV4 ? v4 : v6;
      return family.byLength.isEmpty() ? -1 : family.byLength.firstKey();
    } finally {
      lock.readLock().unlock();
    }
  }

  private void removeAll(List<Entry<V>> expired) {
    lock.writeLock().lock();
    try {
      for (Entry<V> entry : expired) {
        // Only if still the cached entry for its range: a fresh put may have replaced it.
        if (byRange.remove(entry.range, entry)) {
          unlink(entry);
        }
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  private void evict() {
    Instant now = clock.instant();
    Iterator<Entry<V>> entries = byRange.values().iterator();
    while (entries.hasNext()) {
      Entry<V> entry = entries.next();
      if (!entry.expiresAt.isAfter(now)) {
        entries.remove();
        unlink(entry);
      }
    }
    entries = byRange.values().iterator();
    while (byRange.size() > maxEntries && entries.hasNext()) {
      Entry<V> oldest = entries.next();
      entries.remove();
      unlink(oldest);
    }
  }

  private void unlink(Entry<V> entry) {
    Family<V> family = entry.range.isV4 ? v4 : v6;
    for (IpRanges.Block block : entry.blocks) {
      Map<BigInteger, List<Entry<V>>> blocks = family.byLength.get(block.length());
      List<Entry<V>> holding = blocks == null ? null : blocks.get(block.prefix());
      if (holding != null && holding.remove(entry) && holding.isEmpty()) {
        blocks.remove(block.prefix());
        if (blocks.isEmpty()) {
          family.byLength.remove(block.length());
        }
      }
    }
  }

  /** One address family's index: prefix length -> block prefix -> the entries with that block. */
  private static final class Family<V> {
    final int bits;
    final NavigableMap<Integer, Map<BigInteger, List<Entry<V>>>> byLength = new TreeMap<>();

    Family(int bits) {
      this.bits = bits;
    }
  }

  private record Range(boolean isV4, BigInteger start, BigInteger end) {}

  private record Entry<V>(
      Range range, BigInteger width, List<IpRanges.Block> blocks, V value, Instant expiresAt) {}
}
