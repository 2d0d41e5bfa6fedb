package com.socactions.ledger;

import com.socactions.indicators.Indicator;
import com.socactions.indicators.IndicatorType;
import java.time.Instant;
import java.util.List;

/**
 * One row of the {@link BlockLedger}: the standing of one indicator on one provider, and how it got
 * there. Times are UTC instants; fields that do not apply are null.
 *
 * @param action the last action claimed for it (block or allow)
 * @param guardrail the code of the guardrail that last refused it, when {@code state} is refused
 * @param expiresAt when the block or allow lapses
 * @param liftedAt when it was last lifted or expired
 * @param providerRef the upstream's id for the entry (Defender's indicator id)
 * @param liftPending a lift that failed on the provider: the expiry timer retries it until it
 *     succeeds ({@link BlockLedger#dueForExpiry()} always lists it)
 * @param lastError the last provider failure, for the analyst
 * @param pendingSince set from a claim until it is confirmed or failed: the provider may not hold
 *     the entry yet. A claim left pending longer than {@link BlockLedger#DEFAULT_CLAIM_TIMEOUT}
 *     (its worker died) can be claimed again.
 * @param claimId the claim that set {@code pendingSince}; opaque
 * @param claimKind what the claim in flight does ({@code pendingSince} set); null otherwise
 * @param extendTo for an {@code EXTEND} claim in flight: the expiry it carries to the provider
 * @param heldBy for {@code present}: who made the provider's entry, when the provider says
 * @param history the decisions of the row's latest write (the whole history, every decision kept,
 *     is {@link BlockLedger#history})
 * @param historyCount how many decisions there have been: the sequence number of the latest
 * @param etag the row version this was read at (for optimistic concurrency); opaque, null when the
 *     row was written in a transaction
 * @param listedAt where the row stands in the list index (bookkeeping)
 * @param listedState the state it is listed under there (bookkeeping)
 * @param published the latest published version of its block episode (bookkeeping), or null
 */
public record LedgerEntry(
    String provider,
    IndicatorType type,
    String value,
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
    Instant pendingSince,
    String claimId,
    ClaimKind claimKind,
    Instant extendTo,
    String heldBy,
    List<LedgerHistory> history,
    int historyCount,
    String etag,
    Instant listedAt,
    LedgerState listedState,
    BlockVersion published) {

  public LedgerEntry {
    history = List.copyOf(history);
  }

  /** The indicator this row is about (its input is the normalised value). */
  public Indicator indicator() {
    return new Indicator(type, value, value);
  }

  /** Whether it is active with {@code action}. */
  public boolean isActive(Action action) {
    return state == LedgerState.ACTIVE && this.action == action;
  }

  /** Whether a claim (apply, extend or lift) was in flight on the row when it was read. */
  public boolean isClaimInFlight() {
    return pendingSince != null;
  }
}
