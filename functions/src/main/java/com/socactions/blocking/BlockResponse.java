package com.socactions.blocking;

import java.util.List;

/**
 * The answer of BlockIndicators, AllowIndicators and UnblockIndicators: one result per indicator,
 * in request order.
 */
public record BlockResponse(
    List<IndicatorResult> results, BlockSummary summary, String commentHtml) {}
