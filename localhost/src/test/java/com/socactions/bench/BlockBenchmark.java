package com.socactions.bench;

import com.socactions.api.AppServices;
import com.socactions.api.FunctionInjector;
import com.socactions.blocking.FakeDefenderApi;
import com.socactions.indicators.Indicator;
import com.socactions.indicators.Indicators;
import com.socactions.indicators.ParseResult;
import com.socactions.ledger.Action;
import com.socactions.ledger.BlockLedger;
import com.socactions.ledger.LedgerRequest;
import com.socactions.ledger.LedgerSeeder;
import com.socactions.ledger.Provenance;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Block/allow at volume, over HTTP against the local host, on the Azurite that {@code
 * scripts/benchmark-blocking} started. A measurement, not a test: it gates nothing and is not run
 * by {@code mvn verify} (it is a {@code main}, not a JUnit class).
 *
 * <ol>
 *   <li>Defender: {@value #DEFENDER_INDICATORS} public IPs in requests of {@value #BATCH} through
 *       {@code BlockIndicators} (provider {@code defender}) against the fake Defender API, with the
 *       app's real credential chain at the fake token endpoint: upstream calls (list vs import; the
 *       floor is two imports of 500 per request) and wall time. The fake has no latency knob, so
 *       every upstream call answers at loopback speed.
 *   <li>edl: the same volume through {@code BlockIndicators} (provider {@code edl}): indicators per
 *       second into the ledger.
 *   <li>Feed: {@value #DEFAULT_FEED_ENTRIES} (or the second argument) active edl rows written
 *       straight into the ledger's tables by {@link LedgerSeeder} (entity-group transactions of 100
 *       creates; through {@code claimActive} and {@code confirm} each hundred also costs a range
 *       query that scans the whole partition on Azurite, so 100,000 rows took far too long), then
 *       {@code GET /v1/feeds/block-ip} cold (ledger read and render), cached, and with {@code
 *       If-None-Match} (304).
 * </ol>
 *
 * Phases use disjoint address ranges; the feed phase runs before the edl phase so the feed holds
 * exactly its entries. Seeding is still superlinear, in Azurite's in-memory table rather than in
 * the ledger (with creates only, here 10,000 rows took 23 s and 40,000 took 316 s), so 100,000
 * entries take the best part of an hour: hence the argument and the shorter default.
 *
 * <p>Usage: {@code BlockBenchmark <table storage connection string> [feed entries]}
 */
public final class BlockBenchmark {
  private static final int BATCH = 1_000;
  private static final int DEFENDER_INDICATORS = 10_000;
  private static final int EDL_INDICATORS = 10_000;

  /** Short enough for a default run; pass 100000 for the figure (see the class comment). */
  private static final int DEFAULT_FEED_ENTRIES = 20_000;

  /** Seeding prints a line every this many rows, so a slow storage emulator shows progress. */
  private static final int PROGRESS_EVERY = 10_000;

  private static final String KEY = "bench";
  private static final String FEED_TOKEN = "bench-feed-secret";
  private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(5);

  /** First octet of each phase's addresses: public unicast, outside every guarded range. */
  private static final int DEFENDER_RANGE = 45;

  private static final int EDL_RANGE = 46;
  private static final int FEED_RANGE = 47;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final LocalFunctionHost host;
  private final int feedEntries;

  private BlockBenchmark(LocalFunctionHost host, int feedEntries) {
    this.host = host;
    this.feedEntries = feedEntries;
  }

