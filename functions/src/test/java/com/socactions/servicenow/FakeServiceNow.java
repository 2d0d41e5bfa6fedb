package com.socactions.servicenow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.socactions.testing.NoDelaySockets;
import com.socactions.testing.SharedFixtures;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Credentials;
import okhttp3.HttpUrl;

/**
 * A stateful fake of a ServiceNow instance's Table API on one loopback {@link MockWebServer},
 * answering in the shapes of {@code shared/fixtures/servicenow/}.
 *
 * <ul>
 *   <li>Every Table API call needs the basic-auth user and password it was started with, or a
 *       bearer token it issued; else 401 with the recorded {@code User Not Authenticated} body.
 *   <li>{@code POST /oauth_token.do} (once {@link #enableOAuth} is called): the client credentials
 *       grant, {@code {access_token, expires_in, token_type}}; a wrong client is 401.
 *   <li>{@code GET /api/now/table/{table}}: the held records, filtered by {@code sysparm_query}
 *       through {@link #matches} (see there for the operators), projected by {@code
 *       sysparm_fields}, reference fields shaped by {@code sysparm_display_value} and {@code
 *       sysparm_exclude_reference_link}, paged by {@code sysparm_limit} (capped at {@link
 *       #maxPageSize}) and {@code sysparm_offset}, with {@code X-Total-Count} and a {@code Link}
 *       header ({@code first}, {@code prev}, {@code next}, {@code last}) as the instance sends. A
 *       query on a CMDB class also returns its subclasses' records ({@code cmdb_ci} holds servers).
 *   <li>{@code GET}/{@code PATCH /api/now/table/{table}/{sys_id}}: the record, or 404 with the
 *       recorded {@code No Record found} body. {@code POST /api/now/table/{table}}: 201 with the
 *       created record (sys_id, number for task tables, sys_created_on); readable back.
 *   <li>Scripting: {@link #failNext}, {@link #respondNext}, {@link #delay}, {@link #maxPageSize},
 *       {@link #revokeTokens}. Counting: {@link #tableCalls()}, {@link #tokenCalls()}, {@link
 *       #requests()}.
 * </ul>
 */
