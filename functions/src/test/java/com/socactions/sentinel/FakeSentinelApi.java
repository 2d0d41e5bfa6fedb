package com.socactions.sentinel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.socactions.testing.NoDelaySockets;
import com.socactions.testing.SharedFixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.HttpUrl;

/**
 * A stateful fake of the Sentinel incidents API ({@code Microsoft.SecurityInsights}, api-version
 * 2024-09-01) on one loopback {@link MockWebServer}, answering in the shapes of {@code
 * shared/fixtures/sentinel/rest-api-examples/} ({@code responses.<status>.body}).
 *
 * <ul>
 *   <li>Every call needs {@code api-version=2024-09-01} (else 400 {@code
 *       MissingApiVersionParameter}) and {@code Authorization: Bearer <token>} with the token it
 *       was started with (else 401 {@code AuthenticationFailed}).
 *   <li>{@code GET .../incidents/{id}}: the held incident with its etag (in the body and as {@code
 *       ETag}), or 404 {@code NotFound}. Path segments match without case, as ARM's do.
 *   <li>{@code PUT .../incidents/{id}}: create or update; every write gives a new etag. Properties
 *       sent replace those held; ones not sent keep their value (the fake does not model which ones
 *       Sentinel clears). A stale {@code If-Match} is 412 {@code PreconditionFailed} (ARM's check);
 *       a stale or missing {@code etag} in the body of a write to an existing incident is 409
 *       {@code Conflict} "Newer version of resource ... exists. Data was not saved", as Sentinel
 *       answers (see {@link #ignoreIfMatch}).
 *   <li>{@code GET .../comments}: pages of {@link #commentPageSize} with {@code nextLink}; {@code
 *       PUT .../comments/{name}}: create, or replace that comment in place (creation time kept),
 *       201 then 200: a name is one comment however often it is written.
 *   <li>{@code POST .../entities}: the recorded {@code GetAllIncidentEntities.json} answer.
 *   <li>Scripting: {@link #failNext}, {@link #resetNext}, {@link #beforeNextWrite}, {@link
 *       #meetBeforeCommentWrites}. Reading: {@link #incident}, {@link #comments}, {@link
 *       #requests}, {@link #writes}, {@link #commentPuts}.
 * </ul>
 */
public final class FakeSentinelApi implements AutoCloseable {
  static final String API_VERSION = "2024-09-01";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PREFIX = "sentinel/rest-api-examples/";

  /**
   * The incident properties a PUT sets (the API spec's writable ones), as opposed to those the
   * service keeps.
   */
  private static final List<String> WRITABLE_PROPERTIES =
      List.of(
          "title",
          "description",
          "severity",
          "status",
          "classification",
          "classificationReason",
          "classificationComment",
          "owner",
          "labels");

  private final MockWebServer server = new MockWebServer();
  private volatile String token;
  private final Map<String, ObjectNode> incidents = new ConcurrentHashMap<>();
  private final Map<String, List<ObjectNode>> comments = new ConcurrentHashMap<>();
  private final Queue<MockResponse> scripted = new ConcurrentLinkedQueue<>();
  private final Queue<Consumer<FakeSentinelApi>> beforeWrites = new ConcurrentLinkedQueue<>();
  private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger version = new AtomicInteger();
  private final AtomicInteger writes = new AtomicInteger();
  private final AtomicInteger commentPuts = new AtomicInteger();
  private volatile int commentPageSize = 50;
  private volatile boolean checkIfMatch = true;
  private volatile CountDownLatch commentMeeting;
  private String base;

  private FakeSentinelApi(String token) {
    this.token = token;
  }

  /** Starts on a free loopback port, accepting {@code Bearer token}, holding no incidents. */
  public static FakeSentinelApi start(String token) throws IOException {
    FakeSentinelApi fake = new FakeSentinelApi(token);
    fake.server.setDispatcher(fake.new SentinelDispatcher());
    fake.server.setServerSocketFactory(
        NoDelaySockets.FACTORY); // no ~40 ms delayed-ACK wait per answer
    fake.server.start(InetAddress.getByName("127.0.0.1"), 0);
    fake.base = "http://127.0.0.1:" + fake.server.getPort();
    return fake;
  }

