package com.socactions.enrichment.rdap;

import com.socactions.platform.Settings;
import java.time.Duration;
import java.util.Objects;
import okhttp3.Dns;
import okhttp3.HttpUrl;

/**
 * Everything {@link RdapClient} can be tuned with. Production code builds it from the app settings
 * with {@link #fromSettings(Settings)}; tests use {@link #builder()} to shorten timeouts and
 * back-offs or to inject a {@link Dns} so no real name resolution happens.
 */
public final class RdapOptions {
  public static final String SETTING_BOOTSTRAP_URL = "RDAP_BOOTSTRAP_URL";
  public static final String SETTING_ALLOW_INSECURE = "RDAP_ALLOW_INSECURE";
  public static final String SETTING_CONNECT_TIMEOUT = "RDAP_CONNECT_TIMEOUT";
  public static final String SETTING_READ_TIMEOUT = "RDAP_READ_TIMEOUT";
  public static final String SETTING_CALL_TIMEOUT = "RDAP_CALL_TIMEOUT";
  public static final String SETTING_MAX_CONCURRENCY = "RDAP_MAX_CONCURRENCY";
  public static final String SETTING_RATE_LIMIT_PER_SECOND = "RDAP_RATE_LIMIT_PER_SECOND";

  public static final String DEFAULT_BOOTSTRAP_URL = "https://data.iana.org/rdap/";
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(15);
  public static final Duration DEFAULT_BOOTSTRAP_TTL = Duration.ofHours(24);

  /** How long a failed first bootstrap fetch is remembered, so a batch fails fast. */
  public static final Duration DEFAULT_BOOTSTRAP_FAILURE_TTL = Duration.ofSeconds(60);

  /** Call timeout of {@link RdapClient#health()}'s one bootstrap attempt. */
  public static final Duration DEFAULT_HEALTH_TIMEOUT = Duration.ofSeconds(3);

  public static final int DEFAULT_MAX_ATTEMPTS = 3;

  /** First back-off; doubles each attempt (0.5 s, 1 s). */
  public static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofMillis(500);

  /** A {@code Retry-After} longer than this fails the item instead of waiting. */
  public static final Duration DEFAULT_MAX_RETRY_AFTER = Duration.ofSeconds(10);

  public static final int DEFAULT_RATE_LIMIT_PER_SECOND = 10; // calls per host per second
  public static final Duration DEFAULT_RATE_LIMIT_WAIT = Duration.ofSeconds(5);
  public static final float DEFAULT_FAILURE_RATE_THRESHOLD = 50; // Percentage
  public static final int DEFAULT_SLIDING_WINDOW_SIZE = 20; // calls
  public static final int DEFAULT_MINIMUM_NUMBER_OF_CALLS = 10; // calls
  public static final Duration DEFAULT_OPEN_DURATION = Duration.ofSeconds(60);
  public static final Duration DEFAULT_NETWORK_CACHE_TTL = Duration.ofHours(24);
  public static final Duration DEFAULT_NOT_FOUND_CACHE_TTL = Duration.ofMinutes(15);
  public static final Duration DEFAULT_DOMAIN_CACHE_TTL = Duration.ofHours(6);
  public static final int DEFAULT_MAX_CACHED_RANGES = 50_000; // entries
  public static final int DEFAULT_MAX_CACHED_DOMAINS = 50_000; // entries
  public static final int DEFAULT_MAX_CONCURRENCY = 8; // parallel lookups per client
  public static final int DEFAULT_MAX_REDIRECTS = 5; // hops

  /** A server host unused this long has its circuit breaker and rate limiter forgotten. */
  public static final Duration DEFAULT_HOST_IDLE_TIMEOUT = Duration.ofMinutes(15);

  public static final int DEFAULT_MAX_HOSTS = 1_000; // server hosts with policies kept at once
  public static final long DEFAULT_MAX_BODY_BYTES = 2L * 1024 * 1024;

