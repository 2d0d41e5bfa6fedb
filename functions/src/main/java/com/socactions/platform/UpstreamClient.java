package com.socactions.platform;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import okhttp3.Dns;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/**
 * One upstream API as its client classes call it: its base URL, its own OkHttp client (derived from
 * the process's one, so sharing its connection pool and dispatcher) whose interceptors add the
 * credential, the request's correlation id and a redacted log line to every exchange, and its one
 * {@link UpstreamPolicy} (retries honouring {@code Retry-After}, circuit breaker, budgets). Built
 * once per worker by {@link UpstreamClients#client}; thread-safe.
 *
 * <p>A client class for a new upstream holds one of these and builds requests: the transport,
 * authentication, resilience and JSON reading are here, the same for every upstream.
 *
 * <p>Failures are {@link UpstreamException}s: the upstream's own (status, body excerpt, {@code
 * Retry-After}), status 0 when it did not answer, or one of {@link AzureCredentials#UPSTREAM} when
 * no token came. No message, log line or exception holds a credential.
 */
public final class UpstreamClient {
  private final String upstream;
  private final HttpUrl base;
  private final OkHttpClient http;
  private final UpstreamHttp exchange;
  private final UpstreamPolicy policy;
  private final BearerToken bearer;
  private final OAuthClientCredentials oauth;

  private UpstreamClient(
      String upstream,
      HttpUrl base,
      OkHttpClient http,
      UpstreamHttp exchange,
      UpstreamPolicy policy,
      BearerToken bearer,
      OAuthClientCredentials oauth) {
    this.upstream = upstream;
    this.base = base;
    this.http = http;
    this.exchange = exchange;
    this.policy = policy;
    this.bearer = bearer;
    this.oauth = oauth;
  }

  /** The upstream's name, as failures and log lines give it. */
  public String upstream() {
    return upstream;
  }

  /**
   * The API's base URL.
   *
   * @throws IllegalStateException when the client was built without one (it calls many hosts)
   */
  public HttpUrl base() {
    if (base == null) {
      throw new IllegalStateException(upstream + "'s client has no base URL");
    }
    return base;
  }

  /** A URL below the base, to add path segments and query parameters to. */
  public HttpUrl.Builder url() {
    return base().newBuilder();
  }

  /** The policy every call of this upstream goes through. */
  public UpstreamPolicy policy() {
    return policy;
  }

  /**
   * The Azure token scope of the calls ({@code <base url>/.default}).
   *
   * @throws IllegalStateException when the client signs with no Azure token
   */
  public String scope() {
    if (bearer == null) {
      throw new IllegalStateException(upstream + "'s client signs with no Azure token");
    }
    return bearer.scope();
  }

  /**
   * Fetches the credential now, waiting at most {@code maxWait}: an Azure token (which the
   * credential then keeps) or an OAuth token. For readiness checks, and for calls that book a turn
   * and must go out as soon as it comes.
   *
   * @throws UpstreamException when no credential came
   */
  public void prepareCredential(Duration maxWait) {
    if (bearer != null) {
      bearer.prepare(maxWait);
    }
    if (oauth != null) {
      oauth.authorization();
    }
  }

  /**
   * One exchange, once, no policy (health probes, token requests).
   *
   * @throws UpstreamException for anything but a 2xx (see {@link UpstreamHttp#send})
   */
  public UpstreamHttp.Answer send(Request request) {
    return exchange.send(request);
  }

  /** As {@link #send(Request)}, the whole call cut to {@code timeout}. */
  public UpstreamHttp.Answer send(Request request, Duration timeout) {
    return exchange.send(request, timeout);
  }

  /**
   * One exchange, once, whatever the status; for upstreams whose errors are answers to read.
   *
   * @param timeout the whole call's timeout, or null for the client's
   * @throws UpstreamException status 0 when there was no answer
   */
  public UpstreamHttp.Reply exchange(Request request, Duration timeout) {
    return exchange.exchange(request, timeout);
  }

  /**
   * The request through the policy: retried on no answer, 408, 429 and 5xx.
   *
   * @throws UpstreamException the failure that ended the attempts
   */
  public UpstreamHttp.Answer call(Request request) {
    return policy.call(() -> exchange.send(request));
  }

  /**
   * As {@link #call(Request)}, each attempt taking a permit from {@code budget} (a vendor's limit
   * shared by every instance). The credential is fetched first, so the call goes out as its turn
   * comes.
   */
  public UpstreamHttp.Answer call(CallBudget budget, Request request) {
    prepareCredential(AzureCredentials.DEFAULT_MAX_TOKEN_WAIT);
    return policy.call(budget, () -> exchange.send(request));
  }

