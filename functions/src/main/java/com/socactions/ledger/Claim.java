package com.socactions.ledger;

/**
 * What {@link BlockLedger#claimActive} decided for one request.
 *
 * @param status whether this caller must call the provider, or wait for another caller
 * @param entry the row as written by this claim, or as found (for {@code IN_FLIGHT}: the row with
 *     the other caller's claim); its ETag lets {@link BlockLedger#settle} write it in one
 *     transaction per partition
 * @param previous the row before this claim, when there was one (e.g. an active block an allow
 *     replaces, so the caller can lift it on the provider); null for a new row
 * @param recovering for {@code CLAIMED}: the row held a claim of the same action that its worker
 *     abandoned (it died between the provider call and the ledger write), so the provider may hold
 *     the entry already and it is the connector's own
 */
public record Claim(Status status, LedgerEntry entry, LedgerEntry previous, boolean recovering) {
  public enum Status {
    /**
     * This caller won: it must apply the entry on the provider, then {@link BlockLedger#settle} the
     * claim. Exactly one of any number of concurrent identical claims gets it.
     */
    CLAIMED,
    /**
     * The connector's own entry is active and the request wants it to last later by a real margin
     * ({@link BlockLedger#extensionMargin}): this caller must carry the new expiry to the provider
     * ({@link LedgerEntry#extendTo()}), then settle the claim. The row keeps its old expiry until
     * the provider confirmed the new one.
     */
    EXTENDING,
    /** Active with the same action and confirmed by the provider; nothing to send. */
    ALREADY_ACTIVE,
    /**
     * Another caller's claim (apply, extend or lift) is in flight on the row: the provider's answer
     * is not known yet. The caller waits for it ({@link BlockLedger#awaitSettled}) and never
     * answers as if it were active.
     */
    IN_FLIGHT
  }

  public boolean isClaimed() {
    return status == Status.CLAIMED;
  }

  /** Whether this caller must call the provider (a new entry, or an extension). */
  public boolean mustApply() {
    return status == Status.CLAIMED || status == Status.EXTENDING;
  }
}
