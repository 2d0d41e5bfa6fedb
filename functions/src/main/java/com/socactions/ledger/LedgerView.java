package com.socactions.ledger;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.socactions.indicators.IndicatorType;
import java.time.Instant;
import java.util.List;

/**
 * One ledger row as {@code ListIndicators} shows it: who blocked what, when, why, until when, for
 * which incident, and every decision since. Leaves out the ledger's own bookkeeping (claim ids,
 * ETags); {@code in_flight} says a provider call for it has not been answered yet.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LedgerView(
    String value,
    IndicatorType type,
    String provider,
    Action action,
    LedgerState state,
    String reason,
    String justification,
    String guardrail,
    String incidentId,
    String workflowRunId,
    String requestedBy,
    Instant createdAt,
    Instant updatedAt,
    Instant expiresAt,
    Instant liftedAt,
    String providerRef,
    boolean liftPending,
    String lastError,
    String heldBy,
    Boolean inFlight,
    List<LedgerHistory> history,
    int historyCount) {

  public static LedgerView of(LedgerEntry entry) {
    return of(entry, entry.history());
  }

  /** With {@code history}: the row's whole audit trail, or its latest decision's entries. */
  public static LedgerView of(LedgerEntry entry, List<LedgerHistory> history) {
    return new LedgerView(
        entry.value(),
        entry.type(),
        entry.provider(),
        entry.action(),
        entry.state(),
        entry.reason(),
        entry.justification(),
        entry.guardrail(),
        entry.incidentId(),
        entry.workflowRunId(),
        entry.requestedBy(),
        entry.createdAt(),
        entry.updatedAt(),
        entry.expiresAt(),
        entry.liftedAt(),
        entry.providerRef(),
        entry.liftPending(),
        entry.lastError(),
        entry.heldBy(),
        entry.isClaimInFlight() ? Boolean.TRUE : null,
        history,
        entry.historyCount());
  }

  /** A page of the ledger; {@code continuationToken} fetches the next one (absent on the last). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Page(List<LedgerView> value, String continuationToken) {
    public static Page of(LedgerPage page) {
      return new Page(
          page.entries().stream().map(LedgerView::of).toList(), page.continuationToken());
    }

    /** Every row with its whole history (one key range of the history table per row). */
    public static Page withHistory(LedgerPage page, BlockLedger ledger) {
      return new Page(
          page.entries().stream()
              .map(entry -> LedgerView.of(entry, ledger.history(entry)))
              .toList(),
          page.continuationToken());
    }
  }
}
