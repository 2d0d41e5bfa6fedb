package com.socactions.enrichment;

/** Counts of a batch's items by {@link LookupStatus}. */
public record BatchSummary(int total, int ok, int partial, int failed, int invalid, int skipped) {}
