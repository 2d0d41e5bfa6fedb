package com.socactions.sentinel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.socactions.platform.ApiBaseUrl;
import com.socactions.platform.AzureCredentials;
import com.socactions.platform.Json;
import com.socactions.platform.UpstreamClient;
import com.socactions.platform.UpstreamClients;
import com.socactions.platform.UpstreamException;
import com.socactions.platform.UpstreamFailure;
import com.socactions.platform.UpstreamHttp.Answer;
import com.socactions.platform.UpstreamJson;
import com.socactions.platform.UpstreamPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * The Microsoft Sentinel REST API ({@code Microsoft.SecurityInsights}, api-version {@value
 * #API_VERSION}) for one incident at a time: read, create-or-update (PUT with the etag),
 * read-modify-write with conflict retries, comments and entities. Works on the raw JSON resource;
 * the incident model lives beside it. Built once per worker; thread-safe.
 *
 * <p>Every call carries a bearer token for {@code <SENTINEL_MANAGEMENT_URL>/.default} from the
 * process's {@link AzureCredentials} (the app's identity needs the Microsoft Sentinel Responder
 * role on the workspace) and goes through one {@link UpstreamPolicy}: no answer, 429 and 5xx are
 * retried, honouring {@code Retry-After} up to the policy's cap; a circuit breaker counts the
 * failures that are Sentinel's.
 *
 * <p>Failures are {@link UpstreamException}s whose message holds ARM's error code and message
 * ({@code {"error":{"code","message"}}}). Statuses stay as Sentinel sent them, so the API layer
 * maps 401/403 to "the connector's credentials are refused" and 429/5xx to a retry for Logic Apps.
 * A stale etag is an {@link IncidentConflictException}. No message holds the token.
 */
public final class SentinelClient {
  public static final String UPSTREAM = "Microsoft Sentinel";
  public static final String MANAGEMENT_URL_SETTING = "SENTINEL_MANAGEMENT_URL";
  public static final String DEFAULT_MANAGEMENT_URL = "https://management.azure.com";

  /** The one api-version of every call: the stable version the recorded examples are from. */
  public static final String API_VERSION = "2024-09-01";

  /** Sentinel refuses comments longer than this, in UTF-16 characters. */
  public static final int MAX_COMMENT_LENGTH = 30_000;

  /** Reads and writes {@link #updateIncident} tries before giving up on a busy incident. */
  public static final int DEFAULT_MAX_UPDATE_ATTEMPTS = 5;

  /** How long a call waits for a token; Azure Identity caches it, so this is the cold case. */
  static final Duration DEFAULT_TOKEN_WAIT = Duration.ofSeconds(10);

  /** More pages of comments than this means a paging loop on Sentinel's side, not a long thread. */
  static final int MAX_PAGES = 100;

  static final String TRUNCATION_MARK = "\n[truncated by SOC Actions]";

  /** Longest comment name {@link #putComment} sends; a GUID is 36. */
  static final int MAX_COMMENT_ID_LENGTH = 128;

  private static final MediaType JSON = MediaType.get("application/json");

  /** What ARM accepts in a resource name without escaping, which a GUID is made of. */
  private static final Pattern COMMENT_ID =
      Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0," + (MAX_COMMENT_ID_LENGTH - 1) + "}");

  /** ARM's client request id header (a client-generated GUID it logs and echoes back). */
  static final String CORRELATION_HEADER = "x-ms-client-request-id";

  private final HttpUrl base;
  private final UpstreamClient http;
  private final Supplier<UUID> commentIds;
  private final int maxUpdateAttempts;

  /**
   * The Sentinel REST API at {@code managementUrl}, signed with the app's identity, on the kit's
   * shared client.
   */
  public static SentinelClient create(
      UpstreamClients kit, HttpUrl managementUrl, AzureCredentials credentials) {
    return new SentinelClient(
        upstreamClient(kit, managementUrl, credentials),
        UUID::randomUUID,
        DEFAULT_MAX_UPDATE_ATTEMPTS);
  }

  /** The kit's client for the API at {@code managementUrl}: bearer token, ARM's request id. */
  static UpstreamClient upstreamClient(
      UpstreamClients kit, HttpUrl managementUrl, AzureCredentials credentials) {
    return kit.client(UPSTREAM)
        .baseUrl(managementUrl)
        .bearerToken(credentials, ApiBaseUrl.azureScope(managementUrl))
        .correlationHeader(CORRELATION_HEADER, true)
        .build();
  }

  /**
   * @param commentIds names of new comments (tests: predictable ones)
   */
  SentinelClient(UpstreamClient http, Supplier<UUID> commentIds, int maxUpdateAttempts) {
    this.http = Objects.requireNonNull(http, "'http' cannot be null.");
    this.base = http.base();
    this.commentIds = Objects.requireNonNull(commentIds, "'commentIds' cannot be null.");
    if (maxUpdateAttempts < 1) {
      throw new IllegalArgumentException(
          "'maxUpdateAttempts' must be at least 1, not " + maxUpdateAttempts);
    }
    this.maxUpdateAttempts = maxUpdateAttempts;
  }

  /** The management URL in use. */
  public HttpUrl base() {
    return base;
  }

  /** The token scope of every call, {@code <management url>/.default}. */
  public String scope() {
    return http.scope();
  }

  UpstreamPolicy policy() {
    return http.policy();
  }

  /**
   * The incident as Sentinel holds it now.
   *
   * @return empty when Sentinel holds no such incident (404)
   * @throws UpstreamException when Sentinel fails or refuses (see the class comment)
   */
  public Optional<IncidentResource> getIncident(ArmIncidentId id) {
    try {
      Answer answer =
          call("read incident " + id.incidentName(), authorized(incidentUrl(id, List.of())).get());
      return Optional.of(resource(answer));
    } catch (UpstreamException e) {
      if (e.failure() == UpstreamFailure.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /**
   * Creates or replaces the incident (Sentinel has no PATCH: properties left out are cleared). With
   * an etag, sends it in the body, as the API expects, and as {@code If-Match}, so a write over a
   * newer version fails instead of undoing it.
   *
   * @param resource the resource to send, usually {@code {"properties": {...}}}; not changed here
   * @param etag the etag of the version read, or null to create
   * @return the incident as Sentinel answered, with its new etag
   * @throws IncidentConflictException when the etag is stale (or null for an existing incident)
   * @throws UpstreamException when Sentinel fails or refuses otherwise
   */
  public IncidentResource putIncident(ArmIncidentId id, ObjectNode resource, String etag) {
    ObjectNode body = resource.deepCopy();
    Request.Builder request = authorized(incidentUrl(id, List.of()));
    if (etag != null) {
      body.put("etag", etag);
      request.header("If-Match", quoted(etag));
    } else {
      body.remove("etag");
    }
    String json = UpstreamJson.write(body);
    try {
      return resource(
          call("write incident " + id.incidentName(), request.put(RequestBody.create(json, JSON))));
    } catch (UpstreamException e) {
      if (e.failure() == UpstreamFailure.CONFLICT) {
        throw new IncidentConflictException(
            "Incident "
                + id.incidentName()
                + " changed since it was read ("
                + e.answerText()
                + "): "
                + e.getMessage(),
            e);
      }
      throw e;
    }
  }

  /**
   * Reads the incident, applies {@code change} to a copy of its {@code properties} and writes the
   * result with the etag read; when someone else wrote in between, reads again and re-applies, at
   * most {@value #DEFAULT_MAX_UPDATE_ATTEMPTS} times. Writes nothing when the change leaves the
   * properties as they were.
   *
   * @param change gets a private copy of {@code properties} and returns the wanted properties (the
   *     same object, changed, or a new one); may run once per attempt, so it should depend on its
   *     input only
   * @return the incident after the write, or as read when there was nothing to write
   * @throws UpstreamException {@link UpstreamFailure#NOT_FOUND} when Sentinel holds no such
   *     incident
   * @throws IncidentConflictException when every attempt met a newer version
   * @throws UpstreamException when Sentinel fails or refuses otherwise
   */
  public IncidentResource updateIncident(ArmIncidentId id, UnaryOperator<ObjectNode> change) {
    IncidentConflictException last = null;
    for (int attempt = 1; attempt <= maxUpdateAttempts; attempt++) {
      IncidentResource current =
          getIncident(id)
              .orElseThrow(
                  () ->
                      new UpstreamException(
                          UPSTREAM,
                          UpstreamFailure.NOT_FOUND,
                          UPSTREAM + " holds no incident " + id,
                          null,
                          null));
      ObjectNode before = current.properties();
      ObjectNode after =
          Objects.requireNonNull(change.apply(before.deepCopy()), "the change returned null");
      if (after.equals(before)) {
        return current;
      }
      ObjectNode body = Json.UPSTREAM.createObjectNode();
      body.set("properties", after);
      try {
        return putIncident(id, body, current.etag());
      } catch (IncidentConflictException e) {
        last = e; // another writer won; its version is the base for the next attempt
      }
    }
    throw new IncidentConflictException(
        "Incident "
            + id.incidentName()
            + " kept changing: "
            + maxUpdateAttempts
            + " attempts each met a newer version",
        last);
  }

  /**
   * What {@link #changeIncident} did.
   *
   * @param incident the incident after the write, or as read when the change did not apply
   * @param applied whether the change applied to the incident's status and was written
   */
  public record ChangedIncident(IncidentResource incident, boolean applied) {}

  /**
   * Applies {@code change} if the incident's status calls for it ({@link
   * IncidentChange#appliesTo}), through {@link #updateIncident}: a write that met a newer version
   * decides again on that version.
   *
   * @throws UpstreamException {@link UpstreamFailure#NOT_FOUND} when Sentinel holds no such
   *     incident
   * @throws IncidentConflictException when every attempt met a newer version
   * @throws UpstreamException when Sentinel fails or refuses otherwise
   */
  public ChangedIncident changeIncident(ArmIncidentId id, IncidentChange change) {
    boolean[] applied = {false};
    IncidentResource after =
        updateIncident(
            id,
            properties -> {
              applied[0] = change.appliesTo(IncidentResource.statusOf(properties).orElse(null));
              return applied[0] ? change.applyTo(properties) : properties;
            });
    return new ChangedIncident(after, applied[0]);
  }

  /**
   * The incident's comments, oldest first as Sentinel lists them, following {@code nextLink} pages
   * on the management URL's own origin only.
   *
   * @throws UpstreamException when Sentinel fails or refuses, or pages without end
   */
  public List<ObjectNode> listComments(ArmIncidentId id) {
    List<ObjectNode> comments = new ArrayList<>();
    Set<HttpUrl> seen = new HashSet<>();
    HttpUrl page = incidentUrl(id, List.of("comments"));
    while (page != null) {
      if (!seen.add(page) || seen.size() > MAX_PAGES) {
        throw UpstreamException.badResponse(
            UPSTREAM,
            UPSTREAM
                + " kept paging the comments of incident "
                + id.incidentName()
                + " ("
                + seen.size()
                + " pages)",
            null,
            null);
      }
      JsonNode body =
          parse(
              call("list comments of incident " + id.incidentName(), authorized(page).get())
                  .body());
      for (JsonNode comment : body.path("value")) {
        if (comment instanceof ObjectNode object) {
          comments.add(object);
        }
      }
      page = ApiBaseUrl.sameOriginLink(base, body.path("nextLink").asText(null), UPSTREAM);
    }
    return comments;
  }

  /**
   * Adds a comment under a new random name. A retried call (the policy's retries) sends the same
   * name, so it writes the same comment again rather than a second one; a caller that may repeat
   * the whole call should name the comment itself ({@link #putComment}). A message longer than
   * {@value #MAX_COMMENT_LENGTH} characters is cut (see {@link #truncateComment}).
   *
   * @return the comment resource Sentinel answered
   * @throws UpstreamException when Sentinel fails or refuses
   */
  public ObjectNode addComment(ArmIncidentId id, String message) {
    return putComment(id, commentIds.get().toString(), message);
  }

  /**
   * Creates the comment {@code commentId} on the incident, or replaces its message when a comment
   * of that name exists ({@code PUT .../comments/{incidentCommentId}}: Sentinel answers 201
   * Created, then 200 Updated). With a name derived from what the comment is for ({@link
   * IncidentCommentId}), writing it again, from a retry or from a second run racing this one,
   * leaves one comment. A message longer than {@value #MAX_COMMENT_LENGTH} characters is cut (see
   * {@link #truncateComment}).
   *
   * @param commentId the comment's name: letters, digits, {@code -}, {@code _} and {@code .}, at
   *     most {@value #MAX_COMMENT_ID_LENGTH} characters (usually a GUID)
   * @return the comment resource Sentinel answered
   * @throws IllegalArgumentException when {@code commentId} is not such a name (a programming
   *     error)
   * @throws UpstreamException when Sentinel fails or refuses
   */
  public ObjectNode putComment(ArmIncidentId id, String commentId, String message) {
    Objects.requireNonNull(message, "'message' cannot be null.");
    if (commentId == null || !COMMENT_ID.matcher(commentId).matches()) {
      throw new IllegalArgumentException(
          "'commentId' must be a resource name such as a GUID, not '" + commentId + "'");
    }
    ObjectNode body = Json.UPSTREAM.createObjectNode();
    body.putObject("properties").put("message", truncateComment(message));
    Request.Builder request =
        authorized(incidentUrl(id, List.of("comments", commentId)))
            .put(RequestBody.create(UpstreamJson.write(body), JSON));
    JsonNode answer = parse(call("add a comment to incident " + id.incidentName(), request).body());
    return answer instanceof ObjectNode object ? object : Json.UPSTREAM.createObjectNode();
  }

  /**
   * The incident's entities ({@code POST .../entities}): accounts, hosts, IPs, files... each {@code
   * {id, name, type, kind, properties}}.
   *
   * @throws UpstreamException when Sentinel fails or refuses
   */
  public List<ObjectNode> listEntities(ArmIncidentId id) {
    Request.Builder request =
        authorized(incidentUrl(id, List.of("entities"))).post(RequestBody.create("", JSON));
    JsonNode body = parse(call("list entities of incident " + id.incidentName(), request).body());
    List<ObjectNode> entities = new ArrayList<>();
    for (JsonNode entity : body.path("entities")) {
      if (entity instanceof ObjectNode object) {
        entities.add(object);
      }
    }
    return entities;
  }

  /**
   * A token for the management API, waiting at most {@code maxWait}; for readiness checks.
   *
   * @throws UpstreamException from {@link AzureCredentials#UPSTREAM} when none came
   */
  void checkToken(Duration maxWait) {
    http.prepareCredential(maxWait);
  }

  /**
   * {@code message} if it fits, else its head plus a note that it was cut, at most {@value
   * #MAX_COMMENT_LENGTH} characters in all. The cut never splits a surrogate pair, an HTML tag or a
   * character reference, since comments render as HTML.
   */
  static String truncateComment(String message) {
    if (message.length() <= MAX_COMMENT_LENGTH) {
      return message;
    }
    int end = MAX_COMMENT_LENGTH - TRUNCATION_MARK.length();
    if (Character.isLowSurrogate(message.charAt(end))
        && Character.isHighSurrogate(message.charAt(end - 1))) {
      end--;
    }
    String head = message.substring(0, end);
    int tagOpen = head.lastIndexOf('<');
    if (tagOpen > head.lastIndexOf('>')) {
      head = head.substring(0, tagOpen);
    }
    int reference = head.lastIndexOf('&');
    // Character references are short (&#x1F600; is the longest kind); an '&' further back is text.
    if (reference >= 0 && head.length() - reference <= 10 && head.indexOf(';', reference) < 0) {
      head = head.substring(0, reference);
    }
    return head + TRUNCATION_MARK;
  }

  private HttpUrl incidentUrl(ArmIncidentId id, List<String> below) {
    HttpUrl.Builder url = base.newBuilder();
    id.segments().forEach(url::addPathSegment);
    below.forEach(url::addPathSegment);
    return url.addQueryParameter("api-version", API_VERSION).build();
  }

  private Answer call(String what, Request.Builder request) {
    Request built = request.build();
    try {
      return http.call(built);
    } catch (UpstreamException e) {
      throw explained(what, e);
    }
  }

  /**
   * The same failure, its message holding ARM's error code and message and what to do about a
   * refusal.
   */
  private static UpstreamException explained(String what, UpstreamException e) {
    if (e.httpStatus().isEmpty()
        || !UPSTREAM.equals(e.upstream())
        || e instanceof IncidentConflictException) {
      return e;
    }
    StringBuilder message =
        new StringBuilder(UPSTREAM)
            .append(" could not ")
            .append(what)
            .append(": ")
            .append(e.answerText());
    armError(e.bodyExcerpt()).ifPresent(error -> message.append(' ').append(error));
    if (e.failure().isRefusedIdentity()) {
      message.append(
          ". Grant the app's Azure identity the Microsoft Sentinel Responder role on the"
              + " workspace");
    }
    return e.explained(message.toString());
  }

  /** {@code code: message} of an ARM error body, when it is one. */
  static Optional<String> armError(String body) {
    return UpstreamJson.errorBody(body)
        .map(json -> json.path("error"))
        .flatMap(
            error -> {
              String code = error.path("code").asText("");
              String text = error.path("message").asText("");
              if (code.isEmpty() && text.isEmpty()) {
                return Optional.empty();
              }
              return Optional.of(
                  code.isEmpty() ? text : text.isEmpty() ? code : code + ": " + text);
            });
  }

  /** A request to the API; the kit's client signs it with the app's token. */
  private static Request.Builder authorized(HttpUrl url) {
    return new Request.Builder().url(url).header("Accept", "application/json");
  }

  private static IncidentResource resource(Answer answer) {
    JsonNode json = parse(answer.body());
    if (!(json instanceof ObjectNode object)) {
      throw UpstreamException.badResponse(
          UPSTREAM,
          UPSTREAM + " answered with an incident that is not a JSON object",
          answer.body(),
          null);
    }
    String etag = object.path("etag").asText(null);
    return new IncidentResource(object, etag != null ? etag : answer.headers().get("ETag"));
  }

  /** An entity tag as {@code If-Match} wants it: quoted, unless Sentinel's etag already is. */
  static String quoted(String etag) {
    return etag.startsWith("\"") || etag.startsWith("W/\"") ? etag : "\"" + etag + "\"";
  }

  private static JsonNode parse(String body) {
    return UpstreamJson.parse(UPSTREAM, body);
  }
}