  /** {@link #call(Request)}, the answer's body as JSON (an empty body is an empty object). */
  public JsonNode callJson(Request request) {
    return UpstreamJson.parse(upstream, call(request).body());
  }

  /** Runs {@code attempt} (several exchanges, or one read its own way) through the policy. */
  public <T> T call(Supplier<T> attempt) {
    return policy.call(attempt);
  }

  /**
   * A paging link resolved against the base, only on the API's own origin (the credential goes with
   * it); null when there is none.
   *
   * @throws UpstreamException status 502 when the link points at another origin
   */
  public HttpUrl sameOriginLink(String link) {
    return ApiBaseUrl.sameOriginLink(base(), link, upstream);
  }

  /**
   * The upstream's OkHttp client, interceptors included, for a caller that runs its own calls (one
   * whose every call has its own deadline).
   */
  public OkHttpClient okHttp() {
    return http;
  }

  /**
   * Builds one upstream's client; from {@link UpstreamClients#client}. Validates in the setters,
   * naming the argument; a client signs with one credential at most, and a setter of a second
   * throws {@link IllegalStateException}.
   */
  public static final class Builder {
    private final String upstream;
    private final UpstreamClients kit;
    private HttpUrl base;
    private AzureCredentials credentials;
    private String scope;
    private Duration tokenWait = AzureCredentials.DEFAULT_MAX_TOKEN_WAIT;
    private Interceptor credentialHeader;
    private String credential;
    private HttpUrl tokenUrl;
    private String clientId;
    private String clientSecret;
    private String settingsHint;
    private String correlationHeader = UpstreamClients.DEFAULT_CORRELATION_HEADER;
    private boolean correlationGuidOnly;
    private Duration connectTimeout;
    private Duration readTimeout;
    private Duration callTimeout;
    private Boolean followRedirects;
    private Dns dns;
    private UpstreamPolicy.Options options = UpstreamPolicy.Options.defaults();
    private UpstreamPolicy policy;
    private long maxBodyBytes = UpstreamHttp.DEFAULT_MAX_BODY_BYTES;

    Builder(String upstream, UpstreamClients kit) {
      this.upstream = Objects.requireNonNull(upstream, "'upstream' cannot be null.");
      this.kit = kit;
    }

    /** The API's base URL (see {@link ApiBaseUrl} for reading it from a setting). */
    public Builder baseUrl(HttpUrl base) {
      this.base = Objects.requireNonNull(base, "'base' cannot be null.");
      return this;
    }

    /**
     * Signs every call with an Azure token for {@code scope} from {@code credentials}, waiting at
     * most {@link AzureCredentials#DEFAULT_MAX_TOKEN_WAIT} for it.
     */
    public Builder bearerToken(AzureCredentials credentials, String scope) {
      this.credentials = Objects.requireNonNull(credentials, "'credentials' cannot be null.");
      this.scope = Objects.requireNonNull(scope, "'scope' cannot be null.");
      signsWith("an Azure token");
      return this;
    }

    /** HTTP basic auth on every call. */
    public Builder basicAuth(String user, String password) {
      this.credentialHeader =
          CredentialHeader.basic(
              Objects.requireNonNull(user, "'user' cannot be null."),
              Objects.requireNonNull(password, "'password' cannot be null."));
      signsWith("basic auth");
      return this;
    }

    /** An API key in the header its vendor names, on every call. */
    public Builder apiKey(String header, String key) {
      this.credentialHeader =
          CredentialHeader.apiKey(
              Objects.requireNonNull(header, "'header' cannot be null."),
              Objects.requireNonNull(key, "'key' cannot be null."));
      signsWith("an API key");
      return this;
    }

    /**
     * An OAuth 2.0 client credentials token from {@code tokenUrl} on every call.
     *
     * @param settingsHint the settings to check when the client is refused, e.g. {@code
     *     SERVICENOW_CLIENT_ID and SERVICENOW_CLIENT_SECRET}
     */
    public Builder oauthClientCredentials(
        HttpUrl tokenUrl, String clientId, String clientSecret, String settingsHint) {
      this.tokenUrl = Objects.requireNonNull(tokenUrl, "'tokenUrl' cannot be null.");
      this.clientId = Objects.requireNonNull(clientId, "'clientId' cannot be null.");
      this.clientSecret = Objects.requireNonNull(clientSecret, "'clientSecret' cannot be null.");
      this.settingsHint = Objects.requireNonNull(settingsHint, "'settingsHint' cannot be null.");
      signsWith("an OAuth token");
      return this;
    }

