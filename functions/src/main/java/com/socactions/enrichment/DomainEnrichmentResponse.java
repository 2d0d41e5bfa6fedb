package com.socactions.enrichment;

import java.util.List;

/**
 * The answer to a batch of domains: one result per item in request order, plus the comment table.
 */
public record DomainEnrichmentResponse(
    List<DomainEnrichment> results,
    BatchSummary summary,
    List<String> warnings,
    String commentHtml) {}
