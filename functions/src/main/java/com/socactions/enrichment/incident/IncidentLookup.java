package com.socactions.enrichment.incident;

/**
 * The lookups {@code EnrichIncident} can make; a call without {@code lookups} makes all of them.
 */
public enum IncidentLookup {
  /** Location of public addresses, from the GeoIP City/Country database. */
  GEO,
  /** Autonomous system of public addresses, from the ASN database. */
  ASN,
  /** RDAP registration of public addresses' networks and of domains (URL hosts included). */
  WHOIS,
  /** CMDB assets for addresses and hosts, and CMDB accounts (VIP flag) for accounts. */
  CMDB
}
