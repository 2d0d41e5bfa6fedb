package com.socactions.identity;

import java.util.List;

/** The answer of DisableAccounts, EnableAccounts, RevokeSessions and ConfirmCompromised. */
public record AccountResponse(
    List<AccountResult> results, AccountSummary summary, String commentHtml) {
  public AccountResponse {
    results = List.copyOf(results);
  }
}
