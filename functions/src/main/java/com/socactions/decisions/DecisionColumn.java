package com.socactions.decisions;

import java.util.Locale;

/**
 * The columns of the {@code SOCActions_CL} table, in order, with their Log Analytics types: the
 * contract between {@link Decision#toRow()}, the data collection rule's stream declaration, the
 * table's schema (both in {@code arm/logs-ingestion.json}), the workbook and the detections. Add
 * columns; never rename or retype one.
 */
public enum DecisionColumn {
  /** When the decision was made (the connector's clock). */
  TIME_GENERATED("TimeGenerated", Type.DATETIME),
  /** A fresh id per row: a replayed batch may arrive twice, and this tells the copies apart. */
  DECISION_ID("DecisionId", Type.STRING),
  /** The connector operation ({@link DecisionOperation}). */
  OPERATION("Operation", Type.STRING),
  /** The enforcement point, {@code entra-id} for accounts, the ticket system, or the CMDB. */
  PROVIDER("Provider", Type.STRING),
  /** The normalised indicator (address, network, domain, URL, hash). */
  INDICATOR("Indicator", Type.STRING),
  /** {@code ip}, {@code cidr}, {@code domain}, {@code url}, {@code sha256}, {@code sha1}, ... */
  INDICATOR_TYPE("IndicatorType", Type.STRING),
  /** The account as Entra ID names it (UPN), or as the caller sent it when it did not resolve. */
  ACCOUNT("Account", Type.STRING),
  /**
   * The answer's status ({@code blocked}, {@code refused}, {@code disabled}, {@code created}...).
   */
  STATUS("Status", Type.STRING),
  /** For a refusal: the guardrail's code ({@code private_range}, {@code critical_asset}, ...). */
  GUARDRAIL("Guardrail", Type.STRING),
  /** Why the caller asked (the playbook's {@code reason}). */
  REASON("Reason", Type.STRING),
  /** The answer's sentence: why refused, failed, what changed. */
  DETAIL("Detail", Type.STRING),
  /** Who asked, as the playbook says; {@code expiry timer} for expiries. */
  REQUESTED_BY("RequestedBy", Type.STRING),
  /** The Sentinel incident's ARM id. */
  INCIDENT_ID("IncidentId", Type.STRING),
  /** The incident's number, when the call knew it. */
  INCIDENT_NUMBER("IncidentNumber", Type.LONG),
  /** The Logic Apps run that asked ({@code x-ms-workflow-run-id}). */
  CORRELATION_ID("CorrelationId", Type.STRING),
  /** When a block or allow lapses. */
  EXPIRES_AT("ExpiresAt", Type.DATETIME),
  /** Whether the caller asked to override the guardrails. */
  OVERRIDE("Override", Type.BOOLEAN),
  /** The caller's justification for the override. */
  JUSTIFICATION("Justification", Type.STRING),
  /** The provider's own id for the entry (a Defender indicator id, ...). */
  PROVIDER_REF("ProviderRef", Type.STRING),
  /** Ticket sync: {@code servicenow} or {@code jira}. */
  TICKET_SYSTEM("TicketSystem", Type.STRING),
  /** Ticket sync: the ticket's number (or id). */
  TICKET_ID("TicketId", Type.STRING),
  /** Ticket sync: {@code outbound} (incident to ticket) or {@code inbound}. */
  DIRECTION("Direction", Type.STRING),
  /** How long the call's work took, in milliseconds (ticket sync, enrichment). */
  DURATION_MS("DurationMs", Type.LONG),
  /** Enrichment: how many entities the incident carried. */
  ENTITY_COUNT("EntityCount", Type.INT),
  /** Enrichment: how many lookups failed or missed the deadline. */
  ERROR_COUNT("ErrorCount", Type.INT);

  /** Log Analytics column types (as the table and the stream declaration spell them). */
  public enum Type {
    STRING,
    INT,
    LONG,
    BOOLEAN,
    DATETIME;

    /** {@code string}, {@code int}, {@code long}, {@code boolean}, {@code datetime}. */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final String columnName;
  private final Type type;

  DecisionColumn(String columnName, Type type) {
    this.columnName = columnName;
    this.type = type;
  }

  /** The column's name in the table and the stream. */
  public String columnName() {
    return columnName;
  }

  public Type type() {
    return type;
  }
}
