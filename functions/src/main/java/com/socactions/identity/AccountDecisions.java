package com.socactions.identity;

import com.socactions.decisions.Decision;
import com.socactions.decisions.DecisionOperation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The identity-response decisions as {@code SOCActions_CL} rows: one per account of a call (two
 * inputs naming one user are one decision), provider {@value IdentityService#PROVIDER}.
 */
final class AccountDecisions {
  /** The verb each operation's answer is made with (see IdentityService), to its operation. */
  private static final Map<String, DecisionOperation> OPERATIONS =
      Map.of(
          "disable accounts", DecisionOperation.DISABLE_ACCOUNTS,
          "enable accounts", DecisionOperation.ENABLE_ACCOUNTS,
          "revoke sessions", DecisionOperation.REVOKE_SESSIONS,
          "confirm compromised", DecisionOperation.CONFIRM_COMPROMISED);

  private AccountDecisions() {}

  /**
   * @param verb the verb the call's answer was made with; an unknown one yields no rows (a new
   *     operation must be added here)
   */
  static List<Decision> of(
      String verb, AccountCommand command, List<AccountResult> results, Instant at) {
    DecisionOperation operation = OPERATIONS.get(verb);
    if (operation == null) {
      return List.of();
    }
    List<Decision> decisions = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (AccountResult result : results) {
      if (result == null
          || !seen.add(result.userId() != null ? result.userId() : result.account())) {
        continue;
      }
      decisions.add(
          Decision.builder(operation, result.status().wireName(), at)
              .provider(IdentityService.PROVIDER)
              .account(
                  result.userPrincipalName() != null
                      ? result.userPrincipalName()
                      : result.account())
              .guardrail(result.status() == AccountStatus.REFUSED ? result.reason() : null)
              .reason(command.reason())
              .detail(result.detail())
              .requestedBy(command.requestedBy())
              .incident(command.incidentId(), null)
              .correlationId(command.workflowRunId())
              .override(command.override().requested(), command.override().justification())
              .providerRef(result.userId())
              .build());
    }
    return decisions;
  }
}
