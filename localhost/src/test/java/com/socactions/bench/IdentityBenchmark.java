package com.socactions.bench;

import com.socactions.api.AppServices;
import com.socactions.graph.FakeGraph;
import com.socactions.jobs.JobQueue;
import com.socactions.localhost.LocalFunctionHost;
import com.socactions.platform.FakeManagedIdentityEndpoint;
import com.socactions.platform.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * {@code DisableAccounts} of {@value #ACCOUNTS} accounts over HTTP against the local host, on the
 * Azurite that {@code scripts/benchmark-identity} started, with the app's real credential chain at
 * the fake token endpoint and {@link FakeGraph} answering every HTTP call after {@link
 * #GRAPH_LATENCY} (a {@code $batch} counts as one call). A measurement, not a test: it gates
 * nothing and is not run by {@code mvn verify}.
 *
 * <p>Two shapes, as playbooks send them, each on accounts of its own (a disabled account is {@code
 * already_disabled} on a re-run): {@value #SMALL_REQUESTS} requests of {@value #SMALL_BATCH} (a
 * playbook per incident), and one request of {@value #ACCOUNTS}. Reported: Graph HTTP calls by kind
 * ({@code $batch} and single calls), the requests run inside the batches by method (resolution
 * {@code GET}s, {@code PATCH} writes, role reads), and wall time. The floor for the writes is
 * {@value #ACCOUNTS} / 20 = 25 {@code $batch} calls; resolution adds as many again. A warm-up
 * request first (token fetch, ledger table, directory roles cache).
 *
 * <p>A request that goes to a job (one of 500: its model passes the synchronous budget) is followed
 * to its answer as Logic Apps would, by polling its {@code Location}; its worker runs on the queue
 * service of the same storage.
 *
 * <p>Usage: {@code IdentityBenchmark <storage connection string, table and queue endpoints>}
 */
public final class IdentityBenchmark {
  private static final int ACCOUNTS = 500;
  private static final int SMALL_REQUESTS = 5;
  private static final int SMALL_BATCH = ACCOUNTS / SMALL_REQUESTS;
  private static final int WARM_UP = 20;
  private static final Duration GRAPH_LATENCY = Duration.ofMillis(20);
  private static final String KEY = "bench";
  private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(5);

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final LocalFunctionHost host;
  private final FakeGraph graph;

  private IdentityBenchmark(LocalFunctionHost host, FakeGraph graph) {
    this.host = host;
    this.graph = graph;
  }

  public static void main(String[] args) throws Exception {
    String storage = args[0];
    // The host logs a line per call; that is not what is measured here.
    Logger.getLogger("").setLevel(Level.WARNING);
    for (var handler : Logger.getLogger("").getHandlers()) {
      handler.setLevel(Level.WARNING);
    }
    System.out.printf(
        "IdentityBenchmark: %d cores, Graph latency %d ms per call%n",
        Runtime.getRuntime().availableProcessors(), GRAPH_LATENCY.toMillis());
    try (FakeManagedIdentityEndpoint identity =
            FakeManagedIdentityEndpoint.start(Clock.systemUTC());
        FakeGraph graph = FakeGraph.start(FakeManagedIdentityEndpoint::tokenFor)) {
      for (int phase = 0; phase < 3; phase++) {
        for (int i = 0; i < ACCOUNTS; i++) {
          graph.addUser(userId(phase, i), upn(phase, i));
        }
      }
      Map<String, String> settings = new HashMap<>(identity.settings());
      settings.put("STATE_STORAGE_CONNECTION", storage);
      String queue = "bench-identity-" + UUID.randomUUID().toString().substring(0, 8);
      settings.put(JobQueue.QUEUE_SETTING, queue);
      settings.put("GRAPH_URL", graph.baseUrl());
      settings.put("CONNECTOR_OBJECT_ID", "99999999-0000-0000-0000-00000000c0de");
      settings.put("RDAP_BOOTSTRAP_URL", "http://127.0.0.1:9/");
      AppServices services = new AppServices(Settings.of(settings), Clock.systemUTC());
      try (LocalFunctionHost host = BenchmarkHost.withJobWorker(services, storage, queue, KEY)) {
        IdentityBenchmark bench = new IdentityBenchmark(host, graph);
        bench.disable(accounts(2, 0, WARM_UP));
        graph.latency(GRAPH_LATENCY);
        bench.phase("(a) " + SMALL_REQUESTS + " requests of " + SMALL_BATCH, 0, SMALL_BATCH);
        bench.phase("(b) 1 request of " + ACCOUNTS, 1, ACCOUNTS);
      }
    }
    System.exit(0);
  }

  private void phase(String name, int phase, int perRequest) {
    int httpBefore = graph.requests().size();
    int batchesBefore = graph.batchCalls();
    int innerBefore = graph.inner().size();
    int disabled = 0;
    long start = System.nanoTime();
    for (int from = 0; from < ACCOUNTS; from += perRequest) {
      disabled += disable(accounts(phase, from, perRequest));
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    int httpCalls = graph.requests().size() - httpBefore;
    int batches = graph.batchCalls() - batchesBefore;
    Map<String, Long> inner =
        graph.inner().subList(innerBefore, graph.inner().size()).stream()
            .collect(
                Collectors.groupingBy(
                    call -> call.method() + " " + kind(call.url()), Collectors.counting()));
    System.out.printf(
        "%s: %d disabled; %d Graph HTTP calls (%d $batch, %d single; floor 25 $batch for the writes"
            + " plus resolution); inside: %s; %.2f s wall%n",
        name, disabled, httpCalls, batches, httpCalls - batches, inner, seconds);
  }

  /** A call's kind for the tally: the path with ids and the query left out. */
  private static String kind(String url) {
    return url.startsWith("/users/")
        ? "/users/{key}"
        : url.replaceAll("/[0-9a-f-]{36}", "/{id}").replaceAll("\\?.*", "");
  }

  /** Posts one DisableAccounts; the number of accounts answered {@code disabled}. */
  private int disable(List<String> accounts) {
    String list =
        accounts.stream().map(account -> "\"" + account + "\"").collect(Collectors.joining(","));
    String body =
        "{\"accounts\": ["
            + list
            + "], \"reason\": \"benchmark\", \"requested_by\": \"bench@contoso.com\"}";
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(host.baseUrl() + "v1/accounts/disable"))
            .header("x-functions-key", KEY)
            .header("Content-Type", "application/json")
            .timeout(REQUEST_TIMEOUT)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      while (response.statusCode() == 202) {
        Thread.sleep(200);
        response =
            http.send(
                HttpRequest.newBuilder(
                        URI.create(response.headers().firstValue("Location").orElseThrow()))
                    .header("x-functions-key", KEY)
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofString());
      }
      if (response.statusCode() != 200) {
        throw new IllegalStateException(
            "DisableAccounts answered " + response.statusCode() + ": " + response.body());
      }
      return response.body().split("\"status\"\\s*:\\s*\"disabled\"", -1).length - 1;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static List<String> accounts(int phase, int from, int count) {
    List<String> accounts = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      accounts.add(upn(phase, i));
    }
    return accounts;
  }

  private static String userId(int phase, int i) {
    return String.format("%08d-0000-0000-0000-%012d", phase + 1, i);
  }

  private static String upn(int phase, int i) {
    return "bench" + phase + "-" + i + "@contoso.com";
  }
}
