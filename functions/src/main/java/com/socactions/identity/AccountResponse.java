package com.socactions.identity;

import com.socactions.platform.HtmlTable;
import java.util.Arrays;
import java.util.List;

/** The answer of DisableAccounts, EnableAccounts, RevokeSessions and ConfirmCompromised. */
public record AccountResponse(
    List<AccountResult> results, AccountSummary summary, String commentHtml) {
  public AccountResponse {
    results = List.copyOf(results);
  }

  /**
   * The answer for these results: their summary and the comment table, as the service words it
   * ({@code verb} is {@code disable accounts}, {@code enable accounts}, {@code revoke sessions} or
   * {@code confirm compromised}). A job that ran a request in chunks builds the answer for all of
   * them with it.
   */
  public static AccountResponse of(String verb, List<AccountResult> results) {
    HtmlTable table =
        new HtmlTable(
            "SOC Actions: " + verb, List.of("Account", "User", "Status", "Reason", "Detail"));
    for (AccountResult result : results) {
      if (table.isFull()) {
        table.skipRow();
        continue;
      }
      table.row(
          Arrays.asList(
              result.account(),
              result.userPrincipalName(),
              result.status().wireName(),
              result.reason(),
              result.detail()));
    }
    return new AccountResponse(results, AccountSummary.of(results), table.render());
  }
}
