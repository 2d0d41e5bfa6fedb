package com.socactions.indicators;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Where an address can be reached from. Only {@link #PUBLIC} addresses are looked up in GeoIP, ASN
 * or RDAP: the others have no owner on the internet to ask about, and sending them out would leak
 * internal addressing to third parties.
 */
public enum IpScope {
  PUBLIC("public"),
  /** RFC 1918 and IPv6 unique-local (fc00::/7). */
  PRIVATE("private"),
  LOOPBACK("loopback"),
  LINK_LOCAL("link-local"),
  /** RFC 6598 shared address space (100.64.0.0/10), used by carrier-grade NAT. */
  CGNAT("carrier-grade NAT"),
  MULTICAST("multicast"),
  /** RFC 5737 / RFC 3849 ranges reserved for examples and documentation. */
  DOCUMENTATION("documentation"),
  /**
   * IANA special-purpose ranges not meant for the public internet (benchmarking, class E, 6to4
   * relay, ...).
   */
  RESERVED("reserved"),
  UNSPECIFIED("unspecified");

  private final String description;

  IpScope(String description) {
    this.description = description;
  }

  /** For sentences: "10.0.0.1 is a private address". */
  public String description() {
    return description;
  }

  private final String wireName = name().toLowerCase(Locale.ROOT);

  @JsonValue
  public String wireName() {
    return wireName;
  }

  public boolean isPublic() {
    return this == PUBLIC;
  }
}
