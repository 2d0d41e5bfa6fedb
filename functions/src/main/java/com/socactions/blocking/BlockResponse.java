package com.socactions.blocking;

import com.socactions.platform.HtmlTable;
import java.util.Arrays;
import java.util.List;

/**
 * The answer of BlockIndicators, AllowIndicators and UnblockIndicators: one result per indicator,
 * in request order.
 */
public record BlockResponse(
    List<IndicatorResult> results, BlockSummary summary, String commentHtml) {

  /**
   * The answer for these results: their summary and the comment table, as the service words it
   * ({@code verb} is {@code block}, {@code allow} or {@code unblock}). A job that ran a request in
   * chunks builds the answer for all of them with it.
   */
  public static BlockResponse of(String providerId, String verb, List<IndicatorResult> results) {
    return new BlockResponse(results, BlockSummary.of(results), comment(providerId, verb, results));
  }

  private static String comment(String providerId, String verb, List<IndicatorResult> results) {
    HtmlTable table =
        new HtmlTable(
            "SOC Actions: " + verb + " on " + providerId,
            List.of("Indicator", "Type", "Status", "Reason", "Expires", "Notes"));
    for (IndicatorResult result : results) {
      if (table.isFull()) {
        table.skipRow();
        continue;
      }
      table.row(
          Arrays.asList(
              result.value() != null ? result.value() : result.input(),
              result.type() == null ? null : result.type().wireName(),
              result.status().wireName(),
              result.reason(),
              result.expiresAt() == null ? null : result.expiresAt().toString(),
              result.detail()));
    }
    return table.render();
  }
}
