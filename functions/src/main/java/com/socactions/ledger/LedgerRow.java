package com.socactions.ledger;

import com.azure.data.tables.models.TableEntity;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.socactions.indicators.IndicatorType;
import com.socactions.platform.ConditionalWrites;
import com.socactions.platform.Json;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The mutable working copy of one ledger row, and its mapping to and from table entities.
 * Package-private: callers see {@link LedgerEntry}. Property names are snake_case, as in the API.
 *
 * <p>History: the row holds the current state and {@link #historyCount}; every decision is an entry
 * of the history table ({@link LedgerHistoryLog}). The entries of the row's latest decision also
 * stay on the row ({@link #outbox}) until the next decision: the history table is written right
 * after the row, and a write that was lost then is written with the next decision's, or read from
 * the row by {@link BlockLedger#history}.
 */
final class LedgerRow {
  private static final TypeReference<List<LedgerHistory>> HISTORY = new TypeReference<>() {};

  /**
   * Where {@link TableEntity#getETag()} reads the ETag that conditional writes send as If-Match.
   */
  static final String ETAG_PROPERTY = "odata.etag";

  /** The entity mapping for {@link ConditionalWrites}. */
  static final ConditionalWrites.Codec<LedgerRow> CODEC =
      new ConditionalWrites.Codec<>() {
        @Override
        public String partitionKey(LedgerRow row) {
          return row.partitionKey();
        }

        @Override
        public String rowKey(LedgerRow row) {
          return row.rowKey();
        }

        @Override
        public String etag(LedgerRow row) {
          return row.etag;
        }

        @Override
        public void setEtag(LedgerRow row, String etag) {
          row.etag = etag;
        }

        @Override
        public TableEntity toEntity(LedgerRow row) {
          return row.toEntity();
        }

        @Override
        public LedgerRow fromEntity(TableEntity entity) {
          return LedgerRow.from(entity);
        }

        @Override
        public LedgerRow copy(LedgerRow row) {
          return row.copy();
        }
      };

  String provider;
  IndicatorType type;
  String value;
  Action action;
  LedgerState state;
  String reason;
  String justification;
  String guardrail;
  String incidentId;
  String workflowRunId;
  String requestedBy;
  Instant createdAt;
  Instant updatedAt;
  Instant expiresAt;
  Instant liftedAt;
  String providerRef;
  boolean liftPending;
  String lastError;
  Instant pendingSince;

  /**
   * Which claim set {@link #pendingSince}: a retried create that finds its own row knows it won.
   */
  String claimId;

  /** What the claim in {@link #claimId} does; null when no claim is in flight. */
  ClaimKind claimKind;

  /** The expiry an {@code EXTEND} claim carries to the provider, written on confirmation. */
  Instant extendTo;

  /** Whose entry the provider holds, for {@code present} rows. */
  String heldBy;

  /** The decisions of the row's latest write, with their sequence numbers. */
  List<LedgerHistory> outbox = new ArrayList<>();

  /** How many decisions there have been: the last entry's sequence number. */
  int historyCount;

  /** Where the row stands in the list index: under {@link #listedState}, at this time. */
  Instant listedAt;

  LedgerState listedState;

  /**
   * The latest version of the row's block episode that the ledger published (see {@link
   * LedgerPublications}), or null: kept on the row so that the next write knows what it supersedes.
   */
  BlockVersion published;

  String etag;

  /** Whether this working copy has appended a decision yet (the outbox then holds only its own). */
  private boolean decided;

  String partitionKey() {
    return LedgerKeys.partitionKey(provider, type, value);
  }

  String rowKey() {
    return LedgerKeys.rowKey(value);
  }

  /** A new row for {@code request}, created now. */
  static LedgerRow create(LedgerRequest request, Instant now) {
    LedgerRow row = new LedgerRow();
    row.provider = request.provider();
    row.type = request.indicator().type();
    row.value = request.indicator().value();
    row.action = request.action();
    row.createdAt = now;
    row.expiresAt = request.expiresAt();
    row.setProvenance(request.provenance());
    return row;
  }

  LedgerRow copy() {
    LedgerRow copy = from(toEntity());
    copy.etag = etag;
    return copy;
  }

  /** No claim in flight any more. */
  void clearClaim() {
    pendingSince = null;
    claimId = null;
    claimKind = null;
    extendTo = null;
  }

  /** Who asked last: the row shows the latest requester; the history keeps them all. */
  void setProvenance(Provenance provenance) {
    reason = BlockLedger.cut(provenance.reason(), BlockLedger.MAX_FIELD_CHARS);
    justification = BlockLedger.cut(provenance.justification(), BlockLedger.MAX_FIELD_CHARS);
    incidentId = BlockLedger.cut(provenance.incidentId(), BlockLedger.MAX_HISTORY_TEXT_CHARS);
    workflowRunId = BlockLedger.cut(provenance.workflowRunId(), BlockLedger.MAX_HISTORY_TEXT_CHARS);
    requestedBy = BlockLedger.cut(provenance.requestedBy(), BlockLedger.MAX_HISTORY_TEXT_CHARS);
  }

  /**
   * Appends a decision: the next sequence number, on the outbox, which then holds only this working
   * copy's decisions (the ones of the row's previous write are the history table's by now, or go
   * with this write's: {@link LedgerHistoryLog#append}).
   */
  void append(
      Instant time,
      String decision,
      String status,
      String message,
      String guardrailCode,
      Provenance by) {
    if (!decided) {
      outbox = new ArrayList<>();
      decided = true;
    }
    historyCount++;
    outbox.add(historyEntry(historyCount, time, decision, status, message, guardrailCode, by));
    updatedAt = time;
  }

  /** A history entry, its texts cut to {@link BlockLedger#MAX_HISTORY_TEXT_CHARS}. */
  static LedgerHistory historyEntry(
      Integer seq,
      Instant time,
      String decision,
      String status,
      String message,
      String guardrailCode,
      Provenance by) {
    int max = BlockLedger.MAX_HISTORY_TEXT_CHARS;
    return new LedgerHistory(
        seq,
        time,
        decision,
        status,
        BlockLedger.cut(message, max),
        guardrailCode,
        BlockLedger.cut(by.workflowRunId(), max),
        BlockLedger.cut(by.requestedBy(), max),
        BlockLedger.cut(by.incidentId(), max));
  }

  private String outboxJson() {
    try {
      return Json.MAPPER.writeValueAsString(outbox);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("history entries are plain records", e);
    }
  }

  TableEntity toEntity() {
    TableEntity entity =
        new TableEntity(partitionKey(), rowKey())
            .addProperty("value", value)
            .addProperty("type", type.wireName())
            .addProperty("provider", provider)
            .addProperty("action", action.wireName())
            .addProperty("state", state.wireName())
            .addProperty("lift_pending", liftPending)
            .addProperty("outbox", outboxJson())
            .addProperty("history_count", historyCount);
    putIfSet(entity, "reason", reason);
    putIfSet(entity, "justification", justification);
    putIfSet(entity, "guardrail", guardrail);
    putIfSet(entity, "incident_id", incidentId);
    putIfSet(entity, "workflow_run_id", workflowRunId);
    putIfSet(entity, "requested_by", requestedBy);
    putIfSet(entity, "created_at", createdAt);
    putIfSet(entity, "updated_at", updatedAt);
    putIfSet(entity, "expires_at", expiresAt);
    putIfSet(entity, "lifted_at", liftedAt);
    putIfSet(entity, "provider_ref", providerRef);
    putIfSet(entity, "last_error", lastError);
    putIfSet(entity, "pending_since", pendingSince);
    putIfSet(entity, "claim_id", claimId);
    putIfSet(entity, "claim_kind", claimKind == null ? null : claimKind.wireName());
    putIfSet(entity, "extend_to", extendTo);
    putIfSet(entity, "held_by", heldBy);
    putIfSet(entity, "listed_at", listedAt);
    putIfSet(entity, "listed_state", listedState == null ? null : listedState.wireName());
    if (published != null) {
      entity.addProperty("published", LedgerPublications.toJson(published));
    }
    if (etag != null) {
      entity.addProperty(ETAG_PROPERTY, etag);
    }
    return entity;
  }

  static LedgerRow from(TableEntity entity) {
    LedgerRow row = new LedgerRow();
    row.value = text(entity, "value");
    row.type = IndicatorType.valueOf(text(entity, "type").toUpperCase(Locale.ROOT));
    row.provider = text(entity, "provider");
    row.action = Action.valueOf(text(entity, "action").toUpperCase(Locale.ROOT));
    row.state =
        LedgerState.fromWireName(text(entity, "state"))
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "ledger row " + entity.getRowKey() + " has an unknown state"));
    row.reason = text(entity, "reason");
    row.justification = text(entity, "justification");
    row.guardrail = text(entity, "guardrail");
    row.incidentId = text(entity, "incident_id");
    row.workflowRunId = text(entity, "workflow_run_id");
    row.requestedBy = text(entity, "requested_by");
    row.createdAt = time(entity, "created_at");
    row.updatedAt = time(entity, "updated_at");
    row.expiresAt = time(entity, "expires_at");
    row.liftedAt = time(entity, "lifted_at");
    row.providerRef = text(entity, "provider_ref");
    row.liftPending = Boolean.TRUE.equals(entity.getProperty("lift_pending"));
    row.lastError = text(entity, "last_error");
    row.pendingSince = time(entity, "pending_since");
    row.claimId = text(entity, "claim_id");
    row.claimKind = ClaimKind.fromWireName(text(entity, "claim_kind")).orElse(null);
    row.extendTo = time(entity, "extend_to");
    row.heldBy = text(entity, "held_by");
    row.listedAt = time(entity, "listed_at");
    row.listedState = LedgerState.fromWireName(text(entity, "listed_state")).orElse(null);
    String publishedJson = text(entity, "published");
    row.published = publishedJson == null ? null : LedgerPublications.fromJson(publishedJson);
    String json = text(entity, "outbox");
    try {
      row.outbox =
          json == null ? new ArrayList<>() : new ArrayList<>(Json.MAPPER.readValue(json, HISTORY));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "ledger row " + entity.getRowKey() + " has a malformed outbox", e);
    }
    row.historyCount =
        entity.getProperty("history_count") instanceof Number count
            ? count.intValue()
            : row.outbox.size();
    row.etag = entity.getETag();
    return row;
  }

  LedgerEntry toEntry() {
    return new LedgerEntry(
        provider,
        type,
        value,
        action,
        state,
        reason,
        justification,
        guardrail,
        incidentId,
        workflowRunId,
        requestedBy,
        createdAt,
        updatedAt,
        expiresAt,
        liftedAt,
        providerRef,
        liftPending,
        lastError,
        pendingSince,
        claimId,
        claimKind,
        extendTo,
        heldBy,
        outbox,
        historyCount,
        etag,
        listedAt,
        listedState,
        published);
  }

  /** The working copy of an entry a caller holds. */
  static LedgerRow of(LedgerEntry entry) {
    LedgerRow row = new LedgerRow();
    row.provider = entry.provider();
    row.type = entry.type();
    row.value = entry.value();
    row.action = entry.action();
    row.state = entry.state();
    row.reason = entry.reason();
    row.justification = entry.justification();
    row.guardrail = entry.guardrail();
    row.incidentId = entry.incidentId();
    row.workflowRunId = entry.workflowRunId();
    row.requestedBy = entry.requestedBy();
    row.createdAt = entry.createdAt();
    row.updatedAt = entry.updatedAt();
    row.expiresAt = entry.expiresAt();
    row.liftedAt = entry.liftedAt();
    row.providerRef = entry.providerRef();
    row.liftPending = entry.liftPending();
    row.lastError = entry.lastError();
    row.pendingSince = entry.pendingSince();
    row.claimId = entry.claimId();
    row.claimKind = entry.claimKind();
    row.extendTo = entry.extendTo();
    row.heldBy = entry.heldBy();
    row.outbox = new ArrayList<>(entry.history());
    row.historyCount = entry.historyCount();
    row.etag = entry.etag();
    row.listedAt = entry.listedAt();
    row.listedState = entry.listedState();
    row.published = entry.published();
    return row;
  }

  private static void putIfSet(TableEntity entity, String name, String value) {
    if (value != null) {
      entity.addProperty(name, value);
    }
  }

  private static void putIfSet(TableEntity entity, String name, Instant value) {
    if (value != null) {
      // Edm.DateTime, so OData filters can compare times.
      entity.addProperty(name, value.atOffset(ZoneOffset.UTC));
    }
  }

  private static String text(TableEntity entity, String name) {
    Object value = entity.getProperty(name);
    return value == null ? null : value.toString();
  }

  private static Instant time(TableEntity entity, String name) {
    Object value = entity.getProperty(name);
    if (value instanceof OffsetDateTime time) {
      return time.toInstant();
    }
    return value == null ? null : OffsetDateTime.parse(value.toString()).toInstant();
  }
}
