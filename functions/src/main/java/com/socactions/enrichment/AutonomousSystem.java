package com.socactions.enrichment;

/**
 * The autonomous system that announces an address, from an ASN (or ISP) database.
 *
 * @param number the AS number (e.g. 15169)
 * @param organization the AS organization (e.g. Google LLC)
 * @param network the network in the database that holds the address, as CIDR
 */
public record AutonomousSystem(Long number, String organization, String network) {}
