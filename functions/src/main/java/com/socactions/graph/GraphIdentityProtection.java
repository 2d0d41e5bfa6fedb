package com.socactions.graph;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.socactions.platform.Json;
import com.socactions.platform.UpstreamException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Identity Protection through Graph: tell it that users are compromised ({@code POST
 * /identityProtection/riskyUsers/confirmCompromised}), which sets their user risk to high so
 * risk-based Conditional Access policies act on them. Needs IdentityRiskyUser.ReadWrite.All and a
 * Microsoft Entra ID P2 licence. Calls are paced (about one a second per tenant).
 */
public final class GraphIdentityProtection {
  static final String CONFIRM_COMPROMISED = "/identityProtection/riskyUsers/confirmCompromised";

  private final GraphClient graph;

  public GraphIdentityProtection(GraphClient graph) {
    this.graph = Objects.requireNonNull(graph, "'graph' cannot be null.");
  }

  /**
   * Confirms the users compromised, all in one call (the action takes a list; Graph answers 204 for
   * the whole of it, with no per-user result). Does nothing for an empty list.
   *
   * @param userIds object ids; repeats are sent once
   * @throws IllegalArgumentException when an id is not an object id (a GUID)
   * @throws UpstreamException when Graph refuses ({@code FORBIDDEN}: permission or licence missing;
   *     {@code REJECTED}: an id it does not know) or fails once the retries are spent
   */
  public void confirmCompromised(Collection<String> userIds) {
    Set<String> ids = new LinkedHashSet<>();
    userIds.forEach(id -> ids.add(GraphUsers.objectId(id)));
    if (ids.isEmpty()) {
      return;
    }
    ObjectNode body = Json.UPSTREAM.createObjectNode();
    ArrayNode list = body.putArray("userIds");
    ids.forEach(list::add);
    GraphResponse response = graph.send(GraphRequest.post("confirm", CONFIRM_COMPROMISED, body));
    if (!response.isSuccess()) {
      throw response.toException(
          GraphClient.UPSTREAM
              + " could not confirm "
              + ids.size()
              + " users compromised: "
              + response.reason());
    }
  }
}
