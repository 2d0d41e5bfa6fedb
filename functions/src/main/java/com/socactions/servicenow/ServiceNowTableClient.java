package com.socactions.servicenow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.socactions.platform.UpstreamClient;
import com.socactions.platform.UpstreamClients;
import com.socactions.platform.UpstreamException;
import com.socactions.platform.UpstreamFailure;
import com.socactions.platform.UpstreamHttp;
import com.socactions.platform.UpstreamJson;
import com.socactions.platform.UpstreamPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * The ServiceNow Table API ({@code /api/now/table/{table}[/{sys_id}]}): query with an {@link
 * EncodedQuery} across pages, read, create and update (PATCH) records. Shared by the CMDB lookups
 * ({@code cmdb_ci*}, {@code sys_user}) and ticket sync ({@code incident}). Built once per worker;
 * thread-safe.
 *
 * <p>Every exchange goes through one {@link UpstreamPolicy} (retries of no answer, 429 and 5xx,
 * honouring {@code Retry-After}; circuit breaker) and carries basic auth or an OAuth token (see
 * {@link ServiceNowSettings}). Reference fields come back as their sys_id ({@code
 * sysparm_exclude_reference_link=true}) unless display values are asked for.
 *
 * <p>Failures are {@link UpstreamException}s whose message holds ServiceNow's own error message
 * ({@code {"error":{"message","detail"}}}); a 401 names the settings to check, a 403 the table the
 * account may not read. No message, log line or exception holds a password, secret or token.
 */
public final class ServiceNowTableClient {
  public static final String UPSTREAM = "ServiceNow";

  /**
   * Rows asked for per page: large pages keep a batch lookup to one call; far under the API's
   * 10,000.
   */
  public static final int DEFAULT_PAGE_SIZE = 1_000;

  /** How long a call waits for its OAuth token (one exchange with the instance). */
  private static final Duration TOKEN_WAIT = Duration.ofSeconds(10);

  private static final MediaType JSON = MediaType.get("application/json");
  private static final Pattern TABLE = Pattern.compile("[a-z][a-z0-9_]*");
  private static final Pattern SYS_ID = Pattern.compile("[0-9a-f]{32}");
  private static final Pattern LINK = Pattern.compile("<([^>]*)>\\s*;\\s*rel=\"?([^\",;]+)\"?");

  /** What ServiceNow puts into a reference field (and choice fields) of the answer. */
  public enum DisplayValue {
    /** The stored value: a reference's sys_id, a choice's value. */
    FALSE("false"),
    /** The text a person sees. */
    TRUE("true"),
    /** Both, as {@code {"display_value", "value"}}. */
    ALL("all");

    private final String parameter;

    DisplayValue(String parameter) {
      this.parameter = parameter;
    }
  }

  /** The rows of a query; {@code truncated} when more matched than the caller's maximum. */
  public record Rows(List<ObjectNode> rows, boolean truncated) {}

  private final ServiceNowSettings settings;
  private final UpstreamClient http;
  private final int pageSize;

  /**
   * The Table API of the instance the settings name, signed with basic auth or an OAuth client
   * credentials token (fetched once and reused), on the kit's shared client.
   *
   * @param pageSize rows per page, 1 to 10,000
   */
  public static ServiceNowTableClient create(
      UpstreamClients kit,
      ServiceNowSettings settings,
      UpstreamPolicy.Options options,
      int pageSize) {
    UpstreamClient.Builder http = kit.client(UPSTREAM).baseUrl(settings.instance()).policy(options);
    if (settings.usesOAuth()) {
      http.oauthClientCredentials(
          settings.instance().newBuilder().encodedPath("/oauth_token.do").build(),
          settings.clientId(),
          settings.clientSecret(),
          settings.credentialSettings());
    } else {
      http.basicAuth(settings.user(), settings.password());
    }
    return new ServiceNowTableClient(settings, http.build(), pageSize);
  }

  ServiceNowTableClient(ServiceNowSettings settings, UpstreamClient http, int pageSize) {
    this.settings = Objects.requireNonNull(settings, "'settings' cannot be null.");
    this.http = Objects.requireNonNull(http, "'http' cannot be null.");
    if (pageSize < 1 || pageSize > 10_000) {
      throw new IllegalArgumentException("'pageSize' must be 1 to 10000, not " + pageSize);
    }
    this.pageSize = pageSize;
  }

  /** The instance's base URL. */
  public HttpUrl instance() {
    return settings.instance();
  }