    /**
     * The header the request's correlation id goes in (default {@value
     * UpstreamClients#DEFAULT_CORRELATION_HEADER}); {@code guidOnly} for APIs that document it as a
     * GUID.
     */
    public Builder correlationHeader(String header, boolean guidOnly) {
      this.correlationHeader = Objects.requireNonNull(header, "'header' cannot be null.");
      this.correlationGuidOnly = guidOnly;
      return this;
    }

    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout, "connectTimeout");
      return this;
    }

    public Builder readTimeout(Duration timeout) {
      this.readTimeout = positive(timeout, "readTimeout");
      return this;
    }

    public Builder callTimeout(Duration timeout) {
      this.callTimeout = positive(timeout, "callTimeout");
      return this;
    }

    /**
     * Whether OkHttp follows redirects itself (off by default: a client that must vet every hop
     * follows them on its own).
     */
    public Builder followRedirects(boolean follow) {
      this.followRedirects = follow;
      return this;
    }

    /** Name resolution of this upstream's calls (a resolver that refuses private addresses). */
    public Builder dns(Dns dns) {
      this.dns = Objects.requireNonNull(dns, "'dns' cannot be null.");
      return this;
    }

    /** The policy's knobs (default {@link UpstreamPolicy.Options#defaults()}). */
    public Builder policy(UpstreamPolicy.Options options) {
      this.options = Objects.requireNonNull(options, "'options' cannot be null.");
      this.policy = null;
      return this;
    }

    /** A policy built elsewhere (one shared with another client of the same upstream; tests). */
    public Builder policy(UpstreamPolicy policy) {
      this.policy = Objects.requireNonNull(policy, "'policy' cannot be null.");
      return this;
    }

    /** Answers larger than this are refused (default 16 MiB). */
    public Builder maxBodyBytes(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("'maxBodyBytes' must be at least 1, not " + bytes);
      }
      this.maxBodyBytes = bytes;
      return this;
    }

    public UpstreamClient build() {
      OkHttpClient.Builder plain = kit.shared().newBuilder();
      if (connectTimeout != null) {
        plain.connectTimeout(connectTimeout);
      }
      if (readTimeout != null) {
        plain.readTimeout(readTimeout);
      }
      if (callTimeout != null) {
        plain.callTimeout(callTimeout);
      }
      if (followRedirects != null) {
        plain.followRedirects(followRedirects).followSslRedirects(false);
      }
      if (dns != null) {
        plain.dns(dns);
      }
      plain.addInterceptor(new CorrelationIdHeader(correlationHeader, correlationGuidOnly));
      UpstreamLog log = new UpstreamLog(upstream);
      BearerToken bearer = null;
      OAuthClientCredentials oauth = null;
      List<Interceptor> signing = new ArrayList<>();
      if (scope != null) {
        bearer = new BearerToken(credentials, scope, tokenWait);
        signing.add(bearer);
      }
      if (credentialHeader != null) {
        signing.add(credentialHeader);
      }
      if (tokenUrl != null) {
        OkHttpClient unsigned = plain.build().newBuilder().addInterceptor(log).build();
        oauth =
            new OAuthClientCredentials(
                upstream,
                tokenUrl,
                clientId,
                clientSecret,
                settingsHint,
                new UpstreamHttp(upstream, unsigned, kit.clock(), maxBodyBytes),
                kit.clock());
        signing.add(oauth);
      }
      signing.forEach(plain::addInterceptor);
      // After the credential: every exchange is a line of its own, a 401 asked again included.
      OkHttpClient http = plain.addInterceptor(log).build();
      UpstreamPolicy built =
          policy != null
              ? policy
              : new UpstreamPolicy(upstream, options, kit.sleeper(), kit.clock());
      return new UpstreamClient(
          upstream,
          base,
          http,
          new UpstreamHttp(upstream, http, kit.clock(), maxBodyBytes),
          built,
          bearer,
          oauth);
    }

    /** A client signs with one credential: a second one is a wiring mistake, refused at once. */
    private void signsWith(String kind) {
      if (credential != null) {
        throw new IllegalStateException(
            upstream + "'s client signs with " + credential + " already, not also " + kind);
      }
      credential = kind;
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
