package com.socactions.cmdb;

import java.util.List;

/**
 * What a CMDB found for one key of a {@code LookupAccounts} batch.
 *
 * @param key the key as the caller gave it ({@code alice@contoso.com}, {@code CONTOSO\alice})
 * @param found whether an account matched
 * @param matches the accounts that matched, best first; normally one
 * @param error why this key could not be looked up (the CMDB failed for it); null otherwise
 */
public record AccountMatch(String key, boolean found, List<Account> matches, String error) {

  public AccountMatch {
    matches = List.copyOf(matches);
  }

  /** The answer for {@code key}: found when {@code matches} is not empty. */
  public static AccountMatch of(String key, List<Account> matches) {
    return new AccountMatch(key, !matches.isEmpty(), matches, null);
  }

  /** The answer for a key the CMDB could not look up; {@code why} must not hold a secret. */
  public static AccountMatch failed(String key, String why) {
    return new AccountMatch(key, false, List.of(), why);
  }

  /** The same answer for another spelling of the key. */
  public AccountMatch withKey(String otherKey) {
    return new AccountMatch(otherKey, found, matches, error);
  }
}
