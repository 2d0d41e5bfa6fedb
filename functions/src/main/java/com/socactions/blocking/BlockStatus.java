package com.socactions.blocking;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * What happened to one indicator of a block, allow or unblock call. Wire names are the contract.
 */
public enum BlockStatus {
  /** Now blocked on the provider, and active in the ledger. */
  BLOCKED,
  /** The same block was already active (its expiry extended when the new one is later). */
  ALREADY_ACTIVE,
  /** Now on the allow list (and its active blocks lifted). */
  ALLOWED,
  /** Its block is lifted. */
  UNBLOCKED,
  /** Nothing to lift: no active block of it on that provider. */
  NOT_FOUND,
  /** Dry run: it would be blocked; nothing was sent to the provider. */
  WOULD_BLOCK,
  /** A guardrail refused it; {@code reason} says which. */
  REFUSED,
  /** Not an indicator of a known type. */
  INVALID,
  /** The provider cannot take this indicator type. */
  UNSUPPORTED,
  /** The provider failed after retries; nothing is recorded as active. */
  FAILED;

  private final String wireName = name().toLowerCase(Locale.ROOT);

  @JsonValue
  public String wireName() {
    return wireName;
  }
}