public final class FakeServiceNow implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * CMDB classes and their parents, enough for the lookups (a query on a parent sees its children).
   */
  private static final Map<String, String> PARENT =
      Map.of(
          "cmdb_ci_linux_server",
          "cmdb_ci_server",
          "cmdb_ci_win_server",
          "cmdb_ci_server",
          "cmdb_ci_server",
          "cmdb_ci_computer",
          "cmdb_ci_computer",
          "cmdb_ci_hardware",
          "cmdb_ci_hardware",
          "cmdb_ci");

  private static final Pattern FIELD = Pattern.compile("[a-z0-9_.]+");

  /**
   * The operators the evaluator knows, longest first so {@code INSTANCEOF} is not read as {@code
   * IN}.
   */
  private static final List<String> OPERATORS =
      List.of(
          "DOESNOTCONTAIN",
          "STARTSWITH",
          "INSTANCEOF",
          "ISNOTEMPTY",
          "ENDSWITH",
          "NOTLIKE",
          "NOT LIKE",
          "NOT IN",
          "ISEMPTY",
          "CONTAINS",
          "LIKE",
          "IN",
          "!=",
          ">=",
          "<=",
          ">",
          "<",
          "=");

  /** The Table API's stored date-time form (UTC), which sorts as text. */
  public static final DateTimeFormatter GLIDE_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

  private final MockWebServer server = new MockWebServer();
  private final String basic;
  private final Map<String, Map<String, ObjectNode>> tables = new ConcurrentHashMap<>();
  private final Set<String> tokens = ConcurrentHashMap.newKeySet();
  private final Queue<MockResponse> scripted = new ConcurrentLinkedQueue<>();
  private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger tableCalls = new AtomicInteger();
  private final AtomicInteger tokenCalls = new AtomicInteger();
  private final AtomicInteger numbers = new AtomicInteger(10_000);
  private volatile String clientId;
  private volatile String clientSecret;
  private volatile long tokenSeconds = 1_799;
  private volatile int maxPageSize = 10_000;
  private volatile Duration delay = Duration.ZERO;
  private volatile Clock clock = Clock.systemUTC();
  private final String user;
  private String base;

  private FakeServiceNow(String user, String password) {
    this.basic = Credentials.basic(user, password, StandardCharsets.UTF_8);
    this.user = user;
  }

  /** The clock that stamps {@code sys_created_on}/{@code sys_updated_on} and journal entries. */
  public FakeServiceNow clock(Clock value) {
    this.clock = value;
    return this;
  }

  /**
   * Changes a record as a person in the instance would (not through the API user): sets the fields,
   * stamps the update by {@code by}, and writes {@code workNote} (if any) to the journal.
   */
  public FakeServiceNow agentUpdate(
      String table, String sysId, Map<String, String> fields, String workNote, String by) {
    ObjectNode record = record(table, sysId);
    fields.forEach(record::put);
    if (workNote != null) {
      journal(table, sysId, "work_notes", workNote, by);
    }
    stamp(record, by);
    return this;
  }

  /** Journal entries ({@code sys_journal_field}) of a record, oldest first. */
  public List<ObjectNode> journalOf(String sysId) {
    return recordsOf("sys_journal_field").stream()
        .filter(entry -> entry.path("element_id").asText().equals(sysId))
        .sorted(Comparator.comparing(entry -> entry.path("sys_created_on").asText()))
        .toList();
  }

  private void stamp(ObjectNode record, String by) {
    record.put("sys_updated_on", GLIDE_TIME.format(clock.instant()));
    record.put("sys_updated_by", by);
    record.put("sys_mod_count", Integer.toString(record.path("sys_mod_count").asInt(0) + 1));
  }

  /**
   * Journal fields are not columns of the record: a write to one adds a {@code sys_journal_field}
   * entry.
   */
  private void journal(String table, String sysId, String element, String value, String by) {
    ObjectNode entry = JSON.createObjectNode();
    entry.put("sys_id", newSysId());
    entry.put("name", table);
    entry.put("element_id", sysId);
    entry.put("element", element);
    entry.put("value", value);
    entry.put("sys_created_by", by);
    entry.put("sys_created_on", GLIDE_TIME.format(clock.instant()));
    hold("sys_journal_field", entry);
  }

  private void takeJournalFields(String table, String sysId, ObjectNode changes) {
    for (String element : List.of("work_notes", "comments")) {
      JsonNode value = changes.remove(element);
      if (value != null && !value.asText("").isEmpty()) {
        journal(table, sysId, element, value.asText(), user);
      }
    }
  }

  /**
   * Starts on a free loopback port, holding no records, accepting basic auth {@code user:password}.
   */
  public static FakeServiceNow start(String user, String password) throws IOException {
    FakeServiceNow fake = new FakeServiceNow(user, password);
    fake.server.setServerSocketFactory(
        NoDelaySockets.FACTORY); // no ~40 ms delayed-ACK wait per answer
    fake.server.start(InetAddress.getByName("127.0.0.1"), 0);
    fake.base = "http://127.0.0.1:" + fake.server.getPort();
    fake.server.setDispatcher(fake.new TableDispatcher());
    return fake;
  }

  /** A file under {@code shared/fixtures/servicenow/}. */
  public static String fixture(String relative) {
    return SharedFixtures.read("servicenow/" + relative);
  }

  /** The value for {@code SERVICENOW_URL}. */
  public String url() {
    return base;
  }

  // ---- state and scripting ----

  /**
   * Holds the recorded records: the incidents and problem of {@code table-api/}, the three rows of
   * {@code u_test_table}, and the Linux server of {@code cmdb/} (its attributes, as a Table API
   * row).
   */
  public FakeServiceNow seedRecorded() throws IOException {
    hold(
        "incident",
        (ObjectNode)
            JSON.readTree(fixture("table-api/GET_table_incident_by_sys_id.json")).path("result"));
    hold(
        "incident",
        (ObjectNode)
            JSON.readTree(fixture("table-api/PATCH_table_incident_by_sys_id.json")).path("result"));
    for (JsonNode row :
        JSON.readTree(fixture("table-api/GET_table_problem_sysparm_limit_1.json")).path("result")) {
      hold("problem", (ObjectNode) row);
    }
    for (JsonNode row :
        JSON.readTree(fixture("table-api/GET_table_u_test_table_real_dev_instance.json"))
            .path("result")) {
      hold("u_test_table", (ObjectNode) row);
    }
    JsonNode server =
        JSON.readTree(fixture("cmdb/GET_cmdb_instance_cmdb_ci_linux_server_by_sys_id.json"));
    hold("cmdb_ci_linux_server", (ObjectNode) server.path("result").path("attributes"));
    return this;
  }

  /**
   * Holds a small CMDB and user directory for the lookups: a Windows server ({@code web01},
   * business-critical, HVA, owned by Dana Whitfield), a Linux server named by its FQDN ({@code
   * db01.corp.contoso.com}), a workstation ({@code wks042}, low) and two users, one a VIP.
   * Reference fields hold {@code value} and {@code display_value}; a dot-walked column such as
   * {@code owned_by.email} is held under its dotted name, as the instance answers it.
   */
  public FakeServiceNow seedCmdb() {
    ObjectNode web =
        JSON.createObjectNode()
            .put("sys_id", "a1000000000000000000000000000001")
            .put("name", "web01")
            .put("fqdn", "web01.corp.contoso.com")
            .put("ip_address", "10.20.0.11")
            .put("os", "Windows 2019 Datacenter")
            .put("used_for", "Production")
            .put("u_hva", "true")
            .put("owned_by.email", "dana.whitfield@contoso.com");
    web.set("busines_criticality", reference("1", "1 - most critical"));
    web.set("owned_by", reference("5137153cc611227c000bbd1bd8cd2005", "Dana Whitfield"));
    web.set("support_group", reference("8a5055c9c61122780043563ef53438e3", "Windows Server Team"));
    web.set("location", reference("25ab9c4d0a0a0bb300f7dabdc0ca7c1c", "Amsterdam DC1"));
    hold("cmdb_ci_win_server", web);
    ObjectNode db =
        JSON.createObjectNode()
            .put("sys_id", "a1000000000000000000000000000002")
            .put("name", "db01.corp.contoso.com")
            .put("fqdn", "db01.corp.contoso.com")
            .put("ip_address", "10.20.0.21")
            .put("os", "Linux Red Hat")
            .put("used_for", "Test")
            .put("u_hva", "false")
            .put("u_tier", "2 - high");
    db.set("busines_criticality", reference("3", "3 - less critical"));
    hold("cmdb_ci_linux_server", db);
    ObjectNode workstation =
        JSON.createObjectNode()
            .put("sys_id", "a1000000000000000000000000000003")
            .put("name", "WKS042")
            .put("ip_address", "10.30.4.42")
            .put("os", "Windows 11 Enterprise");
    workstation.set("busines_criticality", reference("4", "4 - not critical"));
    hold("cmdb_ci_computer", workstation);
    ObjectNode ceo =
        JSON.createObjectNode()
            .put("sys_id", "b1000000000000000000000000000001")
            .put("user_name", "alee")
            .put("email", "alice.lee@contoso.com")
            .put("name", "Alice Lee")
            .put("title", "Chief Executive Officer")
            .put("vip", "true");
    ceo.set("department", reference("221f79b7c6112284005d646b76ab978c", "Executive"));
    ceo.set("manager", reference("", ""));
    hold("sys_user", ceo);
    ObjectNode analyst =
        JSON.createObjectNode()
            .put("sys_id", "b1000000000000000000000000000002")
            .put("user_name", "bob.jones@contoso.com")
            .put("email", "bob.jones@contoso.com")
            .put("name", "Bob Jones")
            .put("title", "SOC Analyst")
            .put("vip", "false");
    analyst.set("department", reference("221db0edc611228401760aec06c9d929", "Security Operations"));
    analyst.set("manager", reference("b1000000000000000000000000000001", "Alice Lee"));
    hold("sys_user", analyst);
    return this;
  }

  private static ObjectNode reference(String value, String display) {
    return JSON.createObjectNode().put("display_value", display).put("value", value);
  }

  /** Holds a record as if created in the instance; returns its sys_id. */
  public String add(String table, Map<String, String> fields) {
    ObjectNode record = JSON.createObjectNode();
    fields.forEach(record::put);
    if (!record.has("sys_id")) {
      record.put("sys_id", newSysId());
    }
    hold(table, record);
    return record.path("sys_id").asText();
  }

  /** The record as held, or null. */
  public ObjectNode record(String table, String sysId) {
    return tables.getOrDefault(table, Map.of()).get(sysId);
  }

  /**
   * Accepts the OAuth client credentials grant for this client, issuing tokens of this lifetime.
   */
  public FakeServiceNow enableOAuth(String id, String secret, Duration lifetime) {
    this.clientId = id;
    this.clientSecret = secret;
    this.tokenSeconds = lifetime.toSeconds();
    return this;
  }

  /** Forgets every issued token, as when ServiceNow revokes them before their expiry. */
  public FakeServiceNow revokeTokens() {
    tokens.clear();
    return this;
  }

  /**
   * The next {@code n} calls answer {@code status} with ServiceNow's error body and these headers.
   */
  public FakeServiceNow failNext(int n, int status, Map<String, String> headers) {
    String body =
        status == 429
            ? fixture("errors/429_rate_limit_exceeded.json")
            : "{\"error\":{\"message\":\"Scripted failure "
                + status
                + "\",\"detail\":\"scripted by the test\"},\"status\":\"failure\"}";
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

  public FakeServiceNow respondNext(MockResponse response) {
    scripted.add(response);
    return this;
  }

  /** Every answer from now on waits this long before its headers. */
  public FakeServiceNow delay(Duration value) {
    this.delay = value;
    return this;
  }

  /** Pages hold at most this many rows whatever {@code sysparm_limit} asks. */
  public FakeServiceNow maxPageSize(int rows) {
    this.maxPageSize = rows;
    return this;
  }

  public int tableCalls() {
    return tableCalls.get();
  }

  public int tokenCalls() {
    return tokenCalls.get();
  }

  public List<RecordedRequest> requests() {
    return List.copyOf(requests);
  }

  @Override
  public void close() {
    server.close();
  }

  // ---- the query evaluator ----

  /**
   * Whether {@code record} matches the encoded query as an instance with default properties reads
   * it: {@code ^NQ} separates groups (any), {@code ^} clauses (all), {@code ^OR} joins a term to
   * the clause before it; {@code ORDERBY}/{@code ORDERBYDESC} and {@code EQ} are not conditions. A
   * term is a field ({@code [a-z0-9_.]+}), the longest operator that follows it, and the rest
   * (trimmed) as value. Operators: {@code =}, {@code !=}, {@code IN}, {@code NOT IN}, {@code
   * STARTSWITH}, {@code ENDSWITH}, {@code LIKE}/{@code CONTAINS}, {@code NOTLIKE}/{@code
   * DOESNOTCONTAIN}, {@code ISEMPTY}, {@code ISNOTEMPTY}, {@code INSTANCEOF} (class ancestry); text
   * compared without case, as the instance's database does. Like an instance whose {@code
   * glide.invalid_query.returns_no_rows} is off, a term it cannot read is <em>ignored</em> (which
   * widens the query), and a value starting with {@code javascript:} is treated as a script that
   * matches everything: so a query builder that lets such text through fails the hostile-key tests
   * instead of passing them by luck.
   */
  static boolean matches(String query, JsonNode record) {
    if (query == null || query.isEmpty()) {
      return true;
    }
    for (String group : query.split("\\^NQ", -1)) {
      if (groupMatches(group, record)) {
        return true;
      }
    }
    return false;
  }

  private static boolean groupMatches(String group, JsonNode record) {
    List<List<String>> clauses = new ArrayList<>();
    for (String token : group.split("\\^", -1)) {
      if (token.startsWith("ORDERBY") || token.equals("EQ") || token.isEmpty()) {
        continue;
      }
      if (token.startsWith("OR") && !clauses.isEmpty()) {
        clauses.get(clauses.size() - 1).add(token.substring(2));
      } else {
        clauses.add(new ArrayList<>(List.of(token)));
      }
    }
    for (List<String> clause : clauses) {
      List<Boolean> readable = new ArrayList<>();
      for (String term : clause) {
        Boolean result = termMatches(term, record);
        if (result != null) {
          readable.add(result);
        }
      }
      if (!readable.isEmpty() && !readable.contains(true)) {
        return false;
      }
    }
    return true;
  }

  /** True or false; null when the term cannot be read (ignored, as the instance does). */
  private static Boolean termMatches(String term, JsonNode record) {
    Matcher field = FIELD.matcher(term);
    if (!field.lookingAt()) {
      return null;
    }
    String name = field.group();
    String rest = term.substring(field.end());
    String operator = OPERATORS.stream().filter(rest::startsWith).findFirst().orElse(null);
    if (operator == null) {
      return null;
    }
    String value = rest.substring(operator.length()).strip().toLowerCase(Locale.ROOT);
    if (value.startsWith("javascript:")) {
      return true;
    }
    String actual = valueOf(record, name).toLowerCase(Locale.ROOT);
    return switch (operator) {
      case "=" -> actual.equals(value);
      case "!=" -> !actual.equals(value);
      case "IN" -> Arrays.stream(value.split(",", -1)).map(String::strip).anyMatch(actual::equals);
      case "NOT IN" ->
          Arrays.stream(value.split(",", -1)).map(String::strip).noneMatch(actual::equals);
      case "STARTSWITH" -> actual.startsWith(value);
      case "ENDSWITH" -> actual.endsWith(value);
      case "LIKE", "CONTAINS" -> actual.contains(value);
      case "NOTLIKE", "NOT LIKE", "DOESNOTCONTAIN" -> !actual.contains(value);
      case "ISEMPTY" -> actual.isEmpty();
      case "ISNOTEMPTY" -> !actual.isEmpty();
      case ">=" -> actual.compareTo(value) >= 0;
      case "<=" -> actual.compareTo(value) <= 0;
      case ">" -> actual.compareTo(value) > 0;
      case "<" -> actual.compareTo(value) < 0;
      case "INSTANCEOF" -> isA(actual, value);
      default -> null;
    };
  }

  /**
   * {@code ORDERBY<field>} / {@code ORDERBYDESC<field>} terms, applied in order (stable sort, last
   * first).
   */
  private static void sortBy(String query, List<ObjectNode> records) {
    if (query == null) {
      return;
    }
    List<String> terms = new ArrayList<>(Arrays.asList(query.split("\\^")));
    Collections.reverse(terms);
    for (String term : terms) {
      if (term.startsWith("ORDERBYDESC")) {
        String field = term.substring("ORDERBYDESC".length());
        records.sort(Comparator.comparing((ObjectNode r) -> valueOf(r, field)).reversed());
      } else if (term.startsWith("ORDERBY")) {
        String field = term.substring("ORDERBY".length());
        records.sort(Comparator.comparing((ObjectNode r) -> valueOf(r, field)));
      }
    }
  }

  private static String valueOf(JsonNode record, String field) {
    JsonNode value = record.path(field);
    return value.isObject() ? value.path("value").asText("") : value.asText("");
  }

  private static boolean isA(String table, String ancestor) {
    for (String current = table; current != null; current = PARENT.get(current)) {
      if (current.equals(ancestor)) {
        return true;
      }
    }
    return false;
  }

  // ---- serving ----

  private void hold(String table, ObjectNode record) {
    ObjectNode copy = record.deepCopy();
    if (!copy.hasNonNull("sys_class_name") || copy.path("sys_class_name").asText().isEmpty()) {
      copy.put("sys_class_name", table);
    }
    tables
        .computeIfAbsent(table, t -> new ConcurrentHashMap<>())
        .put(copy.path("sys_id").asText(), copy);
  }

  private static String newSysId() {
    return UUID.randomUUID().toString().replace("-", "");
  }

  /** Records of {@code table} and of the CMDB classes below it, in a stable order (by sys_id). */
  private List<ObjectNode> recordsOf(String table) {
    List<ObjectNode> found = new ArrayList<>();
    tables.forEach(
        (held, records) -> {
          if (isA(held, table)) {
            found.addAll(records.values());
          }
        });
    found.sort((a, b) -> a.path("sys_id").asText().compareTo(b.path("sys_id").asText()));
    return found;
  }

  private final class TableDispatcher extends Dispatcher {
    @Override
    public MockResponse dispatch(RecordedRequest request) {
      requests.add(request);
      if (!delay.isZero()) {
        try {
          Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      HttpUrl url = request.getUrl();
      if (url.encodedPath().equals("/oauth_token.do")) {
        tokenCalls.incrementAndGet();
        return token(request);
      }
      List<String> segments = url.pathSegments();
      if (segments.size() < 4 || !segments.subList(0, 3).equals(List.of("api", "now", "table"))) {
        return error(400, "Invalid URL", "not a Table API path");
      }
      tableCalls.incrementAndGet();
      MockResponse next = scripted.poll();
      if (next != null) {
        return next;
      }
      String authorization = request.getHeaders().get("Authorization");
      boolean signedIn =
          basic.equals(authorization)
              || (authorization != null
                  && authorization.startsWith("Bearer ")
                  && tokens.contains(authorization.substring(7)));
      if (!signedIn) {
        return json(401, fixture("errors/401_user_not_authenticated.json"));
      }
      String table = segments.get(3);
      String sysId = segments.size() > 4 ? segments.get(4) : null;
      return switch (request.getMethod() + (sysId == null ? "" : " record")) {
        case "GET" -> list(url, table);
        case "POST" -> create(request, table);
        case "GET record" -> read(url, table, sysId);
        case "PATCH record", "PUT record" -> update(request, table, sysId);
        default ->
            error(405, "Method not Supported", request.getMethod() + " is not supported here");
      };
    }

    private MockResponse token(RecordedRequest request) {
      Map<String, String> form = new LinkedHashMap<>();
      for (String pair : request.getBody().utf8().split("&")) {
        String[] kv = pair.split("=", 2);
        form.put(decode(kv[0]), kv.length > 1 ? decode(kv[1]) : "");
      }
      if (clientId == null
          || !"client_credentials".equals(form.get("grant_type"))
          || !clientId.equals(form.get("client_id"))
          || !clientSecret.equals(form.get("client_secret"))) {
        return json(401, "{\"error_description\":\"access_denied\",\"error\":\"server_error\"}");
      }
      String token = "fake-token-" + newSysId();
      tokens.add(token);
      ObjectNode body = JSON.createObjectNode();
      body.put("access_token", token);
      body.put("scope", "useraccount");
      body.put("token_type", "Bearer");
      body.put("expires_in", tokenSeconds);
      return json(200, body.toString());
    }

    private MockResponse list(HttpUrl url, String table) {
      String query = url.queryParameter("sysparm_query");
      List<ObjectNode> matching = new ArrayList<>();
      for (ObjectNode record : recordsOf(table)) {
        if (matches(query, record)) {
          matching.add(record);
        }
      }
      sortBy(query, matching);
      int limit = Math.min(maxPageSize, parse(url.queryParameter("sysparm_limit"), 10_000));
      int offset = parse(url.queryParameter("sysparm_offset"), 0);
      ArrayNode result = JSON.createArrayNode();
      for (ObjectNode record :
          matching.subList(
              Math.min(offset, matching.size()), Math.min(offset + limit, matching.size()))) {
        result.add(shaped(record, url));
      }
      MockResponse.Builder response =
          new MockResponse.Builder()
              .code(200)
              .addHeader("Content-Type", "application/json")
              .addHeader("X-Total-Count", Integer.toString(matching.size()))
              .body(JSON.createObjectNode().set("result", result).toString());
      List<String> links = new ArrayList<>();
      links.add(link(url, 0, limit, "first"));
      if (offset > 0) {
        links.add(link(url, Math.max(0, offset - limit), limit, "prev"));
      }
      if (offset + limit < matching.size()) {
        links.add(link(url, offset + limit, limit, "next"));
      }
      int last = matching.isEmpty() ? 0 : ((matching.size() - 1) / limit) * limit;
      links.add(link(url, last, limit, "last"));
      response.addHeader("Link", String.join(",", links));
      return response.build();
    }

    private String link(HttpUrl url, int offset, int limit, String rel) {
      HttpUrl target =
          url.newBuilder()
              .setQueryParameter("sysparm_limit", Integer.toString(limit))
              .setQueryParameter("sysparm_offset", Integer.toString(offset))
              .build();
      return "<" + target + ">;rel=\"" + rel + "\"";
    }

    private MockResponse read(HttpUrl url, String table, String sysId) {
      ObjectNode record =
          recordsOf(table).stream()
              .filter(r -> r.path("sys_id").asText().equals(sysId))
              .findFirst()
              .orElse(null);
      if (record == null) {
        return json(404, fixture("errors/404_no_record_found.json"));
      }
      return json(200, JSON.createObjectNode().set("result", shaped(record, url)).toString());
    }

    private MockResponse create(RecordedRequest request, String table) {
      ObjectNode record = readBody(request);
      if (record == null) {
        return error(400, "Exception while reading request", "The payload is not valid JSON.");
      }
      record.put("sys_id", newSysId());
      if (table.equals("incident")) {
        record.put("number", "INC" + numbers.incrementAndGet());
        if (!record.has("state")) {
          record.put("state", "1");
        }
      }
      record.put("sys_created_on", GLIDE_TIME.format(clock.instant()));
      takeJournalFields(table, record.path("sys_id").asText(), record);
      stamp(record, user);
      record.put("sys_mod_count", "0");
      hold(table, record);
      return json(
          201,
          JSON.createObjectNode()
              .set(
                  "result", shaped(record(table, record.path("sys_id").asText()), request.getUrl()))
              .toString());
    }

    private MockResponse update(RecordedRequest request, String table, String sysId) {
      ObjectNode record = record(table, sysId);
      if (record == null) {
        return json(404, fixture("errors/404_no_record_found.json"));
      }
      ObjectNode changes = readBody(request);
      if (changes == null) {
        return error(400, "Exception while reading request", "The payload is not valid JSON.");
      }
      changes.remove("sys_id");
      takeJournalFields(table, sysId, changes);
      record.setAll(changes);
      stamp(record, user);
      return json(
          200, JSON.createObjectNode().set("result", shaped(record, request.getUrl())).toString());
    }

    /**
     * {@code sysparm_fields}, {@code sysparm_display_value} and {@code
     * sysparm_exclude_reference_link} applied.
     */
    private ObjectNode shaped(ObjectNode record, HttpUrl url) {
      String fields = url.queryParameter("sysparm_fields");
      String display =
          String.valueOf(url.queryParameter("sysparm_display_value")).toLowerCase(Locale.ROOT);
      boolean noLinks =
          "true".equalsIgnoreCase(url.queryParameter("sysparm_exclude_reference_link"));
      ObjectNode shaped = JSON.createObjectNode();
      List<String> names = new ArrayList<>();
      if (fields == null || fields.isBlank()) {
        record.fieldNames().forEachRemaining(names::add);
      } else {
        names.addAll(Arrays.asList(fields.split(",")));
      }
      for (String name : names) {
        JsonNode value = record.get(name.strip());
        if (value == null) {
          continue;
        }
        if (value.isObject()) {
          String stored = value.path("value").asText("");
          String shown = value.path("display_value").asText(stored);
          switch (display) {
            case "true" -> shaped.put(name, shown);
            case "all" -> {
              ObjectNode both = shaped.putObject(name);
              both.put("display_value", shown);
              both.put("value", stored);
              if (!noLinks && value.has("link")) {
                both.put("link", value.path("link").asText());
              }
            }
            default -> {
              if (noLinks) {
                shaped.put(name, stored);
              } else {
                shaped.set(name, value.deepCopy());
              }
            }
          }
        } else {
          shaped.set(name, value.deepCopy());
        }
      }
      return shaped;
    }

    private ObjectNode readBody(RecordedRequest request) {
      try {
        return JSON.readTree(request.getBody().utf8()) instanceof ObjectNode object ? object : null;
      } catch (IOException e) {
        return null;
      }
    }

    private MockResponse error(int status, String message, String detail) {
      ObjectNode body = JSON.createObjectNode();
      body.putObject("error").put("message", message).put("detail", detail);
      body.put("status", "failure");
      return json(status, body.toString());
    }

    private MockResponse json(int status, String body) {
      return new MockResponse.Builder()
          .code(status)
          .addHeader("Content-Type", "application/json")
          .body(body)
          .build();
    }
  }

  private static int parse(String value, int fallback) {
    try {
      return value == null ? fallback : Integer.parseInt(value);
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  private static String decode(String text) {
    return URLDecoder.decode(text, StandardCharsets.UTF_8);
  }
}
