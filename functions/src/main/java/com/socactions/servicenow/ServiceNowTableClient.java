package com.socactions.servicenow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.socactions.platform.ConfigurationException;
import com.socactions.platform.HttpClients;
import com.socactions.platform.Json;
import com.socactions.platform.Settings;
import com.socactions.platform.Sleeper;
import com.socactions.platform.UpstreamException;
import com.socactions.platform.UpstreamFailure;
import com.socactions.platform.UpstreamHttp;
import com.socactions.platform.UpstreamPolicy;
import java.time.Clock;
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
import okhttp3.OkHttpClient;
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
  private final UpstreamHttp http;
  private final UpstreamPolicy policy;
  private final ServiceNowAuth auth;
  private final int pageSize;

  /**
   * @param shared the process's OkHttp client ({@link HttpClients#shared()}); a variant is derived
   * @param pageSize rows per page, 1 to 10,000
   */
  public ServiceNowTableClient(
      ServiceNowSettings settings,
      OkHttpClient shared,
      Clock clock,
      UpstreamPolicy policy,
      int pageSize) {
    this.settings = Objects.requireNonNull(settings, "'settings' cannot be null.");
    this.policy = Objects.requireNonNull(policy, "'policy' cannot be null.");
    if (pageSize < 1 || pageSize > 10_000) {
      throw new IllegalArgumentException("'pageSize' must be 1 to 10000, not " + pageSize);
    }
    this.pageSize = pageSize;
    this.http = new UpstreamHttp(UPSTREAM, shared.newBuilder().build(), clock);
    this.auth = ServiceNowAuth.of(settings, http, clock);
  }

  /**
   * The client the settings describe, with the default policy and page size.
   *
   * @throws ConfigurationException naming the setting to fix
   */
  public static ServiceNowTableClient create(Settings settings, Clock clock, Sleeper sleeper) {
    return new ServiceNowTableClient(
        ServiceNowSettings.from(settings),
        HttpClients.shared(),
        clock,
        defaultPolicy(sleeper),
        DEFAULT_PAGE_SIZE);
  }

  /**
   * The policy every ServiceNow call shares (instances publish no fixed limit; rate limit rules
   * answer 429).
   */
  public static UpstreamPolicy defaultPolicy(Sleeper sleeper) {
    return new UpstreamPolicy(UPSTREAM, UpstreamPolicy.Options.defaults(), sleeper);
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
      Page answer = policy.call(() -> exchange("read " + table, request(url).get()));
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
      return Optional.of(result(policy.call(() -> exchange("read " + table, request(url).get()))));
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
    return result(policy.call(() -> exchange("create in " + table, request(url).post(body))));
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
    return result(policy.call(() -> exchange("update in " + table, request(url).patch(body))));
  }

  private record Page(JsonNode body, String link) {}

  /**
   * One attempt: sign, send, read. A 401 on a cached OAuth token that ServiceNow no longer takes is
   * asked once more with a fresh token; other failures get ServiceNow's own message.
   */
  private Page exchange(String what, Request.Builder request) {
    String authorization = auth.authorization();
    try {
      return send(request, authorization);
    } catch (UpstreamException e) {
      if (e.failure() == UpstreamFailure.UNAUTHORIZED && auth.rejected(authorization)) {
        try {
          return send(request, auth.authorization());
        } catch (UpstreamException again) {
          throw explained(what, again);
        }
      }
      throw explained(what, e);
    }
  }

  private Page send(Request.Builder request, String authorization) {
    UpstreamHttp.Answer answer = http.send(request.header("Authorization", authorization).build());
    return new Page(parse(answer.body()), answer.headers().get("Link"));
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
    if (body == null || body.isBlank()) {
      return "";
    }
    try {
      JsonNode error = Json.UPSTREAM.readTree(body).path("error");
      String message = error.path("message").asText("").strip();
      String detail = error.path("detail").asText("").strip();
      return detail.isEmpty() || detail.equals(message) ? message : message + " (" + detail + ")";
    } catch (JsonProcessingException | RuntimeException notJson) {
      return "";
    }
  }

  /** The {@code rel="next"} URL of a {@code Link} header, only on the instance's own origin. */
  private HttpUrl next(String link) {
    if (link == null) {
      return null;
    }
    Matcher matcher = LINK.matcher(link);
    while (matcher.find()) {
      if (!matcher.group(2).equalsIgnoreCase("next")) {
        continue;
      }
      HttpUrl next = settings.instance().resolve(matcher.group(1).strip());
      HttpUrl base = settings.instance();
      if (next == null
          || !next.scheme().equals(base.scheme())
          || !next.host().equals(base.host())
          || next.port() != base.port()) {
        // The credentials go with every call: never to an origin the settings did not name.
        throw UpstreamException.badResponse(
            UPSTREAM, "ServiceNow pointed the next page at another origin", null, null);
      }
      return next;
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
    try {
      return Json.UPSTREAM.readTree(body.isEmpty() ? "{}" : body);
    } catch (JsonProcessingException e) {
      throw UpstreamException.badResponse(
          UPSTREAM, "ServiceNow answered with JSON that does not parse", body, e);
    }
  }

  private static String write(Map<String, ?> fields) {
    try {
      return Json.UPSTREAM.writeValueAsString(fields);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the record's fields cannot be written as JSON", e);
    }
  }
}
