package com.socactions.enrichment.rdap;

import java.time.Instant;
import java.util.List;

/**
 * What {@code GetHealth} reports about RDAP.
 *
 * @param bootstrapLoaded the bootstrap files are in memory (else they could not be fetched yet)
 * @param bootstrapUrl base URL of the IANA bootstrap files
 * @param bootstrapFetchedAt when the files in use were fetched, null if never
 * @param openCircuits RDAP server hosts whose circuit breaker is open right now
 * @param detail last error, when there is one
 */
public record RdapHealth(
    boolean bootstrapLoaded,
    String bootstrapUrl,
    Instant bootstrapFetchedAt,
    List<String> openCircuits,
    String detail) {}
