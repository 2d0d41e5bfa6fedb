package com.socactions.graph;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How resolving one account went. */
public enum ResolutionStatus {
  /** Entra ID holds the user. */
  RESOLVED,
  /** A well-formed object id or UPN that Entra ID does not hold. */
  NOT_FOUND,
  /**
   * A form Entra ID cannot be asked about: an on-premises SID, {@code DOMAIN\name}, a bare name.
   */
  UNSUPPORTED,
  /** Not an account at all: empty, control characters, too long, a malformed UPN. */
  INVALID,
  /** Graph failed or refused for this account; {@code reason} says how. */
  FAILED;

  private final String wireName = name().toLowerCase(Locale.ROOT);

  @JsonValue
  public String wireName() {
    return wireName;
  }
}
