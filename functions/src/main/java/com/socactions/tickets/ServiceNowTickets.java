package com.socactions.tickets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.socactions.platform.ConfigurationException;
import com.socactions.platform.Settings;
import com.socactions.providers.Capability;
import com.socactions.providers.Readiness;
import com.socactions.sentinel.IncidentComment;
import com.socactions.sentinel.IncidentStatus;
import com.socactions.servicenow.EncodedQuery;
import com.socactions.servicenow.ServiceNowModule;
import com.socactions.servicenow.ServiceNowSettings;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import okhttp3.HttpUrl;

/**
 * Tickets in ServiceNow (provider {@code servicenow}, capability {@code tickets}): records of the
 * {@value #TABLE_SETTING} table (default {@code incident}; {@code sn_si_incident} for Security
 * Incident Response with its own state map) over the Table API, with the connection settings the
 * CMDB uses ({@link ServiceNowSettings}).
 *
 * <p><b>Mapping</b> (each configurable):
 *
 * <ul>
 *   <li>title to {@code short_description} (160 characters), description to {@code description};
 *   <li>severity to {@code impact}/{@code urgency} ({@value #PRIORITY_MAP_SETTING}, default {@link
 *       #DEFAULT_PRIORITY_MAP}: High 1/1 gives priority 1, Informational 3/3 gives 5);
 *   <li>status to {@code state} ({@value #STATE_MAP_SETTING}, default New=1, Active=2, Closed=6
 *       Resolved), a Closed incident with {@code close_code} from its classification ({@value
 *       #CLOSE_CODE_MAP_SETTING}) and {@code close_notes};
 *   <li>owner (e-mail or UPN) to {@code assigned_to}, the {@code sys_user} whose {@code email} or
 *       {@code user_name} it is (left alone when there is none);
 *   <li>the incident's GUID to {@code correlation_id}, {@value #CORRELATION_DISPLAY} to {@code
 *       correlation_display}: how a ticket is found again, and how the poll knows ours;
 *   <li>comments to one {@code work_notes} entry per sync.
 * </ul>
 *
 * <p>Inbound, states in {@value #CLOSED_STATES_SETTING} (default 6 Resolved, 7 Closed, 8 Canceled)
 * mean Closed; the close code maps back to a classification through the same close-code map
 * (unknown codes: Undetermined). Times are the Table API's stored values, which are UTC.
 */
public final class ServiceNowTickets implements TicketSystem {
  public static final String ID = "servicenow";
  public static final String TABLE_SETTING = "SERVICENOW_TICKET_TABLE";
  public static final String PRIORITY_MAP_SETTING = "SERVICENOW_PRIORITY_MAP";
  public static final String STATE_MAP_SETTING = "SERVICENOW_STATE_MAP";
  public static final String CLOSED_STATES_SETTING = "SERVICENOW_CLOSED_STATES";
  public static final String CLOSE_CODE_MAP_SETTING = "SERVICENOW_CLOSE_CODE_MAP";
  public static final String DEFAULT_TABLE = "incident";
  public static final String DEFAULT_PRIORITY_MAP = "High=1/1,Medium=2/2,Low=3/2,Informational=3/3";
  public static final String DEFAULT_STATE_MAP = "New=1,Active=2,Closed=6";
  public static final String DEFAULT_CLOSED_STATES = "6,7,8";
  public static final String DEFAULT_CLOSE_CODE_MAP =
      "TruePositive=Solution provided,BenignPositive=Resolved by caller,FalsePositive=No resolution"
          + " provided,Undetermined=No resolution provided";

  /** What {@code correlation_display} says on every ticket the connector made. */
  public static final String CORRELATION_DISPLAY = "Microsoft Sentinel";