  public static void main(String[] args) throws Exception {
    String storage = args[0];
    int feedEntries = args.length > 1 ? Integer.parseInt(args[1]) : DEFAULT_FEED_ENTRIES;
    // The host logs a line per call; that is not what is measured here.
    Logger.getLogger("").setLevel(Level.WARNING);
    for (var handler : Logger.getLogger("").getHandlers()) {
      handler.setLevel(Level.WARNING);
    }
    System.out.printf(
        "BlockBenchmark: %d cores, Azurite at %s%n",
        Runtime.getRuntime().availableProcessors(),
        storage.replaceAll(".*TableEndpoint=([^;]*).*", "$1"));
    try (FakeManagedIdentityEndpoint identity =
            FakeManagedIdentityEndpoint.start(Clock.systemUTC());
        FakeDefenderApi defender = FakeDefenderApi.start(FakeManagedIdentityEndpoint::tokenFor)) {
      Map<String, String> settings = new HashMap<>(identity.settings());
      settings.put("STATE_STORAGE_CONNECTION", storage);
      settings.put("DEFENDER_API_URL", defender.baseUrl());
      settings.put("BLOCK_PROVIDERS", "edl,defender");
      settings.put("FEED_TOKEN", FEED_TOKEN);
      settings.put("RDAP_BOOTSTRAP_URL", "http://127.0.0.1:9/");
      AppServices services = new AppServices(Settings.of(settings), Clock.systemUTC());
      try (LocalFunctionHost host =
          LocalFunctionHost.builder()
              .scanPackage("com.socactions.api")
              .injector(new FunctionInjector(services))
              .bindAddress("127.0.0.1")
              .port(0)
              .functionKey(KEY)
              .timersEnabled(false)
              .build()
              .start()) {
        BlockBenchmark bench = new BlockBenchmark(host, feedEntries);
        bench.defenderPhase(defender);
        bench.feedPhase(services.blocking().ledger());
        bench.edlPhase();
      }
    }
    System.exit(0);
  }

  private void defenderPhase(FakeDefenderApi defender) {
    // One warm-up request (token fetch, table creation, class loading) on addresses of its own.
    blockAll(addresses(DEFENDER_RANGE, 250, BATCH), "defender");
    int lists = defender.listCalls();
    int imports = defender.importCalls();
    System.out.printf(
        "(a) defender warm-up: %,d IPs, %d list (the tenant snapshot), %d import%n",
        BATCH, lists, imports);
    long start = System.nanoTime();
    blockAll(addresses(DEFENDER_RANGE, 0, DEFENDER_INDICATORS), "defender");
    double seconds = (System.nanoTime() - start) / 1e9;
    int listCalls = defender.listCalls() - lists;
    int importCalls = defender.importCalls() - imports;
    System.out.printf(
        "(a) defender: %,d IPs in %d requests of %,d: %d upstream calls (%d list, %d import; floor"
            + " %d imports; the snapshot read in the warm-up is kept a minute), %.2f s wall, %,.0f"
            + " IPs/s%n",
        DEFENDER_INDICATORS,
        DEFENDER_INDICATORS / BATCH,
        BATCH,
        listCalls + importCalls,
        listCalls,
        importCalls,
        DEFENDER_INDICATORS / 500,
        seconds,
        DEFENDER_INDICATORS / seconds);
  }

