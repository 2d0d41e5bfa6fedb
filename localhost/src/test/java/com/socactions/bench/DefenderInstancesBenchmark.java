package com.socactions.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.socactions.blocking.FakeDefenderApi;
import com.socactions.platform.FakeManagedIdentityEndpoint;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Four instances of the Function App against one Defender tenant: four service instances (each its
 * own services on its own local host ({@link BenchmarkHost}), so nothing is shared in memory) on
 * one Azurite and one {@link FakeDefenderApi} that enforces Defender's documented limits
 * tenant-wide (import 30 calls a minute, list 100 a minute and 1,500 an hour: 429 with {@code
 * Retry-After} past them). Four clients, one per instance, block {@value #DEFAULT_INDICATORS}
 * public IPs between them in requests of {@value #DEFAULT_BATCH} through {@code BlockIndicators}
 * (provider {@code defender}), as four playbooks would. What the shared budgets cannot book within
 * a call's wait comes back {@code failed} (or the whole call 503 with {@code Retry-After}); the
 * client sends those again after the wait, as Logic Apps would. A measurement, not a test: a {@code
 * main}, run by {@code scripts/benchmark-defender-instances}; it fails loudly when the fake
 * answered any 429 or when Defender does not hold every indicator at the end.
 *
 * <p>Usage: {@code DefenderInstancesBenchmark <table storage connection string> [indicators]
 * [batch]}
 */
public final class DefenderInstancesBenchmark {
  private static final int INSTANCES = 4;
  private static final int DEFAULT_INDICATORS = 5_000;

  /** Small enough that the imports (one per request) meet the limit of 30 a minute. */
  private static final int DEFAULT_BATCH = 100;

  /** First octet of the addresses: public unicast, outside every guarded range. */
  private static final int RANGE = 48;

  /** When neither the call nor its items say how long to wait. */
  private static final Duration DEFAULT_RETRY = Duration.ofSeconds(5);

  /** A batch sent this often without every item blocked has found a bug, not a figure. */
  private static final int MAX_SENDS = 50;

  /** How an item failed for the budget says when the next call is free. */
  private static final Pattern FREE_IN = Pattern.compile("free in (\\d+) s");

  private static final ObjectMapper JSON = new ObjectMapper();

  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger unavailable = new AtomicInteger();
  private final AtomicInteger resent = new AtomicInteger();

  public static void main(String[] args) throws Exception {
    String storage = args[0];
    int indicators = args.length > 1 ? Integer.parseInt(args[1]) : DEFAULT_INDICATORS;
    int batch = args.length > 2 ? Integer.parseInt(args[2]) : DEFAULT_BATCH;
    BenchmarkHost.quietLogging();
    System.out.printf(
        "DefenderInstancesBenchmark: %d cores, %d instances, Azurite at %s%n",
        Runtime.getRuntime().availableProcessors(),
        INSTANCES,
        storage.replaceAll(".*TableEndpoint=([^;]*).*", "$1"));
    try (FakeManagedIdentityEndpoint identity =
            FakeManagedIdentityEndpoint.start(Clock.systemUTC());
        FakeDefenderApi defender = FakeDefenderApi.start(FakeManagedIdentityEndpoint::tokenFor)) {
      defender.enforceDocumentedLimits(Clock.systemUTC());
      Map<String, String> settings = new HashMap<>(identity.settings());
      settings.put("STATE_STORAGE_CONNECTION", storage);
      settings.put("DEFENDER_API_URL", defender.baseUrl());
      settings.put("BLOCK_PROVIDERS", "defender");
      settings.put("RDAP_BOOTSTRAP_URL", "http://127.0.0.1:9/");
      List<BenchmarkHost> hosts = new ArrayList<>();
      try {
        for (int i = 0; i < INSTANCES; i++) {
          hosts.add(BenchmarkHost.start(settings, Clock.systemUTC()));
        }
        new DefenderInstancesBenchmark().run(hosts, defender, indicators, batch);
      } finally {
        hosts.forEach(BenchmarkHost::close);
      }
    }
    System.exit(0);
  }

  private void run(List<BenchmarkHost> hosts, FakeDefenderApi defender, int indicators, int batch)
      throws Exception {
    List<String> addresses = BlockBenchmark.addresses(RANGE, 0, indicators);
    List<List<String>> batches = new ArrayList<>();
    for (int from = 0; from < addresses.size(); from += batch) {
      batches.add(addresses.subList(from, Math.min(addresses.size(), from + batch)));
    }
    ExecutorService clients = Executors.newFixedThreadPool(INSTANCES);
    long start = System.nanoTime();
    try {
      List<Future<Integer>> blocked = new ArrayList<>();
      for (int i = 0; i < INSTANCES; i++) {
        BenchmarkHost host = hosts.get(i);
        List<List<String>> mine = new ArrayList<>();
        for (int b = i; b < batches.size(); b += INSTANCES) {
          mine.add(batches.get(b));
        }
        blocked.add(clients.submit(() -> blockAll(host, mine)));
      }
      int total = 0;
      for (Future<Integer> count : blocked) {
        total += count.get();
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          "defender x%d: %,d IPs in %d requests of %d (%d more for items sent again): %.1f s"
              + " wall, %,.0f IPs/s%n",
          INSTANCES,
          total,
          batches.size(),
          batch,
          requests.get() - batches.size(),
          seconds,
          total / seconds);
      System.out.printf(
          "  Defender fake: %d upstream calls (%d list, %d import), %d answered 429;"
              + " it holds %,d indicators%n",
          defender.listCalls() + defender.importCalls() + defender.deleteCalls(),
          defender.listCalls(),
          defender.importCalls(),
          defender.throttledCalls(),
          defender.size());
      System.out.printf(
          "  budget: %d calls answered 503 with Retry-After, %,d items answered failed and sent"
              + " again%n",
          unavailable.get(), resent.get());
      if (defender.throttledCalls() > 0 || defender.size() != indicators || total != indicators) {
        throw new IllegalStateException(
            "expected "
                + indicators
                + " blocked and no 429; got "
                + total
                + " blocked, Defender holds "
                + defender.size()
                + ", "
                + defender.throttledCalls()
                + " answered 429");
      }
    } finally {
      clients.shutdownNow();
    }
  }

  /** Blocks every batch through one instance, sending again what failed for now. */
  private int blockAll(BenchmarkHost host, List<List<String>> batches) throws Exception {
    int blocked = 0;
    for (List<String> batch : batches) {
      List<String> pending = batch;
      for (int sends = 1; !pending.isEmpty(); sends++) {
        if (sends > MAX_SENDS) {
          throw new IllegalStateException("still not blocked after " + MAX_SENDS + ": " + pending);
        }
        HttpResponse<String> response = block(host, pending);
        if (response.statusCode() == 503) {
          unavailable.incrementAndGet();
          Thread.sleep(retryAfter(response).toMillis());
          continue;
        }
        if (response.statusCode() != 200) {
          throw new IllegalStateException(
              "BlockIndicators answered "
                  + response.statusCode()
                  + ": "
                  + response.body().substring(0, Math.min(500, response.body().length())));
        }
        List<String> again = new ArrayList<>();
        Duration wait = Duration.ZERO;
        for (JsonNode result : JSON.readTree(response.body()).path("results")) {
          String status = result.path("status").asText();
          if (status.equals("blocked")) {
            blocked++;
          } else if (status.equals("failed") || status.equals("pending")) {
            again.add(result.path("value").asText());
            Matcher free = FREE_IN.matcher(result.path("detail").asText());
            Duration hint =
                free.find() ? Duration.ofSeconds(Long.parseLong(free.group(1))) : DEFAULT_RETRY;
            wait = hint.compareTo(wait) > 0 ? hint : wait;
          } else {
            throw new IllegalStateException("unexpected answer for an item: " + result);
          }
        }
        if (!again.isEmpty()) {
          resent.addAndGet(again.size());
          Thread.sleep(wait.toMillis());
        }
        pending = again;
      }
    }
    return blocked;
  }

  private HttpResponse<String> block(BenchmarkHost host, List<String> values) {
    requests.incrementAndGet();
    return host.send(
        "v1/indicators/block",
        "{\"indicators\": [\""
            + String.join("\",\"", values)
            + "\"], \"provider\": \"defender\", \"reason\": \"benchmark\","
            + " \"incident_id\": \"bench-instances\"}");
  }

  private static Duration retryAfter(HttpResponse<String> response) {
    return response
        .headers()
        .firstValue("Retry-After")
        .map(value -> Duration.ofSeconds(Long.parseLong(value.trim())))
        .orElse(DEFAULT_RETRY);
  }
}
