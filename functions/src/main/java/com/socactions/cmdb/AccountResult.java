package com.socactions.cmdb;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The answer for one key of {@code LookupAccounts}: the best match's fields flat, as the contract
 * names them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AccountResult(
    String key,
    boolean found,
    String userPrincipalName,
    String email,
    String displayName,
    String department,
    String title,
    String manager,
    Boolean isVip,
    String source,
    int matchCount,
    String error) {

  static AccountResult of(AccountMatch match) {
    if (match.matches().isEmpty()) {
      return new AccountResult(
          match.key(), false, null, null, null, null, null, null, null, null, 0, match.error());
    }
    Account best = match.matches().get(0);
    return new AccountResult(
        match.key(),
        true,
        best.userPrincipalName(),
        best.email(),
        best.displayName(),
        best.department(),
        best.title(),
        best.manager(),
        best.isVip(),
        best.source(),
        match.matches().size(),
        match.error());
  }
}
