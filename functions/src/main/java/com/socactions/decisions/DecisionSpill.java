package com.socactions.decisions;

import com.azure.core.util.Context;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableTransactionAction;
import com.azure.data.tables.models.TableTransactionActionType;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.socactions.platform.Json;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Decision rows that could not be sent yet, kept in Table Storage ({@value #TABLE}) until a later
 * upload takes them: what survives Log Analytics being slow or down, and the process stopping.
 *
 * <p>One entity per row: partition = the hour the row was made ({@code yyyyMMddHH}), row key = its
 * time and {@code DecisionId}, so the table reads oldest first and saving the same row twice keeps
 * one copy. Rows are written and deleted in entity-group transactions (100 a partition).
 */
final class DecisionSpill {
  static final String TABLE = "DecisionSpill";
  static final String ROW_PROPERTY = "Row";

  /** Entity-group transactions take at most 100 entities of one partition. */
  static final int MAX_TRANSACTION = 100;

  private static final DateTimeFormatter HOUR =
      DateTimeFormatter.ofPattern("yyyyMMddHH").withZone(ZoneOffset.UTC);
  private static final TypeReference<LinkedHashMap<String, Object>> ROW_TYPE =
      new TypeReference<>() {};

  private final Supplier<TableClient> table;

  /**
   * @param table the spill table, opened on first use
   */
  DecisionSpill(Supplier<TableClient> table) {
    this.table = table;
  }

  /** A row read back, with its keys for {@link #delete}. */
  record Spilled(String partitionKey, String rowKey, Map<String, Object> row) {}

  /**
   * Keeps the rows (upserts: a row spilled twice is kept once).
   *
   * @throws RuntimeException when Table Storage fails (the caller keeps the rows in memory)
   */
  void save(List<Map<String, Object>> rows) {
    Map<String, List<TableTransactionAction>> byPartition = new LinkedHashMap<>();
    for (Map<String, Object> row : rows) {
      TableEntity entity = new TableEntity(partitionKey(row), rowKey(row));
      entity.addProperty(ROW_PROPERTY, json(row));
      byPartition
          .computeIfAbsent(entity.getPartitionKey(), key -> new ArrayList<>())
          .add(new TableTransactionAction(TableTransactionActionType.UPSERT_REPLACE, entity));
    }
    byPartition.values().forEach(this::submit);
  }

  /** The oldest rows, at most {@code max} (one query page). */
  List<Spilled> oldest(int max) {
    List<Spilled> found = new ArrayList<>();
    for (TableEntity entity : firstPage(new ListEntitiesOptions().setTop(max))) {
      if (found.size() >= max) {
        break;
      }
      Object text = entity.getProperty(ROW_PROPERTY);
      if (text instanceof String json) {
        found.add(new Spilled(entity.getPartitionKey(), entity.getRowKey(), row(json)));
      }
    }
    return found;
  }

  /** Removes rows a later upload delivered. */
  void delete(List<Spilled> spilled) {
    Map<String, List<TableTransactionAction>> byPartition = new LinkedHashMap<>();
    for (Spilled row : spilled) {
      byPartition
          .computeIfAbsent(row.partitionKey(), key -> new ArrayList<>())
          .add(
              new TableTransactionAction(
                  TableTransactionActionType.DELETE,
                  new TableEntity(row.partitionKey(), row.rowKey())));
    }
    byPartition.values().forEach(this::submit);
  }

  /** How many rows wait, counted up to {@code cap} (one page: health must stay cheap). */
  int backlog(int cap) {
    int count = 0;
    for (TableEntity ignored :
        firstPage(new ListEntitiesOptions().setTop(cap).setSelect(List.of("RowKey")))) {
      count++;
    }
    return Math.min(count, cap);
  }

  private Iterable<TableEntity> firstPage(ListEntitiesOptions options) {
    var pages = table.get().listEntities(options, null, Context.NONE).iterableByPage().iterator();
    return pages.hasNext() ? pages.next().getElements() : List.of();
  }

  private void submit(List<TableTransactionAction> actions) {
    for (int from = 0; from < actions.size(); from += MAX_TRANSACTION) {
      table
          .get()
          .submitTransaction(
              actions.subList(from, Math.min(actions.size(), from + MAX_TRANSACTION)));
    }
  }

  static String partitionKey(Map<String, Object> row) {
    return HOUR.format(time(row));
  }

  static String rowKey(Map<String, Object> row) {
    return time(row) + "_" + row.get(DecisionColumn.DECISION_ID.columnName());
  }

  private static Instant time(Map<String, Object> row) {
    return Instant.parse((String) row.get(DecisionColumn.TIME_GENERATED.columnName()));
  }

  private static String json(Map<String, Object> row) {
    try {
      return Json.UPSTREAM.writeValueAsString(row);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a decision row is plain JSON", e);
    }
  }

  private static Map<String, Object> row(String json) {
    try {
      return Json.UPSTREAM.readValue(json, ROW_TYPE);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an unreadable row in " + TABLE, e);
    }
  }
}
