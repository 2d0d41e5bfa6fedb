package com.socactions.tickets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.base.Suppliers;
import com.socactions.platform.ConfigurationException;
import com.socactions.platform.InvalidInputException;
import com.socactions.platform.Settings;
import com.socactions.platform.UpstreamException;
import com.socactions.platform.UpstreamFailure;
import com.socactions.providers.Capability;
import com.socactions.providers.Readiness;
import com.socactions.sentinel.IncidentComment;
import com.socactions.sentinel.IncidentStatus;
import com.socactions.tickets.jira.Adf;
import com.socactions.tickets.jira.JiraClient;
import com.socactions.tickets.jira.JiraComment;
import com.socactions.tickets.jira.JiraDates;
import com.socactions.tickets.jira.JiraSettings;
import com.socactions.tickets.jira.JiraTransition;
import com.socactions.tickets.jira.JiraUser;
import com.socactions.tickets.jira.Jql;
import com.socactions.tickets.jira.StatusCategory;
import com.socactions.tickets.jira.StatusTarget;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Tickets in Jira Cloud (provider {@code jira}, capability {@code tickets}): issues over REST v3
 * ({@link JiraClient}) in the project {@code JIRA_PROJECT} (or the {@code project} create option).
 *
 * <p><b>Link.</b> {@link TicketRef#id()} is the issue id, which survives a move to another project;
 * the key ({@code SOC-42}) is the number, the URL {@code <site>/browse/<key>}. Every issue the
 * connector creates carries two labels: {@link Jql#correlationLabel} of the incident's name (how a
 * lost link row finds its issue) and {@value #MARKER_LABEL} (how the catch-up poll finds ours,
 * since JQL cannot match a label prefix). Both searches span all projects the account sees, so an
 * issue created with the {@code project} option or moved later is still found. The issue property
 * {@value #PROPERTY_KEY} ({@code {"incident_id","correlation_id"}}) keeps the incident on the issue
 * even if someone removes the labels; JQL can only search properties that a Connect or Forge app
 * indexes, so it is read, not searched.
 *
 * <p><b>Mapping</b> (each configurable):
 *
 * <ul>
 *   <li>title to {@code summary} ({@value #MAX_SUMMARY} characters, one line); description to an
 *       ADF {@code description} with the incident's link, bounded to {@value #MAX_RICH_TEXT}
 *       characters of ADF JSON;
 *   <li>severity to {@code priority} by name ({@value #PRIORITY_MAP_SETTING}, default {@value
 *       #DEFAULT_PRIORITY_MAP});
 *   <li>status through workflow transitions ({@value #STATUS_MAP_SETTING}, default {@value
 *       #DEFAULT_STATUS_MAP}: each value is status names and at most one {@code
 *       category:<new|indeterminate|done>}, separated by {@code |}); when no transition reaches the
 *       target at once, up to {@value #MAX_TRANSITION_STEPS} hops are taken (Done -> Reopen -> To
 *       Do -> In Progress). With {@value #SET_RESOLUTION_SETTING}{@code =true} the transition into
 *       Done sends the {@code resolution} that {@value #RESOLUTION_MAP_SETTING} maps the incident's
 *       classification from (for workflows whose Done screen asks for one);
 *   <li>owner (e-mail or UPN) to {@code assignee}, the account the user search finds for it (looked
 *       up once per owner; none found: left as it is, unassigned on create);
 *   <li>labels: the incident's labels with white space turned into {@code -}, plus the two labels
 *       above. A label change sets exactly that set, so labels added in Jira by hand are replaced;
 *   <li>comments: one Jira comment per sync, each incident comment starting with {@link
 *       TicketSyncService#FROM_SENTINEL_PREFIX}.
 * </ul>
 *
 * <p>Inbound, an issue in the {@code done} status category means Closed, anything else Active; its
 * resolution maps to a classification through {@value #RESOLUTION_MAP_SETTING} (default {@value
 * #DEFAULT_RESOLUTION_MAP}, names compared without case, unknown ones Undetermined).
 */
public final class JiraTickets implements TicketSystem {
  public static final String ID = "jira";
  public static final String PRIORITY_MAP_SETTING = "JIRA_PRIORITY_MAP";
  public static final String STATUS_MAP_SETTING = "JIRA_STATUS_MAP";
  public static final String RESOLUTION_MAP_SETTING = "JIRA_RESOLUTION_MAP";
  public static final String ISSUE_TYPE_SETTING = "JIRA_ISSUE_TYPE";
  public static final String SET_RESOLUTION_SETTING = "JIRA_SET_RESOLUTION";
  public static final String DEFAULT_PRIORITY_MAP =
      "High=High,Medium=Medium,Low=Low,Informational=Lowest";
  public static final String DEFAULT_STATUS_MAP =
      "New=category:new,Active=category:indeterminate,Closed=category:done";
  public static final String DEFAULT_RESOLUTION_MAP =
      "Done=TruePositive,Won't Do=FalsePositive,Duplicate=Undetermined,Cannot"
          + " Reproduce=FalsePositive";
  public static final String DEFAULT_ISSUE_TYPE = "Task";

  /** On every issue the connector made: what the catch-up poll searches for. */
  public static final String MARKER_LABEL = "soc-actions";

  /**
   * The issue property that names the incident: {@code {"incident_id": ..., "correlation_id":
   * ...}}.
   */
  public static final String PROPERTY_KEY = "soc-actions.incident";

  public static final String PROJECT_OPTION = "project";
  public static final String ISSUE_TYPE_OPTION = "issue_type";

  /** Jira refuses a longer summary (characters). */
  static final int MAX_SUMMARY = 255;

  /**
   * Jira refuses a longer rich-text field or comment (characters; counted here on the ADF JSON,
   * which is longer than its text).
   */
  static final int MAX_RICH_TEXT = 32_767;

  /** Transitions one status change may take when the workflow has no direct one. */
  static final int MAX_TRANSITION_STEPS = 3;

  static final String TRUNCATED = "\n\n[truncated]";

  /**
   * JQL reads a date literal in the account's profile zone. If Jira names none, the literal is
   * written at UTC-12, the westernmost offset: read in any zone it is no later than the instant
   * meant, so the window only widens (and the result is filtered exactly).
   */
  static final ZoneId FALLBACK_ZONE = ZoneOffset.ofHours(-12);

  private static final List<String> STATE_FIELDS =
      List.of("summary", "status", "resolution", "labels", "updated");
  private static final Set<String> CREATE_OPTIONS = Set.of(PROJECT_OPTION, ISSUE_TYPE_OPTION);
  private static final Pattern PROJECT_KEY = Pattern.compile("[A-Z][A-Z0-9_]{0,254}");
  private static final Pattern SPACES = Pattern.compile("[\\s\\p{Z}]+");
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final boolean configured;
  private final String project;
  private final Supplier<JiraClient> client;
  private final Supplier<Mapping> mapping;
  private final Supplier<ZoneId> accountZone;
  private final Map<String, Optional<String>> accountIds = new ConcurrentHashMap<>();

  /**
   * @param configured whether the site, its sign-in and the project are set ({@link
   *     JiraSettings#isConfigured})
   * @param project the project's key as set, for the description (a malformed one too)
   * @param mapping the issue type and the maps ({@link Mapping#from}), parsed on first use by the
   *     module
   * @param client the site's client, built once by the module (on {@link JiraSettings})
   */
  public JiraTickets(
      boolean configured,
      Optional<String> project,
      Supplier<Mapping> mapping,
      Supplier<JiraClient> client) {
    this.configured = configured;
    this.project = project.orElse("named by " + JiraSettings.PROJECT);
    this.client = Suppliers.memoize(client::get);
    this.mapping = mapping;
    // Memoized only once it succeeds: a failed profile read is retried by the next poll.
    this.accountZone =
        Suppliers.memoize(() -> client.get().accountTimeZone().orElse(FALLBACK_ZONE));
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String displayName() {
    return "Jira";
  }

  @Override
  public Set<Capability> capabilities() {
    return Set.of(Capability.TICKETS);
  }

  @Override
  public String description() {
    return "Issues in the Jira Cloud project "
        + project
        + " at "
        + JiraSettings.URL
        + ", kept in step with Sentinel incidents both ways.";
  }

  @Override
  public boolean isConfigured() {
    return configured;
  }

  /** Checks the settings and maps only; Jira itself is not called. */
  @Override
  public Readiness readiness() {
    if (!isConfigured()) {
      return Readiness.notConfigured(
          "Set "
              + JiraSettings.URL
              + ", "
              + JiraSettings.EMAIL
              + ", "
              + JiraSettings.API_TOKEN_SETTING
              + " and "
              + JiraSettings.PROJECT
              + " to sync tickets with Jira.");
    }
    try {
      JiraSettings jira = client.get().settings();
      Mapping map = mapping.get();
      return Readiness.ok(
          "Project "
              + jira.project()
              + " mapped (issue type "
              + map.issueType
              + "); the site is not called from health.");
    } catch (ConfigurationException e) {
      return Readiness.error(e.getMessage());
    }
  }

  @Override
  public Set<String> createOptions() {
    return CREATE_OPTIONS;
  }

  @Override
  public Optional<TicketRef> findByCorrelation(TicketContent content) {
    String jql =
        "labels = "
            + Jql.quote(Jql.correlationLabel(content.correlationId()))
            + " ORDER BY created ASC";
    return client.get().search(jql, List.of("summary"), 1).issues().stream()
        .findFirst()
        .map(issue -> ref(issue.path("id").asText(), issue.path("key").asText()));
  }

  /**
   * Creates the issue, then sets its {@value #PROPERTY_KEY} property and moves it to the incident's
   * status. If a step after the create fails, the sync retries and finds the issue by its label.
   *
   * @throws InvalidInputException naming {@code options.project} or {@code options.issue_type} when
   *     malformed
   */
  @Override
  public TicketRef create(TicketContent content, Map<String, String> options) {
    String project = options.get(PROJECT_OPTION);
    if (project != null && !PROJECT_KEY.matcher(project).matches()) {
      throw InvalidInputException.of(
          "options." + PROJECT_OPTION, "a Jira project key such as SOC, not '" + project + "'");
    }
    String issueType = options.getOrDefault(ISSUE_TYPE_OPTION, mapping.get().issueType);
    if (issueType.isBlank()) {
      throw InvalidInputException.of(
          "options." + ISSUE_TYPE_OPTION, "an issue type name such as Task");
    }
    ObjectNode fields = fieldsOf(content, EnumSet.allOf(TicketField.class), true);
    if (project != null) {
      fields.putObject("project").put("key", project);
    }
    fields.putObject("issuetype").put("name", issueType);
    JiraClient.CreatedIssue issue = client.get().createIssue(fields);
    ObjectNode property =
        NODES
            .objectNode()
            .put("incident_id", content.incidentId())
            .put("correlation_id", content.correlationId());
    client.get().setProperty(issue.id(), PROPERTY_KEY, property);
    moveToStatus(issue.id(), content);
    return ref(issue.id(), issue.key());
  }

  @Override
  public void update(TicketRef ticket, TicketContent content, Set<TicketField> changed) {
    ObjectNode fields = fieldsOf(content, changed, false);
    if (!fields.isEmpty()) {
      client.get().updateIssue(ticket.id(), fields);
    }
    if (changed.contains(TicketField.STATUS)) {
      moveToStatus(ticket.id(), content);
    }
  }

  @Override
  public void addComments(TicketRef ticket, List<IncidentComment> comments) {
    if (comments.isEmpty()) {
      return;
    }
    List<String> lines = new ArrayList<>();
    for (IncidentComment comment : comments) {
      lines.add(TicketText.commentLine(comment));
    }
    client
        .get()
        .addComment(
            ticket.id(),
            bounded(String.join("\n\n", lines), text -> Adf.document().plainText(text)));
  }

  @Override
  public Optional<TicketState> read(String ticketId, Instant commentsSince) {
    return client
        .get()
        .getIssue(ticketId, STATE_FIELDS.toArray(String[]::new))
        .map(issue -> state(issue, commentsSince));
  }

  /** Jira's order: by update time (milliseconds), then by issue key as Jira sorts keys. */
  static final Comparator<ChangePosition> CHANGE_ORDER =
      Comparator.comparing(ChangePosition::updatedAt)
          .thenComparing(ChangePosition::key, Jql.KEY_ORDER);

  @Override
  public Comparator<ChangePosition> changeOrder() {
    return CHANGE_ORDER;
  }

  /** JQL reads a date to the minute. */
  @Override
  public Duration changeQueryUnit() {
    return Duration.ofMinutes(1);
  }

  /**
   * One enhanced search ({@code labels = "soc-actions" AND updated >= "<minute>" ORDER BY updated
   * ASC, key ASC}) from the minute of {@code after}, paged with {@code nextPageToken}. JQL reads
   * dates to the minute only, so the issues of that minute at or before {@code after} are read and
   * skipped, never returned: a burst of changes in one minute is walked through once, however many
   * runs it takes. Only the issues returned cost more calls (their comments, in {@link #states}).
   * Within one run the pages follow Jira's token, which is opaque: if it were a plain offset, an
   * issue changing during the run could shift an unread one back into a page already read; each run
   * starts a fresh search from its cursor, which bounds that to one run's pages.
   */
  @Override
  public ChangeFeed changesAfter(ChangePosition after, int pageSize) {
    ChangeFeed.checkPageSize(pageSize);
    String jql = Jql.labelUpdatedSince(MARKER_LABEL, after.updatedAt(), accountZone.get());
    return new ChangeFeed() {
      private final Set<String> tokens = new HashSet<>();
      private final Set<String> returned = new HashSet<>();
      private String token;
      private boolean done;

      @Override
      public List<TicketChange> next() {
        while (!done) {
          JiraClient.SearchPage page = client.get().searchPage(jql, STATE_FIELDS, pageSize, token);
          done = page.isLast();
          token = page.nextPageToken();
          if (!done && !tokens.add(token)) {
            throw UpstreamException.badResponse(
                JiraClient.UPSTREAM,
                "Jira handed out the same page token twice while listing changed issues",
                null,
                null);
          }
          List<TicketChange> changes = new ArrayList<>();
          for (ObjectNode issue : page.issues()) {
            String id = issue.path("id").asText("");
            String key = issue.path("key").asText("");
            Instant updated = JiraDates.parse(issue.path("fields").path("updated").asText(null));
            if (id.isEmpty() || key.isEmpty() || updated == null) {
              continue;
            }
            ChangePosition position = new ChangePosition(updated, key);
            // An issue met twice in one search at the same time is one change (it moved pages).
            if (CHANGE_ORDER.compare(position, after) > 0 && returned.add(id + "@" + updated)) {
              changes.add(new TicketChange(id, position, issue));
            }
          }
          if (!changes.isEmpty()) {
            return changes;
          }
        }
        return List.of();
      }
    };
  }

  /** One comment read per issue, from what {@code commentsSince} gives for it. */
  @Override
  public List<TicketState> states(
      List<TicketChange> changes, Function<TicketChange, Instant> commentsSince) {
    List<TicketState> states = new ArrayList<>();
    for (TicketChange change : changes) {
      states.add(state(change.record(), commentsSince.apply(change)));
    }
    return states;
  }

  // ---- mapping ----

  /**
   * The issue fields for {@code fields}; status is a transition, not a field, so never among them.
   */
  private ObjectNode fieldsOf(TicketContent content, Set<TicketField> fields, boolean creating) {
    Mapping map = mapping.get();
    ObjectNode out = NODES.objectNode();
    for (TicketField field : fields) {
      switch (field) {
        case TITLE -> out.put("summary", summary(content));
        case DESCRIPTION -> out.set("description", description(content));
        case PRIORITY ->
            out.putObject("priority")
                .put(
                    "name",
                    map.priorities.getOrDefault(content.severity(), map.priorities.get("Medium")));
        case OWNER -> {
          if (content.owner() == null || content.owner().isBlank()) {
            if (!creating) {
              out.putNull("assignee"); // the incident was unassigned
            }
          } else {
            accountId(content.owner())
                .ifPresent(id -> out.putObject("assignee").put("accountId", id));
          }
        }
        case LABELS -> {
          ArrayNode labels = out.putArray("labels");
          labels(content).forEach(labels::add);
        }
        case STATUS -> {
          // A workflow transition: see moveToStatus.
        }
      }
    }
    return out;
  }

  /** One line (Jira refuses line breaks in a summary), at most {@value #MAX_SUMMARY} characters. */
  static String summary(TicketContent content) {
    String title =
        content.title() == null || content.title().isBlank()
            ? "Microsoft Sentinel incident "
                + (content.incidentNumber() == null
                    ? content.correlationId()
                    : content.incidentNumber())
            : content.title();
    return TicketText.cut(SPACES.matcher(title.strip()).replaceAll(" "), MAX_SUMMARY);
  }

  static ObjectNode description(TicketContent content) {
    String name =
        content.incidentNumber() == null
            ? "Open in Microsoft Sentinel"
            : "Incident " + content.incidentNumber();
    return bounded(
        content.description() == null ? "" : content.description(),
        text -> {
          Adf.Builder doc = Adf.document().plainText(text);
          if (content.incidentUrl() != null) {
            doc.fieldLink("Microsoft Sentinel", name, content.incidentUrl());
          }
          return doc;
        });
  }

  /**
   * The incident's labels without white space, then the correlation and marker labels; no repeats.
   */
  static List<String> labels(TicketContent content) {
    Set<String> labels = new LinkedHashSet<>();
    for (String label : content.labels()) {
      String safe =
          label == null
              ? ""
              : TicketText.cut(SPACES.matcher(label.strip()).replaceAll("-"), Jql.MAX_LABEL_LENGTH);
      if (!safe.isEmpty()) {
        labels.add(safe);
      }
    }
    labels.add(Jql.correlationLabel(content.correlationId()));
    labels.add(MARKER_LABEL);
    return List.copyOf(labels);
  }

  /**
   * The document {@code build} makes of {@code text}, with the text cut (and marked {@value
   * #TRUNCATED}) until the document's JSON fits {@value #MAX_RICH_TEXT} characters.
   */
  static ObjectNode bounded(String text, Function<String, Adf.Builder> build) {
    ObjectNode doc = build.apply(text).build();
    String body = text;
    int over = doc.toString().length() - MAX_RICH_TEXT;
    while (over > 0 && !body.isEmpty()) {
      // JSON escapes make the document grow faster than the text, so cut by the excess and check
      // again.
      body = TicketText.cut(body, Math.max(0, body.length() - over - TRUNCATED.length()));
      doc = build.apply(body + TRUNCATED).build();
      over = doc.toString().length() - MAX_RICH_TEXT;
    }
    return doc;
  }

  /**
   * The account the owner's e-mail or UPN names: an active person whose visible e-mail is it, else
   * the only active person the search finds (profiles may hide the e-mail, yet it is searched).
   */
  private Optional<String> accountId(String owner) {
    return accountIds.computeIfAbsent(
        owner.toLowerCase(Locale.ROOT),
        key -> {
          List<JiraUser> people =
              client.get().searchUsers(owner).stream()
                  .filter(user -> user.active() && "atlassian".equals(user.accountType()))
                  .toList();
          Optional<JiraUser> exact =
              people.stream()
                  .filter(user -> user.emailAddress().equalsIgnoreCase(owner))
                  .findFirst();
          if (exact.isPresent()) {
            return Optional.of(exact.get().accountId());
          }
          return people.size() == 1 && people.get(0).emailAddress().isEmpty()
              ? Optional.of(people.get(0).accountId())
              : Optional.empty();
        });
  }

  /**
   * Moves the issue to the status the incident's maps to, unless it is there already. A workflow
   * may offer no direct transition (Done only offers Reopen to To Do): then it takes one that
   * changes the status category without moving away from the target, and tries again, at most
   * {@value #MAX_TRANSITION_STEPS} times.
   *
   * @throws ConfigurationException naming {@value #STATUS_MAP_SETTING} when the workflow offers no
   *     way there
   */
  private void moveToStatus(String issueId, TicketContent content) {
    Mapping map = mapping.get();
    StatusTarget target = map.statuses.get(content.status().wireName());
    if (target == null) {
      return;
    }
    JiraClient jira = client.get();
    JsonNode status =
        jira.getIssue(issueId, "status")
            .orElseThrow(
                () ->
                    new UpstreamException(
                        JiraClient.UPSTREAM,
                        UpstreamFailure.NOT_FOUND,
                        "Jira issue " + issueId + " is gone",
                        null,
                        null))
            .path("fields")
            .path("status");
    String name = status.path("name").asText("");
    StatusCategory category =
        StatusCategory.ofKey(status.path("statusCategory").path("key").asText("")).orElse(null);
    Set<String> visited = new HashSet<>();
    for (int step = 0; step < MAX_TRANSITION_STEPS; step++) {
      // A status of the target's category counts as reached even when the names prefer another.
      if (target.isReachedBy(name, category)
          || (target.category() != null && target.category() == category)) {
        return;
      }
      visited.add(name.toLowerCase(Locale.ROOT));
      List<JiraTransition> offered = jira.transitions(issueId);
      Optional<JiraTransition> direct = target.pick(offered);
      if (direct.isPresent()) {
        boolean resolves = direct.get().toCategory().orElse(null) == StatusCategory.DONE;
        jira.transition(
            issueId,
            direct.get().id(),
            resolves && map.setResolution ? map.resolutionFields(content) : null);
        return;
      }
      Optional<JiraTransition> hop = hop(offered, category, target, visited);
      if (hop.isEmpty()) {
        break;
      }
      jira.transition(issueId, hop.get().id(), null);
      name = hop.get().toStatusName();
      category = hop.get().toCategory().orElse(null);
    }
    throw new ConfigurationException(
        STATUS_MAP_SETTING,
        "Jira's workflow offers no transition from '"
            + name
            + "' toward a status that "
            + STATUS_MAP_SETTING
            + " maps "
            + content.status().wireName()
            + " to ("
            + target
            + "); map it to a status the workflow reaches");
  }

  private static Optional<JiraTransition> hop(
      List<JiraTransition> offered, StatusCategory from, StatusTarget target, Set<String> visited) {
    if (target.category() == null || from == null) {
      return Optional.empty();
    }
    int distance = Math.abs(from.ordinal() - target.category().ordinal());
    return offered.stream()
        .filter(JiraTransition::available)
        .filter(t -> !visited.contains(t.toStatusName().toLowerCase(Locale.ROOT)))
        .filter(t -> t.toCategory().isPresent() && t.toCategory().get() != from)
        .filter(
            t -> Math.abs(t.toCategory().get().ordinal() - target.category().ordinal()) <= distance)
        .findFirst();
  }

  private TicketRef ref(String id, String key) {
    String url =
        client
            .get()
            .settings()
            .site()
            .newBuilder()
            .encodedPath("/browse/")
            .addPathSegment(key)
            .build()
            .toString();
    return new TicketRef(ID, id, key, url);
  }

  private TicketState state(JsonNode issue, Instant commentsSince) {
    Mapping map = mapping.get();
    String id = issue.path("id").asText();
    JsonNode fields = issue.path("fields");
    JsonNode status = fields.path("status");
    boolean closed =
        StatusCategory.ofKey(status.path("statusCategory").path("key").asText("")).orElse(null)
            == StatusCategory.DONE;
    String resolution = fields.path("resolution").path("name").asText(null);
    String classification = closed ? map.classificationOf(resolution) : null;
    List<TicketState.TicketComment> comments = new ArrayList<>();
    for (JiraComment comment : client.get().comments(id, commentsSince)) {
      comments.add(
          new TicketState.TicketComment(
              comment.id(),
              comment.text(),
              comment.authorName().isEmpty() ? comment.authorAccountId() : comment.authorName(),
              comment.created()));
    }
    return new TicketState(
        ref(id, issue.path("key").asText()),
        correlationId(id, fields),
        status.path("name").asText(null),
        closed ? IncidentStatus.CLOSED : IncidentStatus.ACTIVE,
        classification,
        closed ? TicketText.reasonFor(classification) : null,
        closed ? resolution : null,
        JiraDates.parse(fields.path("updated").asText(null)),
        null,
        comments);
  }

  /**
   * The incident's name from the correlation label, else (someone removed it) from the issue
   * property.
   */
  private String correlationId(String issueId, JsonNode fields) {
    for (JsonNode label : fields.path("labels")) {
      String text = label.asText("");
      if (text.startsWith(Jql.DEFAULT_CORRELATION_PREFIX)
          && text.length() > Jql.DEFAULT_CORRELATION_PREFIX.length()) {
        return text.substring(Jql.DEFAULT_CORRELATION_PREFIX.length());
      }
    }
    return client
        .get()
        .getProperty(issueId, PROPERTY_KEY)
        .map(value -> value.path("correlation_id").asText(null))
        .orElse(null);
  }

  /**
   * The issue type and the maps between Sentinel's and Jira's values, checked once.
   *
   * @param resolutions resolution name to classification, in the order configured (defaults first)
   */
  public record Mapping(
      String issueType,
      Map<String, String> priorities,
      Map<String, StatusTarget> statuses,
      Map<String, String> resolutions,
      boolean setResolution) {

    /**
     * @throws ConfigurationException naming the setting that is malformed
     */
    public static Mapping from(Settings settings) {
      Map<String, String> priorities =
          TicketMaps.pairs(
              settings, PRIORITY_MAP_SETTING, DEFAULT_PRIORITY_MAP, TicketMaps.SEVERITIES);
      Map<String, StatusTarget> statuses = new LinkedHashMap<>();
      TicketMaps.pairs(settings, STATUS_MAP_SETTING, DEFAULT_STATUS_MAP, TicketMaps.STATUSES)
          .forEach((status, value) -> statuses.put(status, target(status, value)));
      Map<String, String> resolutions = new LinkedHashMap<>();
      TicketMaps.namedPairs(
              settings, RESOLUTION_MAP_SETTING, DEFAULT_RESOLUTION_MAP, TicketMaps.CLASSIFICATIONS)
          .forEach(
              (name, classification) -> {
                // Resolution names are compared without case, so "done" in the setting overrides
                // the default "Done".
                resolutions.keySet().removeIf(name::equalsIgnoreCase);
                resolutions.put(name, classification);
              });
      String issueType = settings.get(ISSUE_TYPE_SETTING, DEFAULT_ISSUE_TYPE).strip();
      if (issueType.isEmpty()) {
        throw new ConfigurationException(
            ISSUE_TYPE_SETTING,
            "Setting " + ISSUE_TYPE_SETTING + " must name an issue type such as Task");
      }
      return new Mapping(
          issueType,
          priorities,
          Map.copyOf(statuses),
          Collections.unmodifiableMap(resolutions),
          settings.getBoolean(SET_RESOLUTION_SETTING, false));
    }

    /**
     * {@code Name|Other name|category:done}: names in order of preference, at most one category.
     */
    private static StatusTarget target(String status, String value) {
      List<String> names = new ArrayList<>();
      StatusCategory category = null;
      for (String part : value.split("\\|")) {
        String text = part.strip();
        if (text.regionMatches(true, 0, "category:", 0, "category:".length())) {
          String key = text.substring("category:".length()).strip().toLowerCase(Locale.ROOT);
          Optional<StatusCategory> parsed = StatusCategory.ofKey(key);
          if (parsed.isEmpty() || category != null) {
            throw new ConfigurationException(
                STATUS_MAP_SETTING,
                "Setting "
                    + STATUS_MAP_SETTING
                    + " maps "
                    + status
                    + " to status names and at most one category:new, category:indeterminate or"
                    + " category:done, not '"
                    + value
                    + "'");
          }
          category = parsed.get();
        } else if (!text.isEmpty()) {
          names.add(text);
        }
      }
      if (names.isEmpty() && category == null) {
        throw new ConfigurationException(
            STATUS_MAP_SETTING,
            "Setting " + STATUS_MAP_SETTING + " maps " + status + " to nothing: '" + value + "'");
      }
      return new StatusTarget(names, category);
    }

    /**
     * The classification of a resolution name, compared without case; Undetermined for none or an
     * unknown one.
     */
    String classificationOf(String resolution) {
      return resolutions.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(resolution))
          .map(Map.Entry::getValue)
          .findFirst()
          .orElse("Undetermined");
    }

    /**
     * {@code {"resolution":{"name":...}}}: the first resolution mapped to the incident's
     * classification, else to Undetermined; null (send none) when neither is mapped.
     */
    ObjectNode resolutionFields(TicketContent content) {
      String classification =
          content.classification() == null ? "Undetermined" : content.classification();
      Optional<String> name = resolutionFor(classification).or(() -> resolutionFor("Undetermined"));
      if (name.isEmpty()) {
        return null;
      }
      ObjectNode fields = NODES.objectNode();
      fields.putObject("resolution").put("name", name.get());
      return fields;
    }

    private Optional<String> resolutionFor(String classification) {
      return resolutions.entrySet().stream()
          .filter(e -> e.getValue().equals(classification))
          .map(Map.Entry::getKey)
          .findFirst();
    }
  }
}
