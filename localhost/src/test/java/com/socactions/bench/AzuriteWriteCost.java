package com.socactions.bench;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableServiceClient;
import com.azure.data.tables.TableServiceClientBuilder;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import com.azure.data.tables.models.TableTransactionAction;
import com.azure.data.tables.models.TableTransactionActionType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Azurite's own cost per call at two partition sizes, with none of the connector's code in the way:
 * the same point reads, new rows, replaces and batched merges against a partition of 1,000 rows and
 * one of a larger size. It tells the ledger benchmark's readers how much of a wall-time difference
 * between two ledger sizes is the emulator's: Azurite keeps a table in memory and its writes slow
 * as the table grows, which Azure Table Storage does not document for itself.
 */
public final class AzuriteWriteCost {
  private static final int CALLS = 500;
  private static final String FILLER = "x".repeat(600);

  private AzuriteWriteCost() {}

  public static void main(String[] args) {
    TableServiceClient service =
        new TableServiceClientBuilder().connectionString(args[0]).buildClient();
    int large = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
    System.out.printf("AzuriteWriteCost: %d cores%n", Runtime.getRuntime().availableProcessors());
    for (int rows : new int[] {1_000, large}) {
      TableClient table = service.createTableIfNotExists("writecost" + rows);
      seed(table, rows);
      for (int i = 0; i < 50; i++) {
        table.getEntity("p", key("h", i)); // warm the connection and the JIT
      }
      int stride = rows / CALLS;
      long reads = time(() -> repeat(i -> table.getEntity("p", key("h", i * stride))));
      long inserts = time(() -> repeat(i -> table.upsertEntity(row("n", i, FILLER))));
      long replaces =
          time(
              () ->
                  repeat(
                      i ->
                          table.updateEntity(
                              row("h", i * stride, "y"), TableEntityUpdateMode.REPLACE)));
      long merges =
          time(
              () -> {
                for (int b = 0; b < CALLS / 100; b++) {
                  List<TableTransactionAction> batch = new ArrayList<>();
                  for (int j = 0; j < 100; j++) {
                    batch.add(
                        new TableTransactionAction(
                            TableTransactionActionType.UPDATE_MERGE, row("h", b * 100 + j, "z")));
                  }
                  table.submitTransaction(batch);
                }
              });
      System.out.printf(
          Locale.ROOT,
          "rows in the partition %,7d: %d point reads %5d ms, %d new rows %5d ms,"
              + " %d replaces %5d ms, %d batches of 100 merges %5d ms%n",
          rows,
          CALLS,
          reads,
          CALLS,
          inserts,
          CALLS,
          replaces,
          CALLS / 100,
          merges);
    }
  }

  private static void seed(TableClient table, int rows) {
    for (int i = 0; i < rows; i += 100) {
      List<TableTransactionAction> batch = new ArrayList<>();
      for (int j = i; j < i + 100; j++) {
        batch.add(
            new TableTransactionAction(
                TableTransactionActionType.UPSERT_REPLACE, row("h", j, FILLER)));
      }
      table.submitTransaction(batch);
    }
  }

  private static TableEntity row(String prefix, int i, String value) {
    return new TableEntity("p", key(prefix, i)).addProperty("f", value);
  }

  private static String key(String prefix, int i) {
    return String.format(Locale.ROOT, "%s%08d", prefix, i);
  }

  private static void repeat(java.util.function.IntConsumer call) {
    for (int i = 0; i < CALLS; i++) {
      call.accept(i);
    }
  }

  private static long time(Runnable work) {
    long start = System.nanoTime();
    work.run();
    return (System.nanoTime() - start) / 1_000_000;
  }
}
