package com.socactions.ledger;

import com.azure.data.tables.models.TableEntity;
import com.socactions.platform.ConditionalWrites;
import com.socactions.platform.TableBatch;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes active, confirmed ledger rows in bulk with everything the ledger's own writes leave: the
 * rows, their history, and their list, expiry and incident index entries (through the ledger's own
 * index code, the published versions included), in transactions of a hundred and nothing else. For
 * tests and benchmarks that need a ledger of a million rows: through {@link
 * BlockLedger#claimActive} and {@link BlockLedger#confirm} the same rows cost a claim, a
 * confirmation and their reads. The rows must not exist yet.
 */
public final class LedgerSeeder {
  private LedgerSeeder() {}

  /** Creates one active row per request, as confirmed at {@code now} with no provider reference. */
  public static void seedActive(BlockLedger ledger, List<LedgerRequest> requests, Instant now) {
    seed(ledger, requests, now, LedgerState.ACTIVE);
  }

  /**
   * Creates one row per request in {@code state}: active (confirmed, with its expiry filed for the
   * timer) or expired (history: blocked, then expired at {@code now}).
   */
  public static void seed(
      BlockLedger ledger, List<LedgerRequest> requests, Instant now, LedgerState state) {
    TableBatch rows = new TableBatch("seeder");
    List<ConditionalWrites.Written<LedgerRow>> written = new ArrayList<>();
    long index = 0;
    for (LedgerRequest request : requests) {
      LedgerRow row = confirmed(request, now);
      if (state == LedgerState.EXPIRED) {
        row.state = LedgerState.EXPIRED;
        row.liftedAt = now;
        row.append(now, "expire", "expired", "expired", null, Provenance.TIMER);
      }
      row.listedAt = row.updatedAt;
      row.listedState = row.state;
      // What the ledger's writes publish, one microsecond apart as a batch's versions are.
      row.published =
          LedgerPublications.next(
              null, row, now.plus(index++, java.time.temporal.ChronoUnit.MICROS));
      rows.upsert(ledger.tables().rows, row.toEntity());
      written.add(new ConditionalWrites.Written<>(null, row));
    }
    if (state == LedgerState.ACTIVE) {
      ledger.indexes().beforeClaims(requests);
    }
    rows.flush();
    ledger.indexes().afterWrites(written);
  }

  /**
   * Publishes one block episode per request in the all-providers scope, nothing else: the version
   * {@link #seedActive} would publish ({@code LedgerPublications.next}) in the entry {@code
   * LedgerPublications.publish} writes for that scope, without the rows, their other indexes, the
   * provider's scope or the lookup by id. For tests that page through that scope at sizes where the
   * rest would take minutes: Azurite's upserts slow down with the size of the table. The
   * transactions go out from a few threads, which a loaded Azurite answers faster.
   */
  public static void seedPublished(BlockLedger ledger, List<LedgerRequest> requests, Instant now) {
    List<TableBatch> batches = new ArrayList<>();
    TableBatch batch = null;
    long index = 0;
    for (LedgerRequest request : requests) {
      if (index % 1_000 == 0) {
        batch = new TableBatch("seeder");
        batches.add(batch);
      }
      LedgerRow row = confirmed(request, now);
      row.listedAt = row.updatedAt;
      row.listedState = row.state;
      BlockVersion version =
          LedgerPublications.next(
              null, row, now.plus(index++, java.time.temporal.ChronoUnit.MICROS));
      batch.upsert(
          ledger.tables().published,
          new TableEntity(
                  LedgerPublications.partition(LedgerPublications.ALL),
                  LedgerPublications.position(version))
              .addProperty("version", LedgerPublications.toJson(version)));
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      for (Future<?> sent : pool.invokeAll(batches.stream().map(SeedTask::new).toList())) {
        sent.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } finally {
      pool.shutdown();
    }
  }

  private static LedgerRow confirmed(LedgerRequest request, Instant now) {
    LedgerRow row = LedgerRow.create(request, now);
    row.state = LedgerState.ACTIVE;
    row.append(
        now,
        request.action().name().toLowerCase(Locale.ROOT),
        "claimed",
        "seeded",
        null,
        request.provenance());
    row.append(now, "confirm", "blocked", null, null, request.provenance());
    return row;
  }

  private record SeedTask(TableBatch batch) implements Callable<Void> {
    @Override
    public Void call() {
      batch.flush();
      return null;
    }
  }
}
