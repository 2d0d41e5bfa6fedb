package com.socactions.platform;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The resilience of one upstream API (Defender, PAN-OS, ServiceNow, Jira, Graph, Sentinel),
 * configured once and shared by every call to it: an explicit attempt loop that retries what a
 * retry can fix ({@link UpstreamFailure#isRetryable}) with exponential back-off, waits as long as
 * the upstream's {@code Retry-After} says (up to a cap), a circuit breaker that counts only the
 * upstream's own failures, and a rate limiter where the vendor publishes a limit.
 *
 * <p>Failures come out as {@link UpstreamException}: the last one when attempts run out or when its
 * {@code Retry-After} is longer than the cap (so the caller's caller, Logic Apps, waits instead of
 * this request), a {@link CircuitOpenException} (kind {@link UpstreamFailure#UNAVAILABLE}, with the
 * time until the circuit lets a trial call through) when it is open, one of kind {@link
 * UpstreamFailure#THROTTLED} when the published rate limit is reached. Never retries a refusal (an
 * answer other than throttling). A failure of another upstream inside an attempt (no token from
 * Azure Identity) is neither this upstream's fault nor retried here: it ends the call as it is.
 * With a {@link Deadline}, no wait goes past it and no attempt starts after it.
 */
public final class UpstreamPolicy {
  public static final int DEFAULT_MAX_ATTEMPTS = 3;
  public static final Duration DEFAULT_BACKOFF = Duration.ofMillis(500);
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(8);

  /** A Retry-After longer than this is handed to the caller rather than waited out here. */
  public static final Duration DEFAULT_MAX_RETRY_AFTER = Duration.ofSeconds(20);

  public static final float DEFAULT_FAILURE_RATE_THRESHOLD = 50; // percent
  public static final int DEFAULT_SLIDING_WINDOW = 20; // calls
  public static final Duration DEFAULT_OPEN_DURATION = Duration.ofSeconds(30);

  private final String upstream;
  private final Options options;
  private final CircuitBreaker breaker;
  private final RateLimiter limiter;
  private final Sleeper sleeper;
  private final Clock clock;
  private volatile Instant openedAt;

  /**
   * @param clock the time of the circuit breaker (when an open circuit lets a trial call through)
   */
  public UpstreamPolicy(String upstream, Options options, Sleeper sleeper, Clock clock) {
    this.upstream = Objects.requireNonNull(upstream, "'upstream' cannot be null.");
    this.options = Objects.requireNonNull(options, "'options' cannot be null.");
    this.sleeper = Objects.requireNonNull(sleeper, "'sleeper' cannot be null.");
    this.clock = Objects.requireNonNull(clock, "'clock' cannot be null.");
    this.breaker =
        CircuitBreaker.of(
            upstream,
            CircuitBreakerConfig.custom()
                .failureRateThreshold(options.failureRateThreshold)
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(options.slidingWindow)
                .minimumNumberOfCalls(
                    options.minimumCalls > 0
                        ? Math.min(options.minimumCalls, options.slidingWindow)
                        : Math.min(options.slidingWindow, 10))
                .waitDurationInOpenState(options.openDuration)
                .recordException(UpstreamPolicy::isUpstreamFault)
                .clock(clock)
                .build());
    breaker
        .getEventPublisher()
        .onStateTransition(
            event -> {
              if (event.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                openedAt = clock.instant();
              }
            });
    this.limiter =
        options.callsPerPeriod <= 0
            ? null
            : RateLimiter.of(
                upstream,
                RateLimiterConfig.custom()
                    .limitForPeriod(options.callsPerPeriod)
                    .limitRefreshPeriod(options.period)
                    .timeoutDuration(Duration.ZERO)
                    .build());
  }

  public UpstreamPolicy(String upstream, Options options, Sleeper sleeper) {
    this(upstream, options, sleeper, Clock.systemUTC());
  }

  public UpstreamPolicy(String upstream, Options options) {
    this(upstream, options, Sleeper.SYSTEM);
  }

  /** The upstream whose failures this policy counts, as named in its failures. */
  public String upstream() {
    return upstream;
  }

  /**
   * Runs {@code attempt} until it answers or fails for good.
   *
   * @param attempt one exchange; throws {@link UpstreamException} for a failure of the upstream
   * @throws UpstreamException the failure that ended the attempts (see the class comment)
   */
  public <T> T call(Supplier<T> attempt) {
    return call(null, attempt);
  }

  /**
   * As {@link #call(Supplier)}, each attempt taking its permit from {@code budget} (a limit shared
   * with other instances) instead of this policy's own rate limiter, waiting for it at most as long
   * as for a {@code Retry-After}; a 429 is reported to the budget so every instance holds back.
   *
   * @throws UpstreamException also {@link UpstreamFailure#THROTTLED} from the budget when no permit
   *     comes in time
   */
  public <T> T call(CallBudget budget, Supplier<T> attempt) {
    return call(budget, null, attempt);
  }

  /**
   * As {@link #call(CallBudget, Supplier)}, within {@code deadline}: every wait (back-off, {@code
   * Retry-After}, a permit) is cut to the time left, and once it has passed no attempt starts; the
   * last failure is thrown then (or one with status 0 when there was none), so the caller tells
   * "out of time" by asking the deadline.
   *
   * @param budget null for this policy's own rate limiter
   * @param deadline null for none
   */
  public <T> T call(CallBudget budget, Deadline deadline, Supplier<T> attempt) {
    UpstreamException failed = null;
    Duration throttledFor = Duration.ZERO;
    for (int tries = 1; ; tries++) {
      if (deadline != null && deadline.passed()) {
        throw failed != null
            ? failed
            : new UpstreamException(upstream, "no time left to call " + upstream, null);
      }
      if (budget == null) {
        awaitRateLimit();
      } else {
        Duration most =
            throttledFor.compareTo(options.maxPermitWait()) > 0
                ? throttledFor
                : options.maxPermitWait();
        budget.acquire(deadline == null ? most : deadline.cap(most));
      }
      if (!breaker.tryAcquirePermission()) {
        throw new CircuitOpenException(upstream, untilHalfOpen());
      }
      long started = breaker.getCurrentTimestamp();
      try {
        T answer = attempt.get();
        breaker.onSuccess(breaker.getCurrentTimestamp() - started, breaker.getTimestampUnit());
        return answer;
      } catch (UpstreamException e) {
        if (!upstream.equals(e.upstream())) {
          // Another upstream failed inside the attempt (Azure Identity gave no token): not ours.
          breaker.releasePermission();
          throw e;
        }
        breaker.onError(breaker.getCurrentTimestamp() - started, breaker.getTimestampUnit(), e);
        failed = e;
      } catch (RuntimeException e) {
        breaker.releasePermission(); // our bug or a programming error, not the upstream's failure
        throw e;
      }
      Duration retryAfter = failed.retryAfter().orElse(null);
      Duration wait = retryAfter != null ? retryAfter : backoff(tries);
      if (deadline != null) {
        wait = deadline.cap(wait);
      }
      boolean throttled = budget != null && failed.failure() == UpstreamFailure.THROTTLED;
      if (throttled) {
        budget.throttled(wait); // every instance holds back, not only this call
        throttledFor = wait;
      }
      if (!failed.isRetryable() || tries >= options.maxAttempts) {
        throw failed;
      }
      if (retryAfter != null && retryAfter.compareTo(options.maxRetryAfter) > 0) {
        throw failed; // the caller (and Logic Apps behind it) waits; this request does not
      }
      if (!throttled) {
        sleep(wait); // after a 429 the budget's next permit is the wait
      }
    }
  }

  /**
   * How long until an open circuit lets a trial call through, in whole seconds (at least one); the
   * whole open duration when it is not open.
   */
  public Duration untilHalfOpen() {
    Duration left = openRemaining().orElse(options.openDuration);
    long seconds = (left.toMillis() + 999) / 1000;
    return Duration.ofSeconds(Math.max(1, seconds));
  }

  /**
   * How long the circuit stays open before a trial call may go through; empty when it is not open
   * or that time has come.
   */
  public Optional<Duration> openRemaining() {
    Instant opened = openedAt;
    if (opened == null || breaker.getState() != CircuitBreaker.State.OPEN) {
      return Optional.empty();
    }
    Duration left = options.openDuration.minus(Duration.between(opened, clock.instant()));
    return left.isNegative() || left.isZero() ? Optional.empty() : Optional.of(left);
  }

  /** The longest wait for a {@code Retry-After} (and for a budget's permit) within one call. */
  public Duration maxRetryAfter() {
    return options.maxRetryAfter;
  }

  /** The wait before attempt {@code tries + 1} when the upstream said nothing: doubling, capped. */
  Duration backoff(int tries) {
    Duration wait = options.backoff.multipliedBy(1L << Math.min(tries - 1, 20));
    return wait.compareTo(options.maxBackoff) > 0 ? options.maxBackoff : wait;
  }

  public CircuitBreaker.State circuitState() {
    return breaker.getState();
  }

  /**
   * The rate limiter's live metrics (permissions left in the current period, threads waiting);
   * empty when the upstream publishes no limit. For health and tests: reading them takes nothing.
   */
  public Optional<RateLimiter.Metrics> rateLimiterMetrics() {
    return limiter == null ? Optional.empty() : Optional.of(limiter.getMetrics());
  }

  private void awaitRateLimit() {
    if (limiter == null) {
      return;
    }
    long waitNanos = limiter.reservePermission();
    if (waitNanos < 0) {
      throw UpstreamException.throttled(
          upstream, "the published rate limit of " + upstream + " is reached", options.period);
    }
    if (waitNanos > 0) {
      sleep(Duration.ofNanos(waitNanos));
    }
  }

  private void sleep(Duration wait) {
    sleeper.await(wait, upstream, "to retry");
  }

  /**
   * Outages and garbled answers are the upstream's fault; refusals (throttling included) are
   * answers.
   */
  private static boolean isUpstreamFault(Throwable e) {
    return e instanceof UpstreamException upstream && upstream.failure().isUpstreamFault();
  }

  /** The knobs, with named defaults. */
  public static final class Options {
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private Duration backoff = DEFAULT_BACKOFF;
    private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
    private Duration maxRetryAfter = DEFAULT_MAX_RETRY_AFTER;
    private float failureRateThreshold = DEFAULT_FAILURE_RATE_THRESHOLD;
    private int slidingWindow = DEFAULT_SLIDING_WINDOW;
    private Duration openDuration = DEFAULT_OPEN_DURATION;
    private int minimumCalls;
    private Duration maxPermitWait;
    private int callsPerPeriod;
    private Duration period = Duration.ofMinutes(1);

    public static Options defaults() {
      return new Options();
    }

    public Options maxAttempts(int maxAttempts) {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("'maxAttempts' must be at least 1, not " + maxAttempts);
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    public Options backoff(Duration backoff, Duration maxBackoff) {
      this.backoff = positive(backoff, "backoff");
      this.maxBackoff = positive(maxBackoff, "maxBackoff");
      return this;
    }

    public Options maxRetryAfter(Duration maxRetryAfter) {
      this.maxRetryAfter = positive(maxRetryAfter, "maxRetryAfter");
      return this;
    }

    public Options circuitBreaker(
        float failureRateThreshold, int slidingWindow, Duration openDuration) {
      if (failureRateThreshold <= 0 || failureRateThreshold > 100 || slidingWindow < 1) {
        throw new IllegalArgumentException(
            "'failureRateThreshold' must be in (0, 100] and 'slidingWindow' at least 1");
      }
      this.failureRateThreshold = failureRateThreshold;
      this.slidingWindow = slidingWindow;
      this.openDuration = positive(openDuration, "openDuration");
      return this;
    }

    /**
     * Failures counted before the circuit may open: by default the sliding window's size, at most
     * 10.
     */
    public Options minimumCalls(int calls) {
      if (calls < 1) {
        throw new IllegalArgumentException("'calls' must be at least 1, not " + calls);
      }
      this.minimumCalls = calls;
      return this;
    }

    /**
     * The longest an attempt waits for its permit from a {@link CallBudget} (longer after a 429
     * that asked for more); by default the longest {@code Retry-After} waited out.
     */
    public Options maxPermitWait(Duration wait) {
      this.maxPermitWait = positive(wait, "maxPermitWait");
      return this;
    }

    Duration maxPermitWait() {
      return maxPermitWait != null ? maxPermitWait : maxRetryAfter;
    }

    /** The vendor's published limit, e.g. 100 calls a minute; none by default. */
    public Options rateLimit(int calls, Duration period) {
      if (calls < 1) {
        throw new IllegalArgumentException("'calls' must be at least 1, not " + calls);
      }
      this.callsPerPeriod = calls;
      this.period = positive(period, "period");
      return this;
    }

    private static Duration positive(Duration value, String name) {
      if (value == null || value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(
            "'" + name + "' must be a positive duration, not " + value);
      }
      return value;
    }
  }
}
