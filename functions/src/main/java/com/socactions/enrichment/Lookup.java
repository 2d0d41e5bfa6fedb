package com.socactions.enrichment;

/** The lookups {@code EnrichIpAddresses} can make for each address. */
public enum Lookup {
  /** Location from the GeoIP City/Country database. */
  GEO,
  /** Autonomous system from the ASN database. */
  ASN,
  /** Network registration from the regional internet registry, over RDAP. */
  WHOIS
}
