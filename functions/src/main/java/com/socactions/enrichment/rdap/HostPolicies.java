package com.socactions.enrichment.rdap;

import com.socactions.platform.CallBudget;
import com.socactions.platform.SharedBudget;
import com.socactions.platform.Sleeper;
import com.socactions.platform.Ticker;
import com.socactions.platform.UpstreamBudgets;
import com.socactions.platform.UpstreamPolicy;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resilience per RDAP server host, configured once: an {@link UpstreamPolicy} (the attempt loop,
 * the back-off, {@code Retry-After}, a circuit breaker that counts only server failures: no answer,
 * 5xx; a 404 is an answer, and a 429 is handled by waiting, not by opening the circuit) and a call
 * budget. {@code RdapHttp} runs each exchange through its host's policy within the lookup's {@link
 * com.socactions.platform.Deadline}.
 *
 * <p>The budget ({@code RDAP_RATE_LIMIT_PER_SECOND} calls a second per registry host) is a {@link
 * SharedBudget} in {@link UpstreamBudgets}: one row per host in Table Storage that every instance
 * of the app books from, so that K instances do not ask a registry K times as often. It books a few
 * turns at once when they are free right now, so the storage calls are a fraction of the RDAP
 * calls.
 *
 * <p>Bounded: a host unused for {@code hostIdleTimeout} is forgotten (unless its circuit is open
 * and would not yet let a trial call through), and past {@code maxHosts} the least recently used
 * goes. Registrar links can name thousands of hosts over a worker's life; forgetting one only
 * resets its counters.
 */
final class HostPolicies {
  /** A host's budget row is {@code rdap-<host>}. */
  static final String BUDGET_PREFIX = "rdap-";

  /** The longest back-off doubling: 2^10 times the first back-off, then capped by the deadline. */
  private static final int MAX_BACKOFF_DOUBLINGS = 10;

  private final UpstreamPolicy.Options policyOptions;
  private final UpstreamBudgets budgets;
  private final SharedBudget.Limits limits;
  private final Duration openDuration;
  private final long idleNanos;
  private final int maxHosts;
  private final Clock clock;
  private final Ticker ticker;
  private final Sleeper sleeper;
  private final Map<String, Host> hosts = new ConcurrentHashMap<>();

  HostPolicies(
      RdapOptions options, Clock clock, Ticker ticker, Sleeper sleeper, UpstreamBudgets budgets) {
    this.policyOptions =
        UpstreamPolicy.Options.defaults()
            .maxAttempts(options.maxAttempts())
            .backoff(
                options.retryBackoff(),
                options.retryBackoff().multipliedBy(1L << MAX_BACKOFF_DOUBLINGS))
            .maxRetryAfter(options.maxRetryAfter())
            .maxPermitWait(options.rateLimitWait())
            .circuitBreaker(
                options.failureRateThreshold(), options.slidingWindowSize(), options.openDuration())
            .minimumCalls(options.minimumNumberOfCalls());
    this.budgets = budgets;
    this.limits =
        SharedBudget.Limits.of(options.rateLimitPerSecond(), Duration.ofSeconds(1))
            .prefetch(Math.max(1, options.rateLimitPerSecond() / 2));
    this.openDuration = options.openDuration();
    this.idleNanos = options.hostIdleTimeout().toNanos();
    this.maxHosts = options.maxHosts();
    this.clock = clock;
    this.ticker = ticker;
    this.sleeper = sleeper;
  }

  /** The policies of {@code host} ({@code rdap.arin.net}, or host:port), created on first use. */
  Host host(String name) {
    Host host = hosts.get(name);
    if (host == null) {
      host = create(name);
    }
    host.lastUsedNanos = ticker.read();
    return host;
  }

  /** Seconds until an open circuit lets a trial call through (at least 1). */
  long secondsUntilHalfOpen(String name) {
    Host host = hosts.get(name);
    return host == null
        ? Math.max(1, openDuration.toSeconds())
        : host.policy.untilHalfOpen().toSeconds();
  }

  List<String> openCircuits() {
    return hosts.entrySet().stream()
        .filter(
            e ->
                e.getValue().policy.circuitState() == CircuitBreaker.State.OPEN
                    || e.getValue().policy.circuitState() == CircuitBreaker.State.FORCED_OPEN)
        .map(Map.Entry::getKey)
        .sorted()
        .toList();
  }

  /** Hosts whose policies are kept right now. */
  int size() {
    return hosts.size();
  }

  private synchronized Host create(String name) {
    Host existing = hosts.get(name);
    if (existing != null) {
      return existing;
    }
    // Creation is rare (a new host), so the sweep runs here rather than on every call.
    long now = ticker.read();
    hosts.values().removeIf(h -> isIdle(h, now));
    while (hosts.size() >= maxHosts) {
      hosts.entrySet().stream()
          .min(Comparator.comparingLong(e -> e.getValue().lastUsedNanos))
          .ifPresent(lru -> hosts.remove(lru.getKey(), lru.getValue()));
    }
    Host host =
        new Host(
            new UpstreamPolicy(name, policyOptions, sleeper, clock),
            budgets.budget(BUDGET_PREFIX + name, name, "RDAP calls", limits),
            now);
    hosts.put(name, host);
    return host;
  }

  private boolean isIdle(Host host, long now) {
    // An open circuit is remembered until it would let a trial call through, however idle.
    return now - host.lastUsedNanos >= idleNanos && host.policy.openRemaining().isEmpty();
  }

  /** One host's policy and call budget, and when it was last used. */
  static final class Host {
    final UpstreamPolicy policy;
    final CallBudget budget;
    volatile long lastUsedNanos;

    private Host(UpstreamPolicy policy, CallBudget budget, long now) {
      this.policy = policy;
      this.budget = budget;
      this.lastUsedNanos = now;
    }
  }
}