  private final String bootstrapUrl;
  private final boolean allowInsecure;
  private final boolean allowLoopback;
  private final Duration connectTimeout;
  private final Duration readTimeout;
  private final Duration callTimeout;
  private final Duration bootstrapTtl;
  private final Duration bootstrapFailureTtl;
  private final Duration healthTimeout;
  private final int maxAttempts;
  private final Duration retryBackoff;
  private final Duration maxRetryAfter;
  private final int rateLimitPerSecond;
  private final Duration rateLimitWait;
  private final float failureRateThreshold;
  private final int slidingWindowSize;
  private final int minimumNumberOfCalls;
  private final Duration openDuration;
  private final Duration networkCacheTtl;
  private final Duration notFoundCacheTtl;
  private final Duration domainCacheTtl;
  private final int maxCachedRanges;
  private final int maxCachedDomains;
  private final int maxConcurrency;
  private final int maxRedirects;
  private final Duration hostIdleTimeout;
  private final int maxHosts;
  private final boolean followRegistrarLink;
  private final Dns dns;

  private RdapOptions(Builder b) {
    this.bootstrapUrl = b.bootstrapUrl.endsWith("/") ? b.bootstrapUrl : b.bootstrapUrl + "/";
    this.allowInsecure = b.allowInsecure;
    this.allowLoopback = b.allowLoopback;
    this.connectTimeout = b.connectTimeout;
    this.readTimeout = b.readTimeout;
    this.callTimeout = b.callTimeout;
    this.bootstrapTtl = b.bootstrapTtl;
    this.bootstrapFailureTtl = b.bootstrapFailureTtl;
    this.healthTimeout = b.healthTimeout;
    this.maxAttempts = b.maxAttempts;
    this.retryBackoff = b.retryBackoff;
    this.maxRetryAfter = b.maxRetryAfter;
    this.rateLimitPerSecond = b.rateLimitPerSecond;
    this.rateLimitWait = b.rateLimitWait;
    this.failureRateThreshold = b.failureRateThreshold;
    this.slidingWindowSize = b.slidingWindowSize;
    this.minimumNumberOfCalls = b.minimumNumberOfCalls;
    this.openDuration = b.openDuration;
    this.networkCacheTtl = b.networkCacheTtl;
    this.notFoundCacheTtl = b.notFoundCacheTtl;
    this.domainCacheTtl = b.domainCacheTtl;
    this.maxCachedRanges = b.maxCachedRanges;
    this.maxCachedDomains = b.maxCachedDomains;
    this.maxConcurrency = b.maxConcurrency;
    this.maxRedirects = b.maxRedirects;
    this.hostIdleTimeout = b.hostIdleTimeout;
    this.maxHosts = b.maxHosts;
    this.followRegistrarLink = b.followRegistrarLink;
    this.dns = b.dns;
  }

