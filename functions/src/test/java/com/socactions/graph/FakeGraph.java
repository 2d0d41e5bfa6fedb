package com.socactions.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.socactions.testing.NoDelaySockets;
import com.socactions.testing.SharedFixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * A stateful fake of Microsoft Graph v1.0 on one loopback {@link MockWebServer}, answering in the
 * shapes of {@code shared/fixtures/graph/} ({@code response.body}).
 *
 * <ul>
 *   <li>Every call needs {@code Authorization: Bearer <token>} (else 401 {@code
 *       InvalidAuthenticationToken}).
 *   <li>Users ({@link #seedRecorded}, {@link #addUser}): {@code GET /users/{id|upn}} and {@code
 *       /users('{upn}')} (the key is percent-decoded; UPNs match without case; without {@code
 *       $select} only the default properties come back, {@code accountEnabled} not among them), 404
 *       {@code Request_ResourceNotFound}; {@code PATCH /users/{id}} 204; {@code POST
 *       /users/{id}/revokeSignInSessions} 200 {@code true}.
 *   <li>Directory roles: the built-in role definitions of {@link #BUILT_IN_ROLES} (the three
 *       activated ones of {@code directory-roles-list.json} among them), {@link #addCustomRole};
 *       {@link #addRoleMember} (activating the role, as an assignment in the portal does), {@link
 *       #addGroup}; {@code GET /roleManagement/directory/roleDefinitions}, {@code /directoryRoles},
 *       {@code /directoryRoles/{id}/members} and {@code
 *       /directoryRoles/roleTemplateId={templateId}/members} (404 {@code Request_ResourceNotFound}
 *       for a role not activated), {@code /groups/{id}/transitiveMembers}.
 *   <li>Privileged Identity Management: {@link #addEligibility} (a user or group eligible for a
 *       role), {@link #addGroupEligibility} (a principal eligible as member or owner of a group,
 *       PIM for Groups); {@code GET /roleManagement/directory/roleEligibilityScheduleInstances}
 *       ({@code $filter} on {@code roleDefinitionId}/{@code principalId} with {@code eq}, joined by
 *       {@code and}; {@code $expand=principal} adds the principal's {@code @odata.type} and id; any
 *       other filter is 400) and {@code
 *       /identityGovernance/privilegedAccess/group/eligibilityScheduleInstances} (a {@code groupId}
 *       or {@code principalId} filter is required, as the docs say); both answer 400 {@code
 *       AadPremiumLicenseRequired} after {@link #withoutPimLicence}.
 *   <li>Paging: every list answers at most {@link #pageSize} elements a page, with an absolute
 *       {@code @odata.nextLink} carrying a {@code $skiptoken}.
 *   <li>{@code POST /identityProtection/riskyUsers/confirmCompromised} 204, recorded.
 *   <li>Named locations: the recorded one; {@code GET}/{@code PATCH}, the PATCH replacing {@code
 *       ipRanges} and refusing (400) a body without {@code @odata.type}, {@code displayName},
 *       {@code isTrusted}, typed ranges, or with no range.
 *   <li>{@code POST /$batch}: at most 20 requests (else 400); each runs against the same state and
 *       answers its own status; responses come back in reverse order.
 *   <li>Scripting: {@link #latency} (each HTTP call), {@link #pace} (one HTTP call per interval),
 *       {@link #failNext} (the next HTTP calls), {@link #throttle} (requests inside a batch whose
 *       URL contains a text answer 429, with or without {@code Retry-After}), {@link
 *       #withoutPermissionFor} (requests, batched or not, whose URL contains a text answer 403
 *       {@code Authorization_RequestDenied} until {@link #restorePermissions}).
 *   <li>Reading: {@link #user}, {@link #revocations}, {@link #confirmed}, {@link #namedLocation},
 *       {@link #requests}, {@link #batchCalls}, {@link #inner} (every request run, batched or not),
 *       {@link #stamps} (the ticker's reading at each HTTP call).
 * </ul>
 */
public final class FakeGraph implements AutoCloseable {
  public static final String NAMED_LOCATION_ID = "0854951d-5fc0-4eb1-b392-9b2c9d7949c2";

  /**
   * Built-in Entra ID roles by display name, with their template ids (the same in every tenant, and
   * the role definition's id): the ten of {@code GRAPH_PRIVILEGED_ROLES}' default and the three of
   * {@code directory-roles-list.json}.
   */
  public static final Map<String, String> BUILT_IN_ROLES =
      Map.ofEntries(
          Map.entry("Global Administrator", "62e90394-69f5-4237-9190-012177145e10"),
          Map.entry("Privileged Role Administrator", "e8611ab8-c189-46e8-94e1-60213ab1f814"),
          Map.entry("Security Administrator", "194ae4cb-b126-40b2-bd5b-6091b380977d"),
          Map.entry("User Administrator", "fe930be7-5e62-47db-91af-98c3a49a38b1"),
          Map.entry(
              "Privileged Authentication Administrator", "7be44c8a-adaf-4e2a-84d6-ab2649e08a13"),
          Map.entry("Exchange Administrator", "29232cdf-9323-42fd-ade2-1d097af3e4de"),
          Map.entry("SharePoint Administrator", "f28a1f50-f6e7-4571-818b-6a12f2af6b6c"),
          Map.entry("Conditional Access Administrator", "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9"),
          Map.entry("Application Administrator", "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3"),
          Map.entry("Cloud Application Administrator", "158c047a-c907-4556-b7ef-446551a6b5f7"),
          Map.entry("Directory Readers", "88d8e3e3-8f55-4a1e-953a-9b9898b8876b"),
          Map.entry(
              "Azure AD Joined Device Local Administrator",
              "9f06204d-73c1-4d4c-880a-6edb90606fd8"));

  private static final String ROLE_ELIGIBILITY =
      "/roleManagement/directory/roleEligibilityScheduleInstances";
  private static final String GROUP_ELIGIBILITY =
      "/identityGovernance/privilegedAccess/group/eligibilityScheduleInstances";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> DEFAULT_PROPERTIES =
      Set.of(
          "businessPhones",
          "displayName",
          "givenName",
          "id",
          "jobTitle",
          "mail",
          "mobilePhone",
          "officeLocation",
          "preferredLanguage",
          "surname",
          "userPrincipalName");

  public record Inner(String method, String url, int status) {}

  private record Answer(int status, Map<String, String> headers, JsonNode body) {}

  private record Throttle(String urlContains, AtomicInteger remaining, String retryAfter) {}

  private final MockWebServer server = new MockWebServer();
  private volatile String token;
  private final Map<String, ObjectNode> users = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> revocations = new ConcurrentHashMap<>();
  private final List<List<String>> confirmed = new CopyOnWriteArrayList<>();
  private final List<ObjectNode> roles = new CopyOnWriteArrayList<>();
  private final Map<String, List<ObjectNode>> roleMembers = new ConcurrentHashMap<>();
  private final Map<String, List<String>> groups = new ConcurrentHashMap<>();
  private final List<ObjectNode> definitions = new CopyOnWriteArrayList<>();
  private final List<ObjectNode> eligibilities = new CopyOnWriteArrayList<>();
  private final List<ObjectNode> groupEligibilities = new CopyOnWriteArrayList<>();
  private final Map<String, String> principalTypes = new ConcurrentHashMap<>();
  private final List<String> refused = new CopyOnWriteArrayList<>();
  private volatile boolean pimLicensed = true;
  private volatile int pageSize = 100;
  private final Map<String, ObjectNode> namedLocations = new ConcurrentHashMap<>();
  private final Queue<MockResponse> scripted = new ConcurrentLinkedQueue<>();
  private final List<Throttle> throttles = new CopyOnWriteArrayList<>();
  private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
  private final List<Inner> inner = new CopyOnWriteArrayList<>();
  private final List<Long> stamps = new CopyOnWriteArrayList<>();
  private final AtomicInteger batchCalls = new AtomicInteger();
  private volatile LongSupplier ticker = () -> 0L;
  private volatile Duration latency = Duration.ZERO;
  private volatile Duration pace = Duration.ZERO;
  private final Object paceLock = new Object();
  private long nextSlot;

  private FakeGraph(String token) {
    this.token = token;
    recorded("directory-roles-list.json")
        .path("value")
        .forEach(role -> roles.add((ObjectNode) role));
    BUILT_IN_ROLES.forEach(
        (name, templateId) ->
            definitions.add(
                JSON.createObjectNode()
                    .put("id", templateId)
                    .put("displayName", name)
                    .put("templateId", templateId)
                    .put("isBuiltIn", true)
                    .put("isEnabled", true)));
    namedLocations.put(NAMED_LOCATION_ID, (ObjectNode) recorded("named-location-get.json"));
  }

  /** Starts on a free loopback port, accepting {@code Bearer token}. */
  public static FakeGraph start(String token) throws IOException {
    FakeGraph fake = new FakeGraph(token);
    fake.server.setDispatcher(fake.new GraphDispatcher());
    fake.server.setServerSocketFactory(
        NoDelaySockets.FACTORY); // no ~40 ms delayed-ACK wait per answer
    fake.server.start(InetAddress.getByName("127.0.0.1"), 0);
    return fake;
  }

  /**
   * Starts on a free loopback port, accepting the bearer token that {@code tokenForBaseUrl} gives
   * for its own {@link #baseUrl()} (a token endpoint issues one per resource, and the resource is
   * only known once the port is).
   */
  public static FakeGraph start(Function<String, String> tokenForBaseUrl) throws IOException {
    FakeGraph fake = start("");
    fake.token = tokenForBaseUrl.apply(fake.baseUrl());
    return fake;
  }

  /** The {@code response.body} of a recorded exchange. */
  public static JsonNode recorded(String file) {
    try {
      return JSON.readTree(SharedFixtures.read("graph/" + file))
          .path("response")
          .path("body")
          .deepCopy();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The value for {@code GRAPH_URL}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getPort();
  }

  // ---- state and scripting ----

  /**
   * Holds the users of {@code users-get.json} and {@code users-get-by-upn.json}, enabled,
   * cloud-only.
   */
  public FakeGraph seedRecorded() {
    for (String file : List.of("users-get.json", "users-get-by-upn.json")) {
      ObjectNode user = (ObjectNode) recorded(file);
      user.remove("@odata.context");
      user.put("accountEnabled", true);
      user.putNull("onPremisesSyncEnabled");
      users.put(user.path("id").asText(), user);
    }
    return this;
  }

  /** Holds an enabled cloud-only user. */
  public FakeGraph addUser(String id, String upn) {
    ObjectNode user =
        JSON.createObjectNode()
            .put("id", id)
            .put("userPrincipalName", upn)
            .put("displayName", upn)
            .put("accountEnabled", true);
    user.putNull("onPremisesSyncEnabled");
    users.put(id, user);
    return this;
  }

  /**
   * Activates a role (as Graph lists activated roles only) under the object id {@code id}: a
   * built-in role by its display name, or, for a name not built in, a new built-in role definition
   * whose template id is {@code id}.
   */
  public FakeGraph addRole(String id, String displayName) {
    String templateId =
        definition(displayName).map(def -> def.path("templateId").asText()).orElse(null);
    if (templateId == null) {
      templateId = id;
      definitions.add(
          JSON.createObjectNode()
              .put("id", id)
              .put("displayName", displayName)
              .put("templateId", id)
              .put("isBuiltIn", true)
              .put("isEnabled", true));
    }
    roles.add(
        JSON.createObjectNode()
            .put("id", id)
            .put("displayName", displayName)
            .put("roleTemplateId", templateId));
    return this;
  }

  /** A custom role definition (not a directory role: it has no {@code /directoryRoles} entry). */
  public FakeGraph addCustomRole(String id, String displayName) {
    definitions.add(
        JSON.createObjectNode()
            .put("id", id)
            .put("displayName", displayName)
            .putNull("templateId")
            .put("isBuiltIn", false)
            .put("isEnabled", true));
    return this;
  }

  /**
   * Makes a user or a group ({@code @odata.type} {@code #microsoft.graph.user}/{@code group}) an
   * active member of a role, activating a built-in role first when it is not (as assigning it in
   * the portal does).
   */
  public FakeGraph addRoleMember(String roleDisplayName, String memberId, String odataType) {
    ObjectNode role =
        roles.stream()
            .filter(held -> held.path("displayName").asText().equals(roleDisplayName))
            .findFirst()
            .orElseGet(
                () -> {
                  String templateId =
                      definition(roleDisplayName).orElseThrow().path("templateId").asText();
                  ObjectNode activated =
                      JSON.createObjectNode()
                          .put("id", UUID.randomUUID().toString())
                          .put("displayName", roleDisplayName)
                          .put("roleTemplateId", templateId);
                  roles.add(activated);
                  return activated;
                });
    roleMembers
        .computeIfAbsent(role.path("id").asText(), k -> new CopyOnWriteArrayList<>())
        .add(JSON.createObjectNode().put("@odata.type", odataType).put("id", memberId));
    principalTypes.put(memberId, odataType);
    return this;
  }

  public FakeGraph addGroup(String groupId, String... userIds) {
    groups.put(groupId, List.of(userIds));
    principalTypes.put(groupId, "#microsoft.graph.group");
    return this;
  }

  /**
   * Makes a user or a group ({@code @odata.type}) eligible for a role through PIM, as a {@code
   * unifiedRoleEligibilityScheduleInstance} shaped like the list example of
   * rbacapplication-list-roleeligibilityscheduleinstances.md (tenant-wide, direct, no end).
   */
  public FakeGraph addEligibility(String roleDisplayName, String principalId, String odataType) {
    String roleId = definition(roleDisplayName).orElseThrow().path("id").asText();
    ObjectNode instance =
        JSON.createObjectNode()
            .put("id", UUID.randomUUID().toString())
            .put("principalId", principalId)
            .put("roleDefinitionId", roleId)
            .put("directoryScopeId", "/")
            .putNull("appScopeId")
            .put("startDateTime", "2025-01-10T09:00:00Z")
            .putNull("endDateTime")
            .put("memberType", "Direct")
            .put("roleEligibilityScheduleId", UUID.randomUUID().toString());
    eligibilities.add(instance);
    principalTypes.put(principalId, odataType);
    return this;
  }

  /** Ends every role eligibility of a principal (an admin removed it in PIM). */
  public FakeGraph removeEligibilities(String principalId) {
    eligibilities.removeIf(
        instance -> instance.path("principalId").asText().equalsIgnoreCase(principalId));
    return this;
  }

  /**
   * Makes a principal eligible as {@code accessId} ({@code member} or {@code owner}) of a group
   * through PIM for Groups, shaped like privilegedaccessgroup-list-eligibilityscheduleinstances.md.
   */
  public FakeGraph addGroupEligibility(String groupId, String principalId, String accessId) {
    groupEligibilities.add(
        JSON.createObjectNode()
            .put("id", groupId + "_" + accessId + "_" + UUID.randomUUID())
            .put("startDateTime", "2025-01-10T09:00:00Z")
            .putNull("endDateTime")
            .put("accessId", accessId)
            .put("principalId", principalId)
            .put("groupId", groupId)
            .put("memberType", "Direct"));
    return this;
  }

  /** The PIM lists answer 400 {@code AadPremiumLicenseRequired}, as in a tenant without P2. */
  public FakeGraph withoutPimLicence() {
    this.pimLicensed = false;
    return this;
  }

  /**
   * Every request (batched or not) whose URL contains {@code urlContains} answers 403 {@code
   * Authorization_RequestDenied}, as when the app lacks the permission; until {@link
   * #restorePermissions}.
   */
  public FakeGraph withoutPermissionFor(String urlContains) {
    refused.add(urlContains);
    return this;
  }

  public FakeGraph restorePermissions() {
    refused.clear();
    return this;
  }

  /** At most this many elements a page in every list (Graph's own page sizes vary by list). */
  public FakeGraph pageSize(int elements) {
    this.pageSize = elements;
    return this;
  }

  private Optional<ObjectNode> definition(String displayName) {
    return definitions.stream()
        .filter(def -> def.path("displayName").asText().equals(displayName))
        .findFirst();
  }

  /** Adds a named location of countries, to be refused as an IP location. */
  public FakeGraph addCountryLocation(String id) {
    namedLocations.put(
        id,
        JSON.createObjectNode()
            .put("@odata.type", "#microsoft.graph.countryNamedLocation")
            .put("id", id)
            .put("displayName", "Countries"));
    return this;
  }

  /**
   * Every HTTP call (a {@code $batch} counts once) takes this long before it is answered, as a real
   * service's round trip does; for benchmarks and for races that need a window.
   */
  public FakeGraph latency(Duration perCall) {
    this.latency = perCall;
    return this;
  }

  /**
   * Serves at most one HTTP call per {@code interval}: a call that comes sooner waits for its slot
   * (as a service that paces its callers does), then takes the {@link #latency}.
   */
  public FakeGraph pace(Duration interval) {
    this.pace = interval;
    return this;
  }

  /** Stamps each HTTP call with this reading (a test's ticker), for pacing checks. */
  public FakeGraph stampWith(LongSupplier reading) {
    this.ticker = reading;
    return this;
  }

  /**
   * The next {@code n} HTTP calls answer {@code status} with Graph's error body and these headers.
   */
  public FakeGraph failNext(int n, int status, Map<String, String> headers) {
    for (int i = 0; i < n; i++) {
      MockResponse.Builder response =
          new MockResponse.Builder()
              .code(status)
              .addHeader("Content-Type", "application/json")
              .body(recorded("throttled-429.json").toString());
      headers.forEach(response::addHeader);
      scripted.add(response.build());
    }
    return this;
  }

  /**
   * The next {@code times} requests inside a batch whose URL contains {@code urlContains} answer
   * 429, with {@code Retry-After: retryAfter} in the entry's headers unless it is null.
   */
  public FakeGraph throttle(String urlContains, int times, String retryAfter) {
    throttles.add(new Throttle(urlContains, new AtomicInteger(times), retryAfter));
    return this;
  }

  // ---- reading state ----

  public ObjectNode user(String id) {
    return users.get(id);
  }

  public int revocations(String id) {
    AtomicInteger count = revocations.get(id);
    return count == null ? 0 : count.get();
  }

  public List<List<String>> confirmed() {
    return List.copyOf(confirmed);
  }

  public ObjectNode namedLocation(String id) {
    return namedLocations.get(id);
  }

  /** The {@code cidrAddress} of every range a named location holds, in order. */
  public List<String> namedLocationRanges(String id) {
    List<String> ranges = new java.util.ArrayList<>();
    namedLocations
        .get(id)
        .path("ipRanges")
        .forEach(range -> ranges.add(range.path("cidrAddress").asText()));
    return ranges;
  }

  /** Adds a range to a named location as a person would in the Entra admin center. */
  public FakeGraph addNamedLocationRange(String id, String cidr) {
    ObjectNode range =
        ((com.fasterxml.jackson.databind.node.ArrayNode)
                namedLocations.get(id).withArray("ipRanges"))
            .addObject();
    range.put(
        "@odata.type",
        cidr.contains(":") ? "#microsoft.graph.iPv6CidrRange" : "#microsoft.graph.iPv4CidrRange");
    range.put("cidrAddress", cidr);
    return this;
  }

  public List<RecordedRequest> requests() {
    return List.copyOf(requests);
  }

  public int batchCalls() {
    return batchCalls.get();
  }

  public List<Inner> inner() {
    return List.copyOf(inner);
  }

  public List<Long> stamps() {
    return List.copyOf(stamps);
  }

  @Override
  public void close() {
    server.close();
  }

  // ---- answering ----

  private static Answer error(int status, String code, String message) {
    ObjectNode body = JSON.createObjectNode();
    body.putObject("error")
        .put("code", code)
        .put("message", message)
        .putObject("innerError")
        .put("request-id", "00000000-0000-0000-0000-000000000000");
    return new Answer(status, Map.of(), body);
  }

  private static MockResponse http(Answer answer) {
    MockResponse.Builder response = new MockResponse.Builder().code(answer.status());
    answer.headers().forEach(response::addHeader);
    if (answer.body() != null) {
      response.addHeader("Content-Type", "application/json").body(answer.body().toString());
    }
    return response.build();
  }

  /**
   * Percent-decoding of one path segment, exactly (no '+' for space): for tests that read {@link
   * #inner} URLs.
   */
  public static String decodeSegment(String segment) {
    return decode(segment);
  }

  /** Percent-decoding of one path segment, exactly (no '+' for space). */
  static String decode(String segment) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] bytes = segment.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '%' && i + 2 < bytes.length) {
        out.write(Integer.parseInt(new String(bytes, i + 1, 2, StandardCharsets.US_ASCII), 16));
        i += 2;
      } else {
        out.write(bytes[i]);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private final class GraphDispatcher extends Dispatcher {
    @Override
    public MockResponse dispatch(RecordedRequest request) {
      requests.add(request);
      stamps.add(ticker.getAsLong());
      pause();
      MockResponse next = scripted.poll();
      if (next != null) {
        return next;
      }
      if (!("Bearer " + token).equals(request.getHeaders().get("Authorization"))) {
        return http(error(401, "InvalidAuthenticationToken", "Access token is empty or invalid."));
      }
      String path = request.getUrl().encodedPath();
      if (!path.startsWith("/v1.0/")) {
        return http(error(400, "BadRequest", "Invalid version."));
      }
      String url =
          path.substring("/v1.0".length())
              + (request.getUrl().encodedQuery() == null
                  ? ""
                  : "?" + request.getUrl().encodedQuery());
      JsonNode body = parse(request.getBody() == null ? "" : request.getBody().utf8());
      if (url.equals("/$batch") && request.getMethod().equals("POST")) {
        batchCalls.incrementAndGet();
        return http(batch(body));
      }
      return http(run(request.getMethod(), url, body));
    }

    private void pause() {
      if (!pace.isZero()) {
        synchronized (paceLock) {
          long now = System.nanoTime();
          long wait = nextSlot - now;
          nextSlot = Math.max(now, nextSlot) + pace.toNanos();
          if (wait > 0) {
            try {
              Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        }
      }
      if (latency.isZero()) {
        return;
      }
      try {
        Thread.sleep(latency.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private JsonNode parse(String text) {
      try {
        return text.isBlank() ? null : JSON.readTree(text);
      } catch (IOException e) {
        return JSON.getNodeFactory().textNode(text);
      }
    }

    private Answer batch(JsonNode body) {
      JsonNode list = body == null ? null : body.path("requests");
      if (list == null || !list.isArray() || list.size() == 0 || list.size() > 20) {
        return error(400, "BadRequest", "A batch holds 1 to 20 requests.");
      }
      List<JsonNode> responses = new ArrayList<>();
      for (JsonNode entry : list) {
        String url = entry.path("url").asText();
        Answer answer = throttled(url);
        if (answer == null) {
          answer =
              run(
                  entry.path("method").asText(),
                  url.startsWith("/") ? url : "/" + url,
                  entry.get("body"));
        } else {
          inner.add(new Inner(entry.path("method").asText(), url, 429));
        }
        ObjectNode response =
            JSON.createObjectNode()
                .put("id", entry.path("id").asText())
                .put("status", answer.status());
        if (!answer.headers().isEmpty()) {
          ObjectNode headers = response.putObject("headers");
          answer.headers().forEach(headers::put);
        }
        response.set("body", answer.body());
        responses.add(0, response); // Graph answers in any order
      }
      ObjectNode answer = JSON.createObjectNode();
      ArrayNode array = answer.putArray("responses");
      responses.forEach(array::add);
      return new Answer(200, Map.of(), answer);
    }

    private Answer throttled(String url) {
      for (Throttle throttle : throttles) {
        if (url.contains(throttle.urlContains()) && throttle.remaining().getAndDecrement() > 0) {
          Map<String, String> headers =
              throttle.retryAfter() == null
                  ? Map.of()
                  : Map.of("Retry-After", throttle.retryAfter());
          return new Answer(429, headers, recorded("throttled-429.json"));
        }
      }
      return null;
    }

    private Answer run(String method, String url, JsonNode body) {
      Answer answer =
          refused.stream().anyMatch(url::contains)
              ? error(
                  403,
                  "Authorization_RequestDenied",
                  "Insufficient privileges to complete the operation.")
              : route(method, url, body);
      inner.add(new Inner(method, url, answer.status()));
      return answer;
    }

    private Answer route(String method, String url, JsonNode body) {
      int q = url.indexOf('?');
      String path = q < 0 ? url : url.substring(0, q);
      Map<String, String> query = new HashMap<>();
      if (q >= 0) {
        for (String pair : url.substring(q + 1).split("&")) {
          int eq = pair.indexOf('=');
          query.put(
              decode(eq < 0 ? pair : pair.substring(0, eq)),
              eq < 0 ? "" : decode(pair.substring(eq + 1)));
        }
      }
      List<String> segments = Arrays.stream(path.substring(1).split("/", -1)).toList();
      String first = segments.get(0);
      if (first.startsWith("users('") && first.endsWith("')") && segments.size() == 1) {
        String upn =
            decode(first.substring("users('".length(), first.length() - 2)).replace("''", "'");
        return method.equals("GET")
            ? getUser(upn, query.get("$select"))
            : error(405, "BadRequest", method);
      }
      if (first.equals("users") && segments.size() >= 2) {
        String key = decode(segments.get(1));
        if (key.startsWith("$")) {
          return error(400, "BadRequest", "Unsupported segment " + key);
        }
        if (segments.size() == 2 && method.equals("GET")) {
          return getUser(key, query.get("$select"));
        }
        if (segments.size() == 2 && method.equals("PATCH")) {
          return patchUser(key, body);
        }
        if (segments.size() == 3
            && segments.get(2).equals("revokeSignInSessions")
            && method.equals("POST")) {
          return revoke(key);
        }
      }
      if (path.equals("/roleManagement/directory/roleDefinitions") && method.equals("GET")) {
        List<ObjectNode> selected =
            definitions.stream().map(def -> select(def, query.get("$select"))).toList();
        return page(url, query, selected, "roleManagement/directory/roleDefinitions");
      }
      if (path.equals("/directoryRoles") && method.equals("GET")) {
        return page(url, query, roles, "directoryRoles");
      }
      if (first.equals("directoryRoles")
          && segments.size() == 3
          && segments.get(2).equals("members")
          && method.equals("GET")) {
        String key = decode(segments.get(1));
        Optional<ObjectNode> role =
            roles.stream()
                .filter(
                    held ->
                        key.startsWith("roleTemplateId=")
                            ? held.path("roleTemplateId")
                                .asText()
                                .equals(key.substring("roleTemplateId=".length()))
                            : held.path("id").asText().equals(key))
                .findFirst();
        if (role.isEmpty()) {
          return error(404, "Request_ResourceNotFound", "Resource '" + key + "' does not exist.");
        }
        return page(
            url,
            query,
            roleMembers.getOrDefault(role.get().path("id").asText(), List.of()),
            "directoryObjects");
      }
      if (first.equals("groups")
          && segments.size() == 3
          && segments.get(2).equals("transitiveMembers")
          && method.equals("GET")) {
        List<ObjectNode> members =
            groups.getOrDefault(segments.get(1), List.of()).stream()
                .map(
                    id ->
                        JSON.createObjectNode()
                            .put("@odata.type", "#microsoft.graph.user")
                            .put("id", id))
                .toList();
        return page(url, query, members, "directoryObjects");
      }
      if (path.equals(ROLE_ELIGIBILITY) && method.equals("GET")) {
        return roleEligibility(url, query);
      }
      if (path.equals(GROUP_ELIGIBILITY) && method.equals("GET")) {
        return groupEligibility(url, query);
      }
      if (path.equals("/identityProtection/riskyUsers/confirmCompromised")
          && method.equals("POST")) {
        List<String> ids = new ArrayList<>();
        body.path("userIds").forEach(id -> ids.add(id.asText()));
        confirmed.add(ids);
        return new Answer(204, Map.of(), null);
      }
      if (path.startsWith("/identity/conditionalAccess/namedLocations/") && segments.size() == 4) {
        return namedLocation(method, segments.get(3), body);
      }
      return error(400, "BadRequest", "Unsupported " + method + " " + path);
    }

    private static final Pattern EQ = Pattern.compile("(\\w+) eq '([^']*)'");

    /**
     * The clauses of a filter of {@code property eq 'value'} joined by {@code and}, by property;
     * null when the filter has any other form or a property not in {@code allowed} (Graph answers
     * those 400).
     */
    private Map<String, String> equalities(String filter, Set<String> allowed) {
      Map<String, String> clauses = new HashMap<>();
      if (filter == null) {
        return clauses;
      }
      for (String clause : filter.split(" and ")) {
        Matcher matcher = EQ.matcher(clause.strip());
        if (!matcher.matches() || !allowed.contains(matcher.group(1))) {
          return null;
        }
        clauses.put(matcher.group(1), matcher.group(2).toLowerCase(Locale.ROOT));
      }
      return clauses;
    }

    private boolean matches(JsonNode element, Map<String, String> clauses) {
      return clauses.entrySet().stream()
          .allMatch(
              clause ->
                  element
                      .path(clause.getKey())
                      .asText()
                      .toLowerCase(Locale.ROOT)
                      .equals(clause.getValue()));
    }

    private Answer noPimLicence() {
      return error(
          400,
          "AadPremiumLicenseRequired",
          "The tenant needs to have Microsoft Entra ID P2 or Microsoft Entra ID Governance"
              + " license.");
    }

    private Answer roleEligibility(String url, Map<String, String> query) {
      if (!pimLicensed) {
        return noPimLicence();
      }
      Map<String, String> clauses =
          equalities(query.get("$filter"), Set.of("roleDefinitionId", "principalId"));
      if (clauses == null) {
        return error(400, "BadRequest", "Invalid filter clause: " + query.get("$filter"));
      }
      String expand = query.get("$expand");
      List<ObjectNode> answer = new ArrayList<>();
      for (ObjectNode instance : eligibilities) {
        if (!matches(instance, clauses)) {
          continue;
        }
        ObjectNode copy = instance.deepCopy();
        if (expand != null && expand.startsWith("principal")) {
          String id = instance.path("principalId").asText();
          copy.putObject("principal")
              .put("@odata.type", principalTypes.getOrDefault(id, "#microsoft.graph.user"))
              .put("id", id);
        }
        answer.add(copy);
      }
      return page(url, query, answer, "roleManagement/directory/roleEligibilityScheduleInstances");
    }

    private Answer groupEligibility(String url, Map<String, String> query) {
      if (!pimLicensed) {
        return noPimLicence();
      }
      Map<String, String> clauses =
          equalities(query.get("$filter"), Set.of("groupId", "principalId"));
      if (clauses == null || clauses.isEmpty()) {
        return error(
            400,
            "BadRequest",
            "A filter on groupId or principalId is required: " + query.get("$filter"));
      }
      List<ObjectNode> answer =
          groupEligibilities.stream().filter(instance -> matches(instance, clauses)).toList();
      return page(
          url,
          query,
          answer,
          "identityGovernance/privilegedAccess/group/eligibilityScheduleInstances");
    }

    /**
     * One page of a list: {@link #pageSize} elements from the {@code $skiptoken} offset, with an
     * absolute {@code @odata.nextLink} (the same URL, the next offset) while more remain.
     */
    private Answer page(
        String url, Map<String, String> query, List<? extends JsonNode> items, String context) {
      int from;
      try {
        from = Integer.parseInt(query.getOrDefault("$skiptoken", "0"));
      } catch (NumberFormatException e) {
        return error(400, "BadRequest", "Invalid $skiptoken.");
      }
      ObjectNode list =
          JSON.createObjectNode()
              .put("@odata.context", "https://graph.microsoft.com/v1.0/$metadata#" + context);
      ArrayNode value = list.putArray("value");
      int to = Math.min(items.size(), from + pageSize);
      for (int i = from; i < to; i++) {
        value.add(items.get(i));
      }
      if (to < items.size()) {
        String rest = url.replaceAll("[?&]\\$skiptoken=[^&]*", "");
        list.put(
            "@odata.nextLink",
            baseUrl() + "/v1.0" + rest + (rest.contains("?") ? "&" : "?") + "$skiptoken=" + to);
      }
      return new Answer(200, Map.of(), list);
    }

    private ObjectNode select(ObjectNode element, String select) {
      if (select == null) {
        return element;
      }
      ObjectNode selected = JSON.createObjectNode();
      for (String property : select.split(",")) {
        if (element.has(property)) {
          selected.set(property, element.get(property));
        }
      }
      return selected;
    }

    private ObjectNode findUser(String key) {
      ObjectNode byId = users.get(key.toLowerCase(Locale.ROOT));
      if (byId != null) {
        return byId;
      }
      return users.values().stream()
          .filter(user -> user.path("userPrincipalName").asText().equalsIgnoreCase(key))
          .findFirst()
          .orElse(null);
    }

    private Answer getUser(String key, String select) {
      ObjectNode user = findUser(key);
      if (user == null) {
        return error(
            404,
            "Request_ResourceNotFound",
            "Resource '"
                + key
                + "' does not exist or one of its queried reference-property objects are not"
                + " present.");
      }
      Set<String> wanted = select == null ? DEFAULT_PROPERTIES : Set.of(select.split(","));
      ObjectNode answer = JSON.createObjectNode();
      user.fields()
          .forEachRemaining(
              field -> {
                if (wanted.contains(field.getKey())) {
                  answer.set(field.getKey(), field.getValue());
                }
              });
      return new Answer(200, Map.of(), answer);
    }

    private Answer patchUser(String key, JsonNode body) {
      ObjectNode user = users.get(key);
      if (user == null) {
        return error(404, "Request_ResourceNotFound", "Resource '" + key + "' does not exist.");
      }
      if (!(body instanceof ObjectNode changes)) {
        return error(400, "BadRequest", "Empty Payload, JSON content expected.");
      }
      user.setAll(changes);
      return new Answer(204, Map.of(), null);
    }

    private Answer revoke(String key) {
      if (!users.containsKey(key)) {
        return error(404, "Request_ResourceNotFound", "Resource '" + key + "' does not exist.");
      }
      revocations.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
      return new Answer(200, Map.of(), recorded("revoke-sign-in-sessions.json"));
    }

    private Answer namedLocation(String method, String id, JsonNode body) {
      ObjectNode held = namedLocations.get(id);
      if (held == null) {
        return error(404, "Request_ResourceNotFound", "Resource '" + id + "' does not exist.");
      }
      if (method.equals("GET")) {
        return new Answer(200, Map.of(), held.deepCopy());
      }
      if (!method.equals("PATCH")) {
        return error(405, "BadRequest", method);
      }
      boolean typed =
          body != null
              && "#microsoft.graph.ipNamedLocation".equals(body.path("@odata.type").asText())
              && body.has("displayName")
              && body.has("isTrusted")
              && body.path("ipRanges").isArray()
              && body.path("ipRanges").size() > 0;
      if (typed) {
        for (JsonNode range : body.path("ipRanges")) {
          String type = range.path("@odata.type").asText();
          boolean v6 = range.path("cidrAddress").asText().contains(":");
          typed &=
              type.equals(v6 ? "#microsoft.graph.iPv6CidrRange" : "#microsoft.graph.iPv4CidrRange");
        }
      }
      if (!typed) {
        return error(400, "BadRequest", "Invalid ipNamedLocation payload.");
      }
      held.set("displayName", body.path("displayName"));
      held.set("isTrusted", body.path("isTrusted"));
      held.set("ipRanges", body.path("ipRanges").deepCopy());
      return new Answer(204, Map.of(), null);
    }
  }
}
