package com.socactions.graph;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.socactions.platform.AzureCredentials;
import com.socactions.platform.Json;
import com.socactions.platform.UpstreamException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Entra ID users through Graph: resolve accounts to users, disable and enable them, revoke their
 * sign-in sessions. Every list goes through {@code $batch} (20 a call), one request per distinct
 * account or user; the answer is per item, never one error for the list.
 *
 * <p>Permissions of the app's identity: User.Read.All to resolve; User.EnableDisableAccount.All
 * (with User.Read.All) to disable and enable; User.RevokeSessions.All or User.ReadWrite.All to
 * revoke sessions. A missing permission answers {@link GraphFailure#FORBIDDEN} per item.
 */
public final class GraphUsers {
  /** The properties a resolution reads; {@code accountEnabled} comes back only when selected. */
  public static final String SELECT =
      "id,userPrincipalName,displayName,accountEnabled,onPremisesSyncEnabled";

  private final GraphClient graph;

  public GraphUsers(GraphClient graph) {
    this.graph = Objects.requireNonNull(graph, "'graph' cannot be null.");
  }

  /**
   * What Entra ID holds for each account, in the order given. Accounts that are one lookup (the
   * same id or UPN, in any case) are asked about once. Unsupported and invalid forms never reach
   * Graph. A UPN goes into the path percent-encoded (a leading {@code $} in the key form Graph asks
   * for), never into an OData expression.
   *
   * @throws UpstreamException from {@link AzureCredentials#UPSTREAM} only, when no token came
   */
  public List<AccountResolution> resolve(List<AccountRef> accounts) {
    Map<String, String> idOfKey = new LinkedHashMap<>();
    List<GraphRequest> requests = new ArrayList<>();
    for (AccountRef account : accounts) {
      if (account.resolvable() && !idOfKey.containsKey(account.key())) {
        String id = Integer.toString(idOfKey.size() + 1);
        idOfKey.put(account.key(), id);
        requests.add(GraphRequest.get(id, GraphPaths.user(account.value()) + "?$select=" + SELECT));
      }
    }
    Map<String, GraphResponse> answers = requests.isEmpty() ? Map.of() : graph.batch(requests);
    List<AccountResolution> results = new ArrayList<>(accounts.size());
    for (AccountRef account : accounts) {
      if (!account.resolvable()) {
        ResolutionStatus status =
            account.kind() == AccountRef.Kind.UNSUPPORTED
                ? ResolutionStatus.UNSUPPORTED
                : ResolutionStatus.INVALID;
        results.add(new AccountResolution(account, status, null, account.problem()));
        continue;
      }
      results.add(resolution(account, answers.get(idOfKey.get(account.key()))));
    }
    return Collections.unmodifiableList(results);
  }

  /**
   * Sets {@code accountEnabled=false} on each user ({@code PATCH /users/{id}}), once per distinct
   * id. Disabling a disabled user succeeds again; callers that report {@code already_disabled} know
   * it from {@link #resolve}.
   *
   * @param userIds object ids, as {@link #resolve} gave them
   * @return per user id, in the order given
   * @throws IllegalArgumentException when an id is not an object id (a GUID)
   * @throws UpstreamException from {@link AzureCredentials#UPSTREAM} only, when no token came
   */
  public Map<String, GraphOutcome> disable(Collection<String> userIds) {
    return setEnabled(userIds, false);
  }

  /** As {@link #disable}, setting {@code accountEnabled=true}. */
  public Map<String, GraphOutcome> enable(Collection<String> userIds) {
    return setEnabled(userIds, true);
  }

  /**
   * Invalidates each user's refresh tokens and session cookies ({@code POST
   * /users/{id}/revokeSignInSessions}; Graph answers 200 {@code true} where the docs say 204: any
   * 2xx is success). Takes effect within minutes; not for external users.
   *
   * @see #disable for the parameters, answer and failures
   */
  public Map<String, GraphOutcome> revokeSignInSessions(Collection<String> userIds) {
    return each(
        userIds, id -> GraphRequest.post(id, "/users/" + id + "/revokeSignInSessions", null));
  }

  private Map<String, GraphOutcome> setEnabled(Collection<String> userIds, boolean enabled) {
    return each(
        userIds,
        id -> {
          ObjectNode body = Json.UPSTREAM.createObjectNode().put("accountEnabled", enabled);
          return GraphRequest.patch(id, "/users/" + id, body);
        });
  }

  private Map<String, GraphOutcome> each(
      Collection<String> userIds, Function<String, GraphRequest> request) {
    LinkedHashSet<String> ids = new LinkedHashSet<>();
    for (String userId : userIds) {
      ids.add(objectId(userId));
    }
    List<GraphRequest> requests = ids.stream().map(request).toList();
    Map<String, GraphResponse> answers = requests.isEmpty() ? Map.of() : graph.batch(requests);
    Map<String, GraphOutcome> outcomes = new LinkedHashMap<>();
    answers.forEach((id, response) -> outcomes.put(id, GraphOutcome.of(id, response)));
    return Collections.unmodifiableMap(outcomes);
  }

  /**
   * The id in the one form used as batch id and in paths; only a GUID can be pasted into a path.
   */
  static String objectId(String userId) {
    if (!GraphPaths.isGuid(userId)) {
      throw new IllegalArgumentException(
          "a user id must be an object id (GUID), not '" + userId + "'");
    }
    return userId.toLowerCase(Locale.ROOT);
  }

  private static AccountResolution resolution(AccountRef account, GraphResponse response) {
    if (response.isSuccess()) {
      GraphUser user = GraphUser.from(response.body());
      if (user.id() == null) {
        return new AccountResolution(
            account,
            ResolutionStatus.FAILED,
            null,
            GraphClient.UPSTREAM + " answered without the user's id");
      }
      return new AccountResolution(account, ResolutionStatus.RESOLVED, user, null);
    }
    GraphFailure failure = response.failure().orElseThrow();
    ResolutionStatus status =
        switch (failure) {
          case NOT_FOUND -> ResolutionStatus.NOT_FOUND;
          case INVALID -> ResolutionStatus.INVALID;
          default -> ResolutionStatus.FAILED;
        };
    return new AccountResolution(
        account, status, null, failure.wireName() + ": " + response.reason());
  }
}
