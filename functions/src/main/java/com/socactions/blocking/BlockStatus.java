package com.socactions.blocking;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * What happened to one indicator of a block, allow or unblock call. Wire names are the contract.
 */
public enum BlockStatus {
  /** Now blocked on the provider (the provider confirmed it), and active in the ledger. */
  BLOCKED,
  /**
   * The connector's own block was active on the provider already; its expiry was moved later only
   * when the new one is later by a real margin (then the provider confirmed it).
   */
  ALREADY_ACTIVE,
  /**
   * The provider already holds an entry for it that the connector did not create (a SecOps block
   * made in the portal, a range someone put in the named location): left exactly as it is, recorded
   * as not the connector's, and never lifted by unblock or expiry. {@code detail} says whose it is
   * when the provider says.
   */
  ALREADY_PRESENT,
  /**
   * Another request's identical claim is still waiting for the provider's answer: nothing is
   * reported as active before the provider confirmed it. Ask again after {@code retry_after}.
   */
  PENDING,
  /** Now on the allow list (the provider confirmed it), and its active blocks lifted. */
  ALLOWED,
  /** Its block is lifted on the provider. */
  UNBLOCKED,
  /** Nothing to lift: no active block of it on that provider. */
  NOT_FOUND,
  /** Dry run: it would be blocked; nothing was sent to the provider. */
  WOULD_BLOCK,
  /** Dry run: it would be allowed; nothing was sent to the provider. */
  WOULD_ALLOW,
  /** Dry run: its block would be lifted; nothing was sent to the provider. */
  WOULD_UNBLOCK,
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
