package com.socactions.blocking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.socactions.testing.NoDelaySockets;
import com.socactions.testing.SharedFixtures;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
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
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.HttpUrl;

/**
 * A stateful fake of the Defender for Endpoint indicators API on one loopback {@link
 * MockWebServer}, answering in the shapes of {@code shared/fixtures/defender/}.
 *
 * <ul>
 *   <li>Every call needs {@code Authorization: Bearer <token>} with the token it was started with;
 *       else 401 with the API's error body.
 *   <li>{@code GET /api/indicators}: the held indicators in a stable order (by id), filtered by
 *       {@code $filter} of the forms {@code indicatorValue in ('a','b')} and {@code indicatorValue
 *       eq 'a'} (OData string literals, {@code ''} for a quote; values compared without case),
 *       windowed by {@code $skip} and {@code $top} (at most 10,000, as documented; more is a 400),
 *       in pages of {@link #pageSize} with {@code @odata.nextLink} when the window holds more than
 *       a page. A window of {@code $top} full of items carries no link, so a client reads on with
 *       {@code $skip}, as against the documented API. A filter it cannot parse is a 400 {@code
 *       InvalidRequestBody}, as a real OData service refuses one.
 *   <li>{@code POST /api/indicators/import}: submit or update by type and value, at most 500 an
 *       call (else 400), per-item {@code {id, indicator, isFailed, failureReason}}; an unknown type
 *       or action, or a value scripted by {@link #refuseValue}, fails that item alone.
 *   <li>{@code DELETE /api/indicators/{id}}: 204, or 404 with the recorded {@code
 *       ResourceNotFound}.
 *   <li>Scripting: {@link #failNext}, {@link #resetNext}, {@link #respondNext}, {@link
 *       #refuseValue}, {@link #pageSize}, {@link #seedRecorded}, {@link #add}. Counting: {@link
 *       #listCalls()}, {@link #importCalls()}, {@link #deleteCalls()}, {@link #requests()}.
 * </ul>
 */