  /**
   * Reads {@code RDAP_BOOTSTRAP_URL}, {@code RDAP_ALLOW_INSECURE}, {@code RDAP_CONNECT_TIMEOUT},
   * {@code RDAP_READ_TIMEOUT}, {@code RDAP_CALL_TIMEOUT} (ISO-8601 durations), {@code
   * RDAP_MAX_CONCURRENCY} and {@code RDAP_RATE_LIMIT_PER_SECOND}; the rest are defaults.
   *
   * @throws com.socactions.platform.ConfigurationException when a setting has an invalid value
   */
  public static RdapOptions fromSettings(Settings settings) {
    return builder()
        .bootstrapUrl(settings.get(SETTING_BOOTSTRAP_URL, DEFAULT_BOOTSTRAP_URL))
        .allowInsecure(settings.getBoolean(SETTING_ALLOW_INSECURE, false))
        .connectTimeout(settings.getDuration(SETTING_CONNECT_TIMEOUT, DEFAULT_CONNECT_TIMEOUT))
        .readTimeout(settings.getDuration(SETTING_READ_TIMEOUT, DEFAULT_READ_TIMEOUT))
        .callTimeout(settings.getDuration(SETTING_CALL_TIMEOUT, DEFAULT_CALL_TIMEOUT))
        .maxConcurrency(settings.getInt(SETTING_MAX_CONCURRENCY, DEFAULT_MAX_CONCURRENCY))
        .rateLimitPerSecond(
            settings.getInt(SETTING_RATE_LIMIT_PER_SECOND, DEFAULT_RATE_LIMIT_PER_SECOND))
        .build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.bootstrapUrl = bootstrapUrl;
    b.allowInsecure = allowInsecure;
    b.allowLoopback = allowLoopback;
    b.connectTimeout = connectTimeout;
    b.readTimeout = readTimeout;
    b.callTimeout = callTimeout;
    b.bootstrapTtl = bootstrapTtl;
    b.bootstrapFailureTtl = bootstrapFailureTtl;
    b.healthTimeout = healthTimeout;
    b.maxAttempts = maxAttempts;
    b.retryBackoff = retryBackoff;
    b.maxRetryAfter = maxRetryAfter;
    b.rateLimitPerSecond = rateLimitPerSecond;
    b.rateLimitWait = rateLimitWait;
    b.failureRateThreshold = failureRateThreshold;
    b.slidingWindowSize = slidingWindowSize;
    b.minimumNumberOfCalls = minimumNumberOfCalls;
    b.openDuration = openDuration;
    b.networkCacheTtl = networkCacheTtl;
    b.notFoundCacheTtl = notFoundCacheTtl;
    b.domainCacheTtl = domainCacheTtl;
    b.maxCachedRanges = maxCachedRanges;
    b.maxCachedDomains = maxCachedDomains;
    b.maxConcurrency = maxConcurrency;
    b.maxRedirects = maxRedirects;
    b.hostIdleTimeout = hostIdleTimeout;
    b.maxHosts = maxHosts;
    b.followRegistrarLink = followRegistrarLink;
    b.dns = dns;
    return b;
  }

  public String bootstrapUrl() {
    return bootstrapUrl;
  }

  /** Whether http RDAP URLs are allowed (and loopback servers with them). */
  public boolean allowInsecure() {
    return allowInsecure;
  }

  /**
   * Whether loopback RDAP servers may be contacted: with {@link #allowInsecure()}, or over https in
   * tests.
   */
  boolean allowLoopback() {
    return allowLoopback || allowInsecure;
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }

  public Duration readTimeout() {
    return readTimeout;
  }

  public Duration callTimeout() {
    return callTimeout;
  }

  public Duration bootstrapTtl() {
    return bootstrapTtl;
  }

  public Duration bootstrapFailureTtl() {
    return bootstrapFailureTtl;
  }

  public Duration healthTimeout() {
    return healthTimeout;
  }

  public int maxAttempts() {
    return maxAttempts;
  }

  public Duration retryBackoff() {
    return retryBackoff;
  }

  public Duration maxRetryAfter() {
    return maxRetryAfter;
  }

  public int rateLimitPerSecond() {
    return rateLimitPerSecond;
  }

  public Duration rateLimitWait() {
    return rateLimitWait;
  }

  public float failureRateThreshold() {
    return failureRateThreshold;
  }

  public int slidingWindowSize() {
    return slidingWindowSize;
  }

  public int minimumNumberOfCalls() {
    return minimumNumberOfCalls;
  }

  public Duration openDuration() {
    return openDuration;
  }

  public Duration networkCacheTtl() {
    return networkCacheTtl;
  }

  public Duration notFoundCacheTtl() {
    return notFoundCacheTtl;
  }

  public Duration domainCacheTtl() {
    return domainCacheTtl;
  }

  public int maxCachedRanges() {
    return maxCachedRanges;
  }

  public int maxCachedDomains() {
    return maxCachedDomains;
  }

  public int maxConcurrency() {
    return maxConcurrency;
  }

  public int maxRedirects() {
    return maxRedirects;
  }

  public Duration hostIdleTimeout() {
    return hostIdleTimeout;
  }

  public int maxHosts() {
    return maxHosts;
  }

  public boolean followRegistrarLink() {
    return followRegistrarLink;
  }

