package com.socactions.tickets.jira;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.socactions.testing.NoDelaySockets;
import com.socactions.testing.SharedFixtures;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Credentials;
import okhttp3.HttpUrl;

/**
 * A stateful fake of a Jira Cloud site's REST API v3 on one loopback {@link MockWebServer},
 * answering in the shapes of {@code shared/fixtures/jira/}.
 *
 * <ul>
 *   <li>Every call needs basic auth {@code email:token} as started; else 401 with an error
 *       collection.
 *   <li>{@code POST /rest/api/3/issue}: 201 {@code {id,key,self}} with keys {@code PROJ-1}, {@code
 *       PROJ-2}... in the project it was started with; {@code summary} is required, a {@code
 *       project} other than ours and a field it does not know ({@link #KNOWN_FIELDS}) are 400 with
 *       Jira's {@code {errorMessages, errors:{field:msg}}}. New issues are in To Do.
 *   <li>{@code GET}/{@code PUT /rest/api/3/issue/{key}}: the issue ({@code fields=} projects it),
 *       or 404; PUT sets {@code fields} and applies {@code update.labels} add/remove/set, 204.
 *   <li>{@code POST /rest/api/3/search/jql}: the held issues matching the JQL (see {@link Jql}
 *       below), {@code fields} projected, paged by {@code maxResults} (capped at {@link
 *       #maxPageSize}) with an opaque {@code nextPageToken}, {@code isLast}. The legacy {@code
 *       /rest/api/3/search} answers 410 Gone, as Jira Cloud does since its removal.
 *   <li>{@code GET}/{@code POST /rest/api/3/issue/{key}/transitions}: the workflow To Do -(21 Start
 *       progress)-> In Progress -(31 Done)-> Done, To Do -(31 Done)-> Done, and Done -(41 Reopen)->
 *       To Do; a transition not offered from the current status is 400.
 *   <li>{@code GET}/{@code POST /rest/api/3/issue/{key}/comment}: ADF comments, paged by {@code
 *       startAt}/{@code maxResults}, {@code orderBy=created|-created}, with {@code total}.
 *   <li>{@code GET}/{@code PUT /rest/api/3/issue/{key}/properties/{property}}: issue properties.
 *   <li>Resolution: new issues have none; the Done transition has a screen with {@code resolution}
 *       (any other field is 400, as on a real screen) and sets {@code Done} when none is sent, as
 *       Jira's default workflows do; Reopen clears it. Other transitions take no fields.
 *   <li>{@code GET /rest/api/3/user/search?query=}: the users added with {@link #addUser} whose
 *       display name or e-mail starts with the query (without case); {@code emailAddress} only for
 *       users whose profile shows it, as Jira's privacy settings do.
 *   <li>{@code GET /rest/api/3/myself}: the calling account with its {@code timeZone} ({@link
 *       #timeZone}, default UTC), the zone JQL date literals are read in.
 *   <li>Scripting: {@link #failNext}, {@link #now}, {@link #maxPageSize}, {@link #hold}. Counting:
 *       {@link #requests()}, {@link #requestCount(String)}.
 * </ul>
 */
