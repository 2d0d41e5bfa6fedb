package com.socactions.platform;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

/**
 * The settings of the one OkHttp client of the process, which {@link UpstreamClients} holds: each
 * upstream derives its own variant with {@code newBuilder()} (own timeouts, interceptors), which
 * keeps one connection pool and one dispatcher for the whole worker.
 */
public final class HttpClients {
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(20);
  private static final int MAX_IDLE_CONNECTIONS = 16;
  private static final Duration KEEP_ALIVE = Duration.ofMinutes(2);
  private static final int MAX_REQUESTS_PER_HOST = 16;

  private HttpClients() {}

  /**
   * A new client with its own connection pool and dispatcher: one per process (and per test kit).
   */
  public static OkHttpClient create() {
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.setMaxRequestsPerHost(MAX_REQUESTS_PER_HOST);
    return new OkHttpClient.Builder()
        .dispatcher(dispatcher)
        .connectionPool(
            new ConnectionPool(MAX_IDLE_CONNECTIONS, KEEP_ALIVE.toSeconds(), TimeUnit.SECONDS))
        .connectTimeout(DEFAULT_CONNECT_TIMEOUT)
        .readTimeout(DEFAULT_READ_TIMEOUT)
        .callTimeout(DEFAULT_CALL_TIMEOUT)
        // Redirects are followed by each client itself where it must vet every hop (RDAP).
        .followRedirects(false)
        .followSslRedirects(false)
        .retryOnConnectionFailure(true)
        .build();
  }
}
