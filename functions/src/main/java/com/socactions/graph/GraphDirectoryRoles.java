package com.socactions.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.socactions.platform.ConfigurationException;
import com.socactions.platform.Settings;
import com.socactions.platform.Ticker;
import com.socactions.platform.UpstreamException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who holds a privileged directory role, for the identity guardrail: the members of the activated
 * roles whose display names are configured ({@value #ROLES_SETTING}, default {@link
 * #DEFAULT_ROLES}), groups assigned to a role expanded to their users. Read with {@code GET
 * /directoryRoles} (which takes no OData options, so roles are matched here by name, never by a
 * filter built from text) and one {@code $batch} of {@code GET /directoryRoles/{id}/members}, then
 * kept for {@link #DEFAULT_CACHE_TTL}.
 *
 * <p>Permission: RoleManagement.Read.Directory (or Directory.Read.All). A role that is not
 * activated in the tenant has no members and is not listed. Only active assignments count: users
 * merely eligible through PIM are not members until they activate.
 *
 * <p>Fails closed: when the members cannot be read, {@link #rolesOf} throws rather than answering
 * "not privileged".
 */
public final class GraphDirectoryRoles {
  public static final String ROLES_SETTING = "GRAPH_PRIVILEGED_ROLES";

  /** Roles that can take over the tenant, its security settings or its admins. */
  public static final List<String> DEFAULT_ROLES =
      List.of(
          "Global Administrator",
          "Privileged Role Administrator",
          "Security Administrator",
          "User Administrator",
          "Privileged Authentication Administrator",
          "Exchange Administrator",
          "SharePoint Administrator",
          "Conditional Access Administrator",
          "Application Administrator",
          "Cloud Application Administrator");

  /** Role membership changes seldom; a guardrail may be this much behind. */
  public static final Duration DEFAULT_CACHE_TTL = Duration.ofMinutes(5);

  /** More pages of members than this means a paging loop on Graph's side, not a large role. */
  static final int MAX_PAGES = 100;

  private static final String USER_TYPE = "#microsoft.graph.user";
  private static final String GROUP_TYPE = "#microsoft.graph.group";

  private final GraphClient graph;
  private final List<String> roleNames;
  private final Duration ttl;
  private final Ticker ticker;
  private Map<String, List<String>> rolesByUser;
  private long loadedAt;

  /**
   * @param roleNames display names of the roles that count as privileged, matched without case
   * @param ttl how long a reading of the members is used
   */
  public GraphDirectoryRoles(
      GraphClient graph, List<String> roleNames, Duration ttl, Ticker ticker) {
    this.graph = Objects.requireNonNull(graph, "'graph' cannot be null.");
    this.roleNames = List.copyOf(roleNames);
    this.ttl = Objects.requireNonNull(ttl, "'ttl' cannot be null.");
    this.ticker = Objects.requireNonNull(ticker, "'ticker' cannot be null.");
  }

  /**
   * {@value #ROLES_SETTING}: role display names separated by commas; {@link #DEFAULT_ROLES} when
   * unset.
   *
   * @throws ConfigurationException naming the setting when it lists no name
   */
  public static List<String> roleNames(Settings settings) {
    return settings
        .get(ROLES_SETTING)
        .map(
            value -> {
              List<String> names =
                  Arrays.stream(value.split(","))
                      .map(String::strip)
                      .filter(name -> !name.isEmpty())
                      .toList();
              if (names.isEmpty()) {
                throw new ConfigurationException(
                    ROLES_SETTING,
                    "Setting "
                        + ROLES_SETTING
                        + " must list directory role names separated by commas, e.g. Global"
                        + " Administrator,Security Administrator");
              }
              return names;
            })
        .orElse(DEFAULT_ROLES);
  }

  /** The role names that count as privileged. */
  public List<String> roleNames() {
    return roleNames;
  }

  /**
   * The privileged roles the user holds (display names, sorted); empty when none.
   *
   * @param userId the user's object id
   * @throws UpstreamException when the members cannot be read (the guardrail must then refuse)
   */
  public List<String> rolesOf(String userId) {
    return members().getOrDefault(GraphUsers.objectId(userId), List.of());
  }

  /** Whether the user holds any privileged role; see {@link #rolesOf}. */
  public boolean isPrivileged(String userId) {
    return !rolesOf(userId).isEmpty();
  }

  /**
   * Every privileged user's object id with the privileged roles they hold, read again when older
   * than the TTL. Concurrent callers share one reading.
   *
   * @throws UpstreamException when Graph fails or refuses
   */
  public synchronized Map<String, List<String>> members() {
    if (rolesByUser == null || ticker.read() - loadedAt >= ttl.toNanos()) {
      rolesByUser = load();
      loadedAt = ticker.read();
    }
    return rolesByUser;
  }

  private Map<String, List<String>> load() {
    Set<String> wanted = new HashSet<>();
    roleNames.forEach(name -> wanted.add(name.toLowerCase(Locale.ROOT)));
    Map<String, String> roleNameById = new HashMap<>();
    for (JsonNode role : pages("/directoryRoles")) {
      String name = role.path("displayName").asText("");
      String id = role.path("id").asText("");
      if (wanted.contains(name.toLowerCase(Locale.ROOT)) && GraphPaths.isGuid(id)) {
        roleNameById.put(id, name);
      }
    }
    List<GraphRequest> requests =
        roleNameById.keySet().stream()
            .map(
                id ->
                    GraphRequest.get(
                        id, "/directoryRoles/" + id + "/members?$select=id,userPrincipalName"))
            .toList();
    Map<String, Set<String>> roles = new HashMap<>();
    Map<String, Set<String>> groupRoles = new HashMap<>();
    for (Map.Entry<String, GraphResponse> answer : batch(requests).entrySet()) {
      String role = roleNameById.get(answer.getKey());
      for (JsonNode member : allPages(answer.getValue())) {
        String type = member.path("@odata.type").asText(USER_TYPE);
        String id = member.path("id").asText("");
        if (!GraphPaths.isGuid(id)) {
          continue;
        }
        Map<String, Set<String>> target =
            type.equals(GROUP_TYPE) ? groupRoles : type.equals(USER_TYPE) ? roles : null;
        if (target != null) {
          target.computeIfAbsent(id.toLowerCase(Locale.ROOT), k -> new TreeSet<>()).add(role);
        }
      }
    }
    List<GraphRequest> groups =
        groupRoles.keySet().stream()
            .map(
                id ->
                    GraphRequest.get(
                        id, "/groups/" + id + "/transitiveMembers?$select=id,userPrincipalName"))
            .toList();
    for (Map.Entry<String, GraphResponse> answer : batch(groups).entrySet()) {
      for (JsonNode member : allPages(answer.getValue())) {
        String id = member.path("id").asText("");
        if (member.path("@odata.type").asText(USER_TYPE).equals(USER_TYPE)
            && GraphPaths.isGuid(id)) {
          roles
              .computeIfAbsent(id.toLowerCase(Locale.ROOT), k -> new TreeSet<>())
              .addAll(groupRoles.get(answer.getKey()));
        }
      }
    }
    Map<String, List<String>> result = new HashMap<>();
    roles.forEach((user, names) -> result.put(user, List.copyOf(names)));
    return Collections.unmodifiableMap(result);
  }

  private Map<String, GraphResponse> batch(List<GraphRequest> requests) {
    Map<String, GraphResponse> answers = requests.isEmpty() ? Map.of() : graph.batch(requests);
    for (GraphResponse answer : answers.values()) {
      if (!answer.isSuccess()) {
        throw new UpstreamException(
            GraphClient.UPSTREAM,
            answer.status(),
            GraphClient.UPSTREAM
                + " could not list the members of a privileged role: "
                + answer.reason(),
            null,
            answer.retryAfter().orElse(null),
            null);
      }
    }
    return answers;
  }

  /** The elements of a first page answered in a batch and of the pages after it. */
  private List<JsonNode> allPages(GraphResponse first) {
    List<JsonNode> elements = new ArrayList<>();
    first.body().path("value").forEach(elements::add);
    graph.nextPage(first.body()).ifPresent(next -> elements.addAll(pages(next)));
    return elements;
  }

  private List<JsonNode> pages(String url) {
    List<JsonNode> elements = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    String next = url;
    while (next != null) {
      if (!seen.add(next) || seen.size() > MAX_PAGES) {
        throw new UpstreamException(
            GraphClient.UPSTREAM,
            502,
            GraphClient.UPSTREAM + " kept paging " + url,
            null,
            null,
            null);
      }
      GraphResponse page = graph.send(GraphRequest.get("page", next));
      if (!page.isSuccess()) {
        throw new UpstreamException(
            GraphClient.UPSTREAM,
            page.status(),
            GraphClient.UPSTREAM + " could not list " + url + ": " + page.reason(),
            null,
            null,
            null);
      }
      page.body().path("value").forEach(elements::add);
      next = graph.nextPage(page.body()).orElse(null);
    }
    return elements;
  }
}