  static final int MAX_SHORT_DESCRIPTION = 160;
  static final DateTimeFormatter GLIDE_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);
  static final String JOURNAL_TABLE = "sys_journal_field";

  /**
   * Most journal entries one read returns (in pages of the client's size): far above what a page of
   * changed tickets gathers in a catch-up interval.
   */
  static final int MAX_JOURNAL_ROWS = 10_000;

  private static final List<String> TICKET_FIELDS =
      List.of(
          "sys_id",
          "number",
          "state",
          "close_code",
          "close_notes",
          "correlation_id",
          "sys_updated_on",
          "sys_updated_by");
  private static final Set<String> CREATE_OPTIONS =
      Set.of(
          "assignment_group",
          "category",
          "subcategory",
          "caller_id",
          "business_service",
          "contact_type",
          "cmdb_ci");

  private final ServiceNowModule serviceNow;
  private final Supplier<Mapping> mapping;

  private final Map<String, Optional<String>> userIds = new ConcurrentHashMap<>();

  /**
   * @param mapping the ticket table and the maps ({@link Mapping#from}), parsed on first use by the
   *     module; a malformed one surfaces in readiness and in the calls that need it
   * @param serviceNow the instance, shared with the CMDB
   */
  public ServiceNowTickets(Supplier<Mapping> mapping, ServiceNowModule serviceNow) {
    this.serviceNow = serviceNow;
    this.mapping = mapping;
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String displayName() {
    return "ServiceNow";
  }

  @Override
  public Set<Capability> capabilities() {
    return Set.of(Capability.TICKETS);
  }

  @Override
  public String description() {
    String table;
    try {
      table = mapping.get().table();
    } catch (ConfigurationException e) {
      table = "(" + TABLE_SETTING + ")";
    }
    return "Tickets in the "
        + table
        + " table of the ServiceNow instance named by "
        + ServiceNowSettings.URL
        + ", kept in step with Sentinel incidents both ways.";
  }

  @Override
  public boolean isConfigured() {
    return serviceNow.isConfigured();
  }

  @Override
  public Readiness readiness() {
    if (!isConfigured()) {
      return Readiness.notConfigured(
          "Set "
              + ServiceNowSettings.URL
              + " and its sign-in settings to sync tickets with ServiceNow.");
    }
    try {
      mapping.get();
      return Readiness.ok(
          "Ticket table "
              + mapping.get().table
              + " mapped; the instance is checked by the CMDB provider.");
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
    Mapping map = mapping.get();
    EncodedQuery query =
        EncodedQuery.where(EncodedQuery.equalTo("correlation_id", content.correlationId()))
            .and(EncodedQuery.equalTo("correlation_display", CORRELATION_DISPLAY))
            .orderBy("sys_created_on");
    List<ObjectNode> rows = serviceNow.client().query(map.table, query, TICKET_FIELDS, 1).rows();
    return rows.stream().findFirst().map(this::ref);
  }

  @Override
  public TicketRef create(TicketContent content, Map<String, String> options) {
    Map<String, Object> fields = new LinkedHashMap<>(options);
    fields.putAll(fieldsOf(content, Set.of(TicketField.values())));
    fields.put("correlation_id", content.correlationId());
    fields.put("correlation_display", CORRELATION_DISPLAY);
    return ref(serviceNow.client().create(mapping.get().table, fields));
  }

  @Override
  public void update(TicketRef ticket, TicketContent content, Set<TicketField> changed) {
    Map<String, Object> fields = fieldsOf(content, changed);
    if (!fields.isEmpty()) {
      serviceNow.client().update(mapping.get().table, ticket.id(), fields);
    }
  }

  @Override
  public void addComments(TicketRef ticket, List<IncidentComment> comments) {
    if (comments.isEmpty()) {
      return;
    }
    List<String> notes = new ArrayList<>();
    for (IncidentComment comment : comments) {
      notes.add(TicketText.commentLine(comment));
    }
    serviceNow
        .client()
        .update(mapping.get().table, ticket.id(), Map.of("work_notes", String.join("\n\n", notes)));
  }

  @Override
  public Optional<TicketState> read(String ticketId, Instant commentsSince) {
    return serviceNow
        .client()
        .get(mapping.get().table, ticketId)
        .map(row -> state(row, journal(List.of(ticketId), commentsSince)));
  }

  /**
   * Keyset pages over the tickets with {@code correlation_display} {@value #CORRELATION_DISPLAY},
   * in the order {@code ORDERBYsys_updated_on^ORDERBYsys_id}: each page asks for what comes after
   * the last row read, {@code sys_updated_on>X^NQsys_updated_on=X^sys_id>Y} (the marker repeated in
   * both groups, since {@code ^NQ} starts an independent query), never for an offset. So a page
   * costs the same however much history lies before it, any number of tickets changed in one second
   * (the field's resolution) are walked through without reading one twice, and a ticket that
   * changes while the feed is read moves to the end instead of shifting an unread one into a page
   * already read. Times are the stored UTC values ({@code sysparm_display_value=false}), which is
   * also how the instance reads a plain date-time in a query.
   */
  @Override
  public ChangeFeed changesAfter(ChangePosition after, int pageSize) {
    ChangeFeed.checkPageSize(pageSize);
    return new ChangeFeed() {
      private ChangePosition last = after;

      @Override
      public List<TicketChange> next() {
        List<TicketChange> changes = new ArrayList<>();
        for (ObjectNode row :
            serviceNow
                .client()
                .query(mapping.get().table, changesAfter(last), TICKET_FIELDS, pageSize)
                .rows()) {
          Instant updated = glideTime(row.path("sys_updated_on").asText(null));
          String sysId = row.path("sys_id").asText("");
          if (updated != null && !sysId.isEmpty()) {
            ChangePosition position = new ChangePosition(updated, sysId);
            changes.add(new TicketChange(sysId, position, row));
            last = position;
          }
        }
        return changes;
      }
    };
  }

  /** The encoded query of the tickets after {@code position} in change order. */
  static EncodedQuery changesAfter(ChangePosition position) {
    String time = GLIDE_TIME.format(position.updatedAt().atOffset(ZoneOffset.UTC));
    EncodedQuery.Condition ours = EncodedQuery.equalTo("correlation_display", CORRELATION_DISPLAY);
    EncodedQuery query;
    if (position.isStart()) {
      query = EncodedQuery.where(ours).and(EncodedQuery.atLeast("sys_updated_on", time));
    } else {
      query =
          EncodedQuery.where(ours)
              .and(EncodedQuery.greaterThan("sys_updated_on", time))
              .newQuery(ours)
              .and(EncodedQuery.equalTo("sys_updated_on", time))
              .and(EncodedQuery.greaterThan("sys_id", position.key()));
    }
    return query.orderBy("sys_updated_on").orderBy("sys_id");
  }

  /**
   * One journal query for every ticket's comments: from the earliest time any of them asks for,
   * each ticket then keeping its own.
   */
  @Override
  public List<TicketState> states(
      List<TicketChange> changes, Function<TicketChange, Instant> commentsSince) {
    if (changes.isEmpty()) {
      return List.of();
    }
    Map<String, Instant> since = new LinkedHashMap<>();
    for (TicketChange change : changes) {
      since.merge(change.ticketId(), commentsSince.apply(change), (a, b) -> a.isBefore(b) ? a : b);
    }
    Instant earliest = since.values().stream().min(Instant::compareTo).orElseThrow();
    Map<String, List<TicketState.TicketComment>> notes =
        journal(List.copyOf(since.keySet()), earliest);
    List<TicketState> states = new ArrayList<>();
    for (TicketChange change : changes) {
      // Journal times are whole seconds, as the query's bound is.
      Instant own = since.get(change.ticketId()).truncatedTo(ChronoUnit.SECONDS);
      List<TicketState.TicketComment> kept =
          notes.getOrDefault(change.ticketId(), List.of()).stream()
              .filter(note -> note.createdAt() == null || !note.createdAt().isBefore(own))
              .toList();
      states.add(state(change.record(), Map.of(change.ticketId(), kept)));
    }
    return states;
  }

  // ---- mapping ----

  private Map<String, Object> fieldsOf(TicketContent content, Set<TicketField> fields) {
    Mapping map = mapping.get();
    Map<String, Object> out = new LinkedHashMap<>();
    for (TicketField field : fields) {
      switch (field) {
        case TITLE ->
            out.put("short_description", TicketText.cut(content.title(), MAX_SHORT_DESCRIPTION));
        case DESCRIPTION ->
            out.put("description", content.description() == null ? "" : content.description());
        case PRIORITY -> {
          String[] impactUrgency =
              map.priorities.getOrDefault(content.severity(), map.priorities.get("Medium"));
          out.put("impact", impactUrgency[0]);
          out.put("urgency", impactUrgency[1]);
        }
        case STATUS -> {
          String state = map.states.get(content.status().wireName());
          if (state != null) {
            out.put("state", state);
          }
          if (content.isClosed()) {
            String classification =
                content.classification() == null ? "Undetermined" : content.classification();
            out.put(
                "close_code",
                map.closeCodes.getOrDefault(classification, map.closeCodes.get("Undetermined")));
            out.put("close_notes", TicketText.closingNote(content));
          }
        }
        case OWNER -> userId(content.owner()).ifPresent(id -> out.put("assigned_to", id));
        case LABELS -> {
          // ServiceNow incidents have no labels; the description lists them.
        }
      }
    }
    return out;
  }

  /** The sys_user whose e-mail or user name the owner is; looked up once per owner. */
  private Optional<String> userId(String owner) {
    if (owner == null || owner.isBlank()) {
      return Optional.of("");
    }
    return userIds.computeIfAbsent(
        owner.toLowerCase(Locale.ROOT),
        key ->
            serviceNow
                .client()
                .query(
                    "sys_user",
                    EncodedQuery.where(EncodedQuery.equalTo("email", owner))
                        .or(EncodedQuery.equalTo("user_name", owner)),
                    List.of("sys_id"),
                    1)
                .rows()
                .stream()
                .findFirst()
                .map(row -> row.path("sys_id").asText()));
  }

  private TicketRef ref(JsonNode row) {
    String sysId = row.path("sys_id").asText();
    HttpUrl instance = serviceNow.settings().instance();
    String url =
        instance
            .newBuilder()
            .encodedPath("/nav_to.do")
            .addQueryParameter("uri", mapping.get().table + ".do?sys_id=" + sysId)
            .build()
            .toString();
    return new TicketRef(ID, sysId, row.path("number").asText(null), url);
  }

  private TicketState state(JsonNode row, Map<String, List<TicketState.TicketComment>> notes) {
    Mapping map = mapping.get();
    String state = row.path("state").asText("");
    boolean closed = map.closedStates.contains(state);
    String classification = null;
    if (closed) {
      classification = map.classificationOf(row.path("close_code").asText(""));
    }
    String sysId = row.path("sys_id").asText();
    return new TicketState(
        ref(row),
        row.path("correlation_id").asText(null),
        state,
        closed ? IncidentStatus.CLOSED : IncidentStatus.ACTIVE,
        classification,
        closed ? TicketText.reasonFor(classification) : null,
        row.path("close_notes").asText(null),
        glideTime(row.path("sys_updated_on").asText(null)),
        row.path("sys_updated_by").asText(null),
        notes.getOrDefault(sysId, List.of()));
  }

  /**
   * Work notes and comments of the tickets created at or after {@code since}, by ticket, oldest
   * first.
   */
  private Map<String, List<TicketState.TicketComment>> journal(
      List<String> ticketIds, Instant since) {
    EncodedQuery query =
        EncodedQuery.where(EncodedQuery.in("element_id", ticketIds))
            .and(EncodedQuery.in("element", List.of("work_notes", "comments")))
            .and(
                EncodedQuery.atLeast(
                    "sys_created_on", GLIDE_TIME.format(since.atOffset(ZoneOffset.UTC))))
            .orderBy("sys_created_on");
    Map<String, List<TicketState.TicketComment>> byTicket = new LinkedHashMap<>();
    for (ObjectNode row :
        serviceNow
            .client()
            .query(
                JOURNAL_TABLE,
                query,
                List.of("sys_id", "element_id", "value", "sys_created_by", "sys_created_on"),
                MAX_JOURNAL_ROWS)
            .rows()) {
      byTicket
          .computeIfAbsent(row.path("element_id").asText(), id -> new ArrayList<>())
          .add(
              new TicketState.TicketComment(
                  row.path("sys_id").asText(),
                  row.path("value").asText(""),
                  row.path("sys_created_by").asText(null),
                  glideTime(row.path("sys_created_on").asText(null))));
    }
    return byTicket;
  }

  static Instant glideTime(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return LocalDateTime.parse(text, GLIDE_TIME).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /**
   * The ticket table and the maps between Sentinel's and ServiceNow's values, checked once.
   *
   * @param table {@code SERVICENOW_TICKET_TABLE}, default {@code incident}
   */
  public record Mapping(
      String table,
      Map<String, String[]> priorities,
      Map<String, String> states,
      Set<String> closedStates,
      Map<String, String> closeCodes) {

    /**
     * @throws ConfigurationException naming the setting that is malformed
     */
    public static Mapping from(Settings settings) {
      String table = settings.get(TABLE_SETTING, DEFAULT_TABLE);
      if (!table.matches("[a-z][a-z0-9_]{1,79}")) {
        throw new ConfigurationException(
            TABLE_SETTING, "Setting " + TABLE_SETTING + " must be a table name such as incident");
      }
      Map<String, String[]> priorities = new LinkedHashMap<>();
      TicketMaps.pairs(settings, PRIORITY_MAP_SETTING, DEFAULT_PRIORITY_MAP, TicketMaps.SEVERITIES)
          .forEach(
              (severity, value) -> {
                String[] parts = value.split("/");
                if (parts.length != 2 || !parts[0].matches("[1-3]") || !parts[1].matches("[1-3]")) {
                  throw new ConfigurationException(
                      PRIORITY_MAP_SETTING,
                      "Setting "
                          + PRIORITY_MAP_SETTING
                          + " maps a severity to impact/urgency such as High=1/1, not "
                          + severity
                          + "="
                          + value);
                }
                priorities.put(severity, parts);
              });
      Map<String, String> states =
          TicketMaps.pairs(settings, STATE_MAP_SETTING, DEFAULT_STATE_MAP, TicketMaps.STATUSES);
      Set<String> closed =
          Set.copyOf(
              List.of(
                  settings.get(CLOSED_STATES_SETTING, DEFAULT_CLOSED_STATES).split("\\s*,\\s*")));
      Map<String, String> closeCodes =
          TicketMaps.pairs(
              settings, CLOSE_CODE_MAP_SETTING, DEFAULT_CLOSE_CODE_MAP, TicketMaps.CLASSIFICATIONS);
      for (String required : List.of("Medium")) {
        if (!priorities.containsKey(required)) {
          throw new ConfigurationException(
              PRIORITY_MAP_SETTING, "Setting " + PRIORITY_MAP_SETTING + " must map " + required);
        }
      }
      if (!closeCodes.containsKey("Undetermined")) {
        throw new ConfigurationException(
            CLOSE_CODE_MAP_SETTING, "Setting " + CLOSE_CODE_MAP_SETTING + " must map Undetermined");
      }
      return new Mapping(table, Map.copyOf(priorities), states, closed, closeCodes);
    }

    /** The first classification whose close code this is; Undetermined when none. */
    String classificationOf(String closeCode) {
      for (String classification : TicketMaps.CLASSIFICATIONS) {
        if (closeCode.equalsIgnoreCase(closeCodes.get(classification))) {
          return classification;
        }
      }
      return "Undetermined";
    }
  }
}
