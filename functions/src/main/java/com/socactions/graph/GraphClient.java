package com.socactions.graph;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.collect.Lists;
import com.socactions.platform.ApiBaseUrl;
import com.socactions.platform.AzureCredentials;
import com.socactions.platform.Json;
import com.socactions.platform.Sleeper;
import com.socactions.platform.UpstreamBudgets;
import com.socactions.platform.UpstreamClient;
import com.socactions.platform.UpstreamClients;
import com.socactions.platform.UpstreamException;
import com.socactions.platform.UpstreamFailure;
import com.socactions.platform.UpstreamHttp;
import com.socactions.platform.UpstreamJson;
import com.socactions.platform.UpstreamPolicy;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * The Microsoft Graph v1.0 transport: single calls and JSON batching ({@code POST /$batch}), with a
 * bearer token for {@code <GRAPH_URL>/.default} from the process's {@link AzureCredentials}. Built
 * once per worker; thread-safe. The area classes ({@link GraphUsers}, {@link GraphDirectoryRoles},
 * {@link GraphIdentityProtection}, {@link GraphNamedLocations}) build the requests; this class only
 * carries them.
 *
 * <p>Resilience: every HTTP call goes through one {@link UpstreamPolicy} (no answer, 429 and 5xx of
 * the call itself are retried, honouring {@code Retry-After}; a circuit breaker). Inside a batch,
 * each request has its own status: requests answered 429 or 5xx are sent again in a follow-up batch
 * after the longest {@code Retry-After} among them (Graph puts it in the entry's {@code headers}),
 * or after a doubling back-off when none says, at most {@value #DEFAULT_MAX_BATCH_ROUNDS} rounds.
 * Identity Protection ({@code /identityProtection/...}) and Conditional Access ({@code
 * /identity/conditionalAccess/...}) allow one request a second per tenant, so their calls are paced
 * at least one second apart per area by a {@link GraphPacer} whose turns every instance of the app
 * shares ({@link UpstreamBudgets}), and are never batched.
 *
 * <p>Failures: Graph's own answers, errors included, come back as {@link GraphResponse}s whose
 * {@link GraphResponse#failure()} gives the per-item reason. {@link #send} throws an {@link
 * UpstreamException} for 401/403 (the app's identity lacks a permission) and for 429/5xx or no
 * answer once the retries are spent; {@link #batch} throws only when no token can be had. No
 * message holds the token.
 */
public final class GraphClient {
  public static final String UPSTREAM = "Microsoft Graph";
  public static final String URL_SETTING = "GRAPH_URL";
  public static final String DEFAULT_URL = "https://graph.microsoft.com";
  public static final String API_VERSION = "v1.0";

  /** Graph's limit on the requests of one {@code $batch} (json-batching.md). */
  public static final int MAX_BATCH_REQUESTS = 20;

  /** Batches sent for one list: the first plus follow-ups for throttled or failed requests. */
  public static final int DEFAULT_MAX_BATCH_ROUNDS = 4;

  /** Wait before the first follow-up batch when no request said how long; doubles per round. */
  public static final Duration DEFAULT_ITEM_BACKOFF = Duration.ofSeconds(1);

  /**
   * A per-request {@code Retry-After} longer than this ends the follow-ups (the caller retries
   * later).
   */
  public static final Duration DEFAULT_MAX_ITEM_RETRY_AFTER =
      UpstreamPolicy.DEFAULT_MAX_RETRY_AFTER;

  /**
   * Identity Protection and Conditional Access: about one request a second per tenant
   * (throttling.md).
   */
  public static final Duration PACED_INTERVAL = Duration.ofSeconds(1);

  /** How long a call waits for a token; Azure Identity caches it, so this is the cold case. */
  static final Duration DEFAULT_TOKEN_WAIT = Duration.ofSeconds(10);

  /** Graph's client request id header (client-request-id, a GUID). */
  static final String CORRELATION_HEADER = "client-request-id";

  /**
   * Path prefixes of the areas paced to {@link #PACED_INTERVAL}, each with a pacer of its own, and
   * the key of its budget (with Graph's host after a colon).
   */
  static final Map<String, String> PACED_AREAS =
      Map.of(
          "/identityProtection/", "graph-identity-protection",
          "/identity/conditionalAccess/", "graph-conditional-access");

  private static final MediaType JSON = MediaType.get("application/json");

  private final HttpUrl base;
  private final String apiRoot;
  private final UpstreamClient http;
  private final Sleeper sleeper;
  private final Map<String, GraphPacer> pacers = new HashMap<>();

  /**
   * Graph at {@code base}, signed with the app's identity, on the kit's shared client; the paced
   * areas' turns booked in {@code budgets} (shared by every instance of the app in production).
   */
  public static GraphClient create(
      UpstreamClients kit, HttpUrl base, AzureCredentials credentials, UpstreamBudgets budgets) {
    return new GraphClient(
        kit.client(UPSTREAM)
            .baseUrl(base)
            .bearerToken(credentials, ApiBaseUrl.azureScope(base))
            // Graph's own request id header; documented as a client-generated GUID.
            .correlationHeader(CORRELATION_HEADER, true)
            .build(),
        kit.sleeper(),
        budgets);
  }

  GraphClient(UpstreamClient http, Sleeper sleeper, UpstreamBudgets budgets) {
    this.http = Objects.requireNonNull(http, "'http' cannot be null.");
    this.base = http.base();
    this.apiRoot = stripSlash(base.newBuilder().addPathSegment(API_VERSION).build().toString());
    this.sleeper = Objects.requireNonNull(sleeper, "'sleeper' cannot be null.");
    PACED_AREAS.forEach(
        (area, key) ->
            pacers.put(
                area,
                new GraphPacer(
                    area,
                    budgets.budget(
                        key + ":" + UpstreamBudgets.endpointKey(base),
                        UPSTREAM,
                        "requests",
                        GraphPacer.limits(PACED_INTERVAL)),
                    PACED_INTERVAL)));
  }

  /** The Graph URL in use (without the version). */
  public HttpUrl base() {
    return base;
  }

  /** The token scope of every call, {@code <graph url>/.default}. */
  public String scope() {
    return http.scope();
  }

  /**
   * Sends one request on its own (paced when its area is), retrying 429, 5xx and no answer.
   *
   * @return Graph's answer: a 2xx, or a refusal to read the reason of (e.g. 404)
   * @throws UpstreamException when Graph refuses the app's identity, and when it throttles, fails
   *     or does not answer once the retries are spent
   */
  public GraphResponse send(GraphRequest request) {
    return send(request, () -> {});
  }

  /**
   * As {@link #send(GraphRequest)}, running {@code beforeEachAttempt} right before each attempt is
   * sent (after its pacing wait): a write that must not land once its lease is lost checks its
   * fence there. What it throws ends the call, unretried.
   */
  public GraphResponse send(GraphRequest request, Runnable beforeEachAttempt) {
    GraphPacer pacer = pacerFor(request.path());
    Request built =
        httpRequest(request.method(), apiRoot + request.url(), request.body(), request.headers());
    // The token first: a paced call goes out as its turn comes, not a token fetch later.
    http.prepareCredential(DEFAULT_TOKEN_WAIT);
    return http.call(
        () -> {
          if (pacer != null) {
            pacer.await();
          }
          beforeEachAttempt.run();
          GraphResponse response = exchange(built);
          UpstreamFailure kind = response.kind().orElse(null);
          if (kind == UpstreamFailure.THROTTLED && pacer != null) {
            pacer.throttled(response.retryAfter().orElse(null));
          }
          if (kind != null && (kind.isRetryable() || kind.isRefusedIdentity())) {
            throw failure(request.method() + " " + request.path(), response);
          }
          if (pacer != null) {
            pacer.succeeded();
          }
          return response;
        });
  }

  /**
   * Sends the requests through {@code $batch}, at most {@value #MAX_BATCH_REQUESTS} a call, and
   * returns every request's answer by id in the order given. Requests answered 429 or 5xx are sent
   * again in follow-up batches (see the class comment); those still failing keep their last answer.
   * A batch call that fails as a whole once the policy's retries are spent answers each of its
   * requests with that failure ({@link GraphResponse#unanswered}), so the other batches' results
   * stand.
   *
   * @param requests ids unique within the list; none in a paced area
   * @throws IllegalArgumentException for duplicate ids or a request in a paced area
   * @throws UpstreamException from {@link AzureCredentials#UPSTREAM} when no token came
   */
  public Map<String, GraphResponse> batch(List<GraphRequest> requests) {
    Map<String, GraphResponse> results = new LinkedHashMap<>();
    Set<String> ids = new HashSet<>();
    for (GraphRequest request : requests) {
      if (!ids.add(request.id())) {
        throw new IllegalArgumentException(
            "batch request ids must be unique; '" + request.id() + "' repeats");
      }
      if (pacerFor(request.path()) != null) {
        throw new IllegalArgumentException(
            "paced areas are called one at a time with send(), not batched: " + request.path());
      }
      results.put(request.id(), null);
    }
    List<GraphRequest> pending = requests;
    for (int round = 1; !pending.isEmpty(); round++) {
      Set<String> wholeBatchFailures = new HashSet<>();
      for (List<GraphRequest> chunk : Lists.partition(pending, MAX_BATCH_REQUESTS)) {
        results.putAll(sendBatch(chunk, wholeBatchFailures));
      }
      List<GraphRequest> retry =
          pending.stream()
              .filter(
                  request ->
                      !wholeBatchFailures.contains(request.id())
                          && isRetryable(results.get(request.id())))
              .toList();
      if (retry.isEmpty() || round >= DEFAULT_MAX_BATCH_ROUNDS) {
        break;
      }
      Duration wait =
          retry.stream()
              .map(request -> results.get(request.id()).retryAfter())
              .flatMap(Optional::stream)
              .max(Comparator.naturalOrder())
              .orElse(itemBackoff(round));
      if (wait.compareTo(DEFAULT_MAX_ITEM_RETRY_AFTER) > 0) {
        break; // longer than a request should wait: the items answer throttled, the caller retries
        // later
      }
      sleep(wait);
      pending = retry;
    }
    return Collections.unmodifiableMap(results);
  }

  /**
   * {@code @odata.nextLink} as a URL relative to the API version, for {@link #send}; empty when
   * there is no next page.
   *
   * @throws UpstreamException {@link UpstreamFailure#BAD_RESPONSE} when the link leaves Graph's
   *     origin or version
   */
  public Optional<String> nextPage(JsonNode page) {
    HttpUrl next =
        ApiBaseUrl.sameOriginLink(base, page.path("@odata.nextLink").asText(null), UPSTREAM);
    if (next == null) {
      return Optional.empty();
    }
    String text = next.toString();
    if (!text.startsWith(apiRoot + "/")) {
      throw UpstreamException.badResponse(
          UPSTREAM, UPSTREAM + " pointed the next page outside " + API_VERSION, null, null);
    }
    return Optional.of(text.substring(apiRoot.length()));
  }

  /**
   * A token for Graph, waiting at most {@code maxWait}; for readiness checks.
   *
   * @throws UpstreamException from {@link AzureCredentials#UPSTREAM} when none came
   */
  public void checkToken(Duration maxWait) {
    http.prepareCredential(maxWait);
  }

  /**
   * A {@code Retry-After} value in seconds, fractions allowed ({@code 2.128}, as throttling.md
   * shows it); null when absent or not a number of seconds.
   */
  static Duration retryAfterSeconds(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      BigDecimal seconds = new BigDecimal(value.trim());
      if (seconds.signum() < 0) {
        return Duration.ZERO;
      }
      return Duration.ofMillis(
          seconds.movePointRight(3).setScale(0, RoundingMode.CEILING).longValueExact());
    } catch (NumberFormatException | ArithmeticException notSeconds) {
      return null;
    }
  }

  private Map<String, GraphResponse> sendBatch(
      List<GraphRequest> chunk, Set<String> wholeBatchFailures) {
    ObjectNode body = Json.UPSTREAM.createObjectNode();
    ArrayNode list = body.putArray("requests");
    for (GraphRequest request : chunk) {
      ObjectNode entry =
          list.addObject()
              .put("id", request.id())
              .put("method", request.method())
              .put("url", request.url());
      Map<String, String> headers = new LinkedHashMap<>(request.headers());
      if (request.body() != null) {
        entry.set("body", request.body());
        headers.putIfAbsent("Content-Type", "application/json");
      }
      if (!headers.isEmpty()) {
        ObjectNode headerNode = entry.putObject("headers");
        headers.forEach(headerNode::put);
      }
    }
    Request built = httpRequest("POST", apiRoot + "/$batch", body, Map.of());
    Map<String, GraphResponse> answers = new LinkedHashMap<>();
    JsonNode responses;
    try {
      responses =
          http.call(
              () -> {
                GraphResponse response = exchange(built);
                if (!response.isSuccess()) {
                  throw failure("run a batch of " + chunk.size(), response);
                }
                return response.body().path("responses");
              });
    } catch (UpstreamException e) {
      if (AzureCredentials.UPSTREAM.equals(e.upstream())) {
        throw e;
      }
      for (GraphRequest request : chunk) {
        answers.put(
            request.id(), GraphResponse.unanswered(e.failure(), "BatchFailed", e.getMessage()));
        wholeBatchFailures.add(request.id());
      }
      return answers;
    }
    Map<String, JsonNode> byId = new HashMap<>();
    for (JsonNode response : responses) {
      byId.put(response.path("id").asText(), response);
    }
    for (GraphRequest request : chunk) {
      JsonNode response = byId.get(request.id());
      answers.put(
          request.id(),
          response == null
              ? GraphResponse.unanswered(
                  UpstreamFailure.BAD_RESPONSE,
                  "MissingBatchResponse",
                  UPSTREAM + " answered the batch without this request")
              : batchAnswer(response));
    }
    return answers;
  }

  private static Map<String, String> headersOf(JsonNode headers) {
    Map<String, String> map = new HashMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = headers.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      map.put(field.getKey(), field.getValue().asText());
    }
    return map;
  }

  /** One entry of a {@code $batch} answer; one without a status is an answer we cannot use. */
  private static GraphResponse batchAnswer(JsonNode response) {
    if (!response.path("status").canConvertToInt()) {
      return GraphResponse.unanswered(
          UpstreamFailure.BAD_RESPONSE,
          "MissingBatchStatus",
          UPSTREAM + " answered this request of the batch without a status");
    }
    return new GraphResponse(
        response.path("status").asInt(),
        headersOf(response.path("headers")),
        response.path("body"));
  }

  private static boolean isRetryable(GraphResponse response) {
    return response.kind().filter(UpstreamFailure::isRetryable).isPresent();
  }

  private static Duration itemBackoff(int round) {
    return DEFAULT_ITEM_BACKOFF.multipliedBy(1L << Math.min(round - 1, 10));
  }

  private GraphPacer pacerFor(String path) {
    for (String area : PACED_AREAS.keySet()) {
      if (path.startsWith(area)) {
        return pacers.get(area);
      }
    }
    return null;
  }

  private Request httpRequest(
      String method, String url, JsonNode body, Map<String, String> headers) {
    Request.Builder request =
        new Request.Builder().url(HttpUrl.get(url)).header("Accept", "application/json");
    headers.forEach(request::header);
    RequestBody payload = body == null ? null : RequestBody.create(UpstreamJson.write(body), JSON);
    if (payload == null && (method.equals("POST") || method.equals("PATCH"))) {
      payload = RequestBody.create("", JSON); // revokeSignInSessions: a POST without a body
    }
    return request.method(method, payload).build();
  }

  /** One exchange; any status comes back as an answer, only no answer at all throws. */
  private GraphResponse exchange(Request request) {
    UpstreamHttp.Reply reply = http.exchange(request, null);
    Map<String, String> headers = new HashMap<>();
    reply.headers().names().forEach(name -> headers.put(name, reply.headers().get(name)));
    if (reply.retryAfter() != null && retryAfterSeconds(headers.get("Retry-After")) == null) {
      // An HTTP date, should Graph send one: as seconds, the way its batch entries say it.
      headers.put("Retry-After", Long.toString(reply.retryAfter().toSeconds()));
    }
    JsonNode body = null;
    if (!reply.body().isBlank()) {
      body =
          reply.isSuccessful()
              ? UpstreamJson.parse(UPSTREAM, reply.body())
              : parseQuietly(reply.body());
    }
    return new GraphResponse(reply.status(), headers, body);
  }

  private static JsonNode parseQuietly(String text) {
    try {
      return Json.UPSTREAM.readTree(text);
    } catch (JsonProcessingException notJson) {
      return null; // a gateway's HTML page: the status says enough
    }
  }

  private static UpstreamException failure(String what, GraphResponse response) {
    StringBuilder message =
        new StringBuilder(UPSTREAM)
            .append(" could not ")
            .append(what)
            .append(": ")
            .append(response.reason());
    if (response.kind().filter(UpstreamFailure::isRefusedIdentity).isPresent()) {
      message.append(
          ". Grant the app's identity the Microsoft Graph application permission this call needs");
    }
    return response.toException(message.toString());
  }

  private void sleep(Duration wait) {
    sleeper.await(wait, UPSTREAM, "to retry throttled requests");
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
