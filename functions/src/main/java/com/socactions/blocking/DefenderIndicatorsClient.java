package com.socactions.blocking;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.socactions.platform.ApiBaseUrl;
import com.socactions.platform.AzureCredentials;
import com.socactions.platform.CallBudget;
import com.socactions.platform.Json;
import com.socactions.platform.SharedBudget.Limits;
import com.socactions.platform.UpstreamBudgets;
import com.socactions.platform.UpstreamClient;
import com.socactions.platform.UpstreamClients;
import com.socactions.platform.UpstreamException;
import com.socactions.platform.UpstreamFailure;
import com.socactions.platform.UpstreamJson;
import com.socactions.platform.UpstreamPolicy;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * The Microsoft Defender for Endpoint indicators API ({@code /api/indicators}): list them all,
 * import in batches, delete by id. Every call carries a bearer token for {@code
 * <DEFENDER_API_URL>/.default} from the process's {@link AzureCredentials} and goes through one
 * {@link UpstreamPolicy} (retries honouring {@code Retry-After}, circuit breaker), each attempt
 * taking a permit from the {@link Operation}'s budget: the limits Defender documents for that call,
 * held in Table Storage for every instance of the app together ({@link UpstreamBudgets}), so that K
 * instances do not make K times the calls. A permit that would come later than the policy's longest
 * wait is a 429 with {@code Retry-After} (the items answer {@code failed} with it).
 *
 * <p>Failures come out as {@link UpstreamException}: the upstream's own (status, body excerpt,
 * {@code Retry-After}), or Azure Identity's when no token came in time. Messages never hold the
 * token.
 */
final class DefenderIndicatorsClient {
  static final String UPSTREAM = "Defender for Endpoint";
  static final String API_URL_SETTING = "DEFENDER_API_URL";
  static final String DEFAULT_API_URL = "https://api.securitycenter.microsoft.com";

  /** The import endpoint takes at most this many indicators a call (documented). */
  static final int MAX_IMPORT_BATCH = 500;

  /**
   * {@code $top} of a list call: the documented maximum. Defender holds at most 15,000 active
   * indicators per tenant (documented), so reading all of them is one or two calls.
   */
  static final int LIST_PAGE_SIZE = 10_000;

  /**
   * Defender holds at most this many active indicators per tenant (post-ti-indicator.md,
   * import-ti-indicators.md, "Limitations").
   */
  static final int TENANT_CAP = 15_000;

  /**
   * How late after its turn a call may reach Defender: a busy instance (a cold start, a collection)
   * can take a second between booking and sending, and the limits count when the call arrives.
   * Minute windows make it cheap: 30 calls per 62 s instead of per 60 s.
   */
  static final Duration CALL_GRACE = Duration.ofSeconds(2);

  /**
   * The calls this client makes, each with the rate limits Defender documents for it on its page's
   * "Limitations" (checked against learn.microsoft.com, defender-endpoint/api): list ({@code
   * get-ti-indicators-collection}) and delete ({@code delete-ti-indicator-by-id}) 100 calls a
   * minute and 1,500 an hour; import ({@code import-ti-indicators}) 30 a minute, no hourly figure;
   * batch delete ({@code batch-delete-ti-indicators}) 30 a minute and 1,500 an hour. The pages do
   * not say whether a limit counts per app or per tenant; every instance of this app signs with one
   * identity in one tenant, so one budget per call for all instances keeps to either reading, and a
   * 429 caused by other apps is still honoured.
   */
  enum Operation {
    LIST("list calls", Limits.of(100, Duration.ofMinutes(1)).and(1_500, Duration.ofHours(1))),
    IMPORT("import calls", Limits.of(30, Duration.ofMinutes(1))),
    DELETE("delete calls", Limits.of(100, Duration.ofMinutes(1)).and(1_500, Duration.ofHours(1))),
    BATCH_DELETE(
        "batch delete calls", Limits.of(30, Duration.ofMinutes(1)).and(1_500, Duration.ofHours(1)));

    final String noun;
    final Limits limits;

    Operation(String noun, Limits limits) {
      this.noun = noun;
      this.limits = limits.grace(CALL_GRACE);
    }

    /**
     * The budget's row key for the API at {@code base}: {@code
     * defender-import:api.securitycenter.microsoft.com}. Every instance of the app has the same
     * {@code DEFENDER_API_URL}, so they share it; the host keeps apart the budgets of different
     * APIs (and of the fakes tests start) on one storage account.
     */
    String key(HttpUrl base) {
      return "defender-"
          + name().toLowerCase(Locale.ROOT).replace('_', '-')
          + ":"
          + UpstreamBudgets.endpointKey(base);
    }
  }

