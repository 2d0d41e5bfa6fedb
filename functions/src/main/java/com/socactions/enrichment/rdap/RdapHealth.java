package com.socactions.enrichment.rdap;

import java.time.Instant;
import java.util.List;

/**
 * What {@code GetHealth} reports about RDAP.
 *
 * @param status {@code ok} (bootstrap loaded), {@code unreachable} (bootstrap could not be fetched)
 * @param bootstrapUrl base URL of the IANA bootstrap files
 * @param bootstrapFetchedAt when the files in use were fetched, null if never
 * @param openCircuits RDAP server hosts whose circuit breaker is open right now
 * @param detail last error, when there is one
 */
public record RdapHealth(String status, String bootstrapUrl, Instant bootstrapFetchedAt, List<String> openCircuits, String detail) {}
