package com.socactions.enrichment.rdap;

import com.socactions.platform.CallBudget;
import com.socactions.platform.SharedBudget;
import com.socactions.platform.Ticker;
import com.socactions.platform.UpstreamBudgets;
import com.socactions.platform.UpstreamException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resilience per RDAP server host, configured once: a call budget, a circuit breaker that counts
 * only server failures (no answer, 5xx: a 404 is an answer, and a 429 is handled by waiting, not by
 * opening the circuit), and the back-off between attempts. The attempt loop itself is {@code
 * RdapHttp}'s, which passes its {@link Deadline} explicitly.
 *
 * <p>The budget ({@code RDAP_RATE_LIMIT_PER_SECOND} calls a second per registry host) is a {@link
 * SharedBudget} in {@link UpstreamBudgets}: one row per host in Table Storage that every instance
 * of the app books from, so that K instances do not ask a registry K times as often. It books a few
 * turns at once when they are free right now, so the storage calls are a fraction of the RDAP
 * calls.
 *
 * <p>Bounded: a host unused for {@code hostIdleTimeout} is forgotten (unless its circuit opened
 * less than {@code openDuration} ago), and past {@code maxHosts} the least recently used goes.
 * Registrar links can name thousands of hosts over a worker's life; forgetting one only resets its
 * counters.
 */
final class HostPolicies {
  /** A host's budget row is {@code rdap-<host>}. */
  static final String BUDGET_PREFIX = "rdap-";

  /** The longest back-off doubling: 2^10 times the first back-off, then capped by the deadline. */
  private static final int MAX_BACKOFF_DOUBLINGS = 10;

  private final CircuitBreakerConfig breakerConfig;
  private final UpstreamBudgets budgets;
  private final SharedBudget.Limits limits;
  private final Duration retryBackoff;
  private final Duration openDuration;
  private final long idleNanos;
  private final int maxHosts;
  private final Ticker ticker;
  private final Map<String, Host> hosts = new ConcurrentHashMap<>();

  HostPolicies(RdapOptions options, Clock clock, Ticker ticker, UpstreamBudgets budgets) {
    this.breakerConfig =
        CircuitBreakerConfig.custom()
            .failureRateThreshold(options.failureRateThreshold())
            .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
            .slidingWindowSize(options.slidingWindowSize())
            .minimumNumberOfCalls(options.minimumNumberOfCalls())
            .waitDurationInOpenState(options.openDuration())
            .recordException(HostPolicies::isServerFailure)
            .clock(clock)
            .build();
    this.budgets = budgets;
    this.limits =
        SharedBudget.Limits.of(options.rateLimitPerSecond(), Duration.ofSeconds(1))
            .prefetch(Math.max(1, options.rateLimitPerSecond() / 2));
    this.retryBackoff = options.retryBackoff();
    this.openDuration = options.openDuration();
    this.idleNanos = options.hostIdleTimeout().toNanos();
    this.maxHosts = options.maxHosts();
    this.ticker = ticker;
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

  /**
   * How long to wait before attempt {@code attempt + 1}: the server's {@code Retry-After} when it
   * sent one, else the back-off doubled per attempt; never past the deadline.
   */
  Duration backoff(int attempt, UpstreamException failure, Deadline deadline) {
    Duration wait =
        failure
            .retryAfter()
            .orElse(
                retryBackoff.multipliedBy(
                    1L << Math.min(Math.max(attempt - 1, 0), MAX_BACKOFF_DOUBLINGS)));
    Duration left = deadline.remaining();
    return wait.compareTo(left) > 0 ? left : wait;
  }

  /** Seconds until an open circuit lets a trial call through (at least 1). */
  long secondsUntilHalfOpen(String name) {
    Host host = hosts.get(name);
    long remaining = openDuration.toNanos();
    if (host != null && host.openedAtNanos != null) {
      remaining -= ticker.read() - host.openedAtNanos;
    }
    return Math.max(1, (remaining + 999_999_999L) / 1_000_000_000L);
  }

  List<String> openCircuits() {
    return hosts.values().stream()
        .filter(
            h ->
                h.breaker.getState() == CircuitBreaker.State.OPEN
                    || h.breaker.getState() == CircuitBreaker.State.FORCED_OPEN)
        .map(h -> h.breaker.getName())
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
      hosts.values().stream()
          .min(Comparator.comparingLong(h -> h.lastUsedNanos))
          .ifPresent(lru -> hosts.remove(lru.breaker.getName(), lru));
    }
    Host host =
        new Host(
            CircuitBreaker.of(name, breakerConfig),
            budgets.budget(BUDGET_PREFIX + name, name, "RDAP calls", limits),
            now);
    host.breaker
        .getEventPublisher()
        .onStateTransition(
            event -> {
              if (event.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                host.openedAtNanos = ticker.read();
              }
            });
    hosts.put(name, host);
    return host;
  }

  private boolean isIdle(Host host, long now) {
    if (now - host.lastUsedNanos < idleNanos) {
      return false;
    }
    // An open circuit is remembered until it would let a trial call through, however idle.
    Long openedAt = host.openedAtNanos;
    return openedAt == null
        || now - openedAt >= openDuration.toNanos()
        || host.breaker.getState() != CircuitBreaker.State.OPEN;
  }

  private static boolean isServerFailure(Throwable e) {
    return e instanceof UpstreamException upstream && upstream.failure().isUpstreamFault();
  }

  /** One host's circuit breaker and call budget, and when it was last used. */
  static final class Host {
    final CircuitBreaker breaker;
    final CallBudget budget;
    volatile long lastUsedNanos;
    volatile Long openedAtNanos;

    private Host(CircuitBreaker breaker, CallBudget budget, long now) {
      this.breaker = breaker;
      this.budget = budget;
      this.lastUsedNanos = now;
    }
  }
}