  private void edlPhase() {
    blockAll(addresses(EDL_RANGE, 250, BATCH), "edl");
    long start = System.nanoTime();
    blockAll(addresses(EDL_RANGE, 0, EDL_INDICATORS), "edl");
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        "(b) edl: %,d IPs in %d requests of %,d into the ledger: %.2f s wall, %,.0f indicators/s%n",
        EDL_INDICATORS, EDL_INDICATORS / BATCH, BATCH, seconds, EDL_INDICATORS / seconds);
  }

  private void feedPhase(BlockLedger ledger) {
    List<String> addresses = addresses(FEED_RANGE, 0, feedEntries);
    Provenance provenance = new Provenance("benchmark seed", null, null, null, "BlockBenchmark");
    Instant expiresAt = Instant.now().plus(Duration.ofDays(1));
    long seedStart = System.nanoTime();
    for (int from = 0; from < addresses.size(); from += BATCH) {
      List<LedgerRequest> requests =
          addresses.subList(from, Math.min(addresses.size(), from + BATCH)).stream()
              .map(
                  address ->
                      new LedgerRequest(
                          "edl", indicator(address), Action.BLOCK, expiresAt, provenance))
              .toList();
      LedgerSeeder.seedActive(ledger, requests, Instant.now());
      if ((from + BATCH) % PROGRESS_EVERY == 0) {
        System.out.printf(
            "    seeded %,d rows, %.1f s%n", from + BATCH, (System.nanoTime() - seedStart) / 1e9);
      }
    }
    double seedSeconds = (System.nanoTime() - seedStart) / 1e9;
    System.out.printf(
        "(c) feed seed: %,d active edl rows into the ledger table (transactions of 100 creates):"
            + " %.1f s, %,.0f rows/s%n",
        feedEntries, seedSeconds, feedEntries / seedSeconds);

    Timed<HttpResponse<String>> cold = timed(() -> feed(null));
    Timed<HttpResponse<String>> cached = timed(() -> feed(null));
    String etag = cached.value().headers().firstValue("etag").orElseThrow();
    Timed<HttpResponse<String>> unchanged = timed(() -> feed(etag));
    long lines = cold.value().body().lines().count();
    if (cold.value().statusCode() != 200
        || lines != feedEntries
        || unchanged.value().statusCode() != 304) {
      throw new IllegalStateException(
          "feed answered "
              + cold.value().statusCode()
              + " with "
              + lines
              + " lines, then "
              + unchanged.value().statusCode());
    }
    System.out.printf(
        "(c) GET /v1/feeds/block-ip, %,d entries (%,d bytes): cold %.0f ms, cached %.0f ms,"
            + " If-None-Match 304 %.0f ms%n",
        lines, cold.value().body().length(), cold.millis(), cached.millis(), unchanged.millis());
  }

  private void blockAll(List<String> addresses, String provider) {
    for (int from = 0; from < addresses.size(); from += BATCH) {
      List<String> batch = addresses.subList(from, Math.min(addresses.size(), from + BATCH));
      String body =
          "{\"indicators\": [\""
              + String.join("\",\"", batch)
              + "\"], \"provider\": \""
              + provider
              + "\", \"reason\": \"benchmark\", \"incident_id\": \"bench-1\"}";
      HttpResponse<String> response =
          send(
              HttpRequest.newBuilder(uri("v1/indicators/block"))
                  .header("x-functions-key", KEY)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body)));
      if (response.statusCode() != 200
          || !response.body().contains("\"blocked\":" + batch.size())) {
        throw new IllegalStateException(
            "BlockIndicators answered "
                + response.statusCode()
                + ": "
                + response.body().substring(0, Math.min(500, response.body().length())));
      }
    }
  }

  private HttpResponse<String> feed(String ifNoneMatch) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri("v1/feeds/block-ip?token=" + FEED_TOKEN)).GET();
    if (ifNoneMatch != null) {
      request.header("If-None-Match", ifNoneMatch);
    }
    return send(request);
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(
          request.timeout(REQUEST_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private URI uri(String path) {
    return URI.create(host.baseUrl() + path);
  }

  /**
   * {@code count} distinct addresses {@code first.b.c.d} from offset {@code start * 256}: all
   * public unicast.
   */
  static List<String> addresses(int first, int start, int count) {
    List<String> addresses = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int n = start * 256 + i;
      addresses.add(first + "." + ((n >> 16) & 0xff) + "." + ((n >> 8) & 0xff) + "." + (n & 0xff));
    }
    return addresses;
  }

  static Indicator indicator(String text) {
    return ((ParseResult.Parsed) Indicators.parse(text)).indicator();
  }

  private record Timed<T>(T value, double millis) {}

  private static <T> Timed<T> timed(Supplier<T> call) {
    long start = System.nanoTime();
    T value = call.get();
    return new Timed<>(value, (System.nanoTime() - start) / 1e6);
  }
}
