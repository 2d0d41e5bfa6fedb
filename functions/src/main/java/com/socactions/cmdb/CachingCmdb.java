package com.socactions.cmdb;

import com.google.common.base.Ticker;
import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.socactions.providers.Capability;
import com.socactions.providers.Readiness;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A short per-key cache in front of a {@link CmdbProvider}, so that an incident storm (the same
 * hosts and users in hundreds of incidents a minute) costs the CMDB one lookup per key per {@code
 * ttl}, not one per incident.
 *
 * <p>A batch asks the provider once, for its misses only (each distinct key once, in the spelling
 * first seen), and answers one result per key in order, each with the caller's spelling of its key.
 * Keys are cached without regard to case or surrounding blanks, as every CMDB matches them. Answers
 * with an {@code error} are not cached, so a failed key is asked again on the next call. Past
 * {@code maxKeys} per kind, the least recently used entries go. Failures of the whole batch
 * propagate unchanged, and nothing is cached from them.
 */
public final class CachingCmdb implements CmdbProvider {
  /** Long enough to absorb a storm, short enough that a CMDB edit shows within a minute. */
  public static final Duration DEFAULT_TTL = Duration.ofMinutes(1);

  /** Keys per kind (assets, accounts); a few MB at most. */
  public static final long DEFAULT_MAX_KEYS = 10_000;

  private final CmdbProvider delegate;
  private final Cache<String, AssetMatch> assets;
  private final Cache<String, AccountMatch> accounts;

  /**
   * @param ttl how long an answer is reused, from when it was fetched; zero turns caching off
   * @param maxKeys entries per kind
   * @param clock the time that expires entries (tests move a fake)
   * @throws IllegalArgumentException for a negative {@code ttl} or {@code maxKeys}
   */
  public CachingCmdb(CmdbProvider delegate, Duration ttl, long maxKeys, Clock clock) {
    this.delegate = Objects.requireNonNull(delegate, "'delegate' cannot be null.");
    if (ttl.isNegative()) {
      throw new IllegalArgumentException("'ttl' cannot be negative: " + ttl);
    }
    if (maxKeys < 0) {
      throw new IllegalArgumentException("'maxKeys' cannot be negative: " + maxKeys);
    }
    this.assets = cache(ttl, maxKeys, clock);
    this.accounts = cache(ttl, maxKeys, clock);
  }

  private static <V> Cache<String, V> cache(Duration ttl, long maxKeys, Clock clock) {
    return CacheBuilder.newBuilder()
        .expireAfterWrite(ttl)
        .maximumSize(maxKeys)
        .ticker(
            new Ticker() {
              @Override
              public long read() {
                return TimeUnit.MILLISECONDS.toNanos(clock.millis());
              }
            })
        .build();
  }

  @Override
  public List<AssetMatch> lookupAssets(List<String> keys) {
    return lookup(
        keys, assets, delegate::lookupAssets, AssetMatch::withKey, match -> match.error() == null);
  }

  @Override
  public List<AccountMatch> lookupAccounts(List<String> keys) {
    return lookup(
        keys,
        accounts,
        delegate::lookupAccounts,
        AccountMatch::withKey,
        match -> match.error() == null);
  }

  private static <M> List<M> lookup(
      List<String> keys,
      Cache<String, M> cache,
      Function<List<String>, List<M>> fetch,
      BiFunction<M, String, M> withKey,
      Predicate<M> cacheable) {
    Object[] answers = new Object[keys.size()];
    // Misses by cache key, with every position that asked for it: each is fetched once.
    Map<String, List<Integer>> misses = new LinkedHashMap<>();
    for (int i = 0; i < keys.size(); i++) {
      String key = keys.get(i);
      String cacheKey = cacheKey(key);
      M hit = cache.getIfPresent(cacheKey);
      if (hit != null) {
        answers[i] = withKey.apply(hit, key);
      } else {
        misses.computeIfAbsent(cacheKey, k -> new ArrayList<>(1)).add(i);
      }
    }
    if (!misses.isEmpty()) {
      List<String> asked =
          misses.values().stream().map(positions -> keys.get(positions.get(0))).toList();
      List<M> fetched = fetch.apply(asked);
      if (fetched.size() != asked.size()) {
        throw new IllegalStateException(
            "The CMDB answered " + fetched.size() + " results for " + asked.size() + " keys");
      }
      int next = 0;
      for (Map.Entry<String, List<Integer>> miss : misses.entrySet()) {
        M answer = fetched.get(next++);
        if (cacheable.test(answer)) {
          cache.put(miss.getKey(), answer);
        }
        for (int position : miss.getValue()) {
          answers[position] = withKey.apply(answer, keys.get(position));
        }
      }
    }
    @SuppressWarnings("unchecked")
    List<M> ordered = (List<M>) Arrays.asList(answers);
    return List.copyOf(ordered);
  }

  private static String cacheKey(String key) {
    return key == null ? "" : key.trim().toLowerCase(Locale.ROOT);
  }

  @Override
  public String id() {
    return delegate.id();
  }

  @Override
  public String displayName() {
    return delegate.displayName();
  }

  @Override
  public Set<Capability> capabilities() {
    return delegate.capabilities();
  }

  @Override
  public String description() {
    return delegate.description();
  }

  @Override
  public boolean isConfigured() {
    return delegate.isConfigured();
  }

  @Override
  public Readiness readiness() {
    return delegate.readiness();
  }
}
