package com.socactions.tickets;

import com.socactions.decisions.Decision;
import com.socactions.decisions.DecisionOperation;
import java.time.Instant;

/**
 * Ticket sync as {@code SOCActions_CL} rows: one per outbound sync (created, updated, unchanged or
 * failed) and one per inbound change applied to an incident (applied, unchanged, ignored or
 * failed), with the system, ticket, direction and how long it took.
 */
final class TicketDecisions {
  static final String OUTBOUND = "outbound";
  static final String INBOUND = "inbound";
  static final String FAILED = "failed";

  private TicketDecisions() {}

  static Decision outbound(SyncResult result, TicketContent content, long durationMs, Instant at) {
    String detail =
        (result.fieldsChanged().isEmpty()
                ? "no field changed"
                : "fields: " + String.join(", ", result.fieldsChanged()))
            + "; comments copied: "
            + result.commentsCopied();
    return Decision.builder(DecisionOperation.SYNC_TICKET, result.action().wireName(), at)
        .provider(result.system())
        .ticket(result.system(), ticketId(result.ticketNumber(), result.ticketId()), OUTBOUND)
        .incident(content.incidentId(), number(content.incidentNumber()))
        .detail(detail)
        .providerRef(result.ticketId())
        .durationMs(durationMs)
        .build();
  }

  static Decision outboundFailed(
      String system, TicketContent content, RuntimeException failure, long durationMs, Instant at) {
    return Decision.builder(DecisionOperation.SYNC_TICKET, FAILED, at)
        .provider(system)
        .ticket(system, null, OUTBOUND)
        .incident(content.incidentId(), number(content.incidentNumber()))
        .detail(failure.getMessage())
        .durationMs(durationMs)
        .build();
  }

  static Decision inbound(InboundResult result, long durationMs, Instant at) {
    return Decision.builder(DecisionOperation.TICKET_INBOUND, result.action().wireName(), at)
        .provider(result.system())
        .ticket(result.system(), result.ticketId(), INBOUND)
        .incident(result.incidentId(), null)
        .detail(result.changes().isEmpty() ? null : String.join(", ", result.changes()))
        .durationMs(durationMs)
        .build();
  }

  static Decision inboundFailed(
      String system,
      String ticketId,
      String incidentId,
      RuntimeException failure,
      long durationMs,
      Instant at) {
    return Decision.builder(DecisionOperation.TICKET_INBOUND, FAILED, at)
        .provider(system)
        .ticket(system, ticketId, INBOUND)
        .incident(incidentId, null)
        .detail(failure.getMessage())
        .durationMs(durationMs)
        .build();
  }

  private static String ticketId(String number, String id) {
    return number != null ? number : id;
  }

  private static Long number(String incidentNumber) {
    if (incidentNumber == null) {
      return null;
    }
    try {
      return Long.parseLong(incidentNumber.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