  /** The policy every call to the instance shares (one circuit breaker per instance). */
  public UpstreamPolicy policy() {
    return http.policy();
  }

  /** As {@link #query(String, EncodedQuery, List, int, DisplayValue)} with stored values. */
  public Rows query(String table, EncodedQuery query, List<String> fields, int maxRows) {
    return query(table, query, fields, maxRows, DisplayValue.FALSE);
  }

  /**
   * The records of {@code table} matching {@code query}, following the {@code Link rel="next"}
   * pages until there are no more or {@code maxRows} are read. A query that {@link
   * EncodedQuery#matchesNothing()} costs no call. Rows seen twice (a record moved between pages
   * while paging) are returned once.
   *
   * @param fields the columns to return ({@code sysparm_fields}); empty for all
   * @param maxRows at most this many rows; {@link Rows#truncated()} says whether more matched
   * @throws UpstreamException when ServiceNow fails or refuses (see the class comment)
   */
  public Rows query(
      String table, EncodedQuery query, List<String> fields, int maxRows, DisplayValue display) {
    checkTable(table);
    if (maxRows < 1) {
      throw new IllegalArgumentException("'maxRows' must be at least 1, not " + maxRows);
    }
    if (query.matchesNothing()) {
      return new Rows(List.of(), false);
    }
    HttpUrl.Builder first =
        tableUrl(table)
            .addQueryParameter("sysparm_query", query.encoded())
            .addQueryParameter("sysparm_limit", Integer.toString(Math.min(pageSize, maxRows)))
            .addQueryParameter("sysparm_offset", "0")
            .addQueryParameter("sysparm_display_value", display.parameter)
            .addQueryParameter("sysparm_exclude_reference_link", "true");
    if (!fields.isEmpty()) {
      fields.forEach(EncodedQuery::checkField);
      first.addQueryParameter("sysparm_fields", String.join(",", fields));
    }
    List<ObjectNode> rows = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    HttpUrl page = first.build();
    while (page != null) {
      HttpUrl url = page;
      Page answer = http.call(() -> exchange("read " + table, request(url).get(), null));
      for (JsonNode row : answer.body().path("result")) {
        String sysId = row.path("sys_id").asText("");
        if (row instanceof ObjectNode object && (sysId.isEmpty() || seen.add(sysId))) {
          if (rows.size() == maxRows) {
            return new Rows(rows, true);
          }
          rows.add(object);
        }
      }
      page = next(answer.link());
      if (page != null && rows.size() >= maxRows) {
        return new Rows(rows, true);
      }
      if (page != null) {
        // Ask the last page for no more than is still wanted.
        page =
            page.newBuilder()
                .setQueryParameter(
                    "sysparm_limit", Integer.toString(Math.min(pageSize, maxRows - rows.size())))
                .build();
      }
    }
    return new Rows(rows, false);
  }

