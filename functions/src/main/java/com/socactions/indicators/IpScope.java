package com.socactions.indicators;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Where an address can be reached from. Only {@link #PUBLIC} addresses are looked up in GeoIP,
 * ASN or RDAP: the others have no owner on the internet to ask about, and sending them out would
 * leak internal addressing to third parties.
 */
public enum IpScope {
  PUBLIC,
  /** RFC 1918 and IPv6 unique-local (fc00::/7). */
  PRIVATE,
  LOOPBACK,
  LINK_LOCAL,
  /** RFC 6598 shared address space (100.64.0.0/10), used by carrier-grade NAT. */
  CGNAT,
  MULTICAST,
  /** RFC 5737 / RFC 3849 ranges reserved for examples and documentation. */
  DOCUMENTATION,
  /** IANA special-purpose ranges not meant for the public internet (benchmarking, class E, 6to4 relay, ...). */
  RESERVED,
  UNSPECIFIED;

  private final String wireName = name().toLowerCase(Locale.ROOT);

  @JsonValue
  public String wireName() {
    return wireName;
  }

  public boolean isPublic() {
    return this == PUBLIC;
  }
}
