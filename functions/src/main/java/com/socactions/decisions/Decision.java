package com.socactions.decisions;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One decision of the connector, as one row of {@code SOCActions_CL}: a block, allow, unblock or
 * expiry of an indicator, a refusal with its guardrail, an account action, a ticket sync in or out,
 * or an incident enrichment's summary. Any field but the time, operation and status may be null
 * (the column stays empty). See {@link DecisionColumn} for what each column holds.
 *
 * <p>Text fields are cut to {@link #MAX_TEXT} characters, so a row always fits a Logs Ingestion
 * call (1 MB) and a Table Storage property (64 KB) when it has to wait in the spill table.
 */
public record Decision(
    String decisionId,
    Instant timeGenerated,
    DecisionOperation operation,
    String provider,
    String indicator,
    String indicatorType,
    String account,
    String status,
    String guardrail,
    String reason,
    String detail,
    String requestedBy,
    String incidentId,
    Long incidentNumber,
    String correlationId,
    Instant expiresAt,
    Boolean override,
    String justification,
    String providerRef,
    String ticketSystem,
    String ticketId,
    String direction,
    Long durationMs,
    Integer entityCount,
    Integer errorCount) {

  /** Longest text kept per column; the rest is cut with a note. */
  public static final int MAX_TEXT = 2000;

  public Decision {
    Objects.requireNonNull(decisionId, "'decisionId' cannot be null.");
    Objects.requireNonNull(timeGenerated, "'timeGenerated' cannot be null.");
    Objects.requireNonNull(operation, "'operation' cannot be null.");
    Objects.requireNonNull(status, "'status' cannot be null.");
  }

  /** A decision of {@code operation} made at {@code at}, ending in {@code status}. */
  public static Builder builder(DecisionOperation operation, String status, Instant at) {
    return new Builder(operation, status, at);
  }

  /**
   * The row as the data collection rule's stream takes it: column name to value, in column order,
   * empty columns left out; times as ISO-8601 text, which Log Analytics reads as {@code datetime}.
   */
  public Map<String, Object> toRow() {
    Map<String, Object> row = new LinkedHashMap<>();
    put(row, DecisionColumn.TIME_GENERATED, timeGenerated.toString());
    put(row, DecisionColumn.DECISION_ID, decisionId);
    put(row, DecisionColumn.OPERATION, operation.wireName());
    put(row, DecisionColumn.PROVIDER, provider);
    put(row, DecisionColumn.INDICATOR, indicator);
    put(row, DecisionColumn.INDICATOR_TYPE, indicatorType);
    put(row, DecisionColumn.ACCOUNT, account);
    put(row, DecisionColumn.STATUS, status);
    put(row, DecisionColumn.GUARDRAIL, guardrail);
    put(row, DecisionColumn.REASON, reason);
    put(row, DecisionColumn.DETAIL, detail);
    put(row, DecisionColumn.REQUESTED_BY, requestedBy);
    put(row, DecisionColumn.INCIDENT_ID, incidentId);
    put(row, DecisionColumn.INCIDENT_NUMBER, incidentNumber);
    put(row, DecisionColumn.CORRELATION_ID, correlationId);
    put(row, DecisionColumn.EXPIRES_AT, expiresAt == null ? null : expiresAt.toString());
    put(row, DecisionColumn.OVERRIDE, override);
    put(row, DecisionColumn.JUSTIFICATION, justification);
    put(row, DecisionColumn.PROVIDER_REF, providerRef);
    put(row, DecisionColumn.TICKET_SYSTEM, ticketSystem);
    put(row, DecisionColumn.TICKET_ID, ticketId);
    put(row, DecisionColumn.DIRECTION, direction);
    put(row, DecisionColumn.DURATION_MS, durationMs);
    put(row, DecisionColumn.ENTITY_COUNT, entityCount);
    put(row, DecisionColumn.ERROR_COUNT, errorCount);
    return row;
  }

  private static void put(Map<String, Object> row, DecisionColumn column, Object value) {
    if (value != null) {
      row.put(column.columnName(), value instanceof String text ? cut(text) : value);
    }
  }

  static String cut(String text) {
    if (text.length() <= MAX_TEXT) {
      return text;
    }
    return text.substring(0, MAX_TEXT - 20) + " ... (cut by SOC Actions)";
  }

  /** Builds a {@link Decision}; every setter takes null for "empty". */
  public static final class Builder {
    private final DecisionOperation operation;
    private final String status;
    private final Instant at;
    private String provider;
    private String indicator;
    private String indicatorType;
    private String account;
    private String guardrail;
    private String reason;
    private String detail;
    private String requestedBy;
    private String incidentId;
    private Long incidentNumber;
    private String correlationId;
    private Instant expiresAt;
    private Boolean override;
    private String justification;
    private String providerRef;
    private String ticketSystem;
    private String ticketId;
    private String direction;
    private Long durationMs;
    private Integer entityCount;
    private Integer errorCount;

    private Builder(DecisionOperation operation, String status, Instant at) {
      this.operation = Objects.requireNonNull(operation, "'operation' cannot be null.");
      this.status = Objects.requireNonNull(status, "'status' cannot be null.");
      this.at = Objects.requireNonNull(at, "'at' cannot be null.");
    }

    public Builder provider(String value) {
      this.provider = value;
      return this;
    }

    public Builder indicator(String value, String type) {
      this.indicator = value;
      this.indicatorType = type;
      return this;
    }

    public Builder account(String value) {
      this.account = value;
      return this;
    }

    public Builder guardrail(String value) {
      this.guardrail = value;
      return this;
    }

    public Builder reason(String value) {
      this.reason = value;
      return this;
    }

    public Builder detail(String value) {
      this.detail = value;
      return this;
    }

    public Builder requestedBy(String value) {
      this.requestedBy = value;
      return this;
    }

    public Builder incident(String id, Long number) {
      this.incidentId = id;
      this.incidentNumber = number;
      return this;
    }

    public Builder correlationId(String value) {
      this.correlationId = value;
      return this;
    }

    public Builder expiresAt(Instant value) {
      this.expiresAt = value;
      return this;
    }

    /** Whether an override was asked for, and its justification. */
    public Builder override(Boolean requested, String why) {
      this.override = requested;
      this.justification = why;
      return this;
    }

    public Builder providerRef(String value) {
      this.providerRef = value;
      return this;
    }

    public Builder ticket(String system, String id, String direction) {
      this.ticketSystem = system;
      this.ticketId = id;
      this.direction = direction;
      return this;
    }

    public Builder durationMs(Long value) {
      this.durationMs = value;
      return this;
    }

    public Builder entities(Integer count, Integer errors) {
      this.entityCount = count;
      this.errorCount = errors;
      return this;
    }

    public Decision build() {
      return new Decision(
          UUID.randomUUID().toString(),
          at,
          operation,
          provider,
          indicator,
          indicatorType,
          account,
          status,
          guardrail,
          reason,
          detail,
          requestedBy,
          incidentId,
          incidentNumber,
          correlationId,
          expiresAt,
          override,
          justification,
          providerRef,
          ticketSystem,
          ticketId,
          direction,
          durationMs,
          entityCount,
          errorCount);
    }
  }
}
