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
  /**
   * An internal or special-use name: under no public suffix ({@code corp.local}, {@code nas.lan}),
   * or reserved by RFC 6761, 6762, 8375 or ICANN ({@code localhost}, {@code test}, {@code invalid},
   * {@code home.arpa}, {@code internal}, ...).
   */
  INTERNAL_NAME(false),
  /** Covered by {@code PROTECTED_INDICATORS}. */
  PROTECTED(false),
  /** On the allow list. */
  ALLOW_LISTED(false),
  /** {@code override_guardrails} was asked for without a justification. */
  JUSTIFICATION_REQUIRED(false),
  /**
   * A network broader than the guardrails allow without a justification: for blocks /24 (IPv4) or
   * /48 (IPv6), for allows /16 or /32.
   */
  TOO_BROAD(true),
  /**
   * A network broader than any justification can lift: for blocks /16 (IPv4) or /32 (IPv6), for
   * allows /8 or /16.
   */
  TOO_BROAD_TO_OVERRIDE(false),
  /** An asset the CMDB marks critical or high-value. */
  CRITICAL_ASSET(true),
  /**
   * The provider holds an entry with the other action that the connector did not create (a person's
   * allow where a block was asked): the connector never changes such an entry; change or remove it
   * on the provider first.
   */
  UPSTREAM_CONFLICT(false),
  /** An account: the identity this connector runs as (it would lock itself out). */
  SELF(false),
  /** An account holding a privileged directory role, or whose roles could not be read. */
  PRIVILEGED_ROLE(true),
  /** An account the CMDB marks VIP, or that the CMDB could not answer for. */
  VIP(true),
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
