package com.socactions.graph;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A user as {@link GraphUsers} selects it.
 *
 * @param id the object id
 * @param accountEnabled null when Graph did not say
 * @param onPremisesSyncEnabled true for an account synced from on-premises AD (a disable in Entra
 *     ID can be undone by the next sync); null for a cloud-only account
 */
public record GraphUser(
    String id,
    String userPrincipalName,
    String displayName,
    Boolean accountEnabled,
    Boolean onPremisesSyncEnabled) {

  static GraphUser from(JsonNode user) {
    return new GraphUser(
        user.path("id").asText(null),
        user.path("userPrincipalName").asText(null),
        user.path("displayName").asText(null),
        bool(user.path("accountEnabled")),
        bool(user.path("onPremisesSyncEnabled")));
  }

  private static Boolean bool(JsonNode node) {
    return node.isBoolean() ? node.booleanValue() : null;
  }
}
