package com.socactions.identity;

import com.socactions.graph.GraphUser;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@value #SETTING}: UPNs and object ids that identity response never touches (break-glass and
 * emergency-access accounts), separated by commas, semicolons or whitespace, matched without case
 * against both the id and the UPN Entra ID holds (so an alias the caller sent cannot slip past).
 */
public final class ProtectedAccounts {
  public static final String SETTING = "PROTECTED_ACCOUNTS";

  private final Set<String> entries;

  public ProtectedAccounts(Set<String> entries) {
    this.entries =
        entries.stream()
            .map(entry -> entry.strip().toLowerCase(Locale.ROOT))
            .filter(entry -> !entry.isEmpty())
            .collect(Collectors.toUnmodifiableSet());
  }

  /**
   * The entries of {@value #SETTING}'s value: UPNs or object ids, separated by commas or spaces.
   */
  public static ProtectedAccounts parse(String value) {
    return new ProtectedAccounts(
        Arrays.stream(value.split("[,;\\s]+")).collect(Collectors.toSet()));
  }

  /** Whether the user is protected, by object id or by the UPN Entra ID holds. */
  public boolean covers(GraphUser user) {
    return matches(user.id()) || matches(user.userPrincipalName());
  }

  private boolean matches(String value) {
    return value != null && entries.contains(value.toLowerCase(Locale.ROOT));
  }
}
