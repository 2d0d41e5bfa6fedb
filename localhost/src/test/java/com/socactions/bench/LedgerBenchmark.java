package com.socactions.bench;

import com.azure.data.tables.TableClient;
import com.socactions.blocking.BlockCommand;
import com.socactions.blocking.BlockResponse;
import com.socactions.blocking.BlockStatus;
import com.socactions.blocking.BlockingService;
import com.socactions.blocking.DynamicListEnforcementPoint;
import com.socactions.blocking.DynamicListFeeds;
import com.socactions.blocking.GuardrailOverride;
import com.socactions.blocking.ProtectedIndicators;
import com.socactions.cmdb.CriticalAssets;
import com.socactions.indicators.Indicator;
import com.socactions.indicators.Indicators;
import com.socactions.indicators.ParseResult;
import com.socactions.ledger.Action;
import com.socactions.ledger.BlockLedger;
import com.socactions.ledger.LedgerPage;
import com.socactions.ledger.LedgerQuery;
import com.socactions.ledger.LedgerRequest;
import com.socactions.ledger.LedgerSeeder;
import com.socactions.ledger.LedgerState;
import com.socactions.ledger.LedgerTables;
import com.socactions.ledger.Provenance;
import com.socactions.platform.TableReads;
import com.socactions.platform.TableStorage;
import com.socactions.testing.MutableClock;
import com.socactions.testing.StorageCalls;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.IntStream;

/**
 * The ledger at two sizes, on the Azurite that {@code scripts/benchmark-ledger} started: what each
 * request-path operation costs in storage calls (counted by a pipeline policy on the table client)
 * and in wall time, with N rows of history (expired blocks) in the ledger, at a small N and a large
 * one. The calls must not grow with N; wall time is reported with Azurite's own cost of a point
 * read at each N beside it, since the emulator's in-memory tables slow down as they grow.
 *
 * <p>Each ledger also holds 10,000 active blocks due within the hour (the expiry tick's work) and
 * gets the 1,000 blocks of the first operation, so the feed and the active list are the same size
 * at both N. Operations, in order: BlockIndicators of 1,000 new IPs on {@code edl}; the feed
 * rebuilt after that change (a read of the active list, not of history); a poll of the stored feed
 * by another instance (200); a poll with its ETag (304); a ListIndicators page (100 active, newest
 * first); one expiry tick with the 10,000 due.
 *
 * <p>A measurement, not a test: it gates nothing and is not run by {@code mvn verify}.
 *
 * <p>Usage: {@code LedgerBenchmark <table storage connection string> [large N] [small N]}
 */
public final class LedgerBenchmark {
  private static final int BLOCK_BATCH = 1_000;
  private static final int DUE = 10_000;
  private static final int SEED_STEP = 5_000;
  private static final int POINT_READS = 1_000;

  private LedgerBenchmark() {}

  public static void main(String[] args) throws Exception {
    String connection = args[0];
    int large = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
    int small = args.length > 2 ? Integer.parseInt(args[2]) : 1_000;
    Logger.getLogger("").setLevel(Level.WARNING);
    for (var handler : Logger.getLogger("").getHandlers()) {
      handler.setLevel(Level.WARNING);
    }
    System.out.printf(
        "LedgerBenchmark: %d cores, N = %,d and %,d rows of history%n",
        Runtime.getRuntime().availableProcessors(), small, large);
    Map<String, long[]> smallRun = run(connection, small);
    Map<String, long[]> largeRun = run(connection, large);
    System.out.printf(
        "%n%-44s %14s %14s %12s %12s %8s%n",
        "operation",
        "calls N=" + small,
        "calls N=" + large,
        "ms N=" + small,
        "ms N=" + large,
        "ratio");
    for (String op : smallRun.keySet()) {
      long[] a = smallRun.get(op);
      long[] b = largeRun.get(op);
      System.out.printf(
          "%-44s %14d %14d %12d %12d %8.2f%n",
          op, a[0], b[0], a[1], b[1], a[1] == 0 ? 0.0 : (double) b[1] / a[1]);
    }
    System.exit(0);
  }

