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
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.LongSupplier;
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
 *   <li>Directory roles: the three of {@code directory-roles-list.json}; {@link #addRoleMember},
 *       {@link #addGroup}; {@code GET /directoryRoles}, {@code /directoryRoles/{id}/members},
 *       {@code /groups/{id}/transitiveMembers}.
 *   <li>{@code POST /identityProtection/riskyUsers/confirmCompromised} 204, recorded.
 *   <li>Named locations: the recorded one; {@code GET}/{@code PATCH}, the PATCH replacing {@code
 *       ipRanges} and refusing (400) a body without {@code @odata.type}, {@code displayName},
 *       {@code isTrusted}, typed ranges, or with no range.
 *   <li>{@code POST /$batch}: at most 20 requests (else 400); each runs against the same state and
 *       answers its own status; responses come back in reverse order.
 *   <li>Scripting: {@link #latency} (each HTTP call), {@link #pace} (one HTTP call per interval),
 *       {@link #failNext} (the next HTTP calls), {@link #throttle} (requests inside a batch whose
 *       URL contains a text answer 429, with or without {@code Retry-After}).
 *   <li>Reading: {@link #user}, {@link #revocations}, {@link #confirmed}, {@link #namedLocation},
 *       {@link #requests}, {@link #batchCalls}, {@link #inner} (every request run, batched or not),
 *       {@link #stamps} (the ticker's reading at each HTTP call).
 * </ul>
 */
public final class FakeGraph implements AutoCloseable {
  public static final String NAMED_LOCATION_ID = "0854951d-5fc0-4eb1-b392-9b2c9d7949c2";
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

  /** Activates a role (as Graph lists activated roles only). */
  public FakeGraph addRole(String id, String displayName) {
    roles.add(
        JSON.createObjectNode()
            .put("id", id)
            .put("displayName", displayName)
            .put("roleTemplateId", id));
    return this;
  }

  /**
   * Makes a user or a group ({@code @odata.type} {@code #microsoft.graph.user}/{@code group}) a
   * role member.
   */
  public FakeGraph addRoleMember(String roleDisplayName, String memberId, String odataType) {
    String roleId =
        roles.stream()
            .filter(role -> role.path("displayName").asText().equals(roleDisplayName))
            .findFirst()
            .orElseThrow()
            .path("id")
            .asText();
    roleMembers
        .computeIfAbsent(roleId, k -> new CopyOnWriteArrayList<>())
        .add(JSON.createObjectNode().put("@odata.type", odataType).put("id", memberId));
    return this;
  }

  public FakeGraph addGroup(String groupId, String... userIds) {
    groups.put(groupId, List.of(userIds));
    return this;
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
      Answer answer = route(method, url, body);
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
      if (path.equals("/directoryRoles") && method.equals("GET")) {
        ObjectNode list =
            JSON.createObjectNode()
                .put("@odata.context", "https://graph.microsoft.com/v1.0/$metadata#directoryRoles");
        ArrayNode value = list.putArray("value");
        roles.forEach(value::add);
        return new Answer(200, Map.of(), list);
      }
      if (first.equals("directoryRoles")
          && segments.size() == 3
          && segments.get(2).equals("members")) {
        String roleId = segments.get(1);
        if (roles.stream().noneMatch(role -> role.path("id").asText().equals(roleId))) {
          return error(
              404, "Request_ResourceNotFound", "Resource '" + roleId + "' does not exist.");
        }
        ObjectNode list = JSON.createObjectNode();
        ArrayNode value = list.putArray("value");
        roleMembers.getOrDefault(roleId, List.of()).forEach(value::add);
        return new Answer(200, Map.of(), list);
      }
      if (first.equals("groups")
          && segments.size() == 3
          && segments.get(2).equals("transitiveMembers")) {
        ObjectNode list = JSON.createObjectNode();
        ArrayNode value = list.putArray("value");
        groups
            .getOrDefault(segments.get(1), List.of())
            .forEach(
                id -> value.addObject().put("@odata.type", "#microsoft.graph.user").put("id", id));
        return new Answer(200, Map.of(), list);
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
