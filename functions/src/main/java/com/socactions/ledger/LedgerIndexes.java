package com.socactions.ledger;

import com.azure.core.util.Context;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.socactions.indicators.Indicator;
import com.socactions.indicators.IndicatorType;
import com.socactions.platform.ConditionalWrites;
import com.socactions.platform.Json;
import com.socactions.platform.TableBatch;
import com.socactions.platform.TableReads;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * The ledger's indexes and history, kept by the writes: after rows are written, {@link
 * #afterWrites} appends their decisions to the history table and moves their entries in the list,
 * incident, allow and prune indexes, and bumps the version rows of the allow list and of every list
 * whose active entries changed; before claims, {@link #beforeClaims} writes the expiry index
 * entries the claims may need (an entry that turns out not to be needed is cleaned by the timer
 * when it reaches it). All of it is idempotent upserts and deletes in transactions per partition,
 * so a batch of n decisions costs O(n / 100) index calls, and every read here is by key or a key
 * range.
 */
final class LedgerIndexes {
  /** The partition of the allow index and of the meta rows. */
  static final String ALLOWS_PARTITION = "allow";

  static final String META_PARTITION = "meta";
  static final String ALLOW_VERSION = "allow-version";
  static final String EXPIRY_CURSOR = "expiry-cursor";
  static final String PRUNE_CURSOR = "prune-cursor";

  private static final DateTimeFormatter MINUTE =
      DateTimeFormatter.ofPattern("yyyyMMddHHmm", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyyMMdd", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final Set<LedgerState> PRUNABLE =
      Set.of(
          LedgerState.LIFTED,
          LedgerState.EXPIRED,
          LedgerState.FAILED,
          LedgerState.REFUSED,
          LedgerState.DRY_RUN,
          LedgerState.NOTED);

  private final LedgerTables tables;
  private final Duration retention;
  private final LedgerPublications publications;

  LedgerIndexes(LedgerTables tables, Duration retention) {
    this.tables = tables;
    this.retention = retention;
    this.publications = new LedgerPublications(tables, retention);
  }

  LedgerPublications publications() {
    return publications;
  }

  // ---- keys ----------------------------------------------------------------------------------

  /** The row's ledger key as one index row key: {@code partition|row}. */
  static String ledgerKey(String partitionKey, String rowKey) {
    return partitionKey + "|" + rowKey;
  }

  static TableReads.Key keyOf(String ledgerKey) {
    int bar = ledgerKey.indexOf('|');
    return new TableReads.Key(ledgerKey.substring(0, bar), ledgerKey.substring(bar + 1));
  }

  /** The list index partition of one state and provider. */
  static String listPartition(LedgerState state, String provider) {
    return state.wireName() + "|" + provider;
  }

  /** Newest first: the time inverted, fixed width, so row keys sort by it descending. */
  static String inverted(Instant time) {
    return String.format(Locale.ROOT, "%019d", Long.MAX_VALUE - time.toEpochMilli());
  }

  static String listRowKey(Instant listedAt, IndicatorType type, String rowKey) {
    return inverted(listedAt) + "|" + type.wireName() + "|" + rowKey;
  }

  /** The expiry index partition: the UTC minute. */
  static String dueBucket(Instant time) {
    return MINUTE.format(time);
  }

  static Instant bucketStart(String bucket) {
    return OffsetDateTime.of(
            Integer.parseInt(bucket.substring(0, 4)),
            Integer.parseInt(bucket.substring(4, 6)),
            Integer.parseInt(bucket.substring(6, 8)),
            Integer.parseInt(bucket.substring(8, 10)),
            Integer.parseInt(bucket.substring(10, 12)),
            0,
            0,
            ZoneOffset.UTC)
        .toInstant();
  }

  static String pruneBucket(Instant time) {
    return DAY.format(time);
  }

  static String incidentPartition(String incidentId) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(incidentId.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
      return "i" + HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  static String listVersionKey(String provider, Action action, IndicatorType type) {
    return "list-version|" + provider + "|" + action.wireName() + "|" + type.wireName();
  }

  static String historyRowKey(String rowKey, int seq) {
    return rowKey + "|" + String.format(Locale.ROOT, "%010d", seq);
  }

  // ---- writes --------------------------------------------------------------------------------

  /**
   * Before claims: an expiry index entry at each request's expiry, so that any claim that takes
   * effect is found by the timer even if this process dies right after the row write.
   */
  void beforeClaims(List<LedgerRequest> requests) {
    TableBatch batch = new TableBatch(BlockLedger.UPSTREAM);
    for (LedgerRequest request : requests) {
      String partitionKey =
          LedgerKeys.partitionKey(
              request.provider(), request.indicator().type(), request.indicator().value());
      String rowKey = LedgerKeys.rowKey(request.indicator().value());
      batch.upsert(tables.due, dueEntry(request.expiresAt(), partitionKey, rowKey));
    }
    batch.flush();
  }

  /** An expiry index entry: the row at {@code partitionKey/rowKey} may be due at {@code at}. */
  static TableEntity dueEntry(Instant at, String partitionKey, String rowKey) {
    return new TableEntity(dueBucket(at), ledgerKey(partitionKey, rowKey))
        .addProperty("due_at", at.atOffset(ZoneOffset.UTC));
  }

  /** Enqueues rows to be looked at again by the expiry timer at {@code at} (a lift to retry). */
  void enqueueDue(List<LedgerRow> rows, Instant at) {
    TableBatch batch = new TableBatch(BlockLedger.UPSTREAM);
    rows.forEach(row -> batch.upsert(tables.due, dueEntry(at, row.partitionKey(), row.rowKey())));
    batch.flush();
  }

  /** Removes expiry index entries the timer has dealt with. */
  void removeDue(List<TableEntity> entries) {
    TableBatch batch = new TableBatch(BlockLedger.UPSTREAM);
    entries.forEach(entry -> batch.delete(tables.due, entry.getPartitionKey(), entry.getRowKey()));
    batch.flush();
  }

  /**
   * After rows were written: history, list, incident, allow and prune entries, version rows, and
   * the published versions of block episodes. Idempotent: running it twice for the same writes
   * changes nothing more.
   */
  void afterWrites(List<ConditionalWrites.Written<LedgerRow>> written) {
    if (written.isEmpty()) {
      return;
    }
    TableBatch batch = new TableBatch(BlockLedger.UPSTREAM);
    Set<String> versions = new LinkedHashSet<>();
    boolean allowsChanged = false;
    for (ConditionalWrites.Written<LedgerRow> write : written) {
      LedgerRow before = write.before();
      LedgerRow after = write.after();
      String partitionKey = after.partitionKey();
      String rowKey = after.rowKey();
      String ledgerKey = ledgerKey(partitionKey, rowKey);
      history(batch, before, after, partitionKey, rowKey);
      // The list index: one entry per row, where the row says it is listed.
      boolean listed = before != null && before.listedState != null && before.listedAt != null;
      boolean moved =
          !listed
              || before.listedState != after.listedState
              || !Objects.equals(before.listedAt, after.listedAt);
      if (moved && after.listedState != null && after.listedAt != null) {
        if (listed) {
          batch.delete(
              tables.list,
              listPartition(before.listedState, before.provider),
              listRowKey(before.listedAt, before.type, rowKey));
        }
        batch.upsert(tables.list, listEntry(after, ledgerKey));
      } else if (!moved
          && (before.action != after.action
              || !Objects.equals(before.expiresAt, after.expiresAt))) {
        // Same place in the list, new content (a confirmed extension): the entry follows.
        batch.upsert(tables.list, listEntry(after, ledgerKey));
      }
      if (after.incidentId != null
          && (before == null || !after.incidentId.equals(before.incidentId) || moved)) {
        batch.upsert(
            tables.incidents,
            new TableEntity(incidentPartition(after.incidentId), ledgerKey)
                .addProperty("incident_id", after.incidentId));
      }
      boolean wasAllow = before != null && isActiveAllow(before);
      boolean isAllow = isActiveAllow(after);
      if (isAllow) {
        if (!wasAllow || !Objects.equals(before.expiresAt, after.expiresAt)) {
          batch.upsert(tables.allows, allowEntry(after, ledgerKey));
          allowsChanged = true;
        }
      } else if (wasAllow) {
        batch.delete(tables.allows, ALLOWS_PARTITION, ledgerKey);
        allowsChanged = true;
      }
      if (activeListChanged(before, after)) {
        if (before != null && before.state == LedgerState.ACTIVE) {
          versions.add(listVersionKey(before.provider, before.action, before.type));
        }
        versions.add(listVersionKey(after.provider, after.action, after.type));
      }
      if (PRUNABLE.contains(after.state)
          && (before == null || before.state != after.state || moved)
          && after.updatedAt != null) {
        batch.upsert(
            tables.prune,
            new TableEntity(pruneBucket(after.updatedAt.plus(retention)), ledgerKey)
                .addProperty("updated_at", after.updatedAt.atOffset(ZoneOffset.UTC)));
      }
      publications.publish(batch, before == null ? null : before.published, after.published);
    }
    if (allowsChanged) {
      versions.add(ALLOW_VERSION);
    }
    String version = UUID.randomUUID().toString();
    versions.forEach(
        key ->
            batch.upsert(
                tables.meta, new TableEntity(META_PARTITION, key).addProperty("version", version)));
    batch.flush();
  }

  private void history(
      TableBatch batch, LedgerRow before, LedgerRow after, String partitionKey, String rowKey) {
    // The previous write's entries go again: if their own append was lost, they are not.
    List<LedgerHistory> entries = new ArrayList<>();
    if (before != null) {
      entries.addAll(before.outbox);
    }
    entries.addAll(after.outbox);
    Set<Integer> seen = new java.util.HashSet<>();
    for (LedgerHistory entry : entries) {
      if (entry.seq() == null || !seen.add(entry.seq())) {
        continue;
      }
      batch.upsert(tables.history, historyEntity(partitionKey, rowKey, entry));
    }
  }

  private static TableEntity listEntry(LedgerRow row, String ledgerKey) {
    TableEntity entity =
        new TableEntity(
                listPartition(row.listedState, row.provider),
                listRowKey(row.listedAt, row.type, row.rowKey()))
            .addProperty("ledger_key", ledgerKey)
            .addProperty("value", row.value)
            .addProperty("type", row.type.wireName())
            .addProperty("action", row.action.wireName());
    if (row.expiresAt != null) {
      entity.addProperty("expires_at", row.expiresAt.atOffset(ZoneOffset.UTC));
    }
    return entity;
  }

  /** A list index entry as the feeds read it. */
  static BlockLedger.Listed listed(TableEntity entity) {
    Object expires = entity.getProperty("expires_at");
    return new BlockLedger.Listed(
        String.valueOf(entity.getProperty("value")),
        IndicatorType.valueOf(String.valueOf(entity.getProperty("type")).toUpperCase(Locale.ROOT)),
        Action.valueOf(String.valueOf(entity.getProperty("action")).toUpperCase(Locale.ROOT)),
        expires instanceof OffsetDateTime time ? time.toInstant() : null);
  }

  /**
   * A history note of a decision that changed no row: beside the row's numbered entries ({@code
   * row|n<millis>-<id>} sorts after {@code row|0000000001}), so one key range reads both.
   */
  static TableEntity noteEntity(String partitionKey, String rowKey, LedgerHistory entry) {
    try {
      String key =
          rowKey
              + "|n"
              + String.format(Locale.ROOT, "%013d", entry.time().toEpochMilli())
              + "-"
              + UUID.randomUUID().toString().substring(0, 8);
      return new TableEntity(partitionKey, key)
          .addProperty("entry", Json.MAPPER.writeValueAsString(entry))
          .addProperty("time", entry.time().atOffset(ZoneOffset.UTC));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("history entries are plain records", e);
    }
  }

  static TableEntity historyEntity(String partitionKey, String rowKey, LedgerHistory entry) {
    try {
      return new TableEntity(partitionKey, historyRowKey(rowKey, entry.seq()))
          .addProperty("entry", Json.MAPPER.writeValueAsString(entry))
          .addProperty("time", entry.time().atOffset(ZoneOffset.UTC));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("history entries are plain records", e);
    }
  }

  static boolean isActiveAllow(LedgerRow row) {
    return row.state == LedgerState.ACTIVE && row.action == Action.ALLOW;
  }

  /** Whether the set of active entries of the row's list (or its expiry there) changed. */
  private static boolean activeListChanged(LedgerRow before, LedgerRow after) {
    boolean wasActive = before != null && before.state == LedgerState.ACTIVE;
    boolean isActive = after.state == LedgerState.ACTIVE;
    if (wasActive != isActive) {
      return true;
    }
    return isActive
        && (before.action != after.action || !Objects.equals(before.expiresAt, after.expiresAt));
  }

  private static TableEntity allowEntry(LedgerRow row, String ledgerKey) {
    TableEntity entity =
        new TableEntity(ALLOWS_PARTITION, ledgerKey)
            .addProperty("value", row.value)
            .addProperty("type", row.type.wireName())
            .addProperty("provider", row.provider);
    if (row.expiresAt != null) {
      entity.addProperty("expires_at", row.expiresAt.atOffset(ZoneOffset.UTC));
    }
    return entity;
  }

  // ---- reads ---------------------------------------------------------------------------------

  /** A version row's value (null when it was never written). */
  String version(String key) {
    TableEntity entity =
        TableReads.get(tables.meta, new TableReads.Key(META_PARTITION, key), BlockLedger.UPSTREAM);
    return entity == null ? null : String.valueOf(entity.getProperty("version"));
  }

  /** One active allow entry, and when it lapses (null: never). */
  record Allowed(Indicator indicator, Instant expiresAt) {}

  /** The active allow entries, unexpired at {@code now}: a read of the small allow index. */
  List<Allowed> allows(Instant now) {
    List<Allowed> allowed = new ArrayList<>();
    for (TableEntity entity :
        query(tables.allows, "PartitionKey eq '" + ALLOWS_PARTITION + "'", null, null)) {
      Object expires = entity.getProperty("expires_at");
      Instant expiresAt = expires instanceof OffsetDateTime time ? time.toInstant() : null;
      if (expiresAt != null && !expiresAt.isAfter(now)) {
        continue;
      }
      IndicatorType type =
          IndicatorType.valueOf(
              String.valueOf(entity.getProperty("type")).toUpperCase(Locale.ROOT));
      String value = String.valueOf(entity.getProperty("value"));
      allowed.add(new Allowed(new Indicator(type, value, value), expiresAt));
    }
    return allowed;
  }

  /**
   * Up to {@code top} entries of one list index partition after {@code afterRowKey} (exclusive;
   * null from the start): one range query.
   */
  List<TableEntity> listEntries(String partition, String fromRowKey, int top) {
    String filter =
        "PartitionKey eq "
            + BlockLedger.quote(partition)
            + (fromRowKey == null ? "" : " and RowKey ge " + BlockLedger.quote(fromRowKey));
    return query(tables.list, filter, top, List.of("PartitionKey", "RowKey", "ledger_key"));
  }

  /** Every entry of one type in one active list partition: the list, for a feed. */
  List<TableEntity> activeListEntries(String partition, IndicatorType type) {
    return query(
        tables.list,
        "PartitionKey eq "
            + BlockLedger.quote(partition)
            + " and type eq "
            + BlockLedger.quote(type.wireName()),
        null,
        List.of("PartitionKey", "RowKey", "value", "type", "action", "expires_at"));
  }

  /** The ledger keys of the rows decided for an incident: one partition of the incident index. */
  List<String> incidentRows(String incidentId) {
    return query(
            tables.incidents,
            "PartitionKey eq " + BlockLedger.quote(incidentPartition(incidentId)),
            null,
            List.of("PartitionKey", "RowKey", "incident_id"))
        .stream()
        .filter(entity -> incidentId.equals(entity.getProperty("incident_id")))
        .map(TableEntity::getRowKey)
        .toList();
  }

  /** Entries of the expiry buckets {@code from} to {@code to} (inclusive), in order. */
  List<TableEntity> dueEntries(String from, String to, int top) {
    return bucketsBetween(tables.due, from, to, top);
  }

  /** Entries of the prune buckets {@code from} to {@code to} (inclusive), in order. */
  List<TableEntity> pruneEntries(String from, String to, int top) {
    return bucketsBetween(tables.prune, from, to, top);
  }

  /**
   * One key-range query over the partitions {@code from} to {@code to}: empty ones cost nothing.
   */
  private static List<TableEntity> bucketsBetween(
      TableClient table, String from, String to, int top) {
    return query(
        table,
        "PartitionKey ge "
            + BlockLedger.quote(from)
            + " and PartitionKey le "
            + BlockLedger.quote(to),
        top,
        null);
  }

  void removePrune(List<TableEntity> entries) {
    TableBatch batch = new TableBatch(BlockLedger.UPSTREAM);
    entries.forEach(
        entry -> batch.delete(tables.prune, entry.getPartitionKey(), entry.getRowKey()));
    batch.flush();
  }

  /** Every history entry of one row, oldest first: one key range of one partition. */
  List<LedgerHistory> history(String partitionKey, String rowKey) {
    List<LedgerHistory> entries = new ArrayList<>();
    String from = rowKey + "|";
    String to = rowKey + "}"; // '}' follows '|' in ASCII: the range is exactly this row's entries
    for (TableEntity entity :
        query(
            tables.history,
            "PartitionKey eq "
                + BlockLedger.quote(partitionKey)
                + " and RowKey gt "
                + BlockLedger.quote(from)
                + " and RowKey lt "
                + BlockLedger.quote(to),
            null,
            List.of("PartitionKey", "RowKey", "entry"))) {
      try {
        entries.add(
            Json.MAPPER.readValue(
                String.valueOf(entity.getProperty("entry")), LedgerHistory.class));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("a history entry of " + rowKey + " is malformed", e);
      }
    }
    return entries;
  }

  /** Deletes a row's history and index entries (retention): O(its history). */
  void forget(LedgerRow row) {
    TableBatch batch = new TableBatch(BlockLedger.UPSTREAM);
    String partitionKey = row.partitionKey();
    String rowKey = row.rowKey();
    for (int seq = 1; seq <= row.historyCount; seq++) {
      batch.delete(tables.history, partitionKey, historyRowKey(rowKey, seq));
    }
    if (row.listedState != null && row.listedAt != null) {
      batch.delete(
          tables.list,
          listPartition(row.listedState, row.provider),
          listRowKey(row.listedAt, row.type, rowKey));
    }
    if (row.incidentId != null) {
      batch.delete(
          tables.incidents, incidentPartition(row.incidentId), ledgerKey(partitionKey, rowKey));
    }
    batch.flush();
  }

  /** A meta row's text property, or null. */
  String cursor(String key) {
    TableEntity entity =
        TableReads.get(tables.meta, new TableReads.Key(META_PARTITION, key), BlockLedger.UPSTREAM);
    return entity == null ? null : (String) entity.getProperty("value");
  }

  void setCursor(String key, String value) {
    TableBatch.replace(
        tables.meta, new TableEntity(META_PARTITION, key).addProperty("value", value));
  }

  /**
   * Up to {@code top} entries of the active list index from the position after {@code (partition,
   * rowKey)} (null: from the start), across every provider's active partition, in key order: one
   * range query (the publication backfill's walk over what is active).
   */
  List<TableEntity> activeEntriesAfter(String partition, String rowKey, int top) {
    String first = listPartition(LedgerState.ACTIVE, "");
    String end = first.substring(0, first.length() - 1) + "}"; // '}' follows '|' in ASCII
    String range =
        "PartitionKey gt "
            + BlockLedger.quote(first)
            + " and PartitionKey lt "
            + BlockLedger.quote(end);
    String from =
        partition == null
            ? ""
            : " and ((PartitionKey eq "
                + BlockLedger.quote(partition)
                + " and RowKey gt "
                + BlockLedger.quote(rowKey)
                + ") or PartitionKey gt "
                + BlockLedger.quote(partition)
                + ")";
    return query(tables.list, range + from, top, List.of("PartitionKey", "RowKey", "ledger_key"));
  }

  static List<TableEntity> query(
      TableClient table, String filter, Integer top, List<String> select) {
    try {
      ListEntitiesOptions options = new ListEntitiesOptions().setFilter(filter);
      if (top != null) {
        options.setTop(top);
      }
      if (select != null) {
        options.setSelect(select);
      }
      List<TableEntity> found = new ArrayList<>();
      var pages = table.listEntities(options, null, Context.NONE).iterableByPage().iterator();
      while (pages.hasNext()) {
        for (TableEntity entity : pages.next().getValue()) {
          found.add(entity);
          if (top != null && found.size() >= top) {
            return found;
          }
        }
      }
      return found;
    } catch (RuntimeException e) {
      throw new com.socactions.platform.UpstreamException(
          BlockLedger.UPSTREAM,
          "Table storage could not query " + table.getTableName() + ": " + firstLine(e),
          e);
    }
  }

  private static String firstLine(RuntimeException e) {
    return e.getMessage() == null
        ? e.getClass().getSimpleName()
        : e.getMessage().lines().findFirst().orElse("");
  }
}