  /** The payload of a recorded example: {@code responses.<status>.body}. */
  public static ObjectNode recorded(String file, int status) {
    try {
      return (ObjectNode)
          JSON.readTree(SharedFixtures.read(PREFIX + file))
              .path("responses")
              .path(Integer.toString(status))
              .path("body")
              .deepCopy();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The id of the recorded incident in {@code GetIncidentById.json}. */
  public static String recordedIncidentId() {
    return recorded("GetIncidentById.json", 200).path("id").asText();
  }

  /** The value for {@code SENTINEL_MANAGEMENT_URL}. */
  public String baseUrl() {
    return base;
  }

  /** Accepts the bearer token from now on (a token endpoint's, known once the port is). */
  public FakeSentinelApi acceptToken(String value) {
    this.token = value;
    return this;
  }

  // ---- state and scripting ----

  /** Holds the recorded incident of {@code GetIncidentById.json}, with its recorded etag. */
  public FakeSentinelApi seedRecorded() {
    ObjectNode incident = recorded("GetIncidentById.json", 200);
    incidents.put(key(incident.path("id").asText()), incident);
    return this;
  }

  /** Holds an incident resource as given (its {@code id} is where it lives), with a fresh etag. */
  public FakeSentinelApi seed(ObjectNode incident) {
    ObjectNode held = incident.deepCopy();
    held.put("etag", nextEtag());
    incidents.put(key(held.path("id").asText()), held);
    return this;
  }

  /** Holds {@code n} comments on the incident, named {@code comment-1...}. */
  public FakeSentinelApi seedComments(String incidentId, int n) {
    for (int i = 1; i <= n; i++) {
      ObjectNode comment =
          recorded("GetAllIncidentComments.json", 200).path("value").path(0).deepCopy();
      comment.put("id", incidentId + "/comments/comment-" + i);
      comment.put("name", "comment-" + i);
      ((ObjectNode) comment.path("properties")).put("message", "comment " + i);
      commentsOf(incidentId).add(comment);
    }
    return this;
  }

  /** Comment lists answer at most this many a page, the rest behind {@code nextLink}. */
  public FakeSentinelApi commentPageSize(int size) {
    this.commentPageSize = size;
    return this;
  }

  /** Check only the body's {@code etag}, as Sentinel itself does, answering 409 for a stale one. */
  public FakeSentinelApi ignoreIfMatch() {
    this.checkIfMatch = false;
    return this;
  }

  /** The next {@code n} calls answer {@code status} with ARM's error body and these headers. */
  public FakeSentinelApi failNext(int n, int status, Map<String, String> headers) {
    for (int i = 0; i < n; i++) {
      MockResponse.Builder response =
          error(
              status, status == 429 ? "TooManyRequests" : "ServiceUnavailable", "scripted failure");
      headers.forEach(response::addHeader);
      scripted.add(response.build());
    }
    return this;
  }

  /** The next {@code n} calls have their connection closed before any answer. */
  public FakeSentinelApi resetNext(int n) {
    for (int i = 0; i < n; i++) {
      scripted.add(
          new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build());
    }
    return this;
  }

  /**
   * Runs {@code action} just before the next incident write is checked: another writer getting in
   * between a client's read and its write.
   */
  public FakeSentinelApi beforeNextWrite(Consumer<FakeSentinelApi> action) {
    beforeWrites.add(action);
    return this;
  }

  /** Changes a held incident's properties as someone in the portal would, with a new etag. */
  public void edit(String incidentId, Consumer<ObjectNode> properties) {
    ObjectNode incident = incidents.get(key(incidentId));
    properties.accept((ObjectNode) incident.path("properties"));
    incident.put("etag", nextEtag());
  }

  // ---- reading state ----

  public ObjectNode incident(String incidentId) {
    return incidents.get(key(incidentId));
  }

  public List<ObjectNode> comments(String incidentId) {
    return List.copyOf(commentsOf(incidentId));
  }

  /** Incident writes accepted (PUTs that changed an incident). */
  public int writes() {
    return writes.get();
  }

  /**
   * Holds each of the next {@code parties} comment PUTs until all of them have arrived, then
   * answers them: writers that raced past each other's reads, deterministically.
   */
  public FakeSentinelApi meetBeforeCommentWrites(int parties) {
    this.commentMeeting = new CountDownLatch(parties);
    return this;
  }

  /** Comment PUTs accepted (creates and updates). */
  public int commentPuts() {
    return commentPuts.get();
  }

  public List<RecordedRequest> requests() {
    return List.copyOf(requests);
  }

  @Override
  public void close() {
    server.close();
  }

  // ---- answering ----

  private static String key(String incidentId) {
    return incidentId.toLowerCase(Locale.ROOT);
  }

  private List<ObjectNode> commentsOf(String incidentId) {
    return comments.computeIfAbsent(key(incidentId), k -> new CopyOnWriteArrayList<>());
  }

  private String nextEtag() {
    return "\"0300bf09-0000-0000-0000-" + String.format("%012x", version.incrementAndGet()) + "\"";
  }

  private static MockResponse.Builder error(int status, String code, String message) {
    ObjectNode body = JSON.createObjectNode();
    body.putObject("error").put("code", code).put("message", message);
    return json(status, body);
  }

  private static MockResponse.Builder json(int status, JsonNode body) {
    return new MockResponse.Builder()
        .code(status)
        .addHeader("Content-Type", "application/json; charset=utf-8")
        .body(body.toString());
  }

  private final class SentinelDispatcher extends Dispatcher {
    @Override
    public MockResponse dispatch(RecordedRequest request) {
      requests.add(request);
      MockResponse next = scripted.poll();
      if (next != null) {
        return next;
      }
      HttpUrl url = request.getUrl();
      if (!API_VERSION.equals(url.queryParameter("api-version"))) {
        return error(
                400, "MissingApiVersionParameter", "The api-version query parameter is required")
            .build();
      }
      if (!("Bearer " + token).equals(request.getHeaders().get("Authorization"))) {
        return error(
                401,
                "AuthenticationFailed",
                "Authentication failed. The 'Authorization' header is missing.")
            .build();
      }
      List<String> segments = url.pathSegments();
      int incidents = segments.size() >= 12 ? 10 : -1;
      if (incidents < 0 || !segments.get(incidents).equalsIgnoreCase("incidents")) {
        return error(404, "NotFound", "no such resource").build();
      }
      String incidentId = "/" + String.join("/", segments.subList(0, 12));
      List<String> below = segments.subList(12, segments.size());
      String method = request.getMethod();
      String body = request.getBody() == null ? "" : request.getBody().utf8();
      if (below.isEmpty() && method.equals("GET")) {
        return getIncident(incidentId);
      }
      if (below.isEmpty() && method.equals("PUT")) {
        return putIncident(incidentId, request.getHeaders().get("If-Match"), body);
      }
      if (below.size() == 1 && below.get(0).equals("comments") && method.equals("GET")) {
        return listComments(incidentId, url);
      }
      if (below.size() == 2 && below.get(0).equals("comments") && method.equals("PUT")) {
        return putComment(incidentId, below.get(1), body);
      }
      if (below.size() == 1 && below.get(0).equals("entities") && method.equals("POST")) {
        return FakeSentinelApi.this.incidents.containsKey(key(incidentId))
            ? json(200, recorded("GetAllIncidentEntities.json", 200)).build()
            : notFound(incidentId);
      }
      return error(405, "MethodNotAllowed", method + " " + url.encodedPath()).build();
    }

    private MockResponse notFound(String incidentId) {
      return error(
              404,
              "NotFound",
              "Incident " + incidentId.substring(incidentId.lastIndexOf('/') + 1) + " not found")
          .build();
    }

    private MockResponse getIncident(String incidentId) {
      ObjectNode incident = FakeSentinelApi.this.incidents.get(key(incidentId));
      return incident == null
          ? notFound(incidentId)
          : json(200, incident).addHeader("ETag", incident.path("etag").asText()).build();
    }

    private MockResponse putIncident(String incidentId, String ifMatch, String text) {
      Consumer<FakeSentinelApi> other = beforeWrites.poll();
      if (other != null) {
        other.accept(FakeSentinelApi.this);
      }
      ObjectNode sent;
      try {
        sent = (ObjectNode) JSON.readTree(text);
      } catch (IOException | ClassCastException e) {
        return error(400, "BadRequest", "The request body is not a JSON object").build();
      }
      ObjectNode held = FakeSentinelApi.this.incidents.get(key(incidentId));
      String current = held == null ? null : held.path("etag").asText();
      if (checkIfMatch && ifMatch != null && !ifMatch.equals(current)) {
        return error(
                412,
                "PreconditionFailed",
                "The condition specified using HTTP conditional header(s) is not met.")
            .build();
      }
      if (held != null && !current.equals(sent.path("etag").asText(null))) {
        String name = incidentId.substring(incidentId.lastIndexOf('/') + 1);
        return error(
                409,
                "Conflict",
                "Newer version of resource '" + name + "' exists. Data was not saved")
            .build();
      }
      ObjectNode stored = recorded("CreateIncident.json", 201);
      stored.put("id", incidentId);
      stored.put("name", incidentId.substring(incidentId.lastIndexOf('/') + 1));
      ObjectNode properties = (ObjectNode) stored.path("properties");
      if (held != null) {
        properties.removeAll();
        // A PUT replaces the writable properties (one left out is cleared, as when an incident is
        // reopened without its classification) and keeps what the service owns (number, times,
        // URL).
        ObjectNode kept = (ObjectNode) held.path("properties").deepCopy();
        kept.remove(WRITABLE_PROPERTIES);
        properties.setAll(kept);
      }
      properties.setAll((ObjectNode) sent.path("properties"));
      stored.put("etag", nextEtag());
      FakeSentinelApi.this.incidents.put(key(incidentId), stored);
      writes.incrementAndGet();
      return json(held == null ? 201 : 200, stored).build();
    }

    private MockResponse listComments(String incidentId, HttpUrl url) {
      if (!FakeSentinelApi.this.incidents.containsKey(key(incidentId))) {
        return notFound(incidentId);
      }
      List<ObjectNode> all = new ArrayList<>(commentsOf(incidentId));
      String skipToken = url.queryParameter("$skipToken");
      int skip = skipToken == null ? 0 : Integer.parseInt(skipToken);
      ObjectNode body = JSON.createObjectNode();
      ArrayNode value = body.putArray("value");
      all.stream().skip(skip).limit(commentPageSize).forEach(value::add);
      if (skip + commentPageSize < all.size()) {
        // On the fake's own origin, as ARM links to management.azure.com whatever the caller's host
        // header said.
        body.put(
            "nextLink",
            HttpUrl.get(base)
                .newBuilder()
                .encodedPath(url.encodedPath())
                .encodedQuery(url.encodedQuery())
                .setQueryParameter("$skipToken", Integer.toString(skip + commentPageSize))
                .build()
                .toString());
      }
      return json(200, body).build();
    }

    private MockResponse putComment(String incidentId, String name, String text) {
      if (!FakeSentinelApi.this.incidents.containsKey(key(incidentId))) {
        return notFound(incidentId);
      }
      JsonNode sent;
      try {
        sent = JSON.readTree(text);
      } catch (IOException e) {
        return error(400, "BadRequest", "The request body is not JSON").build();
      }
      String message = sent.path("properties").path("message").asText("");
      if (message.isEmpty() || message.length() > SentinelClient.MAX_COMMENT_LENGTH) {
        return error(400, "BadRequest", "Comment message must be 1 to 30000 characters").build();
      }
      CountDownLatch meeting = commentMeeting;
      if (meeting != null) {
        meeting.countDown();
        try {
          if (!meeting.await(10, TimeUnit.SECONDS)) {
            return error(500, "TestTimeout", "the other comment writer never came").build();
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      // Create or update by name, as IncidentComments_CreateOrUpdate: a second PUT of a name
      // replaces that comment where it stands (its creation time kept) and answers 200 Updated.
      List<ObjectNode> list = commentsOf(incidentId);
      ObjectNode comment;
      boolean exists;
      synchronized (list) {
        int at = -1;
        for (int i = 0; i < list.size(); i++) {
          if (list.get(i).path("name").asText().equals(name)) {
            at = i;
          }
        }
        exists = at >= 0;
        comment = recorded("CreateIncidentComment.json", exists ? 200 : 201);
        comment.put("id", incidentId + "/comments/" + name);
        comment.put("name", name);
        ObjectNode properties = (ObjectNode) comment.path("properties");
        properties.put("message", message);
        if (exists) {
          properties.set(
              "createdTimeUtc", list.get(at).path("properties").path("createdTimeUtc").deepCopy());
          list.set(at, comment);
        } else {
          list.add(comment);
        }
      }
      commentPuts.incrementAndGet();
      return json(exists ? 200 : 201, comment).build();
    }
  }
}
