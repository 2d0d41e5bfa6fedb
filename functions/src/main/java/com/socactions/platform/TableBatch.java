package com.socactions.platform;

import com.azure.core.exception.HttpResponseException;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import com.azure.data.tables.models.TableTransactionAction;
import com.azure.data.tables.models.TableTransactionActionType;
import com.azure.data.tables.models.TableTransactionFailedException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Idempotent writes of index and log entries, sent as entity-group transactions of up to {@value
 * ConditionalWrites#MAX_TRANSACTION_ACTIONS} per table and partition: upserts (replace) and deletes
 * that do not care whether the entity is there. The cost is one call per hundred entries of a
 * partition; a transaction that fails (a delete of an entity that is already gone fails a whole
 * transaction) is sent again entity by entity, a missing entity being no failure.
 *
 * <p>Not for rows whose changes race: those go through {@link ConditionalWrites}.
 */
public final class TableBatch {
  private final String upstream;
  private final Map<TableClient, Map<String, Map<String, Op>>> ops = new IdentityHashMap<>();

  private record Op(TableEntity entity, boolean delete) {}

  public TableBatch(String upstream) {
    this.upstream = upstream;
  }

  /** Writes {@code entity} whatever is there (the last upsert of one key in a batch wins). */
  public TableBatch upsert(TableClient table, TableEntity entity) {
    put(table, entity.getPartitionKey(), entity.getRowKey(), new Op(entity, false));
    return this;
  }

  /** Removes the entity at the key, if there is one. */
  public TableBatch delete(TableClient table, String partitionKey, String rowKey) {
    put(table, partitionKey, rowKey, new Op(new TableEntity(partitionKey, rowKey), true));
    return this;
  }

  public boolean isEmpty() {
    return ops.isEmpty();
  }

  private void put(TableClient table, String partitionKey, String rowKey, Op op) {
    ops.computeIfAbsent(table, t -> new LinkedHashMap<>())
        .computeIfAbsent(partitionKey, p -> new LinkedHashMap<>())
        .put(rowKey, op);
  }

  /**
   * Sends everything collected, then forgets it.
   *
   * @throws UpstreamException naming the upstream when storage fails
   */
  public void flush() {
    try {
      ops.forEach(
          (table, partitions) ->
              partitions.values().forEach(byKey -> send(table, new ArrayList<>(byKey.values()))));
    } finally {
      ops.clear();
    }
  }

  private void send(TableClient table, List<Op> partition) {
    int max = ConditionalWrites.MAX_TRANSACTION_ACTIONS;
    for (int from = 0; from < partition.size(); from += max) {
      List<Op> chunk = partition.subList(from, Math.min(partition.size(), from + max));
      if (chunk.size() == 1) {
        sendOne(table, chunk.get(0));
        continue;
      }
      List<TableTransactionAction> actions =
          chunk.stream()
              .map(
                  op ->
                      op.delete()
                          ? new TableTransactionAction(
                              TableTransactionActionType.DELETE, op.entity(), false)
                          : new TableTransactionAction(
                              TableTransactionActionType.UPSERT_REPLACE, op.entity()))
              .toList();
      try {
        table.submitTransaction(actions);
      } catch (TableTransactionFailedException e) {
        chunk.forEach(op -> sendOne(table, op));
      } catch (RuntimeException e) {
        throw TableReads.failure(upstream, "could not write " + chunk.size() + " entries", e);
      }
    }
  }

  private void sendOne(TableClient table, Op op) {
    try {
      if (op.delete()) {
        table.deleteEntity(op.entity().getPartitionKey(), op.entity().getRowKey());
      } else {
        replace(table, op.entity());
      }
    } catch (HttpResponseException e) {
      if (op.delete() && UpstreamFailure.of(e) == UpstreamFailure.NOT_FOUND) {
        return;
      }
      throw TableReads.failure(upstream, "could not write an entry", e);
    } catch (RuntimeException e) {
      throw TableReads.failure(upstream, "could not write an entry", e);
    }
  }

  /** Replaces (not merges) one entity, whatever is there. */
  public static void replace(TableClient table, TableEntity entity) {
    table.upsertEntityWithResponse(
        entity, TableEntityUpdateMode.REPLACE, null, com.azure.core.util.Context.NONE);
  }
}