public final class FakeDefenderApi implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_IMPORT = 500;

  /** The documented maximum of {@code $top} on the list call. */
  private static final int MAX_TOP = 10_000;

  private static final Set<String> TYPES =
      Set.of(
          "FileSha1",
          "FileSha256",
          "FileMd5",
          "CertificateThumbprint",
          "IpAddress",
          "DomainName",
          "Url");
  private static final Set<String> ACTIONS =
      Set.of("Alert", "Warn", "Block", "Audit", "BlockAndRemediate", "AlertAndBlock", "Allowed");

  private final MockWebServer server = new MockWebServer();
  private volatile String token;
  private final Map<String, ObjectNode> indicators = new ConcurrentHashMap<>();

  /**
   * Import's submit-or-update key, {@code type|lower-case value}; {@link #indicators} stays the
   * truth for reads.
   */
  private final Map<String, ObjectNode> heldByTypeAndValue = new ConcurrentHashMap<>();

  private final Map<String, String> refusals = new ConcurrentHashMap<>();
  private final Queue<MockResponse> scripted = new ConcurrentLinkedQueue<>();
  private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger nextId = new AtomicInteger(5000);
  private final AtomicInteger listCalls = new AtomicInteger();
  private final AtomicInteger importCalls = new AtomicInteger();
  private final AtomicInteger deleteCalls = new AtomicInteger();
  private final AtomicInteger batchDeleteCalls = new AtomicInteger();
  private volatile int pageSize = 10_000;
  private volatile long answerDelayMillis;
  private String base;

  private FakeDefenderApi(String token) {
    this.token = token;
  }

  /** Starts on a free loopback port, accepting {@code Bearer token}, holding no indicators. */
  public static FakeDefenderApi start(String token) throws IOException {
    FakeDefenderApi fake = new FakeDefenderApi(token);
    fake.server.setServerSocketFactory(
        NoDelaySockets.FACTORY); // no ~40 ms delayed-ACK wait per answer
    fake.server.start(InetAddress.getByName("127.0.0.1"), 0);
    fake.base = "http://127.0.0.1:" + fake.server.getPort();
    fake.server.setDispatcher(fake.new DefenderDispatcher());
    return fake;
  }

  /**
   * Starts on a free loopback port, accepting the bearer token that {@code tokenForBaseUrl} gives
   * for its own {@link #baseUrl()}: a token endpoint issues one per resource, and the resource (the
   * API's origin) is only known once the port is.
   */
  public static FakeDefenderApi start(Function<String, String> tokenForBaseUrl) throws IOException {
    FakeDefenderApi fake = start("");
    fake.token = tokenForBaseUrl.apply(fake.base);
    return fake;
  }

  /** A file under {@code shared/fixtures/defender/}. */
  public static String fixture(String name) {
    return SharedFixtures.read("defender/" + name);
  }

  /** The value for {@code DEFENDER_API_URL}: {@code http://127.0.0.1:PORT}. */
  public String baseUrl() {
    return base;
  }

  // ---- state and scripting ----

  /** Holds the recorded indicators of {@code list_indicators_response.json} (ids 995, 996). */
  public FakeDefenderApi seedRecorded() throws IOException {
    for (JsonNode item : JSON.readTree(fixture("list_indicators_response.json")).path("value")) {
      hold((ObjectNode) item.deepCopy());
    }
    return this;
  }

  /** The person {@link #add} makes indicators as, in the portal. */
  public static final String PORTAL_USER = "secops@contoso.com";

  /** The application id every API import is recorded as created by (the caller's app). */
  public static final String CALLER_APP_ID = "7d3f1c2e-5a4b-4c3d-9e8f-0a1b2c3d4e5f";

  /**
   * Holds one indicator as a person made it in the Defender portal ({@code sourceType} {@code
   * User}, {@code createdBy} {@value #PORTAL_USER}); returns its id.
   */
  public String add(String value, String type, String action, String expirationTime) {
    ObjectNode item = JSON.createObjectNode();
    String id = Integer.toString(nextId.incrementAndGet());
    item.put("id", id);
    item.put("indicatorValue", value);
    item.put("indicatorType", type);
    item.put("action", action);
    item.put("expirationTime", expirationTime);
    item.put("title", "added by the test");
    item.put("sourceType", "User");
    item.put("source", "SecOps");
    item.put("createdBy", PORTAL_USER);
    item.put("createdByDisplayName", "SecOps Team");
    item.put("creationTimeDateTimeUtc", "2026-11-01T09:00:00Z");
    hold(item);
    return id;
  }

  /**
   * Holds one indicator as the connector would have imported it (its {@code application}, {@code
   * sourceType} {@code AadApp}), e.g. before a worker died; returns its id.
   */
  public String addAsConnector(String value, String type, String action, String expirationTime) {
    String id = add(value, type, action, expirationTime);
    ObjectNode item = indicators.get(id);
    item.put("application", DefenderEnforcementPoint.APPLICATION);
    item.put("sourceType", "AadApp");
    item.put("source", "SOC Actions app");
    item.put("createdBy", CALLER_APP_ID);
    item.put("createdByDisplayName", "SOC Actions app");
    return id;
  }

  /** A snapshot of the indicator with this id, or null: to assert it was left as it was. */
  public JsonNode byId(String id) {
    ObjectNode item = indicators.get(id);
    return item == null ? null : item.deepCopy();
  }

  /** Imports of this value fail for that item alone, with this reason. */
  public FakeDefenderApi refuseValue(String value, String reason) {
    refusals.put(value.toLowerCase(Locale.ROOT), reason);
    return this;
  }

  /**
   * The next {@code n} API calls answer {@code status} with the API's error body and these headers.
   */
  public FakeDefenderApi failNext(int n, int status, Map<String, String> headers) {
    for (int i = 0; i < n; i++) {
      MockResponse.Builder response =
          error(status, status == 429 ? "TooManyRequests" : "InternalError", "scripted failure");
      headers.forEach(response::addHeader);
      scripted.add(response.build());
    }
    return this;
  }

  public FakeDefenderApi failNext(int n, int status) {
    return failNext(n, status, Map.of());
  }

  /** The next API call gets exactly this response. */
  public FakeDefenderApi respondNext(MockResponse response) {
    scripted.add(response);
    return this;
  }

  /** The next {@code n} API calls have their connection closed before any answer. */
  public FakeDefenderApi resetNext(int n) {
    for (int i = 0; i < n; i++) {
      scripted.add(
          new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build());
    }
    return this;
  }

  /** Every answer takes this long, so concurrent callers overlap. */
  public FakeDefenderApi answerDelay(java.time.Duration delay) {
    answerDelayMillis = delay.toMillis();
    return this;
  }

  /**
   * List answers hold at most this many indicators a page (the rest behind
   * {@code @odata.nextLink}).
   */
  public FakeDefenderApi pageSize(int size) {
    this.pageSize = size;
    return this;
  }

  // ---- reading state ----

  /** The indicator held for this value (any type), if any. */
  public JsonNode indicator(String value) {
    return indicators.values().stream()
        .filter(item -> item.path("indicatorValue").asText().equalsIgnoreCase(value))
        .findFirst()
        .orElse(null);
  }

  public int size() {
    return indicators.size();
  }

  public int listCalls() {
    return listCalls.get();
  }

  public int importCalls() {
    return importCalls.get();
  }

  public int deleteCalls() {
    return deleteCalls.get();
  }

  /** Calls of {@code POST /api/indicators/BatchDelete}. */
  public int batchDeleteCalls() {
    return batchDeleteCalls.get();
  }

  /** Every request, in order. */
  public List<RecordedRequest> requests() {
    return List.copyOf(requests);
  }

  @Override
  public void close() {
    server.close();
  }

  // ---- answering ----

  private static String key(JsonNode item) {
    return item.path("indicatorType").asText()
        + "|"
        + item.path("indicatorValue").asText().toLowerCase(Locale.ROOT);
  }

  private void hold(ObjectNode item) {
    indicators.put(item.path("id").asText(), item);
    heldByTypeAndValue.put(key(item), item);
  }

  private boolean drop(String id) {
    ObjectNode item = indicators.remove(id);
    if (item != null) {
      heldByTypeAndValue.remove(key(item), item);
    }
    return item != null;
  }

  private static MockResponse.Builder error(int status, String code, String message) {
    ObjectNode body = JSON.createObjectNode();
    ObjectNode error = body.putObject("error");
    error.put("code", code);
    error.put("message", message);
    error.put("target", "00000000-0000-0000-0000-000000000000");
    return json(status, body.toString());
  }

  private static MockResponse.Builder json(int status, String body) {
    return new MockResponse.Builder()
        .code(status)
        .addHeader("Content-Type", "application/json")
        .body(body);
  }

  /**
   * Parses {@code indicatorValue in ('a','b')} or {@code indicatorValue eq 'a'}; null when
   * malformed.
   */
  static List<String> filterValues(String filter) {
    String text = filter.trim();
    boolean list;
    if (text.startsWith("indicatorValue in (")) {
      text = text.substring("indicatorValue in (".length());
      list = true;
    } else if (text.startsWith("indicatorValue eq ")) {
      text = text.substring("indicatorValue eq ".length());
      list = false;
    } else {
      return null;
    }
    List<String> values = new ArrayList<>();
    int i = 0;
    while (true) {
      if (i >= text.length() || text.charAt(i) != '\'') {
        return null;
      }
      StringBuilder value = new StringBuilder();
      i++;
      while (true) {
        if (i >= text.length()) {
          return null; // an unterminated literal
        }
        char c = text.charAt(i);
        if (c == '\'') {
          if (i + 1 < text.length() && text.charAt(i + 1) == '\'') {
            value.append('\'');
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value.append(c);
        i++;
      }
      values.add(value.toString());
      if (!list) {
        return i == text.length() ? values : null; // anything after the literal is another clause
      }
      if (i < text.length() && text.charAt(i) == ',') {
        i++;
        continue;
      }
      return i == text.length() - 1 && text.charAt(i) == ')' ? values : null;
    }
  }

  private final class DefenderDispatcher extends Dispatcher {
    @Override
    public MockResponse dispatch(RecordedRequest request) {
      requests.add(request);
      if (answerDelayMillis > 0) {
        try {
          Thread.sleep(answerDelayMillis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      HttpUrl url = request.getUrl();
      String path = url.encodedPath();
      String method = request.getMethod();
      if (!path.startsWith("/api/indicators")) {
        return error(404, "ResourceNotFound", "no such resource").build();
      }
      if (method.equals("GET") && path.equals("/api/indicators")) {
        listCalls.incrementAndGet();
      } else if (method.equals("POST") && path.equals("/api/indicators/import")) {
        importCalls.incrementAndGet();
      } else if (method.equals("DELETE")) {
        deleteCalls.incrementAndGet();
      } else if (method.equals("POST") && path.equals("/api/indicators/BatchDelete")) {
        batchDeleteCalls.incrementAndGet();
      }
      MockResponse next = scripted.poll();
      if (next != null) {
        return next;
      }
      if (!("Bearer " + token).equals(request.getHeaders().get("Authorization"))) {
        return error(401, "Unauthorized", "Authorization header missing or not a valid token")
            .build();
      }
      if (method.equals("GET") && path.equals("/api/indicators")) {
        return list(url);
      }
      if (method.equals("POST") && path.equals("/api/indicators/import")) {
        return importIndicators(request.getBody() == null ? "" : request.getBody().utf8());
      }
      if (method.equals("POST") && path.equals("/api/indicators/BatchDelete")) {
        return batchDelete(request.getBody() == null ? "" : request.getBody().utf8());
      }
      if (method.equals("DELETE") && url.pathSegments().size() == 3) {
        String id = url.pathSegments().get(2);
        return drop(id)
            ? new MockResponse.Builder().code(204).build()
            : json(404, fixture("error_ResourceNotFound.json")).build();
      }
      return error(405, "MethodNotAllowed", method + " " + path).build();
    }

    private MockResponse list(HttpUrl url) {
      List<ObjectNode> matching = new ArrayList<>(indicators.values());
      matching.sort((a, b) -> Integer.compare(a.path("id").asInt(), b.path("id").asInt()));
      String filter = url.queryParameter("$filter");
      if (filter != null) {
        List<String> values = filterValues(filter);
        if (values == null) {
          return json(400, fixture("error_InvalidRequestBody.json")).build();
        }
        Set<String> wanted = ConcurrentHashMap.newKeySet();
        values.forEach(v -> wanted.add(v.toLowerCase(Locale.ROOT)));
        matching.removeIf(
            item ->
                !wanted.contains(item.path("indicatorValue").asText().toLowerCase(Locale.ROOT)));
      }
      int skip = intParameter(url, "$skip", 0);
      int top = intParameter(url, "$top", Integer.MAX_VALUE);
      if (top != Integer.MAX_VALUE && top > MAX_TOP) {
        return json(400, fixture("error_InvalidRequestBody.json")).build();
      }
      List<ObjectNode> window =
          matching.subList(
              Math.min(skip, matching.size()), (int) Math.min(matching.size(), (long) skip + top));
      ObjectNode body = JSON.createObjectNode();
      body.put("@odata.context", base + "/api/$metadata#Indicators");
      ArrayNode value = body.putArray("value");
      window.stream().limit(pageSize).forEach(value::add);
      if (window.size() > pageSize) {
        HttpUrl.Builder next =
            url.newBuilder().setQueryParameter("$skip", Integer.toString(skip + pageSize));
        if (top != Integer.MAX_VALUE) {
          next.setQueryParameter("$top", Integer.toString(top - pageSize));
        }
        body.put("@odata.nextLink", next.build().toString());
      }
      return json(200, body.toString()).build();
    }

    /**
     * As documented: 204 when every id existed and was deleted; 400 for an empty list or more than
     * 500; 404 when any id was not found (then, conservatively, nothing is deleted).
     */
    private MockResponse batchDelete(String text) {
      JsonNode ids;
      try {
        ids = JSON.readTree(text).path("IndicatorIds");
      } catch (IOException e) {
        return json(400, fixture("error_InvalidRequestBody.json")).build();
      }
      if (!ids.isArray() || ids.isEmpty() || ids.size() > MAX_IMPORT) {
        return json(400, fixture("error_InvalidRequestBody.json")).build();
      }
      for (JsonNode id : ids) {
        if (!indicators.containsKey(id.asText())) {
          return json(404, fixture("error_ResourceNotFound.json")).build();
        }
      }
      ids.forEach(id -> drop(id.asText()));
      return new MockResponse.Builder().code(204).build();
    }

    private MockResponse importIndicators(String text) {
      JsonNode body;
      try {
        body = JSON.readTree(text);
      } catch (IOException e) {
        return json(400, fixture("error_InvalidRequestBody.json")).build();
      }
      JsonNode items = body.path("Indicators");
      if (!items.isArray() || items.size() > MAX_IMPORT) {
        return json(400, fixture("error_InvalidRequestBody.json")).build();
      }
      ObjectNode answer = JSON.createObjectNode();
      ArrayNode results = answer.putArray("value");
      for (JsonNode item : items) {
        results.add(importOne(item));
      }
      return json(200, answer.toString()).build();
    }

    private ObjectNode importOne(JsonNode item) {
      String value = item.path("indicatorValue").asText("");
      String type = item.path("indicatorType").asText("");
      String action = item.path("action").asText("");
      ObjectNode result = JSON.createObjectNode();
      result.put("indicator", value);
      String failure = refusals.get(value.toLowerCase(Locale.ROOT));
      if (failure == null && !TYPES.contains(type)) {
        failure = "Unknown indicatorType " + type;
      } else if (failure == null && !ACTIONS.contains(action)) {
        failure = "Unknown action " + action;
      } else if (failure == null && (value.isEmpty() || item.path("title").asText("").isEmpty())) {
        failure = "indicatorValue and title are required";
      }
      if (failure != null) {
        result.putNull("id");
        result.put("isFailed", true);
        result.put("failureReason", failure);
        return result;
      }
      // Submit or update: one indicator per type and value.
      ObjectNode held = heldByTypeAndValue.get(type + "|" + value.toLowerCase(Locale.ROOT));
      if (held == null) {
        held = JSON.createObjectNode();
        held.put("id", Integer.toString(nextId.incrementAndGet()));
        // Defender records who submitted it: an application, by its id, at this time.
        held.put("sourceType", "AadApp");
        held.put("source", "SOC Actions app");
        held.put("createdBy", CALLER_APP_ID);
        held.put("createdByDisplayName", "SOC Actions app");
        held.put("creationTimeDateTimeUtc", "2026-11-27T10:00:00Z");
      }
      held.put("lastUpdatedBy", CALLER_APP_ID);
      for (String field :
          List.of(
              "indicatorValue",
              "indicatorType",
              "action",
              "title",
              "description",
              "expirationTime",
              "severity",
              "generateAlert",
              "application")) {
        if (item.has(field)) {
          held.set(field, item.get(field));
        }
      }
      hold(held);
      result.put("id", held.path("id").asText());
      result.put("isFailed", false);
      result.putNull("failureReason");
      return result;
    }

    private int intParameter(HttpUrl url, String name, int fallback) {
      String value = url.queryParameter(name);
      return value == null ? fallback : Integer.parseInt(value);
    }
  }
}