public final class FakeJira implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The fields a create or edit may set; anything else is refused as Jira refuses a field not on
   * the screen.
   */
  public static final Set<String> KNOWN_FIELDS =
      Set.of(
          "project",
          "summary",
          "description",
          "issuetype",
          "priority",
          "labels",
          "assignee",
          "customfield_10100");

  private static final DateTimeFormatter JQL_DATE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);
  private static final Pattern ISSUE_PATH =
      Pattern.compile("/rest/api/3/issue/([^/]+)(?:/([a-z]+)(?:/([^/]+))?)?");

  /** The workflow's statuses: name, id, category key. */
  private record Status(String name, String id, String category) {}

  private record Transition(String id, String name, Status from, Status to) {}

  private static final Status TO_DO = new Status("To Do", "10000", "new");
  private static final Status IN_PROGRESS = new Status("In Progress", "10001", "indeterminate");
  private static final Status DONE = new Status("Done", "10002", "done");
  private static final List<Transition> WORKFLOW =
      List.of(
          new Transition("21", "Start progress", TO_DO, IN_PROGRESS),
          new Transition("31", "Done", TO_DO, DONE),
          new Transition("31", "Done", IN_PROGRESS, DONE),
          new Transition("41", "Reopen", DONE, TO_DO));

  private final MockWebServer server = new MockWebServer();
  private final String basic;
  private final String project;
  private final Map<String, ObjectNode> issues = new ConcurrentHashMap<>();
  private final Map<String, Map<String, JsonNode>> properties = new ConcurrentHashMap<>();
  private final Map<String, List<ObjectNode>> comments = new ConcurrentHashMap<>();
  private final Queue<MockResponse> scripted = new ConcurrentLinkedQueue<>();
  private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger ids = new AtomicInteger(10_000);
  private final AtomicInteger numbers = new AtomicInteger();
  private final AtomicInteger commentIds = new AtomicInteger(20_000);
  private volatile Instant now = Instant.parse("2025-03-01T10:00:00Z");
  private volatile int maxPageSize = 100;
  private volatile ZoneId zone = ZoneOffset.UTC;
  private final List<ObjectNode> users = new CopyOnWriteArrayList<>();
  private String base;

  private FakeJira(String email, String token, String project) {
    this.basic = Credentials.basic(email, token, StandardCharsets.UTF_8);
    this.project = project;
  }

  /**
   * Starts on a free loopback port with no issues, for project {@code project}, accepting {@code
   * email:token}.
   */
  public static FakeJira start(String email, String token, String project) throws IOException {
    FakeJira fake = new FakeJira(email, token, project);
    fake.server.setServerSocketFactory(
        NoDelaySockets.FACTORY); // no ~40 ms delayed-ACK wait per answer
    fake.server.start(InetAddress.getByName("127.0.0.1"), 0);
    fake.base = "http://127.0.0.1:" + fake.server.getPort();
    fake.server.setDispatcher(fake.new JiraDispatcher());
    return fake;
  }

  /** A file under {@code shared/fixtures/jira/}. */
  public static String fixture(String relative) {
    return SharedFixtures.read("jira/" + relative);
  }

  /** The value for {@code JIRA_URL}. */
  public String url() {
    return base;
  }

  // ---- state and scripting ----

  /** The time the fake stamps on creates, edits and comments from now on. */
  public FakeJira now(Instant instant) {
    this.now = instant;
    return this;
  }

  /** Holds an issue as if created in Jira with this summary and labels; returns its key. */
  public String hold(String summary, List<String> labels) {
    ObjectNode fields = JSON.createObjectNode().put("summary", summary);
    ArrayNode array = fields.putArray("labels");
    labels.forEach(array::add);
    return createIssue(fields).path("key").asText();
  }

  /** The issue as held (with all fields), or null. */
  public ObjectNode issue(String key) {
    return issues.get(key);
  }

  /** An issue property as held (by issue key), or null. */
  public JsonNode property(String key, String propertyKey) {
    return properties.getOrDefault(key, Map.of()).get(propertyKey);
  }

  /** The held comments of an issue, oldest first. */
  public List<ObjectNode> commentsOf(String key) {
    return List.copyOf(comments.getOrDefault(key, List.of()));
  }

  /** A comment written in Jira by someone else, at the fake's current time; returns its id. */
  public String addComment(String key, String authorAccountId, String text) {
    ObjectNode body =
        (ObjectNode)
            JSON.valueToTree(
                Map.of(
                    "type",
                    "doc",
                    "version",
                    1,
                    "content",
                    List.of(
                        Map.of(
                            "type",
                            "paragraph",
                            "content",
                            List.of(Map.of("type", "text", "text", text))))));
    return comment(key, authorAccountId, body).path("id").asText();
  }

  /** The next {@code n} calls answer {@code status} with an error collection and these headers. */
  public FakeJira failNext(int n, int status, Map<String, String> headers) {
    String body = "{\"errorMessages\":[\"Scripted failure " + status + "\"],\"errors\":{}}";
    for (int i = 0; i < n; i++) {
      MockResponse.Builder response =
          new MockResponse.Builder()
              .code(status)
              .addHeader("Content-Type", "application/json")
              .body(body);
      headers.forEach(response::addHeader);
      scripted.add(response.build());
    }
    return this;
  }

  /**
   * The calling account's profile time zone: what {@code /myself} says and how JQL dates are read.
   */
  public FakeJira timeZone(ZoneId zone) {
    this.zone = zone;
    return this;
  }

  /**
   * A user the user search finds; {@code emailVisible} false hides the address as a private profile
   * does.
   */
  public FakeJira addUser(
      String accountId, String displayName, String email, boolean emailVisible) {
    ObjectNode user =
        JSON.createObjectNode()
            .put("accountId", accountId)
            .put("accountType", "atlassian")
            .put("displayName", displayName)
            .put("active", true);
    user.put("_email", email);
    if (emailVisible) {
      user.put("emailAddress", email);
    }
    users.add(user);
    return this;
  }

  /** Pages hold at most this many issues or comments whatever {@code maxResults} asks. */
  public FakeJira maxPageSize(int count) {
    this.maxPageSize = count;
    return this;
  }

  public List<RecordedRequest> requests() {
    return List.copyOf(requests);
  }

  /**
   * How many requests were {@code "METHOD /path"} (path without query), e.g. {@code "POST
   * /rest/api/3/search/jql"}.
   */
  public long requestCount(String methodAndPath) {
    return requests.stream()
        .filter(r -> (r.getMethod() + " " + r.getUrl().encodedPath()).equals(methodAndPath))
        .count();
  }

  @Override
  public void close() {
    server.close();
  }

  // ---- the model ----

  private String stamp() {
    return JiraDates.WRITE.format(now.atOffset(ZoneOffset.UTC));
  }

  private ObjectNode createIssue(ObjectNode fields) {
    String id = Integer.toString(ids.incrementAndGet());
    String key = project + "-" + numbers.incrementAndGet();
    ObjectNode issue =
        JSON.createObjectNode()
            .put("id", id)
            .put("key", key)
            .put("self", base + "/rest/api/3/issue/" + id);
    ObjectNode held = issue.putObject("fields");
    held.setAll(fields);
    held.set("project", JSON.createObjectNode().put("key", project));
    if (!held.has("labels")) {
      held.putArray("labels");
    }
    held.set("status", status(TO_DO));
    held.putNull("resolution");
    held.put("created", stamp());
    held.put("updated", stamp());
    issues.put(key, issue);
    return issue;
  }

  private static ObjectNode status(Status status) {
    ObjectNode node = JSON.createObjectNode().put("name", status.name()).put("id", status.id());
    node.putObject("statusCategory").put("key", status.category());
    return node;
  }

  private ObjectNode comment(String key, String author, JsonNode body) {
    ObjectNode comment = JSON.createObjectNode();
    String id = Integer.toString(commentIds.incrementAndGet());
    comment.put(
        "self",
        base + "/rest/api/3/issue/" + issues.get(key).path("id").asText() + "/comment/" + id);
    comment.put("id", id);
    comment.putObject("author").put("accountId", author).put("displayName", author);
    comment.set("body", body);
    comment.put("created", stamp());
    comment.put("updated", stamp());
    comments.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(comment);
    ((ObjectNode) issues.get(key).get("fields")).put("updated", stamp());
    return comment;
  }

  private Status currentStatus(ObjectNode issue) {
    String name = issue.path("fields").path("status").path("name").asText();
    return List.of(TO_DO, IN_PROGRESS, DONE).stream()
        .filter(s -> s.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  // ---- JQL ----

  /**
   * A small JQL evaluator for what the client sends: clauses {@code field op value} joined by
   * {@code AND}/{@code OR} (AND binds tighter), then {@code ORDER BY field [ASC|DESC]}. Fields:
   * {@code project}, {@code key}, {@code labels} ({@code =}, {@code !=}: contains, without case),
   * {@code status}, {@code statusCategory}, {@code updated}/{@code created} ({@code >=}, {@code
   * <=}, {@code >}, {@code <} against {@code "yyyy-MM-dd HH:mm"} read in the account's {@link
   * #timeZone}). {@code ORDER BY} takes a list of fields, each {@code ASC} or {@code DESC} ({@code
   * updated} sorts by time, {@code key} by project and issue number), ties broken by issue id.
   * Values: double-quoted strings with {@code \"} and {@code \\} escapes, or bare words. Anything
   * else is a 400 "Error in the JQL Query", as Jira answers.
   */
  static final class Jql {
    private static final Pattern TOKEN =
        Pattern.compile(
            "\\s*(?:\"((?:[^\"\\\\]|\\\\.)*)\"|(>=|<=|!=|=|>|<|~)|([A-Za-z0-9_.:-]+)|(,)|(\\S))");

    private final List<String[]> tokens =
        new ArrayList<>(); // {kind, text}: q(uoted), o(perator), w(ord), x
    private int at;

    record Query(Predicate<ObjectNode> where, Comparator<ObjectNode> order) {}

    static Query parse(String jql, ZoneId zone) {
      Jql parser = new Jql(zone);
      Matcher matcher = TOKEN.matcher(jql);
      while (matcher.find() && matcher.end() > matcher.start()) {
        if (matcher.group(1) != null) {
          parser.tokens.add(new String[] {"q", matcher.group(1).replaceAll("\\\\(.)", "$1")});
        } else if (matcher.group(2) != null) {
          parser.tokens.add(new String[] {"o", matcher.group(2)});
        } else if (matcher.group(3) != null) {
          parser.tokens.add(new String[] {"w", matcher.group(3)});
        } else if (matcher.group(4) != null) {
          parser.tokens.add(new String[] {"c", ","});
        } else if (matcher.group(5) != null) {
          throw new IllegalArgumentException(
              "The character '" + matcher.group(5) + "' is a reserved JQL character");
        }
      }
      Predicate<ObjectNode> where =
          parser.tokens.isEmpty() || parser.isWord("ORDER") ? issue -> true : parser.or();
      Comparator<ObjectNode> order = Comparator.comparing(issue -> issue.path("id").asInt());
      if (parser.isWord("ORDER")) {
        parser.at++;
        parser.expectWord("BY");
        Comparator<ObjectNode> fields = null;
        do {
          if (fields != null) {
            parser.at++; // the comma between sort fields
          }
          Comparator<ObjectNode> by = sortBy(parser.next("w"));
          if (parser.isWord("DESC")) {
            parser.at++;
            by = by.reversed();
          } else if (parser.isWord("ASC")) {
            parser.at++;
          }
          fields = fields == null ? by : fields.thenComparing(by);
        } while (parser.isComma());
        // Jira breaks the remaining ties by issue id, so pages never disagree on the order.
        order = fields.thenComparing(order);
      }
      if (parser.at != parser.tokens.size()) {
        throw new IllegalArgumentException(
            "Expecting end of query but got '" + parser.tokens.get(parser.at)[1] + "'");
      }
      return new Query(where, order);
    }

    /**
     * How {@code ORDER BY field} sorts: {@code updated}/{@code created} by time, {@code key} by
     * project then issue number as a number (SOC-9 before SOC-10), other fields as text.
     */
    private static Comparator<ObjectNode> sortBy(String field) {
      return switch (field) {
        case "updated", "created" ->
            Comparator.comparing(
                issue -> JiraDates.parse(issue.path("fields").path(field).asText()));
        case "key", "issuekey" ->
            Comparator.comparing(
                    (ObjectNode issue) -> issue.path("key").asText().replaceAll("-[0-9]+$", ""))
                .thenComparingLong(
                    issue -> Long.parseLong(issue.path("key").asText().replaceAll("^.*-", "")));
        default -> Comparator.comparing(issue -> issue.path("fields").path(field).asText(""));
      };
    }

    private boolean isComma() {
      return at < tokens.size() && tokens.get(at)[0].equals("c");
    }

    private Predicate<ObjectNode> or() {
      Predicate<ObjectNode> left = and();
      while (isWord("OR")) {
        at++;
        left = left.or(and());
      }
      return left;
    }

    private Predicate<ObjectNode> and() {
      Predicate<ObjectNode> left = clause();
      while (isWord("AND")) {
        at++;
        left = left.and(clause());
      }
      return left;
    }

    private final ZoneId zone;

    private Jql(ZoneId zone) {
      this.zone = zone;
    }

    private Predicate<ObjectNode> clause() {
      String field = next("w");
      String operator = next("o");
      if (at >= tokens.size() || tokens.get(at)[0].equals("o")) {
        throw new IllegalArgumentException("Expecting a value after '" + operator + "'");
      }
      String value = tokens.get(at++)[1];
      String lower = value.toLowerCase(Locale.ROOT);
      return switch (field) {
        case "project" ->
            equality(
                operator,
                issue ->
                    issue
                        .path("fields")
                        .path("project")
                        .path("key")
                        .asText()
                        .equalsIgnoreCase(value));
        case "key" ->
            equality(operator, issue -> issue.path("key").asText().equalsIgnoreCase(value));
        case "labels" ->
            equality(
                operator,
                issue -> {
                  for (JsonNode label : issue.path("fields").path("labels")) {
                    if (label.asText().toLowerCase(Locale.ROOT).equals(lower)) {
                      return true;
                    }
                  }
                  return false;
                });
        case "status" ->
            equality(
                operator,
                issue ->
                    issue
                        .path("fields")
                        .path("status")
                        .path("name")
                        .asText()
                        .equalsIgnoreCase(value));
        case "statusCategory" ->
            equality(
                operator,
                issue ->
                    issue
                        .path("fields")
                        .path("status")
                        .path("statusCategory")
                        .path("key")
                        .asText()
                        .equalsIgnoreCase(value));
        case "updated", "created" -> {
          Instant bound = LocalDateTime.parse(value, JQL_DATE).atZone(zone).toInstant();
          yield issue -> {
            Instant when = JiraDates.parse(issue.path("fields").path(field).asText());
            int c = when.compareTo(bound);
            return switch (operator) {
              case ">=" -> c >= 0;
              case "<=" -> c <= 0;
              case ">" -> c > 0;
              case "<" -> c < 0;
              default ->
                  throw new IllegalArgumentException(
                      "The operator '" + operator + "' is not supported by " + field);
            };
          };
        }
        default ->
            throw new IllegalArgumentException(
                "Field '" + field + "' does not exist or you do not have permission to view it.");
      };
    }

    private static Predicate<ObjectNode> equality(String operator, Predicate<ObjectNode> test) {
      return switch (operator) {
        case "=" -> test;
        case "!=" -> test.negate();
        default ->
            throw new IllegalArgumentException(
                "The operator '" + operator + "' is not supported here");
      };
    }

    private boolean isWord(String word) {
      return at < tokens.size()
          && tokens.get(at)[0].equals("w")
          && tokens.get(at)[1].equalsIgnoreCase(word);
    }

    private void expectWord(String word) {
      if (!isWord(word)) {
        throw new IllegalArgumentException("Expecting '" + word + "'");
      }
      at++;
    }

    private String next(String kind) {
      if (at >= tokens.size() || !tokens.get(at)[0].equals(kind)) {
        throw new IllegalArgumentException(
            "Unexpected " + (at < tokens.size() ? "'" + tokens.get(at)[1] + "'" : "end of query"));
      }
      return tokens.get(at++)[1];
    }
  }

  // ---- HTTP ----

  private final class JiraDispatcher extends Dispatcher {
    @Override
    public MockResponse dispatch(RecordedRequest request) {
      requests.add(request);
      MockResponse next = scripted.poll();
      if (next != null) {
        return next;
      }
      if (!basic.equals(request.getHeaders().get("Authorization"))) {
        return errors(
            401,
            List.of(
                "You are not authenticated. Authentication required to perform this operation."),
            Map.of());
      }
      HttpUrl url = request.getUrl();
      String path = url.encodedPath();
      String method = request.getMethod();
      try {
        if (path.equals("/rest/api/3/issue") && method.equals("POST")) {
          return create(request);
        }
        if (path.equals("/rest/api/3/search/jql") && method.equals("POST")) {
          return search(request);
        }
        if (path.equals("/rest/api/3/user/search") && method.equals("GET")) {
          return userSearch(url.queryParameter("query"));
        }
        if (path.equals("/rest/api/3/myself") && method.equals("GET")) {
          return json(
              200,
              JSON.createObjectNode()
                  .put("accountId", "fake-integration-account")
                  .put("accountType", "atlassian")
                  .put("timeZone", zone.getId()));
        }
        if (path.equals("/rest/api/3/search")) {
          return errors(
              410,
              List.of(
                  "The requested API has been removed. Please migrate to the /rest/api/3/search/jql"
                      + " API."),
              Map.of());
        }
        Matcher matcher = ISSUE_PATH.matcher(path);
        if (!matcher.matches()) {
          return errors(404, List.of("No resource at " + path), Map.of());
        }
        ObjectNode issue = issues.get(matcher.group(1));
        if (issue == null) {
          issue =
              issues.values().stream()
                  .filter(i -> i.path("id").asText().equals(matcher.group(1)))
                  .findFirst()
                  .orElse(null);
        }
        if (issue == null) {
          return errors(
              404,
              List.of("Issue does not exist or you do not have permission to see it."),
              Map.of());
        }
        String key = issue.path("key").asText();
        String sub = matcher.group(2);
        if (sub == null) {
          return switch (method) {
            case "GET" -> json(200, projected(issue, url.queryParameter("fields")));
            case "PUT" -> edit(request, issue);
            default -> errors(405, List.of(method + " is not allowed"), Map.of());
          };
        }
        return switch (sub + " " + method) {
          case "transitions GET" -> transitions(issue);
          case "transitions POST" -> transition(request, issue);
          case "comment GET" -> comments(url, key);
          case "comment POST" -> {
            JsonNode body = body(request).path("body");
            if (!body.path("type").asText().equals("doc")) {
              yield errors(400, List.of(), Map.of("comment", "Comment body is not valid!"));
            }
            yield json(201, comment(key, "fake-integration-account", body));
          }
          case "properties GET" -> {
            JsonNode value = properties.getOrDefault(key, Map.of()).get(matcher.group(3));
            yield value == null
                ? errors(
                    404,
                    List.of("The property with key '" + matcher.group(3) + "' does not exist."),
                    Map.of())
                : json(
                    200, JSON.createObjectNode().put("key", matcher.group(3)).set("value", value));
          }
          case "properties PUT" -> {
            boolean existed =
                properties
                        .computeIfAbsent(key, k -> new ConcurrentHashMap<>())
                        .put(matcher.group(3), JSON.readTree(request.getBody().utf8()))
                    != null;
            yield new MockResponse.Builder().code(existed ? 200 : 201).build();
          }
          default -> errors(404, List.of("No resource at " + path), Map.of());
        };
      } catch (IOException | RuntimeException e) {
        return errors(
            400, List.of(e.getMessage() == null ? e.toString() : e.getMessage()), Map.of());
      }
    }

    private MockResponse create(RecordedRequest request) throws IOException {
      ObjectNode fields = (ObjectNode) body(request).path("fields");
      Map<String, String> problems = new LinkedHashMap<>();
      fields
          .fieldNames()
          .forEachRemaining(
              name -> {
                if (!KNOWN_FIELDS.contains(name)) {
                  problems.put(
                      name,
                      "Field '"
                          + name
                          + "' cannot be set. It is not on the appropriate screen, or unknown.");
                }
              });
      if (!fields.path("project").path("key").asText().equals(project)) {
        problems.put("project", "valid project is required");
      }
      if (fields.path("summary").asText("").isBlank()) {
        problems.put("summary", "You must specify a summary of the issue.");
      }
      if (!problems.isEmpty()) {
        return errors(400, List.of(), problems);
      }
      fields.remove("project");
      ObjectNode issue = createIssue(fields);
      return json(
          201,
          JSON.createObjectNode()
              .put("id", issue.path("id").asText())
              .put("key", issue.path("key").asText())
              .put("self", issue.path("self").asText()));
    }

    private MockResponse edit(RecordedRequest request, ObjectNode issue) throws IOException {
      JsonNode body = body(request);
      ObjectNode fields = (ObjectNode) issue.get("fields");
      Map<String, String> problems = new LinkedHashMap<>();
      body.path("fields")
          .fieldNames()
          .forEachRemaining(
              name -> {
                if (!KNOWN_FIELDS.contains(name) || name.equals("project")) {
                  problems.put(
                      name,
                      "Field '"
                          + name
                          + "' cannot be set. It is not on the appropriate screen, or unknown.");
                }
              });
      if (!problems.isEmpty()) {
        return errors(400, List.of(), problems);
      }
      body.path("fields")
          .properties()
          .forEach(field -> fields.set(field.getKey(), field.getValue()));
      for (JsonNode operation : body.path("update").path("labels")) {
        ArrayNode labels = (ArrayNode) fields.get("labels");
        if (operation.has("add")) {
          String label = operation.path("add").asText();
          if (!contains(labels, label)) {
            labels.add(label);
          }
        } else if (operation.has("remove")) {
          for (int i = labels.size() - 1; i >= 0; i--) {
            if (labels.get(i).asText().equals(operation.path("remove").asText())) {
              labels.remove(i);
            }
          }
        } else if (operation.has("set")) {
          fields.set("labels", operation.path("set"));
        }
      }
      fields.put("updated", stamp());
      return new MockResponse.Builder().code(204).build();
    }

    private MockResponse search(RecordedRequest request) throws IOException {
      JsonNode body = body(request);
      Jql.Query query;
      try {
        query = Jql.parse(body.path("jql").asText(""), zone);
      } catch (RuntimeException e) {
        return errors(400, List.of("Error in the JQL Query: " + e.getMessage()), Map.of());
      }
      List<ObjectNode> matching =
          issues.values().stream().filter(query.where()).sorted(query.order()).toList();
      int size = Math.min(maxPageSize, body.path("maxResults").asInt(50));
      String token = body.path("nextPageToken").asText("");
      int offset =
          token.isEmpty()
              ? 0
              : Integer.parseInt(
                  new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8));
      List<String> fields = new ArrayList<>();
      body.path("fields").forEach(field -> fields.add(field.asText()));
      ArrayNode page = JSON.createArrayNode();
      for (ObjectNode issue :
          matching.subList(
              Math.min(offset, matching.size()), Math.min(offset + size, matching.size()))) {
        page.add(projected(issue, fields.isEmpty() ? "id" : String.join(",", fields)));
      }
      ObjectNode answer = JSON.createObjectNode();
      answer.set("issues", page);
      boolean last = offset + size >= matching.size();
      if (!last) {
        // Real tokens are opaque; this one is too, to anyone but the fake.
        answer.put(
            "nextPageToken",
            Base64.getEncoder()
                .encodeToString(Integer.toString(offset + size).getBytes(StandardCharsets.UTF_8)));
      }
      answer.put("isLast", last);
      return json(200, answer);
    }

    private MockResponse transitions(ObjectNode issue) {
      Status from = currentStatus(issue);
      ArrayNode offered = JSON.createArrayNode();
      for (Transition transition : WORKFLOW) {
        if (transition.from().equals(from)) {
          ObjectNode node =
              offered.addObject().put("id", transition.id()).put("name", transition.name());
          node.set("to", status(transition.to()));
          node.put("hasScreen", transition.to().equals(DONE)).put("isAvailable", true);
        }
      }
      return json(
          200, JSON.createObjectNode().put("expand", "transitions").set("transitions", offered));
    }

    private MockResponse transition(RecordedRequest request, ObjectNode issue) throws IOException {
      String id = body(request).path("transition").path("id").asText("");
      Status from = currentStatus(issue);
      Transition taken =
          WORKFLOW.stream()
              .filter(t -> t.from().equals(from) && t.id().equals(id))
              .findFirst()
              .orElse(null);
      if (taken == null) {
        return errors(
            400, List.of("Transition id '" + id + "' is not valid for this issue."), Map.of());
      }
      ObjectNode fields = (ObjectNode) issue.get("fields");
      JsonNode sent = body(request).path("fields");
      boolean resolves = taken.to().equals(DONE);
      for (Map.Entry<String, JsonNode> field : sent.properties()) {
        if (!resolves || !field.getKey().equals("resolution")) {
          return errors(
              400,
              List.of(),
              Map.of(
                  field.getKey(),
                  "Field '"
                      + field.getKey()
                      + "' cannot be set. It is not on the appropriate screen, or unknown."));
        }
      }
      fields.set("status", status(taken.to()));
      if (resolves) {
        String resolution = sent.path("resolution").path("name").asText("Done");
        fields.putObject("resolution").put("name", resolution);
      } else if (taken.from().equals(DONE)) {
        fields.putNull("resolution");
      }
      fields.put("updated", stamp());
      return new MockResponse.Builder().code(204).build();
    }

    private MockResponse userSearch(String query) {
      if (query == null || query.isBlank()) {
        return errors(400, List.of("The query parameter 'query' is required."), Map.of());
      }
      String prefix = query.toLowerCase(Locale.ROOT);
      ArrayNode found = JSON.createArrayNode();
      for (ObjectNode user : users) {
        if (user.path("displayName").asText().toLowerCase(Locale.ROOT).startsWith(prefix)
            || user.path("_email").asText().toLowerCase(Locale.ROOT).startsWith(prefix)) {
          ObjectNode shown = user.deepCopy();
          shown.remove("_email");
          found.add(shown);
        }
      }
      return json(200, found);
    }

    private MockResponse comments(HttpUrl url, String key) {
      List<ObjectNode> all = new ArrayList<>(comments.getOrDefault(key, List.of()));
      if ("-created".equals(url.queryParameter("orderBy"))) {
        Collections.reverse(all);
      }
      int startAt = parse(url.queryParameter("startAt"), 0);
      int size = Math.min(maxPageSize, parse(url.queryParameter("maxResults"), 5000));
      ArrayNode page = JSON.createArrayNode();
      all.subList(Math.min(startAt, all.size()), Math.min(startAt + size, all.size()))
          .forEach(page::add);
      ObjectNode answer =
          JSON.createObjectNode()
              .put("startAt", startAt)
              .put("maxResults", size)
              .put("total", all.size());
      answer.set("comments", page);
      return json(200, answer);
    }

    private ObjectNode projected(ObjectNode issue, String fields) {
      ObjectNode shaped =
          JSON.createObjectNode()
              .put("id", issue.path("id").asText())
              .put("key", issue.path("key").asText())
              .put("self", issue.path("self").asText());
      JsonNode held = issue.path("fields");
      if (fields == null
          || fields.isBlank()
          || fields.contains("*all")
          || fields.contains("*navigable")) {
        shaped.set("fields", held.deepCopy());
        return shaped;
      }
      if (fields.equals("id")) {
        return JSON.createObjectNode().put("id", issue.path("id").asText());
      }
      ObjectNode projected = shaped.putObject("fields");
      for (String name : fields.split(",")) {
        if (held.has(name.strip())) {
          projected.set(name.strip(), held.get(name.strip()).deepCopy());
        }
      }
      return shaped;
    }

    private JsonNode body(RecordedRequest request) throws IOException {
      return JSON.readTree(request.getBody().utf8());
    }

    private MockResponse errors(int status, List<String> messages, Map<String, String> errors) {
      ObjectNode body = JSON.createObjectNode();
      ArrayNode array = body.putArray("errorMessages");
      messages.forEach(array::add);
      ObjectNode fields = body.putObject("errors");
      errors.forEach(fields::put);
      return json(status, body);
    }

    private MockResponse json(int status, JsonNode body) {
      return new MockResponse.Builder()
          .code(status)
          .addHeader("Content-Type", "application/json")
          .body(body.toString())
          .build();
    }
  }

  private static boolean contains(ArrayNode array, String value) {
    for (JsonNode node : array) {
      if (node.asText().equals(value)) {
        return true;
      }
    }
    return false;
  }

  private static int parse(String value, int fallback) {
    try {
      return value == null ? fallback : Integer.parseInt(value);
    } catch (NumberFormatException e) {
      return fallback;
    }
  }
}