  /**
   * One record, or empty when ServiceNow holds none with that sys_id (or its ACLs hide it: the API
   * answers 404 for both).
   *
   * @throws IllegalArgumentException when {@code sysId} is not 32 hex digits (a programming error)
   */
  public Optional<ObjectNode> get(String table, String sysId) {
    HttpUrl url =
        recordUrl(table, sysId).addQueryParameter("sysparm_exclude_reference_link", "true").build();
    try {
      return Optional.of(
          result(http.call(() -> exchange("read " + table, request(url).get(), null))));
    } catch (UpstreamException e) {
      if (e.failure() == UpstreamFailure.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /**
   * Creates a record ({@code POST}); ServiceNow fills its defaults (number, state, sys_id).
   *
   * @return the created record as ServiceNow answers it
   */
  public ObjectNode create(String table, Map<String, ?> fields) {
    HttpUrl url =
        tableUrl(table).addQueryParameter("sysparm_exclude_reference_link", "true").build();
    RequestBody body = RequestBody.create(write(fields), JSON);
    return result(http.call(() -> exchange("create in " + table, request(url).post(body), null)));
  }

  /**
   * Changes the given fields of a record ({@code PATCH}), leaving the others.
   *
   * @return the record after the change
   * @throws UpstreamException {@link UpstreamFailure#NOT_FOUND} when there is no such record
   */
  public ObjectNode update(String table, String sysId, Map<String, ?> fields) {
    HttpUrl url =
        recordUrl(table, sysId).addQueryParameter("sysparm_exclude_reference_link", "true").build();
    RequestBody body = RequestBody.create(write(fields), JSON);
    return result(http.call(() -> exchange("update in " + table, request(url).patch(body), null)));
  }

  /**
   * Reads one row of {@code table} once, outside the policy (a health check neither waits for
   * retries nor counts against the breaker), within {@code timeout}.
   *
   * @throws UpstreamException when ServiceNow fails or refuses (see the class comment)
   */
  public void readOne(String table, Duration timeout) {
    HttpUrl url =
        tableUrl(table)
            .addQueryParameter("sysparm_limit", "1")
            .addQueryParameter("sysparm_fields", "sys_id")
            .build();
    exchange("read " + table, request(url).get(), timeout);
  }

  private record Page(JsonNode body, String link) {}

  /**
   * One attempt: sign (the kit's client asks once more with a fresh OAuth token when ServiceNow
   * refuses a cached one), send, read; failures get ServiceNow's own message. The credential is had
   * first, so a refused OAuth client says so in its own words.
   */
  private Page exchange(String what, Request.Builder request, Duration timeout) {
    http.prepareCredential(TOKEN_WAIT);
    try {
      UpstreamHttp.Answer answer =
          timeout == null ? http.send(request.build()) : http.send(request.build(), timeout);
      return new Page(parse(answer.body()), answer.headers().get("Link"));
    } catch (UpstreamException e) {
      throw explained(what, e);
    }
  }

  private UpstreamException explained(String what, UpstreamException e) {
    String message = errorMessage(e.bodyExcerpt());
    String text;
    if (e.failure() == UpstreamFailure.UNAUTHORIZED) {
      text =
          "ServiceNow refused the credentials ("
              + e.answerText()
              + (message.isEmpty() ? "" : ": " + message)
              + "); check "
              + settings.credentialSettings();
    } else if (e.failure() == UpstreamFailure.FORBIDDEN) {
      text =
          "ServiceNow denied the account the right to "
              + what
              + " ("
              + e.answerText()
              + (message.isEmpty() ? "" : ": " + message)
              + "); give it the role or ACL for that table";
    } else if (e.httpStatus().isEmpty() || message.isEmpty()) {
      return e;
    } else {
      text = "ServiceNow could not " + what + " (" + e.answerText() + "): " + message;
    }
    return e.explained(text);
  }

  /**
   * {@code error.message} and {@code error.detail} of ServiceNow's error body, or "" for another
   * body.
   */
  static String errorMessage(String body) {
    return UpstreamJson.errorBody(body)
        .map(
            json -> {
              JsonNode error = json.path("error");
              String message = error.path("message").asText("").strip();
              String detail = error.path("detail").asText("").strip();
              return detail.isEmpty() || detail.equals(message)
                  ? message
                  : message + " (" + detail + ")";
            })
        .orElse("");
  }

  /** The {@code rel="next"} URL of a {@code Link} header, only on the instance's own origin. */
  private HttpUrl next(String link) {
    if (link == null) {
      return null;
    }
    Matcher matcher = LINK.matcher(link);
    while (matcher.find()) {
      if (matcher.group(2).equalsIgnoreCase("next")) {
        // The credentials go with every call: never to an origin the settings did not name.
        return http.sameOriginLink(matcher.group(1).strip());
      }
    }
    return null;
  }

  private Request.Builder request(HttpUrl url) {
    return new Request.Builder().url(url).header("Accept", "application/json");
  }

  private HttpUrl.Builder tableUrl(String table) {
    return settings
        .instance()
        .newBuilder()
        .addPathSegments("api/now/table")
        .addPathSegment(checkTable(table));
  }

  private HttpUrl.Builder recordUrl(String table, String sysId) {
    if (sysId == null || !SYS_ID.matcher(sysId).matches()) {
      throw new IllegalArgumentException("'sysId' must be 32 hex digits, not '" + sysId + "'");
    }
    return tableUrl(table).addPathSegment(sysId);
  }

  private static String checkTable(String table) {
    if (table == null || !TABLE.matcher(table).matches()) {
      throw new IllegalArgumentException(
          "'table' must be a ServiceNow table name such as cmdb_ci, not '" + table + "'");
    }
    return table;
  }

  private static ObjectNode result(Page page) {
    if (page.body().path("result") instanceof ObjectNode record) {
      return record;
    }
    throw UpstreamException.badResponse(
        UPSTREAM, "ServiceNow answered without a result record", null, null);
  }

  private static JsonNode parse(String body) {
    return UpstreamJson.parse(UPSTREAM, body);
  }

  private static String write(Map<String, ?> fields) {
    return UpstreamJson.write(fields);
  }
}
