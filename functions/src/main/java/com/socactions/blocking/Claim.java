package com.socactions.blocking;

/**
 * What {@link BlockLedger#claimActive} decided for one request.
 *
 * @param status whether this caller must apply it on the provider
 * @param entry the row as written (its ETag lets {@link BlockLedger#confirm} and {@link
 *     BlockLedger#fail} write it in one transaction per partition)
 * @param previous the row before this claim, when there was one (e.g. an active block an allow
 *     replaces, so the caller can lift it on the provider); null for a new row
 * @param extended for {@code ALREADY_ACTIVE}: the later expiry was written
 */
public record Claim(Status status, LedgerEntry entry, LedgerEntry previous, boolean extended) {
  public enum Status {
    /**
     * This caller won: it must apply the entry on the provider, then {@link BlockLedger#confirm} or
     * {@link BlockLedger#fail} it. Exactly one of any number of concurrent identical claims gets
     * it.
     */
    CLAIMED,
    /**
     * Already active with the same action (expiry extended when the new one is later): no provider
     * call.
     */
    ALREADY_ACTIVE
  }

  public boolean isClaimed() {
    return status == Status.CLAIMED;
  }
}
