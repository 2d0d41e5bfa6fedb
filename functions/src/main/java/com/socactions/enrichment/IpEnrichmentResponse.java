package com.socactions.enrichment;

import java.util.List;

/**
 * The answer to a batch of addresses: one result per item in request order, which databases
 * answered, warnings about the answer as a whole (e.g. a stale database), and an HTML table for the
 * incident comment.
 */
public record IpEnrichmentResponse(
    List<IpEnrichment> results,
    BatchSummary summary,
    List<DatabaseInfo> databases,
    List<String> warnings,
    String commentHtml) {}