  public long maxBodyBytes() {
    return DEFAULT_MAX_BODY_BYTES;
  }

  /** The resolver behind the public-address check; {@link Dns#SYSTEM} unless a test injects one. */
  public Dns dns() {
    return dns;
  }

  /** Validates in the setters, like the Azure SDK builders. */
  public static final class Builder {
    private String bootstrapUrl = DEFAULT_BOOTSTRAP_URL;
    private boolean allowInsecure;
    private boolean allowLoopback;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration readTimeout = DEFAULT_READ_TIMEOUT;
    private Duration callTimeout = DEFAULT_CALL_TIMEOUT;
    private Duration bootstrapTtl = DEFAULT_BOOTSTRAP_TTL;
    private Duration bootstrapFailureTtl = DEFAULT_BOOTSTRAP_FAILURE_TTL;
    private Duration healthTimeout = DEFAULT_HEALTH_TIMEOUT;
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private Duration retryBackoff = DEFAULT_RETRY_BACKOFF;
    private Duration maxRetryAfter = DEFAULT_MAX_RETRY_AFTER;
    private int rateLimitPerSecond = DEFAULT_RATE_LIMIT_PER_SECOND;
    private Duration rateLimitWait = DEFAULT_RATE_LIMIT_WAIT;
    private float failureRateThreshold = DEFAULT_FAILURE_RATE_THRESHOLD;
    private int slidingWindowSize = DEFAULT_SLIDING_WINDOW_SIZE;
    private int minimumNumberOfCalls = DEFAULT_MINIMUM_NUMBER_OF_CALLS;
    private Duration openDuration = DEFAULT_OPEN_DURATION;
    private Duration networkCacheTtl = DEFAULT_NETWORK_CACHE_TTL;
    private Duration notFoundCacheTtl = DEFAULT_NOT_FOUND_CACHE_TTL;
    private Duration domainCacheTtl = DEFAULT_DOMAIN_CACHE_TTL;
    private int maxCachedRanges = DEFAULT_MAX_CACHED_RANGES;
    private int maxCachedDomains = DEFAULT_MAX_CACHED_DOMAINS;
    private int maxConcurrency = DEFAULT_MAX_CONCURRENCY;
    private int maxRedirects = DEFAULT_MAX_REDIRECTS;
    private Duration hostIdleTimeout = DEFAULT_HOST_IDLE_TIMEOUT;
    private int maxHosts = DEFAULT_MAX_HOSTS;
    private boolean followRegistrarLink = true;
    private Dns dns = Dns.SYSTEM;

    private Builder() {}

    public Builder bootstrapUrl(String value) {
      Objects.requireNonNull(value, "'bootstrapUrl' cannot be null.");
      if (HttpUrl.parse(value) == null) {
        throw new IllegalArgumentException(
            "'bootstrapUrl' must be an http(s) URL, not '" + value + "'.");
      }
      this.bootstrapUrl = value;
      return this;
    }

    /** http and loopback RDAP servers: for local fakes and tests only. */
    public Builder allowInsecure(boolean value) {
      this.allowInsecure = value;
      return this;
    }

    /**
     * Test-only: loopback RDAP servers may be contacted while http stays refused, so the https-only
     * production path can be tested against a local TLS fake.
     */
    Builder allowLoopbackForTests(boolean value) {
      this.allowLoopback = value;
      return this;
    }

    public Builder connectTimeout(Duration value) {
      this.connectTimeout = positive(value, "connectTimeout");
      return this;
    }

    public Builder readTimeout(Duration value) {
      this.readTimeout = positive(value, "readTimeout");
      return this;
    }

    public Builder callTimeout(Duration value) {
      this.callTimeout = positive(value, "callTimeout");
      return this;
    }

    public Builder bootstrapTtl(Duration value) {
      this.bootstrapTtl = positive(value, "bootstrapTtl");
      return this;
    }

    public Builder bootstrapFailureTtl(Duration value) {
      this.bootstrapFailureTtl = notNegative(value, "bootstrapFailureTtl");
      return this;
    }

