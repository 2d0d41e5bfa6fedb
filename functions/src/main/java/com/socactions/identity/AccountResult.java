package com.socactions.identity;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The answer for one account of an identity-response call.
 *
 * @param account the account as the caller sent it
 * @param userId the Entra ID object id, when it was resolved
 * @param userPrincipalName the UPN Entra ID holds, when it was resolved
 * @param reason for {@code refused}: the guardrail's code; for {@code failed}: Graph's failure kind
 *     ({@code forbidden}, {@code throttled}, ...); null otherwise
 * @param detail a sentence for the analyst, or null
 * @param sessionsRevoked for DisableAccounts with {@code revoke_sessions}: whether the sessions
 *     were revoked; null when not asked
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AccountResult(
    String account,
    String userId,
    String userPrincipalName,
    AccountStatus status,
    String reason,
    String detail,
    Boolean sessionsRevoked) {}
