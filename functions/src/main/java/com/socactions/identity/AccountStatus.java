package com.socactions.identity;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What happened to one account of an identity-response call. Wire names are the contract. */
public enum AccountStatus {
  /** Now disabled ({@code accountEnabled=false}), and active in the ledger. */
  DISABLED,
  /**
   * Entra ID already held it disabled (read from Entra ID, or a concurrent run of this connector
   * that this call waited for disabled it and Entra ID confirmed).
   */
  ALREADY_DISABLED,
  /**
   * Another run of this connector is disabling it and Entra ID has not answered that run yet:
   * nothing is reported disabled before it did. Ask again after {@code retry_after}.
   */
  PENDING,
  /** Now enabled again (or found enabled already: {@code detail} says so). */
  ENABLED,
  /** Its refresh tokens and session cookies are revoked. */
  REVOKED,
  /** Identity Protection holds it as confirmed compromised. */
  CONFIRMED,
  /** Dry run: it would be disabled; nothing was sent to Entra ID. */
  WOULD_DISABLE,
  /** Dry run: it would be enabled; nothing was sent to Entra ID. */
  WOULD_ENABLE,
  /** Dry run: its sessions would be revoked; nothing was sent to Entra ID. */
  WOULD_REVOKE,
  /** Dry run: it would be confirmed compromised; nothing was sent to Entra ID. */
  WOULD_CONFIRM,
  /** A guardrail refused it; {@code reason} says which. */
  REFUSED,
  /** A well-formed UPN or object id that Entra ID does not hold. */
  NOT_FOUND,
  /** A form Entra ID cannot resolve: {@code DOMAIN\name}, an on-premises SID, a bare name. */
  UNSUPPORTED,
  /** Not an account: empty, control characters, too long, a malformed UPN. */
  INVALID,
  /** Microsoft Graph refused or failed after retries; {@code reason} says how. */
  FAILED;

  private final String wireName = name().toLowerCase(Locale.ROOT);

  @JsonValue
  public String wireName() {
    return wireName;
  }
}
