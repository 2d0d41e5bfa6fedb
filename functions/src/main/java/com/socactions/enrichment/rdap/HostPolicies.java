package com.socactions.enrichment.rdap;

import com.socactions.platform.UpstreamException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Resilience per RDAP server host, configured once: a retry with exponential back-off that honours
 * {@code Retry-After}, a rate limiter, and a circuit breaker that counts only server failures (no
 * answer, 5xx): a 404 is an answer, and a 429 is handled by waiting, not by opening the circuit.
 */
final class HostPolicies {
  /** The deadline of the batch the current thread works for; caps every back-off wait. */
  static final ThreadLocal<Deadline> CURRENT_DEADLINE = new ThreadLocal<>();

  private final CircuitBreakerRegistry breakers;
  private final RateLimiterRegistry limiters;
  private final RetryRegistry retries;
  private final Duration openDuration;
  private final Map<String, CircuitBreaker> circuits = new ConcurrentHashMap<>();
  private final Map<String, Long> openedAtNanos = new ConcurrentHashMap<>();

  HostPolicies(RdapOptions options) {
    CircuitBreakerConfig breakerConfig = CircuitBreakerConfig.custom()
        .failureRateThreshold(options.failureRateThreshold())
        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
        .slidingWindowSize(options.slidingWindowSize())
        .minimumNumberOfCalls(options.minimumNumberOfCalls())
        .waitDurationInOpenState(options.openDuration())
        .recordException(HostPolicies::isServerFailure)
        .build();
    RateLimiterConfig limiterConfig = RateLimiterConfig.custom()
        .limitForPeriod(options.rateLimitPerSecond())
        .limitRefreshPeriod(Duration.ofSeconds(1))
        .timeoutDuration(options.rateLimitWait())
        .build();
    long backoffMillis = options.retryBackoff().toMillis();
    IntervalBiFunction<Object> interval = (attempt, result) -> {
      long wait = backoffMillis << Math.min(Math.max(attempt - 1, 0), 10);
      if (result.isLeft() && result.getLeft() instanceof UpstreamException upstream
          && upstream.retryAfter().isPresent()) {
        wait = upstream.retryAfter().get().toMillis();
      }
      Deadline deadline = CURRENT_DEADLINE.get();
      if (deadline != null) {
        // Never sleep past the batch's budget; the next attempt then sees the deadline and stops.
        wait = Math.min(wait, deadline.remaining().toMillis());
      }
      return Math.max(wait, 1);
    };
    RetryConfig retryConfig = RetryConfig.custom()
        .maxAttempts(options.maxAttempts())
        .intervalBiFunction(interval)
        .retryOnException(e -> e instanceof UpstreamException upstream && upstream.isRetryable())
        .failAfterMaxAttempts(false)
        .build();
    this.breakers = CircuitBreakerRegistry.of(breakerConfig);
    this.limiters = RateLimiterRegistry.of(limiterConfig);
    this.retries = RetryRegistry.of(retryConfig);
    this.openDuration = options.openDuration();
  }

  /** {@code call} guarded for {@code host}: retry around (circuit breaker around (rate limiter around call)). */
  <T> Supplier<T> decorate(String host, Supplier<T> call) {
    Supplier<T> limited = RateLimiter.decorateSupplier(limiters.rateLimiter(host), call);
    Supplier<T> broken = CircuitBreaker.decorateSupplier(breaker(host), limited);
    return Retry.decorateSupplier(retries.retry(host), broken);
  }

  CircuitBreaker breaker(String host) {
    return circuits.computeIfAbsent(host, name -> {
      CircuitBreaker created = breakers.circuitBreaker(name);
      created.getEventPublisher().onStateTransition(event -> {
        if (event.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
          openedAtNanos.put(name, System.nanoTime());
        }
      });
      return created;
    });
  }

  /** Seconds until an open circuit lets a trial call through (at least 1). */
  long secondsUntilHalfOpen(String host) {
    Long openedAt = openedAtNanos.get(host);
    long remaining = openDuration.toNanos();
    if (openedAt != null) {
      remaining -= System.nanoTime() - openedAt;
    }
    return Math.max(1, (remaining + 999_999_999L) / 1_000_000_000L);
  }

  List<String> openCircuits() {
    return breakers.getAllCircuitBreakers().stream()
        .filter(b -> b.getState() == CircuitBreaker.State.OPEN || b.getState() == CircuitBreaker.State.FORCED_OPEN)
        .map(CircuitBreaker::getName)
        .sorted()
        .toList();
  }

  private static boolean isServerFailure(Throwable e) {
    return e instanceof UpstreamException upstream && (upstream.status() == 0 || upstream.status() >= 500);
  }
}
