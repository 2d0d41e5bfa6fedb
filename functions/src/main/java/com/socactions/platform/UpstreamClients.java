package com.socactions.platform;

import com.azure.core.http.HttpClient;
import com.azure.core.http.okhttp.OkHttpAsyncHttpClientBuilder;
import com.google.common.base.Suppliers;
import java.time.Clock;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import okhttp3.OkHttpClient;

/**
 * The upstream-client kit: the one way this app makes HTTP clients. It holds the process's one
 * OkHttp client (connection pool, dispatcher) and the clock and sleeper every resilience policy
 * shares; {@link #client} builds one upstream's {@link UpstreamClient} on it (base URL, credential,
 * correlation id, redacted logging, {@link UpstreamPolicy}), and {@link #azureHttpClient} gives the
 * Azure SDK clients (Table Storage, queues, Logs Ingestion, Azure Identity) the same connection
 * pool. Built once per worker by the composition root and handed to the modules; nothing reaches
 * the HTTP client any other way.
 *
 * <p>A new upstream is a small client class that asks this kit for its {@link UpstreamClient} and
 * builds requests, plus a fake of the API for its tests.
 */
public final class UpstreamClients {
  /** The correlation id's header for upstreams that document none of their own. */
  public static final String DEFAULT_CORRELATION_HEADER = "X-Correlation-ID";

  private final OkHttpClient shared;
  private final Clock clock;
  private final Sleeper sleeper;
  private final Supplier<HttpClient> azureHttp;

  /**
   * @param shared the process's OkHttp client ({@link HttpClients#create()})
   * @param clock the time of token lifetimes, {@code Retry-After} dates and circuit breakers
   * @param sleeper how policies wait between attempts (tests record the waits)
   */
  public UpstreamClients(OkHttpClient shared, Clock clock, Sleeper sleeper) {
    this.shared = Objects.requireNonNull(shared, "'shared' cannot be null.");
    this.clock = Objects.requireNonNull(clock, "'clock' cannot be null.");
    this.sleeper = Objects.requireNonNull(sleeper, "'sleeper' cannot be null.");
    this.azureHttp = Suppliers.memoize(() -> new OkHttpAsyncHttpClientBuilder(shared).build());
  }

  /** The production kit: a new process-wide OkHttp client, real waits. */
  public static UpstreamClients create(Clock clock) {
    return new UpstreamClients(HttpClients.create(), clock, Sleeper.SYSTEM);
  }

  /** The builder of one upstream's client, named as its failures and log lines name it. */
  public UpstreamClient.Builder client(String upstream) {
    return new UpstreamClient.Builder(upstream, this);
  }

  /**
   * An Azure SDK HTTP client on the shared connection pool, for SDK builders ({@code
   * TableClientBuilder.httpClient}); their own pipelines retry and sign.
   */
  public HttpClient azureHttpClient() {
    return azureHttp.get();
  }

  /** As {@link #azureHttpClient()}, on a variant of the shared client ({@code newBuilder()}). */
  public HttpClient azureHttpClient(UnaryOperator<OkHttpClient.Builder> variant) {
    return new OkHttpAsyncHttpClientBuilder(variant.apply(shared.newBuilder()).build()).build();
  }

  public Clock clock() {
    return clock;
  }

  public Sleeper sleeper() {
    return sleeper;
  }

  OkHttpClient shared() {
    return shared;
  }
}
