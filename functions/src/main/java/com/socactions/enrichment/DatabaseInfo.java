package com.socactions.enrichment;

import java.time.Instant;

/**
 * Which GeoIP database answered, so a reader can judge the answer's age.
 *
 * @param role {@code geo} or {@code asn}
 * @param type the database type from its metadata, e.g. {@code GeoLite2-City}
 * @param buildDate when the database was built
 * @param ageDays whole days since it was built
 * @param stale older than the staleness threshold: answers may be wrong
 */
public record DatabaseInfo(
    String role, String type, Instant buildDate, long ageDays, boolean stale) {}
