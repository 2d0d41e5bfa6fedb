package com.socactions.ledger;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What a claim in flight on a ledger row is about to do on the provider. Stored (lower case) while
 * the claim is in flight, so that whoever finds the row knows what it waits for, and so that a
 * claim abandoned by a dead worker is taken over the right way.
 */
public enum ClaimKind {
  /** Put the entry on the provider (a new block or allow, or one that failed or lapsed before). */
  APPLY,
  /** Move the expiry of the connector's own active entry later. */
  EXTEND,
  /** Take the connector's own entry off the provider (unblock, expiry, an allow replacing it). */
  LIFT;

  private final String wireName = name().toLowerCase(Locale.ROOT);

  public String wireName() {
    return wireName;
  }

  static Optional<ClaimKind> fromWireName(String wireName) {
    return Arrays.stream(values()).filter(kind -> kind.wireName.equals(wireName)).findFirst();
  }
}
