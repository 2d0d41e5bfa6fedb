package com.socactions.blocking;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableTransactionAction;
import com.azure.data.tables.models.TableTransactionActionType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes active, confirmed ledger rows straight into the table, {@value
 * BlockLedger#MAX_TRANSACTION_ACTIONS} creates per entity-group transaction and nothing else: the
 * rows {@link BlockLedger#claimActive} and {@link BlockLedger#confirm} would leave, without their
 * reads. For benchmarks that need a ledger of 100,000 rows (through the ledger that is two writes
 * and a range query per hundred rows, and the range query scans the whole partition on Azurite).
 * The rows must not exist yet.
 */
public final class LedgerSeeder {
  private LedgerSeeder() {}

  /** Creates one active row per request, as confirmed at {@code now} with no provider reference. */
  public static void seedActive(TableClient table, List<LedgerRequest> requests, Instant now) {
    Map<String, List<TableTransactionAction>> byPartition = new LinkedHashMap<>();
    for (LedgerRequest request : requests) {
      LedgerRow row = LedgerRow.create(request, now);
      row.state = LedgerState.ACTIVE;
      row.append(
          now,
          request.action().name().toLowerCase(Locale.ROOT),
          "blocked",
          "seeded",
          null,
          request.provenance());
      byPartition
          .computeIfAbsent(row.partitionKey(), key -> new ArrayList<>())
          .add(new TableTransactionAction(TableTransactionActionType.CREATE, row.toEntity()));
    }
    for (List<TableTransactionAction> actions : byPartition.values()) {
      for (int from = 0; from < actions.size(); from += BlockLedger.MAX_TRANSACTION_ACTIONS) {
        table.submitTransaction(
            actions.subList(
                from, Math.min(actions.size(), from + BlockLedger.MAX_TRANSACTION_ACTIONS)));
      }
    }
  }
}
