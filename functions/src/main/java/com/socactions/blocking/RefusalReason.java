package com.socactions.blocking;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Why a guardrail refused to block an indicator. The wire name (snake_case) is stable: playbooks
 * branch on it and the ledger stores it.
 */
public enum RefusalReason {
  /**
   * Private, loopback, link-local, multicast, CGNAT, documentation, reserved or unspecified space.
   */
  PRIVATE_RANGE(false),
  /** A bare TLD or other public suffix ({@code com}, {@code co.uk}, {@code github.io}). */
  PUBLIC_SUFFIX(false),
  /** Covered by {@code PROTECTED_INDICATORS}. */
  PROTECTED(false),
  /** On the allow list. */
  ALLOW_LISTED(false),
  /** {@code override_guardrails} was asked for without a justification. */
  JUSTIFICATION_REQUIRED(false),
  /** A network broader than /24 (IPv4) or /48 (IPv6). */
  TOO_BROAD(true),
  /** An asset the CMDB marks critical or high-value. */
  CRITICAL_ASSET(true),
  /** An account: the identity this connector runs as (it would lock itself out). */
  SELF(false),
  /**
   * An account holding a privileged directory role, or eligible for one through PIM (directly or
   * through a group).
   */
  PRIVILEGED_ROLE(true),
  /** An account the CMDB marks VIP. */
  VIP(true),
  /**
   * An account whose privileged roles or PIM eligibility could not be read: it may be privileged,
   * and it is not changed blind.
   */
  PRIVILEGED_ROLE_UNKNOWN(false),
  /** An account the CMDB could not answer for: it may be a VIP, and it is not changed blind. */
  VIP_UNKNOWN(false),
  /**
   * An enable of an account that this connector did not disable (the ledger holds no active
   * disable).
   */
  NOT_DISABLED_BY_CONNECTOR(true);

  private final boolean overridable;
  private final String wireName = name().toLowerCase(Locale.ROOT);

  RefusalReason(boolean overridable) {
    this.overridable = overridable;
  }

  /** Whether {@code override_guardrails} with a justification lifts this check. */
  public boolean isOverridable() {
    return overridable;
  }

  @JsonValue
  public String wireName() {
    return wireName;
  }
}
