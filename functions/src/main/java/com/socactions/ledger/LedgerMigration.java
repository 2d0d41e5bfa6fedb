package com.socactions.ledger;

import com.azure.core.http.rest.PagedResponse;
import com.azure.core.util.Context;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableServiceException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.socactions.platform.ConditionalWrites;
import com.socactions.platform.Json;
import com.socactions.platform.UpstreamException;
import com.socactions.platform.UpstreamFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Carries the rows of the ledger's first layout (table {@value #LEGACY_TABLE}: one partition per
 * provider and type, the history capped inside the row) into the current one, so that an upgraded
 * app keeps every active block, allow and decision it had. Run by the expiry timer a page at a time
 * within its budget, resuming from a continuation token kept in the meta table, until the old table
 * is read to its end; then never again (one point read per run says so). A row the current ledger
 * already holds (written since the upgrade) is newer and is left as it is.
 *
 * <p>It reads the whole old table once, which no request path may do: this runs off the request
 * path, once per ledger, at a cost proportional to what it carries over.
 */
final class LedgerMigration {
  /** The table of the first layout. */
  static final String LEGACY_TABLE = "blockledger";

  static final String CURSOR = "migration-blockledger";
  static final String DONE = "done";

  private static final TypeReference<List<LedgerHistory>> HISTORY = new TypeReference<>() {};

  private final TableClient legacy;
  private final LedgerTables tables;
  private final LedgerIndexes indexes;

  LedgerMigration(TableClient legacy, LedgerTables tables, LedgerIndexes indexes) {
    this.legacy = legacy;
    this.tables = tables;
    this.indexes = indexes;
  }

  /**
   * Carries over up to {@code pages} pages of the old table (a page is up to 1,000 rows).
   *
   * @return how many rows were carried over; 0 when the migration is done
   */
  int run(int pages) {
    String cursor = indexes.cursor(CURSOR);
    if (DONE.equals(cursor)) {
      return 0;
    }
    int carried = 0;
    String token = cursor == null || cursor.isEmpty() ? null : cursor;
    for (int page = 0; page < pages; page++) {
      Iterator<PagedResponse<TableEntity>> pages_;
      try {
        pages_ =
            legacy
                .listEntities(
                    new ListEntitiesOptions().setTop(1_000), Duration.ofSeconds(30), Context.NONE)
                .iterableByPage(token)
                .iterator();
      } catch (RuntimeException e) {
        throw new UpstreamException(
            BlockLedger.UPSTREAM, "Table storage could not read " + LEGACY_TABLE, e);
      }
      if (!pages_.hasNext()) {
        indexes.setCursor(CURSOR, DONE);
        return carried;
      }
      PagedResponse<TableEntity> response = pages_.next();
      carried += carry(response.getValue());
      token = response.getContinuationToken();
      indexes.setCursor(CURSOR, token == null ? DONE : token);
      if (token == null) {
        return carried;
      }
    }
    return carried;
  }

  private int carry(List<TableEntity> entities) {
    List<ConditionalWrites.Written<LedgerRow>> written = new ArrayList<>();
    List<LedgerRequest> dueRequests = new ArrayList<>();
    for (TableEntity entity : entities) {
      LedgerRow row;
      try {
        row = convert(entity);
      } catch (RuntimeException unreadable) {
        continue; // not a ledger row of the first layout (nothing else lived there)
      }
      try {
        tables.rows.createEntity(row.toEntity());
      } catch (TableServiceException e) {
        if (UpstreamFailure.of(e) == UpstreamFailure.CONFLICT) {
          continue; // written since the upgrade: newer than the old row
        }
        throw UpstreamException.ofAzure(
            BlockLedger.UPSTREAM, "Table storage could not carry a ledger row over", e);
      }
      written.add(new ConditionalWrites.Written<>(null, row));
      if (row.state == LedgerState.ACTIVE && row.expiresAt != null) {
        dueRequests.add(
            new LedgerRequest(
                row.provider,
                row.toEntry().indicator(),
                row.action,
                row.expiresAt,
                Provenance.TIMER));
      }
    }
    indexes.beforeClaims(dueRequests);
    indexes.afterWrites(written);
    return written.size();
  }

  /** An old row as a current one: keys of today's layout, its capped history numbered. */
  static LedgerRow convert(TableEntity old) {
    TableEntity copy = new TableEntity(old.getPartitionKey(), old.getRowKey());
    old.getProperties()
        .forEach(
            (name, value) -> {
              if (!name.equals("history") && !name.equals("odata.etag")) {
                copy.addProperty(name, value);
              }
            });
    LedgerRow row = LedgerRow.from(copy);
    row.etag = null;
    List<LedgerHistory> kept = new ArrayList<>();
    Object json = old.getProperty("history");
    if (json != null) {
      try {
        kept = Json.MAPPER.readValue(json.toString(), HISTORY);
      } catch (JsonProcessingException e) {
        kept = List.of();
      }
    }
    // The first layout kept the first decision and the latest ones: number them so.
    int count = Math.max(row.historyCount, kept.size());
    List<LedgerHistory> numbered = new ArrayList<>();
    for (int i = 0; i < kept.size(); i++) {
      int seq = i == 0 ? 1 : count - (kept.size() - 1 - i);
      LedgerHistory entry = kept.get(i);
      numbered.add(
          new LedgerHistory(
              seq,
              entry.time(),
              entry.decision(),
              entry.status(),
              entry.reason(),
              entry.guardrail(),
              entry.workflowRunId(),
              entry.requestedBy(),
              entry.incidentId()));
    }
    row.outbox = numbered;
    row.historyCount = count;
    row.listedAt = row.updatedAt != null ? row.updatedAt : row.createdAt;
    row.listedState = row.state;
    return row;
  }
}
