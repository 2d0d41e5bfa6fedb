package com.socactions.cmdb;

/**
 * One user account as the connector answers it ({@code LookupAccounts}); fields other than {@code
 * userPrincipalName}, {@code isVip} and {@code source} may be null.
 *
 * @param userPrincipalName the account's UPN, e.g. {@code alice.lee@contoso.com}
 * @param email the mail address, when the CMDB holds one apart from the UPN
 * @param manager the manager's name or UPN, as the CMDB holds it
 * @param isVip the account belongs to a VIP (executives, board members): disabling it needs a
 *     justified override, and incidents involving it are raised in severity
 * @param source the provider that answered: {@code builtin}, {@code servicenow}
 */
public record Account(
    String userPrincipalName,
    String email,
    String displayName,
    String department,
    String title,
    String manager,
    boolean isVip,
    String source) {}
