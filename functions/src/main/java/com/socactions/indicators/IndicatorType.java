package com.socactions.indicators;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What kind of thing an indicator of compromise is; the wire name is the lower-case constant. */
public enum IndicatorType {
  /** One IPv4 or IPv6 address, canonical text. */
  IP,
  /** An IPv4 or IPv6 network, host bits zero, e.g. {@code 198.51.100.0/24}. */
  CIDR,
  /** A host name, lower-case ASCII (IDN as punycode), no trailing dot. */
  DOMAIN,
  /** An http, https or ftp URL without credentials or fragment. */
  URL,
  SHA256,
  SHA1,
  MD5,
  /**
   * A Microsoft Entra ID user by its object id (lower case): never parsed from a playbook's
   * indicators, only used by identity response to keep its decisions in the block ledger.
   */
  ACCOUNT;

  private final String wireName = name().toLowerCase(Locale.ROOT);

  @JsonValue
  public String wireName() {
    return wireName;
  }

  /** Whether this is a file hash (which has no network location to check). */
  public boolean isHash() {
    return this == SHA256 || this == SHA1 || this == MD5;
  }
}
