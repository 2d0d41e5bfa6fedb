package com.socactions.ledger;

import com.azure.data.tables.TableClient;
import com.socactions.platform.TableStorage;
import java.util.Objects;

/**
 * The tables of one ledger, in the state storage account, named from one prefix (the default
 * {@value #DEFAULT_PREFIX}):
 *
 * <ul>
 *   <li>{@code <prefix>}: one row per (provider, indicator), its current state;
 *   <li>{@code <prefix>history}: every decision of every row, append-only, keyed by the row and a
 *       sequence number;
 *   <li>{@code <prefix>list}: the newest-first index of {@code ListIndicators}, one entry per row
 *       under its state and provider;
 *   <li>{@code <prefix>due}: the expiry index, by the minute a block or allow lapses;
 *   <li>{@code <prefix>incidents}: the rows decided for each incident;
 *   <li>{@code <prefix>allows}: the active allow entries (small: what the guardrails read);
 *   <li>{@code <prefix>prune}: rows to delete by the day their retention ends;
 *   <li>{@code <prefix>meta}: version rows (the allow list's, each list's) and the timers' cursors;
 *   <li>{@code <prefix>published}: the published versions of block episodes, per provider and for
 *       all, in the order they were recorded ({@link LedgerPublications}).
 * </ul>
 *
 * The default tables also name {@code blockledger}, the table of the first layout, whose rows
 * {@link LedgerMigration} carries over.
 *
 * <p>Every read on a request path is by key or a key range of one of these; nothing scans the rows.
 */
public final class LedgerTables {
  public static final String DEFAULT_PREFIX = "ledger";

  final TableClient rows;
  final TableClient history;
  final TableClient list;
  final TableClient due;
  final TableClient incidents;
  final TableClient allows;
  final TableClient prune;
  final TableClient meta;
  final TableClient published;

  /** The table of the ledger's first layout, carried over by {@link LedgerMigration}; or null. */
  final TableClient legacy;

  private LedgerTables(TableStorage storage, String prefix, String legacyTable) {
    Objects.requireNonNull(storage, "'storage' cannot be null.");
    this.rows = storage.table(prefix);
    this.history = storage.table(prefix + "history");
    this.list = storage.table(prefix + "list");
    this.due = storage.table(prefix + "due");
    this.incidents = storage.table(prefix + "incidents");
    this.allows = storage.table(prefix + "allows");
    this.prune = storage.table(prefix + "prune");
    this.meta = storage.table(prefix + "meta");
    this.published = storage.table(prefix + "published");
    this.legacy = legacyTable == null ? null : storage.table(legacyTable);
  }

  /** The tables named {@value #DEFAULT_PREFIX}..., created where missing. */
  public static LedgerTables in(TableStorage storage) {
    return new LedgerTables(storage, DEFAULT_PREFIX, LedgerMigration.LEGACY_TABLE);
  }

  /** The tables named from another prefix (tests and benchmarks: a ledger of their own). */
  public static LedgerTables in(TableStorage storage, String prefix) {
    return new LedgerTables(storage, prefix, null);
  }

  /** Tables under {@code prefix} that carry over the rows of {@code legacyTable} (tests). */
  public static LedgerTables in(TableStorage storage, String prefix, String legacyTable) {
    return new LedgerTables(storage, prefix, legacyTable);
  }
}
