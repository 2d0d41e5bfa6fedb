package com.socactions.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.socactions.platform.Ticker;
import com.socactions.platform.UpstreamException;
import com.socactions.platform.UpstreamFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who holds, or is one activation away from, a privileged directory role, for the identity
 * guardrail. The roles are those whose display names are configured ({@value #ROLES_SETTING},
 * default {@link #DEFAULT_ROLES}), built-in or custom. A user counts when they:
 *
 * <ul>
 *   <li>are an active member of such a role ({@code /directoryRoles/roleTemplateId={id}/members},
 *       which includes assignments activated through PIM);
 *   <li>are eligible for it through Privileged Identity Management ({@code
 *       /roleManagement/directory/roleEligibilityScheduleInstances});
 *   <li>are a member (transitively) of a group that is an active member of, or eligible for, such a
 *       role (role-assignable groups);
 *   <li>are eligible, as member or owner, for such a group through PIM for Groups ({@code
 *       /identityGovernance/privilegedAccess/group/eligibilityScheduleInstances}).
 * </ul>
 *
 * <p>Cost of one reading, whatever the number of accounts checked: one {@code GET
 * /roleManagement/directory/roleDefinitions} (names are matched here, never put into a filter), one
 * {@code $batch} with the active members and the eligibilities of every configured role (two
 * requests a role), and, when groups hold or are eligible for a role, one {@code $batch} with the
 * members and the PIM for Groups eligibilities of those groups (two requests a group). A reading is
 * kept for {@link #DEFAULT_CACHE_TTL}.
 *
 * <p>Permissions: RoleManagement.Read.Directory (role definitions and members),
 * RoleEligibilitySchedule.Read.Directory (role eligibility; RoleManagement.Read.Directory also
 * covers it), GroupMember.Read.All (members of role-assignable groups) and
 * PrivilegedEligibilitySchedule.Read.AzureADGroup (PIM for Groups, asked only when a group holds or
 * is eligible for a privileged role). A tenant without Microsoft Entra ID P2 or ID Governance has
 * no PIM: Graph answers the eligibility lists {@code 400 AadPremiumLicenseRequired}, read here as
 * "nobody is eligible". A built-in role never activated in the tenant has no members ({@code 404}).
 *
 * <p>Fails closed: when any of these cannot be read (a refused permission, Graph down, a throttled
 * request past its retries), {@link #members} throws rather than answering "not privileged".
 *
 * <p>Not followed: groups nested inside a PIM for Groups eligibility (a group eligible for
 * membership of a privileged group), owners of privileged groups that are not eligible through PIM,
 * and active members of custom roles (custom roles are not directory roles; their eligibilities are
 * followed).
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

  /** More pages than this means a paging loop on Graph's side, not a large role. */
  static final int MAX_PAGES = 100;

  /** Every role definition, built-in and custom; the names are matched here. */
  static final String ROLE_DEFINITIONS =
      "/roleManagement/directory/roleDefinitions?$select=id,displayName,templateId,isBuiltIn";

  static final String ROLE_ELIGIBILITY =
      "/roleManagement/directory/roleEligibilityScheduleInstances";
  static final String GROUP_ELIGIBILITY =
      "/identityGovernance/privilegedAccess/group/eligibilityScheduleInstances";

  /** The least privileged permission of each list, named when Graph refuses it. */
  static final String ROLES_PERMISSION = "RoleManagement.Read.Directory";

  static final String ROLE_ELIGIBILITY_PERMISSION = "RoleEligibilitySchedule.Read.Directory";

  static final String GROUP_MEMBERS_PERMISSION = "GroupMember.Read.All";

  static final String GROUP_ELIGIBILITY_PERMISSION =
      "PrivilegedEligibilitySchedule.Read.AzureADGroup";

  /** Graph's answer to a PIM list in a tenant without the licence PIM needs. */
  static final String NO_PIM_LICENCE = "AadPremiumLicenseRequired";

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
   * @param ttl how long a reading is used
   */
  public GraphDirectoryRoles(
      GraphClient graph, List<String> roleNames, Duration ttl, Ticker ticker) {
    this.graph = Objects.requireNonNull(graph, "'graph' cannot be null.");
    this.roleNames = List.copyOf(roleNames);
    this.ttl = Objects.requireNonNull(ttl, "'ttl' cannot be null.");
    this.ticker = Objects.requireNonNull(ticker, "'ticker' cannot be null.");
  }

  /** The role names that count as privileged. */
  public List<String> roleNames() {
    return roleNames;
  }

  /**
   * How the user holds or can activate privileged roles, one sentence each, sorted: the role's name
   * alone for an active direct member, else the role with how ({@code Global Administrator
   * (eligible through PIM)}, {@code Security Administrator (member of group <id>)}, ...); empty
   * when none.
   *
   * @param userId the user's object id
   * @throws UpstreamException when any of it cannot be read (the guardrail must then refuse)
   */
  public List<String> rolesOf(String userId) {
    return members().getOrDefault(GraphUsers.objectId(userId), List.of());
  }

  /** Whether the user holds or is eligible for any privileged role; see {@link #rolesOf}. */
  public boolean isPrivileged(String userId) {
    return !rolesOf(userId).isEmpty();
  }

  /**
   * Every privileged user's object id (lower case) with how they hold or can activate privileged
   * roles (see {@link #rolesOf}), read again when older than the TTL. Concurrent callers share one
   * reading.
   *
   * @throws UpstreamException when Graph fails or refuses any part of it
   */
  public synchronized Map<String, List<String>> members() {
    if (rolesByUser == null || ticker.read() - loadedAt >= ttl.toNanos()) {
      rolesByUser = load();
      loadedAt = ticker.read();
    }
    return rolesByUser;
  }

  /** A privileged role as Graph's role definitions name it. */
  private record Role(String id, String templateId, String name, boolean builtIn) {}

  /** One way of holding a role: directly or through a group, active or eligible. */
  private record Grant(String role, boolean eligible, String groupId, String groupAccess) {
    String describe() {
      List<String> how = new ArrayList<>();
      if (eligible) {
        how.add("eligible through PIM");
      }
      if (groupId != null && groupAccess == null) {
        how.add("member of group " + groupId);
      } else if (groupId != null) {
        how.add("eligible " + groupAccess + " of group " + groupId + " through PIM for Groups");
      }
      return how.isEmpty() ? role : role + " (" + String.join("; ", how) + ")";
    }
  }

  private Map<String, List<String>> load() {
    List<Role> roles = privilegedRoles();
    Map<String, Set<String>> users = new HashMap<>();
    Map<String, Set<Grant>> groups = new LinkedHashMap<>();
    Map<String, Listing> listings = new LinkedHashMap<>();
    for (int i = 0; i < roles.size(); i++) {
      Role role = roles.get(i);
      if (role.builtIn() && GraphPaths.isGuid(role.templateId())) {
        listings.put(
            "active-" + i,
            new Listing(
                role,
                GraphRequest.get(
                    "active-" + i,
                    "/directoryRoles/roleTemplateId=" + role.templateId() + "/members?$select=id"),
                "list the members of " + role.name(),
                ROLES_PERMISSION,
                false,
                null));
      }
      listings.put(
          "eligible-" + i,
          new Listing(
              role,
              GraphRequest.get(
                  "eligible-" + i,
                  ROLE_ELIGIBILITY
                      + "?$filter="
                      + eq("roleDefinitionId", role.id())
                      + "&$expand=principal($select=id)"),
              "list who is eligible for " + role.name() + " through PIM",
              ROLE_ELIGIBILITY_PERMISSION,
              true,
              null));
    }
    for (Map.Entry<String, List<JsonNode>> answer : read(listings).entrySet()) {
      Listing listing = listings.get(answer.getKey());
      boolean eligible = answer.getKey().startsWith("eligible-");
      for (JsonNode element : answer.getValue()) {
        JsonNode principal = eligible ? element.path("principal") : element;
        String id =
            eligible ? element.path("principalId").asText("") : element.path("id").asText("");
        String type = principal.path("@odata.type").asText(USER_TYPE);
        if (!GraphPaths.isGuid(id)) {
          continue;
        }
        Grant grant = new Grant(listing.role().name(), eligible, null, null);
        if (type.equals(GROUP_TYPE)) {
          groups.computeIfAbsent(key(id), k -> new LinkedHashSet<>()).add(grant);
        } else if (type.equals(USER_TYPE)) {
          users.computeIfAbsent(key(id), k -> new TreeSet<>()).add(grant.describe());
        }
      }
    }
    Map<String, Listing> groupListings = new LinkedHashMap<>();
    int g = 0;
    for (String groupId : groups.keySet()) {
      groupListings.put(
          "members-" + g,
          new Listing(
              null,
              GraphRequest.get(
                  "members-" + g, "/groups/" + groupId + "/transitiveMembers?$select=id"),
              "list the members of privileged group " + groupId,
              GROUP_MEMBERS_PERMISSION,
              false,
              groupId));
      groupListings.put(
          "pim-" + g,
          new Listing(
              null,
              GraphRequest.get(
                  "pim-" + g, GROUP_ELIGIBILITY + "?$filter=" + eq("groupId", groupId)),
              "list who is eligible for privileged group " + groupId + " through PIM for Groups",
              GROUP_ELIGIBILITY_PERMISSION,
              true,
              groupId));
      g++;
    }
    for (Map.Entry<String, List<JsonNode>> answer : read(groupListings).entrySet()) {
      Listing listing = groupListings.get(answer.getKey());
      boolean pim = answer.getKey().startsWith("pim-");
      for (JsonNode element : answer.getValue()) {
        String id = pim ? element.path("principalId").asText("") : element.path("id").asText("");
        boolean user = pim || element.path("@odata.type").asText(USER_TYPE).equals(USER_TYPE);
        if (!user || !GraphPaths.isGuid(id)) {
          continue;
        }
        String access = pim ? element.path("accessId").asText("member") : null;
        Set<String> held = users.computeIfAbsent(key(id), k -> new TreeSet<>());
        for (Grant grant : groups.get(listing.groupId())) {
          held.add(new Grant(grant.role(), grant.eligible(), listing.groupId(), access).describe());
        }
      }
    }
    Map<String, List<String>> result = new HashMap<>();
    users.forEach((user, held) -> result.put(user, List.copyOf(held)));
    return Collections.unmodifiableMap(result);
  }

  /** The configured roles among the tenant's role definitions. */
  private List<Role> privilegedRoles() {
    Set<String> wanted = new HashSet<>();
    roleNames.forEach(name -> wanted.add(name.toLowerCase(Locale.ROOT)));
    List<Role> roles = new ArrayList<>();
    for (JsonNode definition :
        pages(ROLE_DEFINITIONS, "list the directory role definitions", ROLES_PERMISSION)) {
      String name = definition.path("displayName").asText("");
      String id = definition.path("id").asText("");
      if (wanted.contains(name.toLowerCase(Locale.ROOT)) && GraphPaths.isGuid(id)) {
        roles.add(
            new Role(
                key(id),
                definition.path("templateId").asText(id),
                name,
                definition.path("isBuiltIn").asBoolean(true)));
      }
    }
    return roles;
  }

  /**
   * One list asked in a batch: what it is for, the permission it needs, whether it is a PIM list
   * (which a tenant without the PIM licence answers {@value #NO_PIM_LICENCE}), and the group it
   * lists, if any.
   */
  private record Listing(
      Role role,
      GraphRequest request,
      String what,
      String permission,
      boolean pim,
      String groupId) {}

  /**
   * Every element of every list, all pages, by request id; a role never activated (404 on its
   * members) and a tenant without PIM (400 {@value #NO_PIM_LICENCE}) list nothing.
   *
   * @throws UpstreamException for any other failure, naming the permission to grant on a 401/403
   */
  private Map<String, List<JsonNode>> read(Map<String, Listing> listings) {
    if (listings.isEmpty()) {
      return Map.of();
    }
    Map<String, GraphResponse> answers =
        graph.batch(listings.values().stream().map(Listing::request).toList());
    Map<String, List<JsonNode>> elements = new LinkedHashMap<>();
    for (Map.Entry<String, GraphResponse> entry : answers.entrySet()) {
      Listing listing = listings.get(entry.getKey());
      GraphResponse answer = entry.getValue();
      String code = answer.errorCode().orElse("");
      GraphFailure failure = answer.failure().orElse(null);
      boolean neverActivated =
          failure == GraphFailure.NOT_FOUND
              && listing.request().url().startsWith("/directoryRoles/")
              && code.equals("Request_ResourceNotFound");
      boolean noPim = failure == GraphFailure.INVALID && code.equals(NO_PIM_LICENCE);
      if (neverActivated || (noPim && listing.pim())) {
        elements.put(entry.getKey(), List.of());
      } else if (!answer.isSuccess()) {
        throw failure(listing.what(), listing.permission(), answer);
      } else {
        elements.put(entry.getKey(), allPages(answer, listing.what(), listing.permission()));
      }
    }
    return elements;
  }

  private static UpstreamException failure(String what, String permission, GraphResponse answer) {
    String message = GraphClient.UPSTREAM + " could not " + what + ": " + answer.reason();
    if (answer.kind().filter(UpstreamFailure::isRefusedIdentity).isPresent()) {
      message += " (grant the app's identity the Microsoft Graph permission " + permission + ")";
    }
    return answer.toException(message);
  }

  /** The elements of a first page answered in a batch and of the pages after it. */
  private List<JsonNode> allPages(GraphResponse first, String what, String permission) {
    List<JsonNode> elements = new ArrayList<>();
    first.body().path("value").forEach(elements::add);
    graph.nextPage(first.body()).ifPresent(next -> elements.addAll(pages(next, what, permission)));
    return elements;
  }

  /**
   * Every element of a list read page by page with single calls.
   *
   * @throws UpstreamException when a page fails, naming the permission to grant on a 401/403
   */
  private List<JsonNode> pages(String url, String what, String permission) {
    List<JsonNode> elements = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    String next = url;
    while (next != null) {
      if (!seen.add(next) || seen.size() > MAX_PAGES) {
        throw UpstreamException.badResponse(
            GraphClient.UPSTREAM,
            GraphClient.UPSTREAM + " kept paging while asked to " + what,
            null,
            null);
      }
      GraphResponse page;
      try {
        page = graph.send(GraphRequest.get("page", next));
      } catch (UpstreamException e) {
        if (e.failure().isRefusedIdentity()) {
          throw e.explainedWithoutBody(
              GraphClient.UPSTREAM
                  + " could not "
                  + what
                  + " (grant the app's identity the Microsoft Graph permission "
                  + permission
                  + "): "
                  + e.getMessage());
        }
        throw e;
      }
      if (!page.isSuccess()) {
        throw failure(what, permission, page);
      }
      page.body().path("value").forEach(elements::add);
      next = graph.nextPage(page.body()).orElse(null);
    }
    return elements;
  }

  /** {@code name eq '<guid>'} for a query string; only GUIDs are put into a filter. */
  private static String eq(String property, String guid) {
    if (!GraphPaths.isGuid(guid)) {
      throw new IllegalArgumentException("only a GUID goes into a filter, not '" + guid + "'");
    }
    return property + "%20eq%20%27" + guid + "%27";
  }

  private static String key(String id) {
    return id.toLowerCase(Locale.ROOT);
  }
}