  /** One ledger of {@code history} expired rows; the operations' calls and milliseconds. */
  private static Map<String, long[]> run(String connection, int history) {
    StorageCalls calls = new StorageCalls();
    TableStorage storage = calls.storage(connection);
    String prefix = "b" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    Instant start = Instant.parse("2026-12-01T10:00:00Z");
    MutableClock clock = new MutableClock(start);
    BlockLedger ledger =
        new BlockLedger(LedgerTables.in(storage, prefix), clock, BlockLedger.Options.defaults());
    Provenance seeded = new Provenance("benchmark seed", null, null, null, "LedgerBenchmark");

    long seedStart = System.nanoTime();
    seed(
        ledger,
        addresses(60, history),
        start.minus(Duration.ofDays(30)),
        seeded,
        LedgerState.EXPIRED,
        start);
    seed(
        ledger,
        addresses(80, DUE),
        start.plus(Duration.ofMinutes(30)),
        seeded,
        LedgerState.ACTIVE,
        start);
    System.out.printf(
        "N=%,d: seeded %,d history rows and %,d due in %.1f s%n",
        history, history, DUE, (System.nanoTime() - seedStart) / 1e9);

    BlockingService service =
        new BlockingService(
            List.of(new DynamicListEnforcementPoint(true, true)),
            () -> ledger,
            () -> ProtectedIndicators.NONE,
            CriticalAssets.NONE,
            clock);
    Supplier<TableClient> renderings = () -> storage.table(prefix + "feeds");
    DynamicListFeeds feeds =
        new DynamicListFeeds(() -> ledger, renderings, Optional.of("bench"), clock);
    DynamicListFeeds otherInstance =
        new DynamicListFeeds(() -> ledger, renderings, Optional.of("bench"), clock);
    feeds.feed("block-ip").orElseThrow().text(); // the first rendering

    Map<String, long[]> results = new LinkedHashMap<>();
    measure(
        results,
        "point read of one row (Azurite's own cost)",
        calls,
        () -> {
          TableClient rows = storage.table(prefix);
          List<TableReads.Key> keys = new ArrayList<>();
          for (String address : addresses(60, Math.min(POINT_READS, Math.max(1, history)))) {
            keys.add(
                new TableReads.Key(
                    com.socactions.ledger.LedgerKeys.partitionKey(
                        "edl", com.socactions.indicators.IndicatorType.IP, address),
                    com.socactions.ledger.LedgerKeys.rowKey(address)));
          }
          long begin = System.nanoTime();
          TableReads.getAll(rows, keys, "bench");
          return "x" + (System.nanoTime() - begin) / Math.max(1, keys.size()) / 1000 + " us/read";
        });
    measure(
        results,
        "BlockIndicators of 1,000 new IPs (edl)",
        calls,
        () -> {
          BlockResponse response = service.block(command(addresses(90, BLOCK_BATCH)));
          long blocked =
              response.results().stream().filter(r -> r.status() == BlockStatus.BLOCKED).count();
          return blocked + " blocked";
        });
    clock.advance(Duration.ofSeconds(11));
    measure(
        results,
        "feed poll after the change (rebuild, 200)",
        calls,
        () -> feeds.feed("block-ip").orElseThrow().text().lines().count() + " lines");
    measure(
        results,
        "feed poll, another instance (stored, 200)",
        calls,
        () -> otherInstance.feed("block-ip").orElseThrow().text().length() + " chars");
    measure(
        results,
        "feed poll with its ETag (304)",
        calls,
        () -> feeds.feed("block-ip").orElseThrow().etag());
    measure(
        results,
        "ListIndicators page (100 active, newest first)",
        calls,
        () -> {
          LedgerPage page =
              service.list(LedgerQuery.all().withStates(java.util.Set.of(LedgerState.ACTIVE)));
          return page.entries().size() + " entries";
        });
    clock.advance(Duration.ofHours(1));
    measure(
        results,
        "expiry tick with 10,000 due",
        calls,
        () -> {
          BlockingService.ExpiryReport report = service.expire(Duration.ofMinutes(30));
          return report.lifted() + " lifted, more=" + report.more();
        });
    return results;
  }

  private static void measure(
      Map<String, long[]> results, String operation, StorageCalls calls, Supplier<String> work) {
    calls.clear();
    long begin = System.nanoTime();
    String outcome = work.get();
    long millis = (System.nanoTime() - begin) / 1_000_000;
    results.put(operation, new long[] {calls.count(), millis});
    System.out.printf(
        "  %-44s %7d calls %8d ms  (%s)%n", operation, calls.count(), millis, outcome);
  }

  private static void seed(
      BlockLedger ledger,
      List<String> addresses,
      Instant expiresAt,
      Provenance provenance,
      LedgerState state,
      Instant now) {
    for (int from = 0; from < addresses.size(); from += SEED_STEP) {
      List<LedgerRequest> requests =
          addresses.subList(from, Math.min(addresses.size(), from + SEED_STEP)).stream()
              .map(
                  address ->
                      new LedgerRequest(
                          "edl", indicator(address), Action.BLOCK, expiresAt, provenance))
              .toList();
      LedgerSeeder.seed(ledger, requests, now, state);
    }
  }

  /** {@code count} public IPv4 addresses under first octet {@code octet}. */
  private static List<String> addresses(int octet, int count) {
    return IntStream.range(0, count)
        .mapToObj(
            i ->
                String.format(
                    Locale.ROOT,
                    "%d.%d.%d.%d",
                    octet + i / 16_581_375,
                    (i / 65_025) % 255 + 1,
                    (i / 255) % 255,
                    i % 255 + 1))
        .toList();
  }

  private static BlockCommand command(List<String> indicators) {
    return new BlockCommand(
        indicators,
        "edl",
        Duration.ofDays(1),
        "benchmark",
        null,
        false,
        GuardrailOverride.NONE,
        "bench-run",
        "LedgerBenchmark");
  }

  private static Indicator indicator(String value) {
    return ((ParseResult.Parsed) Indicators.parse(value)).indicator();
  }
}
