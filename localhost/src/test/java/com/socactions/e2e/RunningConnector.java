package com.socactions.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.socactions.api.AppServices;
import com.socactions.api.FunctionInjector;
import com.socactions.enrichment.rdap.FakeRdapServer;
import com.socactions.jobs.JobQueue;
import com.socactions.localhost.LocalFunctionHost;
import com.socactions.platform.Json;
import com.socactions.platform.Settings;
import com.socactions.testing.Azurite;
import com.socactions.testing.SharedFixtures;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The Function App served by the local host on a free loopback port, with its own services built
 * from the given settings (nothing global is touched, so runs cannot leak into each other), called
 * over real HTTP. Function classes are created per invocation through the same injector the
 * Functions worker uses.
 *
 * <p>Nothing leaves the machine: every upstream with a public default URL points at a loopback port
 * nothing listens on unless the test points it at a fake ({@link #OFFLINE}), so no test resolves a
 * host name of the internet, and without a fake token endpoint the app's credential asks one that
 * refuses at once instead of probing the instance metadata service or the Azure CLI.
 */
final class RunningConnector implements AutoCloseable {
  static final String KEY = "e2e-function-key";

  /** A loopback port nothing listens on (discard): a connection is refused at once. */
  static final String UNROUTABLE = "http://127.0.0.1:9";

  /** The settings a test does not give itself. */
  static final Map<String, String> OFFLINE =
      Map.of(
          "GRAPH_URL",
          UNROUTABLE,
          "SENTINEL_MANAGEMENT_URL",
          UNROUTABLE,
          "DEFENDER_API_URL",
          UNROUTABLE,
          "RDAP_BOOTSTRAP_URL",
          UNROUTABLE + "/",
          "IDENTITY_ENDPOINT",
          UNROUTABLE + "/MSI/token",
          "IDENTITY_HEADER",
          "no-identity-in-this-test");

  private final AppServices services;
  private final LocalFunctionHost host;
  private final String queue;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  RunningConnector(Map<String, String> settings) {
    this(settings, Clock.systemUTC());
  }

  RunningConnector(Map<String, String> settings, Clock clock) {
    this(settings, clock, Duration.ofMinutes(10));
  }

  /**
   * With the job worker's queue triggers on the state storage's queue service: a queue of its own
   * ({@code JOBS_QUEUE}, unless the settings name one, as two apps on one storage emulator must not
   * take each other's jobs), and {@code messageLease} for the messages its workers hold (how long a
   * dead worker's job waits for the next host).
   */
  RunningConnector(Map<String, String> settings, Clock clock, Duration messageLease) {
    this(settings, clock, messageLease, true);
  }

  /** An app whose job workers do not run: its jobs stay queued. */
  static RunningConnector withoutWorkers(Map<String, String> settings) {
    return new RunningConnector(settings, Clock.systemUTC(), Duration.ofMinutes(10), false);
  }

  private RunningConnector(
      Map<String, String> settings, Clock clock, Duration messageLease, boolean workers) {
    Map<String, String> own = new HashMap<>(OFFLINE);
    own.putAll(settings);
    own.putIfAbsent(JobQueue.QUEUE_SETTING, "jobs-" + UUID.randomUUID().toString().substring(0, 8));
    this.queue = own.get(JobQueue.QUEUE_SETTING);
    this.services = new AppServices(Settings.of(own), clock);
    LocalFunctionHost.Builder builder =
        LocalFunctionHost.builder()
            .injector(new FunctionInjector(services))
            .scanPackage("com.socactions.api")
            .bindAddress("127.0.0.1")
            .port(0)
            .functionKey(KEY)
            .timersEnabled(false)
            // The app's own host.json (queue polling, timeouts); tests run in localhost/.
            .hostJson(Path.of("..", "functions", "host.json"))
            .renameQueue(JobQueue.QUEUE, queue)
            .renameQueue(JobQueue.POISON_QUEUE, queue + "-poison")
            .messageLease(messageLease);
    String storage = own.get("STATE_STORAGE_CONNECTION");
    if (storage != null && workers) {
      builder.queueConnection(storage);
    } else {
      builder.queuesEnabled(false);
    }
    this.host = builder.build().start();
  }

  /** The queue this app's jobs go to. */
  String queue() {
    return queue;
  }

  /**
   * The settings of a fully configured enrichment app (a mutable copy, to add or break one):
   * Azurite, the MaxMind City and ASN test databases, and the fake RDAP over plain HTTP.
   */
  static Map<String, String> enrichmentSettings(FakeRdapServer rdap) {
    Map<String, String> settings = new HashMap<>();
    settings.put("STATE_STORAGE_CONNECTION", Azurite.connectionString());
    settings.put("GEOIP_CITY_DB", SharedFixtures.path("geoip/GeoIP2-City-Test.mmdb").toString());
    settings.put("GEOIP_ASN_DB", SharedFixtures.path("geoip/GeoLite2-ASN-Test.mmdb").toString());
    settings.put("RDAP_BOOTSTRAP_URL", rdap.bootstrapUrl());
    settings.put("RDAP_ALLOW_INSECURE", "true");
    return settings;
  }

  String baseUrl() {
    return host.baseUrl();
  }

  int port() {
    return host.port();
  }

  HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).header("x-functions-key", KEY).GET());
  }

  HttpResponse<String> post(String path, String json) {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("x-functions-key", KEY)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(
          request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  URI uri(String path) {
    return URI.create(baseUrl() + (path.startsWith("/") ? path.substring(1) : path));
  }

  static JsonNode json(HttpResponse<String> response) {
    try {
      return Json.UPSTREAM.readTree(response.body());
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + response.body(), e);
    }
  }

  AppServices services() {
    return services;
  }

  HttpResponse<String> post(String path, String contentType, String body) {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("x-functions-key", KEY)
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  @Override
  public void close() {
    host.close();
  }
}
