package com.socactions.blocking;

import com.socactions.decisions.Decision;
import com.socactions.decisions.DecisionOperation;
import com.socactions.ledger.LedgerEntry;
import com.socactions.ledger.Provenance;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The block/allow decisions as {@code SOCActions_CL} rows: one per indicator of a call (a duplicate
 * in the same call is one decision), and one per entry the expiry timer handled.
 */
final class BlockDecisions {
  /**
   * The lift outcomes of the expiry timer that are no decision of its own (see BlockingService).
   */
  private static final Set<String> NOT_DECIDED = Set.of("NOT_ACTIVE", "NOT_DUE");

  private BlockDecisions() {}

  /**
   * One row per distinct indicator of a BlockIndicators, AllowIndicators or UnblockIndicators call.
   */
  static List<Decision> of(
      DecisionOperation operation, BlockCommand command, BlockResponse response, Instant at) {
    List<Decision> decisions = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (IndicatorResult result : response.results()) {
      String indicator = result.value() != null ? result.value() : result.input();
      if (!seen.add(indicator)) {
        continue;
      }
      decisions.add(
          Decision.builder(operation, result.status().wireName(), at)
              .provider(result.provider() != null ? result.provider() : command.provider())
              .indicator(indicator, result.type() == null ? null : result.type().wireName())
              .guardrail(result.status() == BlockStatus.REFUSED ? result.reason() : null)
              .reason(command.reason())
              .detail(result.detail())
              .requestedBy(command.requestedBy())
              .incident(command.incidentId(), null)
              .correlationId(command.workflowRunId())
              .expiresAt(result.expiresAt())
              .override(command.override().requested(), command.override().justification())
              .providerRef(result.providerRef())
              .build());
    }
    return decisions;
  }

  /**
   * One row per entry the expiry timer tried to lift: {@code expired} when it is off the provider
   * (or the provider's entry is someone else's now), {@code failed} when the provider failed (the
   * timer tries again), {@code pending} when another call held it.
   *
   * @param outcomes the lift outcome of each entry, by name, in order
   * @param details the lift's sentence for each entry, or null
   */
  static List<Decision> expired(
      String provider,
      List<LedgerEntry> entries,
      List<String> outcomes,
      List<String> details,
      Instant at) {
    List<Decision> decisions = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      String outcome = outcomes.get(i);
      if (NOT_DECIDED.contains(outcome)) {
        continue;
      }
      LedgerEntry entry = entries.get(i);
      String status =
          switch (outcome) {
            case "FAILED" -> BlockStatus.FAILED.wireName();
            case "IN_FLIGHT" -> BlockStatus.PENDING.wireName();
            default -> "expired";
          };
      decisions.add(
          Decision.builder(DecisionOperation.EXPIRE, status, at)
              .provider(provider)
              .indicator(entry.value(), entry.type() == null ? null : entry.type().wireName())
              .reason(entry.reason())
              .detail(
                  details.get(i) != null ? details.get(i) : entry.action().wireName() + " expired")
              .requestedBy(Provenance.EXPIRY_TIMER)
              .incident(entry.incidentId(), null)
              .correlationId(entry.workflowRunId())
              .expiresAt(entry.expiresAt())
              .providerRef(entry.providerRef())
              .build());
    }
    return decisions;
  }
}