    public Builder healthTimeout(Duration value) {
      this.healthTimeout = positive(value, "healthTimeout");
      return this;
    }

    public Builder maxAttempts(int value) {
      this.maxAttempts = atLeast(value, 1, "maxAttempts");
      return this;
    }

    public Builder retryBackoff(Duration value) {
      this.retryBackoff = positive(value, "retryBackoff");
      return this;
    }

    public Builder maxRetryAfter(Duration value) {
      this.maxRetryAfter = notNegative(value, "maxRetryAfter");
      return this;
    }

    public Builder rateLimitPerSecond(int value) {
      this.rateLimitPerSecond = atLeast(value, 1, "rateLimitPerSecond");
      return this;
    }

    public Builder rateLimitWait(Duration value) {
      this.rateLimitWait = notNegative(value, "rateLimitWait");
      return this;
    }

    public Builder failureRateThreshold(float value) {
      if (value <= 0 || value > 100) {
        throw new IllegalArgumentException(
            "'failureRateThreshold' must be a percentage in (0, 100].");
      }
      this.failureRateThreshold = value;
      return this;
    }

    public Builder slidingWindowSize(int value) {
      this.slidingWindowSize = atLeast(value, 1, "slidingWindowSize");
      return this;
    }

    public Builder minimumNumberOfCalls(int value) {
      this.minimumNumberOfCalls = atLeast(value, 1, "minimumNumberOfCalls");
      return this;
    }

    public Builder openDuration(Duration value) {
      this.openDuration = positive(value, "openDuration");
      return this;
    }

    public Builder networkCacheTtl(Duration value) {
      this.networkCacheTtl = notNegative(value, "networkCacheTtl");
      return this;
    }

    public Builder notFoundCacheTtl(Duration value) {
      this.notFoundCacheTtl = notNegative(value, "notFoundCacheTtl");
      return this;
    }

    public Builder domainCacheTtl(Duration value) {
      this.domainCacheTtl = notNegative(value, "domainCacheTtl");
      return this;
    }

    public Builder maxCachedRanges(int value) {
      this.maxCachedRanges = atLeast(value, 1, "maxCachedRanges");
      return this;
    }

    public Builder maxCachedDomains(int value) {
      this.maxCachedDomains = atLeast(value, 1, "maxCachedDomains");
      return this;
    }

    public Builder maxConcurrency(int value) {
      this.maxConcurrency = atLeast(value, 1, "maxConcurrency");
      return this;
    }

    public Builder maxRedirects(int value) {
      this.maxRedirects = atLeast(value, 0, "maxRedirects");
      return this;
    }

    public Builder hostIdleTimeout(Duration value) {
      this.hostIdleTimeout = positive(value, "hostIdleTimeout");
      return this;
    }

    public Builder maxHosts(int value) {
      this.maxHosts = atLeast(value, 1, "maxHosts");
      return this;
    }

    /**
     * Whether a registry answer without abuse e-mail may be completed from the registrar's RDAP.
     */
    public Builder followRegistrarLink(boolean value) {
      this.followRegistrarLink = value;
      return this;
    }

    public Builder dns(Dns value) {
      this.dns = Objects.requireNonNull(value, "'dns' cannot be null.");
      return this;
    }

    public RdapOptions build() {
      return new RdapOptions(this);
    }

    private static Duration positive(Duration value, String name) {
      Objects.requireNonNull(value, "'" + name + "' cannot be null.");
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException("'" + name + "' must be positive.");
      }
      return value;
    }

    private static Duration notNegative(Duration value, String name) {
      Objects.requireNonNull(value, "'" + name + "' cannot be null.");
      if (value.isNegative()) {
        throw new IllegalArgumentException("'" + name + "' cannot be negative.");
      }
      return value;
    }

    private static int atLeast(int value, int min, String name) {
      if (value < min) {
        throw new IllegalArgumentException("'" + name + "' must be at least " + min + ".");
      }
      return value;
    }
  }
}
