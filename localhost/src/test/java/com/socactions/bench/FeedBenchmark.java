package com.socactions.bench;

import com.azure.data.tables.TableClient;
import com.socactions.blocking.BlockLedger;
import com.socactions.blocking.DynamicListFeeds;
import com.socactions.blocking.EnforcementRequest.Action;
import com.socactions.blocking.LedgerEntry;
import com.socactions.blocking.LedgerRequest;
import com.socactions.blocking.LedgerSeeder;
import com.socactions.blocking.LedgerState;
import com.socactions.blocking.Provenance;
import com.socactions.indicators.IndicatorType;
import com.socactions.platform.Settings;
import com.socactions.platform.TableStorage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The {@code edl} feed at volume, in its two steps, on the Azurite that {@code
 * scripts/benchmark-feed} started. A measurement, not a test: it gates nothing and is not run by
 * {@code mvn verify}.
 *
 * <ol>
 *   <li>Render: {@link DynamicListFeeds#render} (entries to sorted text and ETag) over {@value
 *       #RENDER_ENTRIES} in-memory {@code block-ip} entries, shuffled: the first run (cold code)
 *       and the median of {@value #RENDER_ROUNDS} more.
 *   <li>Ledger read: {@link BlockLedger#activeEntries} of the block-ip partition, after seeding it
 *       {@value #SEED_STEP} rows at a time with {@link LedgerSeeder} (transactions of 100 creates)
 *       for as long as the seeding stays within the budget (default {@link #DEFAULT_SEED_BUDGET}):
 *       seeding 100,000 rows into Azurite's in-memory table takes about an hour, because each
 *       transaction costs more the fuller the table is. Each step prints the rows, the seeding time
 *       so far, and the read's time and rows per second, from which the read of 100,000 rows is
 *       extrapolated.
 * </ol>
 *
 * <p>Usage: {@code FeedBenchmark <table storage connection string> [seed budget in seconds]}
 */
public final class FeedBenchmark {
  static final int RENDER_ENTRIES = 100_000;
  static final int RENDER_ROUNDS = 9;
  static final int SEED_STEP = 5_000;

  /** Rows a seeding call hands to {@link LedgerSeeder}; it splits them into transactions of 100. */
  static final int SEED_BATCH = 1_000;

  static final Duration DEFAULT_SEED_BUDGET = Duration.ofMinutes(2);

  /** The feed size, to which the read is extrapolated. */
  static final int TARGET_ROWS = 100_000;

  /** First octet of the addresses: public unicast, outside every guarded range. */
  private static final int FIRST_OCTET = 48;

  private FeedBenchmark() {}

  public static void main(String[] args) {
    String storage = args[0];
    Duration budget =
        args.length > 1 ? Duration.ofSeconds(Long.parseLong(args[1])) : DEFAULT_SEED_BUDGET;
    BenchmarkHost.quietLogging();
    System.out.printf(
        "FeedBenchmark: %d cores, Azurite at %s%n",
        Runtime.getRuntime().availableProcessors(),
        storage.replaceAll(".*TableEndpoint=([^;]*).*", "$1"));
    render();
    ledgerRead(storage, budget);
    System.exit(0);
  }

  private static void render() {
    Instant now = Instant.now();
    List<LedgerEntry> entries = new ArrayList<>(RENDER_ENTRIES);
    for (String address : BlockBenchmark.addresses(FIRST_OCTET, 0, RENDER_ENTRIES)) {
      entries.add(activeBlock(address, now));
    }
    // The ledger answers in key order; shuffled, the sort does its whole work.
    Collections.shuffle(entries, new Random(20261127));
    long start = System.nanoTime();
    DynamicListFeeds.Feed first = DynamicListFeeds.render("block-ip", entries, now);
    double firstMillis = (System.nanoTime() - start) / 1e6;
    if (first.text().lines().count() != RENDER_ENTRIES) {
      throw new IllegalStateException("the feed has " + first.text().lines().count() + " lines");
    }
    List<Double> millis = new ArrayList<>();
    for (int round = 0; round < RENDER_ROUNDS; round++) {
      start = System.nanoTime();
      DynamicListFeeds.render("block-ip", entries, now);
      millis.add((System.nanoTime() - start) / 1e6);
    }
    System.out.printf(
        "(c) feed render (entries -> sorted text + ETag), %,d shuffled block-ip entries (%,d"
            + " bytes): first %.0f ms, then median %.0f ms over %d rounds%n",
        RENDER_ENTRIES,
        first.text().length(),
        firstMillis,
        BenchmarkHost.median(millis),
        RENDER_ROUNDS);
  }

  private static void ledgerRead(String storage, Duration budget) {
    Settings settings = Settings.of(Map.of("STATE_STORAGE_CONNECTION", storage));
    TableStorage tables = new TableStorage(settings);
    TableClient table = tables.table(BlockLedger.TABLE);
    BlockLedger ledger = new BlockLedger(tables, Clock.systemUTC());
    Provenance provenance = new Provenance("benchmark seed", null, null, null, "FeedBenchmark");
    Instant expiresAt = Instant.now().plus(Duration.ofDays(1));
    List<String> addresses = BlockBenchmark.addresses(FIRST_OCTET, 0, TARGET_ROWS);
    double seedSeconds = 0;
    double lastStepSeconds = 0;
    int rows = 0;
    double readMillis = 0;
    while (rows < TARGET_ROWS && seedSeconds + lastStepSeconds * 2 <= budget.toSeconds()) {
      long start = System.nanoTime();
      for (int from = rows; from < rows + SEED_STEP; from += SEED_BATCH) {
        List<LedgerRequest> requests =
            addresses.subList(from, from + SEED_BATCH).stream()
                .map(
                    address ->
                        new LedgerRequest(
                            "edl",
                            BlockBenchmark.indicator(address),
                            Action.BLOCK,
                            expiresAt,
                            provenance))
                .toList();
        LedgerSeeder.seedActive(table, requests, Instant.now());
      }
      lastStepSeconds = (System.nanoTime() - start) / 1e9;
      seedSeconds += lastStepSeconds;
      rows += SEED_STEP;
      start = System.nanoTime();
      List<LedgerEntry> read = ledger.activeEntries("edl", IndicatorType.IP, Action.BLOCK);
      readMillis = (System.nanoTime() - start) / 1e6;
      if (read.size() != rows) {
        throw new IllegalStateException("read " + read.size() + " rows of " + rows);
      }
      System.out.printf(
          "(c) ledger: %,7d rows seeded in %5.1f s (this step of %,d: %.1f s); activeEntries read"
              + " them in %,.0f ms, %,.0f rows/s%n",
          rows, seedSeconds, SEED_STEP, lastStepSeconds, readMillis, rows / (readMillis / 1e3));
    }
    System.out.printf(
        "(c) ledger read, largest N seeded within %d s: %,d rows in %,.0f ms; at that rate %,d rows"
            + " read in about %.1f s (more if Azurite's query slows as the table grows, as its"
            + " inserts do)%n",
        budget.toSeconds(), rows, readMillis, TARGET_ROWS, readMillis / rows * TARGET_ROWS / 1e3);
  }

  private static LedgerEntry activeBlock(String address, Instant now) {
    return new LedgerEntry(
        "edl",
        IndicatorType.IP,
        address,
        Action.BLOCK,
        LedgerState.ACTIVE,
        "benchmark",
        null,
        null,
        null,
        null,
        null,
        now,
        now,
        now.plus(Duration.ofDays(1)),
        null,
        null,
        false,
        null,
        null,
        null,
        null,
        null,
        null,
        List.of(),
        0,
        null);
  }
}
