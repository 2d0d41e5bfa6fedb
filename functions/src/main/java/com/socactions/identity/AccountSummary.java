package com.socactions.identity;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** How many accounts of a call ended in each status, for a playbook's conditions. */
public record AccountSummary(
    int total,
    int disabled,
    int alreadyDisabled,
    int enabled,
    int revoked,
    int confirmed,
    int wouldDisable,
    int wouldEnable,
    int wouldRevoke,
    int wouldConfirm,
    int refused,
    int notFound,
    int unsupported,
    int invalid,
    int failed,
    int pending) {

  public static AccountSummary of(List<AccountResult> results) {
    Map<AccountStatus, Integer> counts = new EnumMap<>(AccountStatus.class);
    results.forEach(result -> counts.merge(result.status(), 1, Integer::sum));
    return new AccountSummary(
        results.size(),
        counts.getOrDefault(AccountStatus.DISABLED, 0),
        counts.getOrDefault(AccountStatus.ALREADY_DISABLED, 0),
        counts.getOrDefault(AccountStatus.ENABLED, 0),
        counts.getOrDefault(AccountStatus.REVOKED, 0),
        counts.getOrDefault(AccountStatus.CONFIRMED, 0),
        counts.getOrDefault(AccountStatus.WOULD_DISABLE, 0),
        counts.getOrDefault(AccountStatus.WOULD_ENABLE, 0),
        counts.getOrDefault(AccountStatus.WOULD_REVOKE, 0),
        counts.getOrDefault(AccountStatus.WOULD_CONFIRM, 0),
        counts.getOrDefault(AccountStatus.REFUSED, 0),
        counts.getOrDefault(AccountStatus.NOT_FOUND, 0),
        counts.getOrDefault(AccountStatus.UNSUPPORTED, 0),
        counts.getOrDefault(AccountStatus.INVALID, 0),
        counts.getOrDefault(AccountStatus.FAILED, 0),
        counts.getOrDefault(AccountStatus.PENDING, 0));
  }
}