  static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);
  static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(60);

  private static final MediaType JSON = MediaType.get("application/json");

  private final HttpUrl base;
  private final UpstreamClient http;
  private final Map<Operation, CallBudget> budgets = new EnumMap<>(Operation.class);

  /**
   * The API at {@code base}, signed with the app's identity, on the kit's shared client, with
   * {@code options} for its policy; the call budgets in {@code budgets}.
   */
  static DefenderIndicatorsClient create(
      UpstreamClients kit,
      HttpUrl base,
      AzureCredentials credentials,
      UpstreamPolicy.Options options,
      UpstreamBudgets budgets) {
    return new DefenderIndicatorsClient(
        kit.client(UPSTREAM)
            .baseUrl(base)
            .bearerToken(credentials, scopeOf(base))
            // Imports of 500 indicators take Defender a while; the shared defaults are for quick
            // answers.
            .readTimeout(DEFAULT_READ_TIMEOUT)
            .callTimeout(DEFAULT_CALL_TIMEOUT)
            .policy(options)
            .build(),
        budgets);
  }

  DefenderIndicatorsClient(UpstreamClient http, UpstreamBudgets budgets) {
    this.http = http;
    this.base = http.base();
    for (Operation operation : Operation.values()) {
      this.budgets.put(
          operation,
          budgets.budget(operation.key(base), UPSTREAM, operation.noun, operation.limits));
    }
  }

  /**
   * The scope of tokens for the commercial Defender for Endpoint API, whichever regional host
   * answers.
   */
  static final String COMMERCIAL_SCOPE = "https://api.securitycenter.microsoft.com/.default";

  /**
   * The token scope for the API at {@code base}. The commercial API answers at {@code
   * api.securitycenter.microsoft.com}, {@code api.security.microsoft.com} and the regional {@code
   * <region>.api.security.microsoft.com} hosts, and all of them take tokens for the
   * WindowsDefenderATP application, whose id URI is {@value #COMMERCIAL_SCOPE} without {@code
   * /.default}; Entra ID knows no application for a regional host, so its own origin would be
   * refused. Any other base (government clouds, local fakes) is its own origin.
   */
  static String scopeOf(HttpUrl base) {
    String host = base.host().toLowerCase(Locale.ROOT);
    if (host.equals("api.securitycenter.microsoft.com")
        || host.endsWith(".security.microsoft.com")
        || host.equals("api.security.microsoft.com")) {
      return COMMERCIAL_SCOPE;
    }
    return ApiBaseUrl.azureScope(base);
  }

  HttpUrl base() {
    return base;
  }

  UpstreamPolicy policy() {
    return http.policy();
  }

  /**
   * Books the permits of {@code calls} import calls in one write, for a batch that knows how many
   * it makes; those not free within the policy's longest wait are left to each call's own (which
   * then answers 429 with {@code Retry-After}).
   */
  void reserveImports(int calls) {
    budgets.get(Operation.IMPORT).reserve(calls, http.policy().maxRetryAfter());
  }

  /**
   * One indicator as the API returns it (only the fields used here).
   *
   * @param application the free-text application the submitter named (the connector writes its own)
   * @param sourceType {@code User} for an indicator a person made in the portal, {@code AadApp} for
   *     one an application submitted through the API
   * @param createdBy the person's UPN, or the submitting application's id
   * @param createdByDisplayName the person's or application's display name
   * @param creationTimeDateTimeUtc when it was made
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record DefenderIndicator(
      String id,
      String indicatorValue,
      String indicatorType,
      String action,
      String expirationTime,
      String createdBy,
      String application,
      String sourceType,
      String createdByDisplayName,
      String creationTimeDateTimeUtc) {
    /** Null when the indicator never expires (or the API sent something unreadable). */
    Instant expiresAt() {
      if (expirationTime == null || expirationTime.isBlank()) {
        return null;
      }
      try {
        return OffsetDateTime.parse(expirationTime).toInstant();
      } catch (DateTimeParseException notOffset) {
        try {
          return Instant.parse(expirationTime);
        } catch (DateTimeParseException unreadable) {
          return null;
        }
      }
    }
  }

  /** One item of an import call; {@code expirationTime} is ISO-8601 UTC, null for never. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Submission(
      String indicatorValue,
      String indicatorType,
      String action,
      String title,
      String description,
      String expirationTime,
      String severity,
      Boolean generateAlert,
      String application,
      String recommendedActions) {}

  /** Defender's answer for one item of an import call. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record ImportResult(String id, String indicator, boolean isFailed, String failureReason) {}

  private record ImportBody(@JsonProperty("Indicators") List<Submission> indicators) {}

  /**
   * Every indicator the app's identity can see (with {@code Ti.ReadWrite.All}: the tenant's), no
   * filter: {@code $top} {@value #LIST_PAGE_SIZE} a call, following {@code @odata.nextLink} on the
   * API's own origin when Defender sends one and otherwise {@code $skip}ping on while a page comes
   * back full. Under Defender's cap of 15,000 indicators per tenant that is one or two calls.
   */
  List<DefenderIndicator> listAll() {
    List<DefenderIndicator> found = new ArrayList<>();
    HttpUrl page = listPage(0);
    while (page != null) {
      JsonNode body = UpstreamJson.parse(UPSTREAM, get(page));
      int count = 0;
      for (JsonNode item : body.path("value")) {
        found.add(Json.UPSTREAM.convertValue(item, DefenderIndicator.class));
        count++;
      }
      HttpUrl next = http.sameOriginLink(body.path("@odata.nextLink").asText(null));
      // An empty page ends the read whatever the links say, so a misbehaving server cannot loop us.
      page =
          count == 0
              ? null
              : next != null ? next : count >= LIST_PAGE_SIZE ? listPage(found.size()) : null;
    }
    return found;
  }

  private HttpUrl listPage(int skip) {
    HttpUrl.Builder url =
        base.newBuilder()
            .addPathSegments("api/indicators")
            .addQueryParameter("$top", Integer.toString(LIST_PAGE_SIZE));
    if (skip > 0) {
      url.addQueryParameter("$skip", Integer.toString(skip));
    }
    return url.build();
  }

  /**
   * Submits or updates up to {@link #MAX_IMPORT_BATCH} indicators in one call.
   *
   * @return Defender's per-item results
   * @throws IllegalArgumentException for more than {@link #MAX_IMPORT_BATCH} (a programming error)
   */
  List<ImportResult> importIndicators(List<Submission> submissions) {
    if (submissions.size() > MAX_IMPORT_BATCH) {
      throw new IllegalArgumentException(
          "at most " + MAX_IMPORT_BATCH + " indicators per import, not " + submissions.size());
    }
    String json = UpstreamJson.write(new ImportBody(submissions));
    HttpUrl url = base.newBuilder().addPathSegments("api/indicators/import").build();
    Request request = request(url).post(RequestBody.create(json, JSON)).build();
    // The kit fetches the token before the turn is booked, so the call goes out as its turn comes.
    JsonNode body =
        UpstreamJson.parse(UPSTREAM, http.call(budgets.get(Operation.IMPORT), request).body());
    List<ImportResult> results = new ArrayList<>();
    for (JsonNode item : body.path("value")) {
      results.add(Json.UPSTREAM.convertValue(item, ImportResult.class));
    }
    return results;
  }

  /**
   * Deletes one indicator.
   *
   * @return false when Defender holds no indicator with that id (404)
   */
  boolean delete(String id) {
    HttpUrl url = base.newBuilder().addPathSegments("api/indicators").addPathSegment(id).build();
    Request request = request(url).delete().build();
    try {
      http.call(budgets.get(Operation.DELETE), request);
      return true;
    } catch (UpstreamException e) {
      if (e.failure() == UpstreamFailure.NOT_FOUND) {
        return false;
      }
      throw e;
    }
  }

  /** Ids per {@code BatchDelete} call, at most (Defender's documented limit). */
  static final int MAX_BATCH_DELETE = 500;

  /**
   * Deletes up to {@value #MAX_BATCH_DELETE} indicators in one call ({@code POST
   * /api/indicators/BatchDelete} with {@code IndicatorIds}).
   *
   * @return false when Defender answered 404 (one of the ids is gone; which is not said): the
   *     caller deletes them one by one to learn which
   * @throws IllegalArgumentException for more than {@value #MAX_BATCH_DELETE} ids (a programming
   *     error)
   */
  boolean batchDelete(List<String> ids) {
    if (ids.size() > MAX_BATCH_DELETE) {
      throw new IllegalArgumentException(
          "at most " + MAX_BATCH_DELETE + " ids per batch delete, not " + ids.size());
    }
    String json = UpstreamJson.write(Map.of("IndicatorIds", ids));
    HttpUrl url = base.newBuilder().addPathSegments("api/indicators/BatchDelete").build();
    Request request = request(url).post(RequestBody.create(json, JSON)).build();
    try {
      http.call(budgets.get(Operation.BATCH_DELETE), request);
      return true;
    } catch (UpstreamException e) {
      if (e.failure() == UpstreamFailure.NOT_FOUND) {
        return false;
      }
      throw e;
    }
  }

  /**
   * The cheapest authorised read ({@code GET /api/indicators?$top=1}), once, outside the policy (a
   * health check neither waits for retries nor counts against the breaker), waiting at most {@code
   * tokenWait} for the token and {@code timeout} for Defender. It is a list call to Defender, so it
   * takes a permit, without waiting.
   *
   * @throws UpstreamException 429 from the budget when no list call is free right now
   */
  void probe(Duration tokenWait, Duration timeout) {
    HttpUrl url =
        base.newBuilder().addPathSegments("api/indicators").addQueryParameter("$top", "1").build();
    http.prepareCredential(tokenWait);
    budgets.get(Operation.LIST).acquire(Duration.ZERO);
    http.send(request(url).get().build(), timeout);
  }

  private String get(HttpUrl url) {
    return http.call(budgets.get(Operation.LIST), request(url).get().build()).body();
  }

  /** A request to the API; the kit's client signs it with the app's token. */
  private static Request.Builder request(HttpUrl url) {
    return new Request.Builder().url(url).header("Accept", "application/json");
  }
}
