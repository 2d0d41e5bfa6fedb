package com.socactions.ledger;

import com.azure.data.tables.models.TableEntity;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.socactions.indicators.IndicatorType;
import com.socactions.platform.Json;
import com.socactions.platform.TableBatch;
import com.socactions.platform.TableReads;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * The publication index of the ledger: the versions of block episodes ({@link BlockVersion}) in the
 * order they were recorded, per provider and for all providers, kept by the ledger's own writes.
 * What the TAXII server pages through.
 *
 * <p><b>What is published.</b> A row is an <em>enforced block</em> while it is active with the
 * block action, of a type an indicator can name, and not waiting for the provider to confirm its
 * claim ({@link #isEnforcedBlock}). Every write of a row decides, on the row as it is about to be
 * written, what it publishes ({@link #next}): a new episode when a row becomes an enforced block, a
 * new version when the expiry of an enforced block moves, a revoked version when it stops being
 * one. The decision is made inside the row's conditional write and kept on the row ({@link
 * LedgerRow#published}), so the version's time is decided once and a write run again publishes the
 * same version.
 *
 * <p><b>Layout.</b> Table {@code <prefix>published}: partition {@code s-<scope>} ({@code scope} a
 * provider id or {@value #ALL}) holds one entry per episode, its latest version, under the row key
 * {@code <date added, microseconds since the epoch, 17 digits>|<episode id>}; a new version of an
 * episode replaces the entry of the previous one in the same transaction (same partition), so a
 * page is one key-range query and shows each episode once, at its latest version. Partition {@value
 * #BY_ID} holds the latest version of each episode by its id (for lookups by id). The date added is
 * the version's {@code modified}, decided before the row write; entries land in the index right
 * after the row, so readers should not serve the last moments (see the TAXII server's visibility
 * delay). Revoked versions are filed in the prune index and deleted with the ledger's retention.
 *
 * <p><b>Cost.</b> Per write: one upsert per scope and one by id (plus a delete per scope of the
 * superseded version), in the write's index transactions; nothing when a write publishes nothing
 * new. Per page: one range query of {@code top} entries.
 */
final class LedgerPublications {
  /** The scope of every provider's versions. */
  static final String ALL = "all";

  static final String BY_ID = "id";

  /** Prune index entries of published versions start with this (ledger keys never do). */
  static final String PRUNE_PREFIX = "published|";

  static final String BACKFILL_CURSOR = "publications-backfill";
  static final String DONE = "done";

  /** The types an indicator pattern can name; accounts are never published. */
  static final Set<IndicatorType> PUBLISHED_TYPES =
      Set.of(
          IndicatorType.IP,
          IndicatorType.CIDR,
          IndicatorType.DOMAIN,
          IndicatorType.URL,
          IndicatorType.SHA256,
          IndicatorType.SHA1,
          IndicatorType.MD5);

  private static final Duration TICK = Duration.of(1, ChronoUnit.MICROS);
  private static final Duration SHORTEST_VALIDITY = Duration.ofMillis(1);

  private final LedgerTables tables;
  private final Duration retention;

  LedgerPublications(LedgerTables tables, Duration retention) {
    this.tables = tables;
    this.retention = retention;
  }

  // ---- what a write publishes (pure) ---------------------------------------------------------

  /**
   * Whether the row is an enforced block: active with the block action and not an apply claim still
   * waiting for the provider (an extension or lift in flight leaves the block enforced).
   */
  static boolean isEnforcedBlock(LedgerRow row) {
    return row.state == LedgerState.ACTIVE
        && row.action == Action.BLOCK
        && row.claimKind != ClaimKind.APPLY
        && PUBLISHED_TYPES.contains(row.type)
        && !LedgerKeys.ACCOUNTS_PROVIDER.equals(row.provider);
  }

  /**
   * The latest version once {@code row} is written at {@code at}, given the latest published before
   * ({@code last}, null when none): {@code last} itself when nothing changes. The episode starts at
   * the row's {@code listed_at} (the claim that made it active: extensions and failed lifts do not
   * move it), so its id stays the same for all its versions.
   */
  static BlockVersion next(BlockVersion last, LedgerRow row, Instant at) {
    if (isEnforcedBlock(row)) {
      Instant start =
          row.listedAt != null ? row.listedAt : row.createdAt != null ? row.createdAt : at;
      if (last != null && !last.revoked() && last.validFrom().equals(start)) {
        Instant until = validUntil(start, row.expiresAt);
        if (java.util.Objects.equals(last.validUntil(), until)) {
          return last;
        }
        return last.successor(until, later(at, last), false, null);
      }
      if (last != null && last.validFrom().equals(start)) {
        start = at; // a revoked episode is never revoked back: this one is new
      }
      return new BlockVersion(
          BlockVersion.episodeIdOf(row.provider, row.type, row.value, start),
          row.provider,
          row.type,
          row.value,
          start,
          validUntil(start, row.expiresAt),
          at.isBefore(start) ? start : at,
          false,
          null,
          row.reason,
          row.incidentId,
          row.requestedBy);
    }
    if (last == null || last.revoked()) {
      return last;
    }
    Instant modified = later(at, last);
    Instant until =
        last.validUntil() == null || modified.isBefore(last.validUntil())
            ? modified
            : last.validUntil();
    return last.successor(validUntil(last.validFrom(), until), modified, true, endedAs(row));
  }

  /** STIX wants {@code valid_until} after {@code valid_from}. */
  private static Instant validUntil(Instant from, Instant until) {
    if (until == null) {
      return null;
    }
    return until.isAfter(from) ? until : from.plus(SHORTEST_VALIDITY);
  }

  /** {@code at}, or just after the previous version when clocks disagree. */
  private static Instant later(Instant at, BlockVersion last) {
    Instant floor = last.modified().plus(TICK);
    return at.isBefore(floor) ? floor : at;
  }

  private static String endedAs(LedgerRow row) {
    if (row.state == LedgerState.ACTIVE && row.action == Action.ALLOW) {
      return "allowed";
    }
    return row.state.wireName();
  }

  // ---- index writes --------------------------------------------------------------------------

  /**
   * Adds to {@code batch} what a write from {@code before} to {@code after} (the rows' published
   * versions) changes in the index: nothing when they are the same; else {@code after}'s entries,
   * replacing those of {@code before} when it is an earlier version of the same episode (a revoked
   * version of an earlier episode stays: its clients must still see it).
   */
  void publish(TableBatch batch, BlockVersion before, BlockVersion after) {
    if (after == null || after.equals(before)) {
      return;
    }
    String position = position(after);
    if (before != null
        && before.episodeId().equals(after.episodeId())
        && !position(before).equals(position)) {
      for (String scope : scopes(before)) {
        batch.delete(tables.published, partition(scope), position(before));
      }
    }
    String json = toJson(after);
    for (String scope : scopes(after)) {
      batch.upsert(
          tables.published,
          new TableEntity(partition(scope), position).addProperty("version", json));
    }
    batch.upsert(
        tables.published,
        new TableEntity(BY_ID, after.episodeId().toString())
            .addProperty("version", json)
            .addProperty("position", position));
    if (after.revoked()) {
      batch.upsert(
          tables.prune,
          new TableEntity(
                  LedgerIndexes.pruneBucket(after.modified().plus(retention)),
                  PRUNE_PREFIX + after.episodeId())
              .addProperty("provider", after.provider())
              .addProperty("position", position));
    }
  }

  static boolean isPruneEntry(TableEntity entity) {
    return entity.getRowKey().startsWith(PRUNE_PREFIX);
  }

  /** Deletes the entries of revoked versions whose retention ended (their prune entries). */
  void forget(List<TableEntity> pruneEntries) {
    TableBatch batch = new TableBatch(BlockLedger.UPSTREAM);
    for (TableEntity entry : pruneEntries) {
      String episode = entry.getRowKey().substring(PRUNE_PREFIX.length());
      String position = String.valueOf(entry.getProperty("position"));
      String provider = String.valueOf(entry.getProperty("provider"));
      batch.delete(tables.published, partition(provider), position);
      batch.delete(tables.published, partition(ALL), position);
      batch.delete(tables.published, BY_ID, episode);
    }
    batch.flush();
  }

  // ---- reads ---------------------------------------------------------------------------------

  /**
   * Up to {@code top} entries of one scope, oldest first, after {@code afterPosition} (exclusive;
   * null: from the start), added after {@code addedAfter} (exclusive; null: any) and at or before
   * {@code addedUntil}: one key-range query.
   */
  List<BlockLedger.Published> page(
      String scope, String afterPosition, Instant addedAfter, Instant addedUntil, int top) {
    StringBuilder filter =
        new StringBuilder("PartitionKey eq ").append(BlockLedger.quote(partition(scope)));
    if (afterPosition != null) {
      filter.append(" and RowKey gt ").append(BlockLedger.quote(afterPosition));
    }
    if (addedAfter != null) {
      filter.append(" and RowKey ge ").append(BlockLedger.quote(dateKey(micros(addedAfter) + 1)));
    }
    filter.append(" and RowKey lt ").append(BlockLedger.quote(dateKey(micros(addedUntil) + 1)));
    List<BlockLedger.Published> page = new ArrayList<>();
    for (TableEntity entity :
        LedgerIndexes.query(
            tables.published,
            filter.toString(),
            top,
            List.of("PartitionKey", "RowKey", "version"))) {
      page.add(published(entity.getRowKey(), entity));
    }
    return page;
  }

  /** The latest version of one episode, or null: one point read. */
  BlockLedger.Published byId(UUID episodeId) {
    TableEntity entity =
        TableReads.get(
            tables.published,
            new TableReads.Key(BY_ID, episodeId.toString()),
            BlockLedger.UPSTREAM);
    return entity == null
        ? null
        : published(String.valueOf(entity.getProperty("position")), entity);
  }

  private static BlockLedger.Published published(String position, TableEntity entity) {
    return new BlockLedger.Published(
        position, dateAdded(position), fromJson(String.valueOf(entity.getProperty("version"))));
  }

  // ---- keys ----------------------------------------------------------------------------------

  static String partition(String scope) {
    return "s-" + scope;
  }

  /** The scopes a version is listed in: its provider's and {@value #ALL}. */
  static List<String> scopes(BlockVersion version) {
    return List.of(version.provider(), ALL);
  }

  /** Where a version stands in its scopes: its date added, then its episode id. */
  static String position(BlockVersion version) {
    return dateKey(micros(version.modified())) + "|" + version.episodeId();
  }

  static Instant dateAdded(String position) {
    long micros = Long.parseLong(position.substring(0, position.indexOf('|')));
    return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
  }

  static String dateKey(long micros) {
    return String.format(Locale.ROOT, "%017d", micros);
  }

  static long micros(Instant time) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, time);
  }

  // ---- JSON ----------------------------------------------------------------------------------

  static String toJson(BlockVersion version) {
    try {
      return Json.MAPPER.writeValueAsString(version);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a block version is a plain record", e);
    }
  }

  static BlockVersion fromJson(String json) {
    try {
      return Json.MAPPER.readValue(json, BlockVersion.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a published block version is malformed", e);
    }
  }
}
