package com.socactions.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.socactions.api.AppServices;
import com.socactions.graph.FakeGraph;
import com.socactions.jobs.JobQueue;
import com.socactions.localhost.LocalFunctionHost;
import com.socactions.platform.FakeManagedIdentityEndpoint;
import com.socactions.platform.Json;
import com.socactions.platform.Settings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * {@code DisableAccounts} of {@value #ACCOUNTS} accounts with session revocation over HTTP against
 * the local host, its job worker on Azurite's queue service, and {@link FakeGraph} pacing its
 * callers to one HTTP call a second and answering each after {@link #GRAPH_LATENCY}: how long the
 * first answer takes (a 202, decided before any Graph call), how long the job takes, and how many
 * Graph calls it made against the floor ({@value #ACCOUNTS} / 20 {@code $batch} calls each to
 * resolve, disable and revoke, plus the directory roles read once). A measurement, not a test: it
 * gates nothing and is not run by {@code mvn verify}.
 *
 * <p>First a one-account dry run as a job ({@code Prefer: respond-async}): the process's first
 * request, whose 202 is reported as the cold figure (clients, tables and the queue made on first
 * use). The 2,000 come on a warm process, as on a running Function App; their Graph calls are
 * counted from then on.
 *
 * <p>Usage: {@code LongWorkBenchmark <storage connection string with table and queue endpoints>}
 */
public final class LongWorkBenchmark {
  private static final int ACCOUNTS = 2_000;
  private static final Duration GRAPH_PACE = Duration.ofSeconds(1);
  private static final Duration GRAPH_LATENCY = Duration.ofMillis(200);
  private static final String KEY = "bench";

  private LongWorkBenchmark() {}

  public static void main(String[] args) throws Exception {
    String storage = args[0];
    Logger.getLogger("").setLevel(Level.WARNING);
    for (var handler : Logger.getLogger("").getHandlers()) {
      handler.setLevel(Level.WARNING);
    }
    System.out.printf(
        "LongWorkBenchmark: %d cores; DisableAccounts of %d with revoke_sessions; Graph paced to"
            + " one call per %d ms, answering after %d ms%n",
        Runtime.getRuntime().availableProcessors(),
        ACCOUNTS,
        GRAPH_PACE.toMillis(),
        GRAPH_LATENCY.toMillis());
    try (FakeManagedIdentityEndpoint identity =
            FakeManagedIdentityEndpoint.start(Clock.systemUTC());
        FakeGraph graph = FakeGraph.start(FakeManagedIdentityEndpoint::tokenFor)) {
      for (int i = 0; i < ACCOUNTS; i++) {
        graph.addUser(String.format("99999999-0000-0000-0000-%012d", i), upn(i));
      }
      String queue = "bench-jobs-" + UUID.randomUUID().toString().substring(0, 8);
      Map<String, String> settings = new HashMap<>(identity.settings());
      settings.put("STATE_STORAGE_CONNECTION", storage);
      settings.put(JobQueue.QUEUE_SETTING, queue);
      settings.put("GRAPH_URL", graph.baseUrl());
      settings.put("CONNECTOR_OBJECT_ID", "99999999-0000-0000-0000-00000000c0de");
      settings.put("RDAP_BOOTSTRAP_URL", "http://127.0.0.1:9/");
      AppServices services = new AppServices(Settings.of(settings), Clock.systemUTC());
      try (LocalFunctionHost host = BenchmarkHost.withJobWorker(services, storage, queue, KEY)) {
        graph.pace(GRAPH_PACE).latency(GRAPH_LATENCY);
        run(host, graph);
      }
    }
    System.exit(0);
  }

  private static void run(LocalFunctionHost host, FakeGraph graph) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    long coldStart = System.nanoTime();
    HttpResponse<String> cold =
        http.send(
            HttpRequest.newBuilder(URI.create(host.baseUrl() + "v1/accounts/disable"))
                .header("x-functions-key", KEY)
                .header("Content-Type", "application/json")
                .header("Prefer", "respond-async")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"accounts\": [\"" + upn(0) + "\"], \"dry_run\": true}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    System.out.printf(
        "cold: the process's first request (a job of one account) answered %d in %.3f s%n",
        cold.statusCode(), (System.nanoTime() - coldStart) / 1e9);
    await(http, URI.create(cold.headers().firstValue("Location").orElseThrow()), 0);
    int callsBefore = graph.requests().size();
    int batchesBefore = graph.batchCalls();
    int innerBefore = graph.inner().size();
    List<String> accounts = IntStream.range(0, ACCOUNTS).mapToObj(LongWorkBenchmark::upn).toList();
    String body =
        "{\"accounts\": ["
            + accounts.stream().map(a -> "\"" + a + "\"").collect(Collectors.joining(","))
            + "], \"revoke_sessions\": true, \"reason\": \"benchmark\"}";
    long start = System.nanoTime();
    HttpResponse<String> first =
        http.send(
            HttpRequest.newBuilder(URI.create(host.baseUrl() + "v1/accounts/disable"))
                .header("x-functions-key", KEY)
                .header("Content-Type", "application/json")
                .header("x-ms-client-tracking-id", "bench-run-1")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    double firstSeconds = (System.nanoTime() - start) / 1e9;
    int callsAtFirstAnswer = graph.requests().size() - callsBefore;
    System.out.printf(
        "first answer: %d in %.3f s (%d Graph calls before it); Location %s, Retry-After %s%n",
        first.statusCode(),
        firstSeconds,
        callsAtFirstAnswer,
        first.headers().firstValue("Location").orElse("-"),
        first.headers().firstValue("Retry-After").orElse("-"));
    if (first.statusCode() != 202) {
      throw new IllegalStateException("expected 202, got " + first.statusCode());
    }
    HttpResponse<String> polled =
        await(http, URI.create(first.headers().firstValue("Location").orElseThrow()), start);
    double totalSeconds = (System.nanoTime() - start) / 1e9;
    JsonNode summary = Json.MAPPER.readTree(polled.body()).path("summary");
    long revoked =
        Json.MAPPER
            .readTree(polled.body())
            .path("results")
            .findValuesAsText("sessions_revoked")
            .stream()
            .filter("true"::equals)
            .count();
    int calls = graph.requests().size() - callsBefore;
    int batches = graph.batchCalls() - batchesBefore;
    Map<String, Long> inner =
        graph.inner().subList(innerBefore, graph.inner().size()).stream()
            .collect(
                Collectors.groupingBy(
                    call -> call.method() + " " + kind(call.url()), Collectors.counting()));
    int floor = 3 * ((ACCOUNTS + 19) / 20);
    System.out.printf(
        "job done: %d after %.1f s; disabled %d, sessions revoked %d, %s%n",
        polled.statusCode(), totalSeconds, summary.path("disabled").asInt(), revoked, summary);
    System.out.printf(
        "Graph: %d HTTP calls (%d $batch, %d single); $batch floor %d (resolve, disable, revoke:"
            + " %d each); inside: %s%n",
        calls, batches, calls - batches, floor, floor / 3, inner);
  }

  /**
   * Polls a job every 2 s until its answer; prints its progress every 30 s when {@code start} is
   * set.
   */
  private static HttpResponse<String> await(HttpClient http, URI location, long start)
      throws Exception {
    for (int polls = 1; ; polls++) {
      Thread.sleep(2_000);
      HttpResponse<String> polled =
          http.send(
              HttpRequest.newBuilder(location).header("x-functions-key", KEY).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      if (polled.statusCode() != 202) {
        return polled;
      }
      if (start != 0 && polls % 15 == 0) {
        System.out.printf(
            "  %.0f s: %s of %d done%n",
            (System.nanoTime() - start) / 1e9,
            Json.MAPPER.readTree(polled.body()).path("done").asText(),
            ACCOUNTS);
      }
    }
  }

  private static String kind(String url) {
    return url.startsWith("/users/")
        ? "/users/{key}"
        : url.replaceAll("/[0-9a-f-]{36}", "/{id}").replaceAll("\\?.*", "");
  }

  private static String upn(int i) {
    return "long" + i + "@contoso.com";
  }
}
