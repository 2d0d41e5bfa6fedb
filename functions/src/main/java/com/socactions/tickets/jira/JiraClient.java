package com.socactions.tickets.jira;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.socactions.platform.InvalidInputException;
import com.socactions.platform.UpstreamClient;
import com.socactions.platform.UpstreamClients;
import com.socactions.platform.UpstreamException;
import com.socactions.platform.UpstreamFailure;
import com.socactions.platform.UpstreamJson;
import com.socactions.platform.UpstreamPolicy;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * Jira Cloud REST API v3 for ticket sync: create, read and edit issues (fields, labels), the
 * enhanced JQL search ({@code POST /rest/api/3/search/jql}, {@code nextPageToken} paging), workflow
 * transitions, comments (ADF bodies) and issue properties. Built once per worker; thread-safe.
 *
 * <p>Every call carries basic auth {@code JIRA_EMAIL:JIRA_API_TOKEN} and goes through one {@link
 * UpstreamPolicy} (retries of no answer, 429 and 5xx, honouring {@code Retry-After}; circuit
 * breaker), as the ServiceNow client does.
 *
 * <p>Failures are {@link UpstreamException}s whose message is readable on its own: Jira's {@code
 * {"errorMessages":[...],"errors":{field:message}}} becomes {@code field: message} text, a 401
 * names the settings to check, a 403 the action the account may not take, a 404 the issue. Issue
 * keys and property keys are checked before any call ({@link IllegalArgumentException}: they come
 * from our own link table or from verified webhooks, so a bad one is a programming error). No
 * message, log line or exception holds the API token.
 */
public final class JiraClient {
  public static final String UPSTREAM = "Jira";

  /**
   * Issues asked for per search page; Jira serves up to 100 issues a page when fields are asked
   * for.
   */
  public static final int DEFAULT_SEARCH_PAGE_SIZE = 100;

  /**
   * A search stops after this many issues (the catch-up poll does not search this way: it reads
   * page by page with {@link #searchPage}).
   */
  public static final int DEFAULT_MAX_SEARCH_RESULTS = 1_000;

  /** Comments asked for per page (Jira's own maximum is 5,000; 100 keeps one answer small). */
  public static final int DEFAULT_COMMENT_PAGE_SIZE = 100;

  /** {@link #comments} stops after this many comments. */
  public static final int DEFAULT_MAX_COMMENTS = 1_000;

  /** Users asked for per user search (an e-mail address matches one or a few). */
  public static final int MAX_USERS = 10;

  private static final MediaType JSON = MediaType.get("application/json");
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** An issue key ({@code SOC-12}) or an issue id ({@code 10010}). */
  private static final Pattern ISSUE = Pattern.compile("[A-Z][A-Z0-9_]*-[1-9][0-9]*|[1-9][0-9]*");

