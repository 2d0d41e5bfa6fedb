package com.socactions.ledger;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Where one (provider, indicator) row of the {@link BlockLedger} stands. The wire name (lower case)
 * is stored in the ledger and shown by {@code ListIndicators}: keep it stable.
 */
public enum LedgerState {
  /**
   * Enforced (or being applied, while {@link LedgerEntry#pendingSince()} is set) until it expires.
   */
  ACTIVE,
  /** Lifted before its expiry (unblock, or replaced by an allow). */
  LIFTED,
  /** Lifted by the expiry timer at or after {@code expires_at}. */
  EXPIRED,
  /** A guardrail refused it; nothing was sent to the provider. */
  REFUSED,
  /** A dry run that would have blocked it; nothing was sent to the provider. */
  DRY_RUN,
  /** The provider failed to apply it (after retries). */
  FAILED,
  /**
   * The provider already held an entry for it that the connector did not create (a SecOps block
   * made in the Defender portal, a range the identity team put in the named location): recorded,
   * never changed, and never lifted by unblock or expiry. {@link LedgerEntry#heldBy()} says whose
   * it is when the provider says.
   */
  PRESENT,
  /**
   * A decision that left nothing enforced by this row: an account found disabled already, sessions
   * revoked, a compromise confirmed ({@link BlockLedger#recordNotes}).
   */
  NOTED;

  private final String wireName = name().toLowerCase(Locale.ROOT);

  @JsonValue
  public String wireName() {
    return wireName;
  }

  /** The state stored as {@code wireName}, if it is one. */
  public static Optional<LedgerState> fromWireName(String wireName) {
    return Arrays.stream(values()).filter(state -> state.wireName.equals(wireName)).findFirst();
  }

  /**
   * The states a ListIndicators {@code state} filter names: {@code active}; {@code expired}
   * (expired or lifted: no longer enforced); {@code all} (empty: no filter); or one state by its
   * wire name. Empty optional for anything else.
   */
  public static Optional<Set<LedgerState>> filter(String name) {
    String wanted = name.trim().toLowerCase(Locale.ROOT);
    return switch (wanted) {
      case "all" -> Optional.of(Set.of());
      case "expired" -> Optional.of(EnumSet.of(EXPIRED, LIFTED));
      default -> fromWireName(wanted).map(EnumSet::of);
    };
  }

  /** The names {@link #filter} takes, for messages. */
  public static String filterNames() {
    return "active, expired, all, lifted, refused, dry_run, failed, present, noted";
  }
}