  private static final Pattern PROPERTY_KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,254}");
  private static final Pattern TRANSITION_ID = Pattern.compile("[0-9]+");
  private static final Pattern FIELD = Pattern.compile("[*A-Za-z0-9_.-]+");

  /** What {@code POST /rest/api/3/issue} answers: the new issue's id, key and REST URL. */
  public record CreatedIssue(String id, String key, String self) {}

  /**
   * The issues of a search, in Jira's order; {@code truncated} when more matched than the bound.
   */
  public record SearchResult(List<ObjectNode> issues, boolean truncated) {}

  /**
   * One page of a search: its issues, and the token of the next page, or null when this is the
   * last.
   */
  public record SearchPage(List<ObjectNode> issues, String nextPageToken) {
    public boolean isLast() {
      return nextPageToken == null;
    }
  }

  private final JiraSettings settings;
  private final UpstreamClient http;
  private final int pageSize;

  /**
   * The site the settings name, with basic auth {@code JIRA_EMAIL:JIRA_API_TOKEN}, on the kit's
   * shared client.
   *
   * @param pageSize issues per search page and comments per comment page, 1 to 100
   */
  public static JiraClient create(
      UpstreamClients kit, JiraSettings settings, UpstreamPolicy.Options options, int pageSize) {
    return new JiraClient(
        settings,
        kit.client(UPSTREAM)
            .baseUrl(settings.site())
            .basicAuth(settings.email(), settings.apiToken())
            .policy(options)
            .build(),
        pageSize);
  }

  JiraClient(JiraSettings settings, UpstreamClient http, int pageSize) {
    this.settings = Objects.requireNonNull(settings, "'settings' cannot be null.");
    this.http = Objects.requireNonNull(http, "'http' cannot be null.");
    if (pageSize < 1 || pageSize > 100) {
      throw new IllegalArgumentException("'pageSize' must be 1 to 100, not " + pageSize);
    }
    this.pageSize = pageSize;
  }

  public JiraSettings settings() {
    return settings;
  }

  // ---- issues ----

  /**
   * Creates an issue ({@code POST /rest/api/3/issue}). {@code fields} are Jira's ({@code summary},
   * {@code issuetype}, {@code description} as ADF, {@code priority}, {@code labels}...); when they
   * name no {@code project}, the configured {@code JIRA_PROJECT} is used.
   *
   * @throws UpstreamException status 400 naming the fields Jira refused
   */
  public CreatedIssue createIssue(ObjectNode fields) {
    ObjectNode sent = fields.deepCopy();
    if (!sent.has("project")) {
      sent.putObject("project").put("key", settings.project());
    }
    ObjectNode body = NODES.objectNode();
    body.set("fields", sent);
    JsonNode answer = call("create an issue", post(url("issue"), body));
    String key = answer.path("key").asText("");
    if (key.isEmpty()) {
      throw UpstreamException.badResponse(
          UPSTREAM, "Jira answered a create without an issue key", null, null);
    }
    return new CreatedIssue(answer.path("id").asText(""), key, answer.path("self").asText(""));
  }

  /**
   * One issue ({@code GET /rest/api/3/issue/{key}}) with the given fields (all navigable fields
   * when none are given); empty when Jira has no such issue or the account may not see it (Jira
   * answers 404 for both).
   */
  public Optional<ObjectNode> getIssue(String key, String... fields) {
    HttpUrl.Builder url = issueUrl(key);
    if (fields.length > 0) {
      url.addQueryParameter("fields", fieldList(List.of(fields)));
    }
    try {
      return Optional.of(object(call("read issue " + key, get(url.build()))));
    } catch (UpstreamException e) {
      if (e.failure() == UpstreamFailure.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /**
   * Sets fields of an issue ({@code PUT /rest/api/3/issue/{key}}, Jira answers 204), leaving the
   * others.
   *
   * @throws UpstreamException status 404 when there is no such issue, 400 naming refused fields
   */
  public void updateIssue(String key, ObjectNode fields) {
    edit(key, fields, null);
  }

  /**
   * Edits an issue with {@code fields} (set) and {@code update} (operations such as {@code
   * {"labels":[{"add":"x"}]}}); either may be null.
   */
  public void edit(String key, ObjectNode fields, ObjectNode update) {
    ObjectNode body = NODES.objectNode();
    if (fields != null) {
      body.set("fields", fields);
    }
    if (update != null) {
      body.set("update", update);
    }
    call("edit issue " + key, put(issueUrl(key).build(), body));
  }

  /** Replaces the issue's labels with exactly these. */
  public void setLabels(String key, Collection<String> labels) {
    ObjectNode fields = NODES.objectNode();
    ArrayNode array = fields.putArray("labels");
    checkLabels(labels).forEach(array::add);
    updateIssue(key, fields);
  }

  /**
   * Adds labels ({@code update.labels[].add}), keeping those the issue has; costs no call for none.
   */
  public void addLabels(String key, Collection<String> labels) {
    labelOperation(key, "add", labels);
  }

  /**
   * Removes labels ({@code update.labels[].remove}), keeping the others; costs no call for none.
   */
  public void removeLabels(String key, Collection<String> labels) {
    labelOperation(key, "remove", labels);
  }

  private void labelOperation(String key, String operation, Collection<String> labels) {
    if (labels.isEmpty()) {
      return;
    }
    ObjectNode update = NODES.objectNode();
    ArrayNode operations = update.putArray("labels");
    checkLabels(labels).forEach(label -> operations.addObject().put(operation, label));
    edit(key, null, update);
  }

  // ---- search ----

  /** {@link #search(String, List, int)} up to {@link #DEFAULT_MAX_SEARCH_RESULTS} issues. */
  public SearchResult search(String jql, List<String> fields) {
    return search(jql, fields, DEFAULT_MAX_SEARCH_RESULTS);
  }

  /**
   * The issues matching {@code jql}, through the enhanced search ({@code POST
   * /rest/api/3/search/jql}; the legacy {@code /rest/api/3/search} with {@code startAt} is removed
   * from Jira Cloud), page by page with {@code nextPageToken} until {@code isLast} or {@code
   * maxIssues}. Build {@code jql} with {@link Jql} so no value changes its meaning. An issue seen
   * twice (it changed while paging) is returned once.
   *
   * @param fields the fields to return, e.g. {@code summary}, {@code status}, {@code labels}; with
   *     none, Jira returns only each issue's id
   * @param maxIssues at most this many issues; {@link SearchResult#truncated()} says whether more
   *     matched
   * @throws UpstreamException status 400 with Jira's message for JQL it cannot read
   */
  public SearchResult search(String jql, List<String> fields, int maxIssues) {
    Objects.requireNonNull(jql, "'jql' cannot be null.");
    if (maxIssues < 1) {
      throw new IllegalArgumentException("'maxIssues' must be at least 1, not " + maxIssues);
    }
    List<ObjectNode> issues = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    Set<String> tokens = new HashSet<>();
    String token = null;
    while (true) {
      SearchPage page = searchPage(jql, fields, maxIssues - issues.size(), token);
      for (ObjectNode issue : page.issues()) {
        String id = issue.path("id").asText(issue.path("key").asText(""));
        if (id.isEmpty() || seen.add(id)) {
          if (issues.size() == maxIssues) {
            return new SearchResult(issues, true);
          }
          issues.add(issue);
        }
      }
      if (page.isLast()) {
        return new SearchResult(issues, false);
      }
      if (issues.size() >= maxIssues) {
        return new SearchResult(issues, true);
      }
      token = page.nextPageToken();
      if (!tokens.add(token)) {
        throw UpstreamException.badResponse(
            UPSTREAM, "Jira handed out the same page token twice while searching", null, null);
      }
    }
  }

  /**
   * One page of a search ({@code POST /rest/api/3/search/jql}): the first with no {@code
   * pageToken}, the next with the token the page before it gave. Issues are in Jira's order, as
   * Jira sent them.
   *
   * @param maxResults issues asked for; at most the client's page size is asked
   * @param pageToken the {@link SearchPage#nextPageToken()} of the page before, or null for the
   *     first
   * @throws UpstreamException status 400 with Jira's message for JQL it cannot read
   */
  public SearchPage searchPage(String jql, List<String> fields, int maxResults, String pageToken) {
    Objects.requireNonNull(jql, "'jql' cannot be null.");
    if (maxResults < 1) {
      throw new IllegalArgumentException("'maxResults' must be at least 1, not " + maxResults);
    }
    ObjectNode body = NODES.objectNode();
    body.put("jql", jql);
    body.put("maxResults", Math.min(pageSize, maxResults));
    if (!fields.isEmpty()) {
      ArrayNode array = body.putArray("fields");
      fields.forEach(field -> array.add(checkField(field)));
    }
    if (pageToken != null) {
      body.put("nextPageToken", pageToken);
    }
    JsonNode page = call("search issues", post(url("search/jql"), body));
    List<ObjectNode> issues = new ArrayList<>();
    for (JsonNode issue : page.path("issues")) {
      if (issue instanceof ObjectNode object) {
        issues.add(object);
      }
    }
    String token = page.path("nextPageToken").asText("");
    // isLast is the documented end; a page without a token is the end too (JRACLOUD-92184).
    boolean last = page.path("isLast").asBoolean(false) || token.isEmpty();
    return new SearchPage(issues, last ? null : token);
  }

  // ---- transitions ----

  /**
   * The transitions Jira offers for the issue now ({@code GET
   * /rest/api/3/issue/{key}/transitions}).
   */
  public List<JiraTransition> transitions(String key) {
    JsonNode answer =
        call(
            "read the transitions of " + key,
            get(issueUrl(key).addPathSegment("transitions").build()));
    List<JiraTransition> transitions = new ArrayList<>();
    for (JsonNode transition : answer.path("transitions")) {
      transitions.add(JiraTransition.of(transition));
    }
    return transitions;
  }

  /**
   * Takes a transition ({@code POST /rest/api/3/issue/{key}/transitions}, Jira answers 204), with
   * the fields its screen asks for (e.g. {@code resolution}) or null.
   *
   * @throws UpstreamException status 400 when the transition is not available now or a field is
   *     refused
   */
  public void transition(String key, String transitionId, ObjectNode fields) {
    if (transitionId == null || !TRANSITION_ID.matcher(transitionId).matches()) {
      throw new IllegalArgumentException(
          "'transitionId' must be a Jira transition id such as 31, not '" + transitionId + "'");
    }
    ObjectNode body = NODES.objectNode();
    body.putObject("transition").put("id", transitionId);
    if (fields != null && !fields.isEmpty()) {
      body.set("fields", fields);
    }
    call(
        "transition issue " + key, post(issueUrl(key).addPathSegment("transitions").build(), body));
  }

  /**
   * Moves the issue toward {@code target} by the transition that {@link StatusTarget#pick} chooses
   * from those offered now (by status name, else by category). Two calls; check the current status
   * first ({@link StatusTarget#isReachedBy}) to save them when it is already there.
   *
   * @param fields fields for the transition's screen, or null
   * @return the transition taken; empty (and no change) when no offered transition reaches the
   *     target
   */
  public Optional<JiraTransition> moveTo(String key, StatusTarget target, ObjectNode fields) {
    Optional<JiraTransition> chosen = target.pick(transitions(key));
    chosen.ifPresent(transition -> transition(key, transition.id(), fields));
    return chosen;
  }

  // ---- comments ----

  /**
   * Adds a comment ({@code POST /rest/api/3/issue/{key}/comment}); {@code adf} is an ADF document
   * ({@link Adf}).
   */
  public JiraComment addComment(String key, ObjectNode adf) {
    if (adf == null || !"doc".equals(adf.path("type").asText())) {
      throw new IllegalArgumentException(
          "'adf' must be an ADF document ({\"type\":\"doc\",...}); build it with Adf");
    }
    ObjectNode body = NODES.objectNode();
    body.set("body", adf);
    return JiraComment.of(
        call(
            "comment on issue " + key,
            post(issueUrl(key).addPathSegment("comment").build(), body)));
  }

  /** {@link #comments(String, Instant, int)} up to {@link #DEFAULT_MAX_COMMENTS}. */
  public List<JiraComment> comments(String key, Instant since) {
    return comments(key, since, DEFAULT_MAX_COMMENTS);
  }

  /**
   * The comments created at or after {@code since} (all when null), oldest first. Asks newest first
   * ({@code orderBy=-created}) and pages with {@code startAt} only until it reaches an older
   * comment, so a long thread costs one call when nothing is new. A comment seen on two pages (one
   * was added while paging) is returned once.
   *
   * @param maxComments at most this many, the newest ones
   */
  public List<JiraComment> comments(String key, Instant since, int maxComments) {
    if (maxComments < 1) {
      throw new IllegalArgumentException("'maxComments' must be at least 1, not " + maxComments);
    }
    List<JiraComment> newestFirst = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    int startAt = 0;
    while (newestFirst.size() < maxComments) {
      HttpUrl url =
          issueUrl(key)
              .addPathSegment("comment")
              .addQueryParameter("startAt", Integer.toString(startAt))
              .addQueryParameter("maxResults", Integer.toString(pageSize))
              .addQueryParameter("orderBy", "-created")
              .build();
      JsonNode page = call("read the comments of " + key, get(url));
      JsonNode comments = page.path("comments");
      for (JsonNode node : comments) {
        JiraComment comment = JiraComment.of(node);
        if (since != null && comment.created() != null && comment.created().isBefore(since)) {
          Collections.reverse(newestFirst);
          return newestFirst;
        }
        if (seen.add(comment.id()) && newestFirst.size() < maxComments) {
          newestFirst.add(comment);
        }
      }
      startAt += comments.size();
      if (comments.isEmpty() || startAt >= page.path("total").asInt(0)) {
        break;
      }
    }
    Collections.reverse(newestFirst);
    return newestFirst;
  }

  // ---- users ----

  /**
   * The users whose display name or e-mail address starts with {@code query} ({@code GET
   * /rest/api/3/user/search?query=}), at most {@value #MAX_USERS}. Jira hides {@code emailAddress}
   * unless the user's profile shows it, so a match by e-mail may come back without one.
   *
   * @throws UpstreamException status 403 when the account lacks "Browse users and groups"
   */
  public List<JiraUser> searchUsers(String query) {
    Objects.requireNonNull(query, "'query' cannot be null.");
    HttpUrl url =
        url("user/search")
            .newBuilder()
            .addQueryParameter("query", query)
            .addQueryParameter("maxResults", Integer.toString(MAX_USERS))
            .build();
    List<JiraUser> users = new ArrayList<>();
    for (JsonNode user : call("search users", get(url))) {
      users.add(JiraUser.of(user));
    }
    return users;
  }

  /**
   * The time zone of the calling account's profile ({@code GET /rest/api/3/myself}), in which Jira
   * reads JQL date literals ({@link Jql#updatedSince}).
   *
   * @return empty when Jira names no zone, or one Java does not know
   */
  public Optional<ZoneId> accountTimeZone() {
    String zone =
        call("read the account's profile", get(url("myself"))).path("timeZone").asText("");
    try {
      return zone.isEmpty() ? Optional.empty() : Optional.of(ZoneId.of(zone));
    } catch (DateTimeException unknown) {
      return Optional.empty();
    }
  }

  // ---- properties ----

  /**
   * Sets an issue property ({@code PUT /rest/api/3/issue/{key}/properties/{propertyKey}}): JSON
   * kept with the issue, invisible in the UI, readable by JQL ({@code issue.property[key].x}) once
   * indexed. Used for the incident correlation.
   */
  public void setProperty(String key, String propertyKey, JsonNode value) {
    Objects.requireNonNull(value, "'value' cannot be null.");
    call("set a property of issue " + key, put(propertyUrl(key, propertyKey), value));
  }

  /**
   * An issue property's value; empty when the issue has no such property (or there is no such
   * issue).
   */
  public Optional<JsonNode> getProperty(String key, String propertyKey) {
    try {
      return Optional.of(
          call("read a property of issue " + key, get(propertyUrl(key, propertyKey)))
              .path("value"));
    } catch (UpstreamException e) {
      if (e.failure() == UpstreamFailure.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }

  // ---- exchange ----

  private JsonNode call(String what, Request request) {
    return http.call(
        () -> {
          try {
            return UpstreamJson.parse(UPSTREAM, http.send(request).body());
          } catch (UpstreamException e) {
            throw explained(what, e);
          }
        });
  }

  private UpstreamException explained(String what, UpstreamException e) {
    String message = errorMessage(e.bodyExcerpt());
    String detail = message.isEmpty() ? "" : ": " + message;
    if (e.httpStatus().isEmpty()) {
      return e;
    }
    String answer = e.answerText();
    String text =
        switch (e.failure()) {
          case UNAUTHORIZED ->
              "Jira refused the credentials ("
                  + answer
                  + "); check "
                  + settings.credentialSettings();
          case FORBIDDEN ->
              "Jira denied the account the right to "
                  + what
                  + " ("
                  + answer
                  + detail
                  + "); give it the project permission";
          case NOT_FOUND ->
              "Jira could not "
                  + what
                  + ": not found, or the account may not see it ("
                  + answer
                  + detail
                  + ")";
          case THROTTLED ->
              "Jira is rate limiting the account ("
                  + answer
                  + detail
                  + ")"
                  + e.retryAfter()
                      .map(after -> "; retry after " + after.toSeconds() + " s")
                      .orElse("");
          default ->
              message.isEmpty() ? null : "Jira could not " + what + " (" + answer + "): " + message;
        };
    return text == null ? e : e.explained(text);
  }

  /**
   * Jira's error collection as one line: the {@code errorMessages}, then each {@code errors} entry
   * as {@code field: message}, joined by {@code "; "}; {@code message} of the other error shape; ""
   * for a body that is neither.
   */
  static String errorMessage(String body) {
    Optional<JsonNode> parsed = UpstreamJson.errorBody(body);
    if (parsed.isEmpty()) {
      return "";
    }
    JsonNode error = parsed.get();
    List<String> parts = new ArrayList<>();
    for (JsonNode message : error.path("errorMessages")) {
      if (!message.asText("").isBlank()) {
        parts.add(message.asText().strip());
      }
    }
    for (Map.Entry<String, JsonNode> field : error.path("errors").properties()) {
      parts.add(field.getKey() + ": " + field.getValue().asText("").strip());
    }
    if (parts.isEmpty() && error.path("message").isTextual()) {
      parts.add(error.path("message").asText().strip());
    }
    return String.join("; ", parts);
  }

  private Request get(HttpUrl url) {
    return request(url).get().build();
  }

  private Request post(HttpUrl url, JsonNode body) {
    return request(url).post(RequestBody.create(body.toString(), JSON)).build();
  }

  private Request put(HttpUrl url, JsonNode body) {
    return request(url).put(RequestBody.create(body.toString(), JSON)).build();
  }

  private Request.Builder request(HttpUrl url) {
    return new Request.Builder().url(url).header("Accept", "application/json");
  }

  private HttpUrl url(String path) {
    return settings.site().newBuilder().encodedPath("/rest/api/3/").addPathSegments(path).build();
  }

  private HttpUrl.Builder issueUrl(String key) {
    if (key == null || !ISSUE.matcher(key).matches()) {
      throw new IllegalArgumentException(
          "'key' must be a Jira issue key such as SOC-12 or an issue id, not '" + key + "'");
    }
    return settings.site().newBuilder().encodedPath("/rest/api/3/issue/").addPathSegment(key);
  }

  private HttpUrl propertyUrl(String key, String propertyKey) {
    if (propertyKey == null || !PROPERTY_KEY.matcher(propertyKey).matches()) {
      throw new IllegalArgumentException(
          "'propertyKey' must be letters, digits, '.', '_' or '-', not '" + propertyKey + "'");
    }
    return issueUrl(key).addPathSegment("properties").addPathSegment(propertyKey).build();
  }

  private static String fieldList(List<String> fields) {
    fields.forEach(JiraClient::checkField);
    return String.join(",", fields);
  }

  private static String checkField(String field) {
    if (field == null || !FIELD.matcher(field).matches()) {
      throw new IllegalArgumentException(
          "'fields' must hold Jira field ids such as summary or customfield_10020, not '"
              + field
              + "'");
    }
    return field;
  }

  /** Labels cannot contain white space and are at most {@value Jql#MAX_LABEL_LENGTH} characters. */
  private static Collection<String> checkLabels(Collection<String> labels) {
    for (String label : labels) {
      if (label == null
          || label.isEmpty()
          || label.length() > Jql.MAX_LABEL_LENGTH
          || label
              .codePoints()
              .anyMatch(
                  c ->
                      Character.isWhitespace(c)
                          || Character.isSpaceChar(c)
                          || Character.isISOControl(c))) {
        throw InvalidInputException.of(
            "labels",
            "a Jira label is 1 to "
                + Jql.MAX_LABEL_LENGTH
                + " characters without spaces, not '"
                + label
                + "'");
      }
    }
    return labels;
  }

  private static ObjectNode object(JsonNode node) {
    if (node instanceof ObjectNode object) {
      return object;
    }
    throw UpstreamException.badResponse(
        UPSTREAM, "Jira answered without a JSON object", null, null);
  }
}
