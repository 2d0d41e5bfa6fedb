package com.socactions.tickets;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableTransactionAction;
import com.azure.data.tables.models.TableTransactionActionType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.socactions.platform.FakeManagedIdentityEndpoint;
import com.socactions.platform.Settings;
import com.socactions.platform.Sleeper;
import com.socactions.platform.TableStorage;
import com.socactions.platform.Ticker;
import com.socactions.platform.UpstreamPolicy;
import com.socactions.sentinel.FakeSentinelApi;
import com.socactions.sentinel.SentinelClient;
import com.socactions.servicenow.FakeServiceNow;
import com.socactions.servicenow.ServiceNowSettings;
import com.socactions.testing.Azurite;
import com.socactions.testing.MutableClock;
import com.socactions.testing.TestKit;
import com.socactions.tickets.TicketInboundService.CatchUpOptions;
import com.socactions.tickets.TicketInboundService.PollResult;
import com.socactions.tickets.jira.FakeJira;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The catch-up poll at scale, below HTTP: bursts of changes in one second (ServiceNow) and one
 * minute (Jira) walked through in several budget-limited runs of small pages, each change applied
 * once, and the calls of a run counted against the changes it read. Fakes of ServiceNow, Jira and
 * Sentinel; links and cursors in Azurite, behind a client that counts its requests.
 */
@ExtendWith(Azurite.class)
class TicketCatchUpTest {
  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
  private static final String WORKSPACE =
      "/subscriptions/d0cfe6b2-9ac0-4464-9919-dccaee2e48c0/resourceGroups/myRg/providers/"
          + "Microsoft.OperationalInsights/workspaces/myWorkspace/providers/"
          + "Microsoft.SecurityInsights/incidents/";
  private static final String GLIDE_FORMAT = "yyyy-MM-dd HH:mm:ss";

  /**
   * Each reading of the run's ticker moves it one second; a run reads it once per page, so a budget
   * of n seconds is about n pages.
   */
  private static final long STEP = Duration.ofSeconds(1).toNanos();

  private final MutableClock clock = new MutableClock(T0);
  private final AtomicInteger storageCalls = new AtomicInteger();
  private final AtomicLong ticks = new AtomicLong();
  private final Ticker ticker = () -> ticks.addAndGet(STEP);
  private FakeServiceNow serviceNow;
  private FakeJira jira;
  private FakeSentinelApi sentinel;
  private FakeManagedIdentityEndpoint identity;
  private Settings settings;
  private SentinelClient client;
  private TicketLinks links;
  private TableClient seeding;

  @BeforeEach
  void start() throws Exception {
    serviceNow = FakeServiceNow.start("soc.actions", "pw").clock(clock);
    jira = FakeJira.start(JiraTicketsTest.EMAIL, JiraTicketsTest.TOKEN, "SOC");
    identity = FakeManagedIdentityEndpoint.start(Clock.systemUTC());
    sentinel = FakeSentinelApi.start("none");
    sentinel.acceptToken(FakeManagedIdentityEndpoint.tokenFor(sentinel.baseUrl()));
    Map<String, String> values = new HashMap<>(identity.settings());
    values.put(SentinelClient.MANAGEMENT_URL_SETTING, sentinel.baseUrl());
    values.put(ServiceNowSettings.URL, serviceNow.url());
    values.put(ServiceNowSettings.USER, "soc.actions");
    values.put(ServiceNowSettings.PASSWORD_SETTING, "pw");
    values.putAll(JiraTicketsTest.settings(jira));
    settings = Settings.of(values);
    // Retries do not wait: the policy's back-off is not what these tests are about.
    client = TestKit.sentinel(settings, clock, duration -> {});
    String name = "catchup" + UUID.randomUUID().toString().replace("-", "");
    // The service's client counts its requests; the seeding one does not.
    links = new TicketLinks(CountingPolicy.countedTable(name, storageCalls));
    seeding =
        TestKit.storage(
                Settings.of(Map.of(TableStorage.CONNECTION_SETTING, Azurite.connectionString())))
            .table(name);
  }

  @AfterEach
  void stop() throws Exception {
    serviceNow.close();
    jira.close();
    sentinel.close();
    identity.close();
  }

  // ---- ServiceNow ----

  @Test
  void aThousandServiceNowChangesInOneSecondAreEachAppliedOnceAcrossRunsOfSmallPages() {
    ServiceNowTickets tickets = serviceNowTickets();
    List<String> ids = serviceNowBurst(1_000, T0.plus(Duration.ofMinutes(10)), true);
    TicketInboundService inbound = service(tickets, 7, Duration.ofSeconds(40));

    List<PollResult> runs = runsOfABurst(inbound, tickets);

    assertAppliedOnceEach(runs, ids, "ServiceNow");
    // Nothing left: the next run reads one empty page.
    int before = serviceNow.tableCalls();
    PollResult idle = inbound.poll(tickets);
    assertThat(idle.changesRead()).isZero();
    assertThat(serviceNow.tableCalls() - before).isEqualTo(1);
  }

  @Test
  void aServiceNowRunCostsTheSameForTheSameChangesWhateverHistoryLiesBeforeItsCursor() {
    ServiceNowTickets tickets = serviceNowTickets();
    TicketInboundService inbound = settledBurst(tickets, 10);
    Cost first = measure(() -> inbound.poll(tickets), serviceNow::tableCalls);

    // History: 1,000 changes (of tickets not linked, which the run passes over cheaply) before the
    // cursor.
    serviceNowBurst(1_000, T0.plus(Duration.ofMinutes(10)), false);
    clock.advance(Duration.ofMinutes(10));
    runUntilCaughtUp(inbound, tickets);
    serviceNowBurst(10, T0.plus(Duration.ofMinutes(20)), true);
    clock.advance(Duration.ofMinutes(10));
    Cost after = measure(() -> inbound.poll(tickets), serviceNow::tableCalls);

    assertThat(after).isEqualTo(first);
    // Per page of 7: one ticket query and one journal query, and a cursor write read back; per
    // change: two link reads, the link write, its read-back and index, the incident read and the
    // comment write; per run: the cursor read and one empty page at the end.
    assertThat(first.upstream()).isEqualTo(2 * 2 + 1);
    assertThat(first.storage()).isEqualTo(1 + 10 * 5 + 2 * 2);
    assertThat(first.sentinel()).isEqualTo(10 * 2);
    System.out.println("ServiceNow catch-up of 10 changes, before and after 1,000: " + after);
  }

  @Test
  void aChangeSentinelRefusesForGoodIsPassedWhileAnOutageStopsTheRunBeforeItsChange() {
    ServiceNowTickets tickets = serviceNowTickets();
    TicketInboundService inbound = settledBurst(tickets, 3);
    // The first incident in change order is gone from Sentinel.
    sentinel.failNext(1, 404, Map.of());

    PollResult passing = inbound.poll(tickets);

    assertThat(passing.results())
        .extracting(InboundResult::action)
        .containsExactly(
            InboundResult.Action.FAILED,
            InboundResult.Action.APPLIED,
            InboundResult.Action.APPLIED);
    assertThat(passing.caughtUp()).isTrue();
    assertThat(passing.failure()).isNull();

    List<String> next = serviceNowBurst(3, T0.plus(Duration.ofMinutes(10)), true);
    clock.advance(Duration.ofMinutes(10));
    TicketLinks.Cursor before = links.cursor(ServiceNowTickets.ID).orElseThrow();
    // Sentinel is down for every attempt of the next change's first call.
    sentinel.failNext(UpstreamPolicy.DEFAULT_MAX_ATTEMPTS, 503, Map.of());

    PollResult outage = inbound.poll(tickets);

    assertThat(outage.failure()).contains("503");
    assertThat(outage.results()).isEmpty();
    assertThat(outage.caughtUp()).isFalse();
    assertThat(links.cursor(ServiceNowTickets.ID)).contains(before);

    PollResult after = inbound.poll(tickets);

    assertThat(after.results())
        .extracting(InboundResult::ticketId)
        .containsExactlyInAnyOrderElementsOf(next);
    assertThat(after.results())
        .extracting(InboundResult::action)
        .containsOnly(InboundResult.Action.APPLIED);
  }

  // ---- Jira ----

  @Test
  void aThousandJiraChangesInOneMinuteAreEachAppliedOnceAcrossRunsOfSmallPages() {
    JiraTickets tickets = jiraTickets();
    List<String> ids = jiraBurst(1_000, T0.plus(Duration.ofMinutes(10)), true);
    TicketInboundService inbound = service(tickets, 25, Duration.ofSeconds(12));
    long searchesBefore = jira.requestCount("POST /rest/api/3/search/jql");

    List<PollResult> runs = runsOfABurst(inbound, tickets);

    assertAppliedOnceEach(runs, ids, "Jira");
    // Each run searches from the cursor's minute again and skips what it applied there: at most
    // one search call per page of 25 issues read, applied or skipped, plus one at the end.
    long searches = jira.requestCount("POST /rest/api/3/search/jql") - searchesBefore;
    long bound = 0;
    int applied = 0;
    for (PollResult run : runs) {
      bound += (applied + run.changesRead() + 24) / 25 + 1;
      applied += run.changesRead();
    }
    assertThat(searches).isLessThanOrEqualTo(bound);
    // Comments are read for the changes applied only, once each.
    assertThat(commentReads()).isEqualTo(1_000);
  }

  @Test
  void aJiraRunCostsTheSameForTheSameChangesWhateverHistoryLiesBeforeItsCursor() {
    JiraTickets tickets = jiraTickets();
    TicketInboundService inbound = service(tickets, 25, Duration.ofHours(1));
    jiraBurst(10, T0.plus(Duration.ofMinutes(1)), true);
    clock.advance(Duration.ofMinutes(5));
    Cost first =
        measure(
            () -> inbound.poll(tickets),
            () -> (int) jira.requestCount("POST /rest/api/3/search/jql") + commentReads());

    // History: 1,000 changes (of tickets not linked, which the run passes over cheaply) before the
    // cursor.
    jiraBurst(1_000, T0.plus(Duration.ofMinutes(10)), false);
    clock.advance(Duration.ofMinutes(10));
    runUntilCaughtUp(inbound, tickets);
    jiraBurst(10, T0.plus(Duration.ofMinutes(20)), true);
    clock.advance(Duration.ofMinutes(10));
    Cost after =
        measure(
            () -> inbound.poll(tickets),
            () -> (int) jira.requestCount("POST /rest/api/3/search/jql") + commentReads());

    assertThat(after).isEqualTo(first);
    // One search page (Jira says it is the last), one comment read per change; the cursor written
    // after the page, and moved on to the next minute once caught up.
    assertThat(first.upstream()).isEqualTo(1 + 10);
    assertThat(first.storage()).isEqualTo(1 + 10 * 5 + 2 + 2);
    assertThat(first.sentinel()).isEqualTo(10 * 2);
    System.out.println("Jira catch-up of 10 changes, before and after 1,000: " + after);
  }

  // ---- helpers ----

  /** Calls of one run: to the ticket system, to storage, to Sentinel. */
  record Cost(int upstream, int storage, int sentinel) {}

  private Cost measure(Runnable run, IntSupplier upstream) {
    int up = upstream.getAsInt();
    int stored = storageCalls.get();
    int sentinelCalls = sentinel.requests().size();
    run.run();
    return new Cost(
        upstream.getAsInt() - up,
        storageCalls.get() - stored,
        sentinel.requests().size() - sentinelCalls);
  }

  private TicketInboundService service(TicketSystem system, int pageSize, Duration budget) {
    return new TicketInboundService(
        List.of(system),
        links,
        () -> client,
        clock,
        ticker,
        new CatchUpOptions(budget, pageSize, CatchUpOptions.DEFAULT_SETTLE_DELAY));
  }

  /**
   * A service reading ServiceNow in pages of 7 with an hour's budget, after {@code n} linked
   * tickets changed at minute one and settled.
   */
  private TicketInboundService settledBurst(ServiceNowTickets tickets, int n) {
    TicketInboundService inbound = service(tickets, 7, Duration.ofHours(1));
    serviceNowBurst(n, T0.plus(Duration.ofMinutes(1)), true);
    clock.advance(Duration.ofMinutes(5));
    return inbound;
  }

  /**
   * The runs that catch up with a burst seeded before, half an hour on: several, each but the last
   * stopped by its budget.
   */
  private List<PollResult> runsOfABurst(TicketInboundService inbound, TicketSystem system) {
    clock.advance(Duration.ofMinutes(30));
    List<PollResult> runs = runUntilCaughtUp(inbound, system);
    assertThat(runs).hasSizeGreaterThanOrEqualTo(3);
    assertThat(runs.subList(0, runs.size() - 1)).noneMatch(PollResult::caughtUp);
    return runs;
  }

  private static List<PollResult> runUntilCaughtUp(
      TicketInboundService inbound, TicketSystem system) {
    List<PollResult> runs = new ArrayList<>();
    for (int run = 0; run < 100; run++) {
      PollResult poll = inbound.poll(system);
      assertThat(poll.failure()).isNull();
      runs.add(poll);
      if (poll.caughtUp()) {
        return runs;
      }
    }
    throw new AssertionError("no run caught up in 100 runs");
  }

  /**
   * Every ticket's change applied in exactly one run, and its note on its incident exactly once.
   */
  private void assertAppliedOnceEach(List<PollResult> runs, List<String> ids, String system) {
    List<String> applied = new ArrayList<>();
    for (PollResult run : runs) {
      for (InboundResult result : run.results()) {
        assertThat(result.action()).isEqualTo(InboundResult.Action.APPLIED);
        assertThat(result.changes()).containsExactly("comments:1");
        applied.add(result.ticketId());
      }
    }
    assertThat(applied).hasSize(ids.size()).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(sentinel.commentPuts()).isEqualTo(ids.size());
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < ids.size(); i++) {
      List<ObjectNode> comments = sentinel.comments(incidentId(system, i));
      assertThat(comments).hasSize(1);
      String message = comments.get(0).path("properties").path("message").asText();
      assertThat(message).startsWith("[From " + system + " ").endsWith(": note " + i);
      seen.add(message);
    }
    assertThat(seen).hasSize(ids.size());
  }

  private ServiceNowTickets serviceNowTickets() {
    return TicketsModule.serviceNow(settings, TestKit.serviceNow(settings, clock, Sleeper.SYSTEM));
  }

  private JiraTickets jiraTickets() {
    return TicketsModule.jira(settings, TestKit.kit(clock, Sleeper.SYSTEM));
  }

  private int serviceNowCount;

  /**
   * {@code n} tickets (linked to incidents or not) that an agent gave a work note, all in the
   * second of {@code at}; their sys_ids in order.
   */
  private List<String> serviceNowBurst(int n, Instant at, boolean linked) {
    String time = DateTimeFormatter.ofPattern(GLIDE_FORMAT).withZone(ZoneOffset.UTC).format(at);
    List<String> ids = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      int i = serviceNowCount++;
      String sysId = UUID.randomUUID().toString().replace("-", "");
      String number = String.format("INC%07d", i);
      serviceNow.add(
          "incident",
          Map.of(
              "sys_id",
              sysId,
              "number",
              number,
              "state",
              "2",
              "correlation_id",
              guid(i),
              "correlation_display",
              ServiceNowTickets.CORRELATION_DISPLAY,
              "sys_updated_on",
              time,
              "sys_updated_by",
              "itil.agent"));
      serviceNow.add(
          "sys_journal_field",
          Map.of(
              "element_id",
              sysId,
              "name",
              "incident",
              "element",
              "work_notes",
              "value",
              "note " + i,
              "sys_created_by",
              "itil.agent",
              "sys_created_on",
              time));
      if (linked) {
        link("ServiceNow", i, new TicketRef(ServiceNowTickets.ID, sysId, number, null));
      }
      ids.add(sysId);
    }
    flushLinks();
    return ids;
  }

  private int jiraCount;

  /**
   * {@code n} issues (linked to incidents or not) that someone commented on within the minute from
   * {@code at}, two by two in the same millisecond; their ids in order.
   */
  private List<String> jiraBurst(int n, Instant at, boolean linked) {
    List<String> ids = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      int i = jiraCount++;
      jira.now(at.plusMillis(50L * (k / 2)));
      String key =
          jira.hold(
              "Issue " + i, List.of(JiraTickets.MARKER_LABEL, "sentinel-" + guid(i).toLowerCase()));
      jira.addComment(key, "acc-bob", "note " + i);
      String id = jira.issue(key).path("id").asText();
      if (linked) {
        link("Jira", i, new TicketRef(JiraTickets.ID, id, key, null));
      }
      ids.add(id);
    }
    flushLinks();
    return ids;
  }

  /**
   * The incident of ticket {@code i} in Sentinel (Active, no comments) and its link, in the rows
   * {@link TicketLinks#save} writes, written in batches by {@link #flushLinks}.
   */
  private void link(String system, int i, TicketRef ticket) {
    ObjectNode incident = FakeSentinelApi.recorded("GetIncidentById.json", 200);
    incident.put("id", incidentId(system, i));
    incident.put("name", guid(i));
    ObjectNode properties = (ObjectNode) incident.path("properties");
    properties.put("status", "Active");
    properties.remove(List.of("classification", "classificationReason", "classificationComment"));
    sentinel.seed(incident);
    TicketLink link =
        TicketLink.claim(
                ticket.system(), incidentId(system, i), "seeded", T0.minus(Duration.ofDays(1)))
            .linkedTo(ticket);
    pendingLinks.add(TicketLinks.toEntity(link));
    pendingLinks.add(TicketLinks.reverseEntity(link));
  }

  private final List<TableEntity> pendingLinks = new ArrayList<>();

  /** Writes the links seeded so far: one transaction per partition and 100 rows. */
  private void flushLinks() {
    Map<String, List<TableTransactionAction>> byPartition = new HashMap<>();
    for (TableEntity row : pendingLinks) {
      byPartition
          .computeIfAbsent(row.getPartitionKey(), p -> new ArrayList<>())
          .add(new TableTransactionAction(TableTransactionActionType.UPSERT_REPLACE, row));
    }
    for (List<TableTransactionAction> actions : byPartition.values()) {
      for (int from = 0; from < actions.size(); from += 100) {
        seeding.submitTransaction(actions.subList(from, Math.min(from + 100, actions.size())));
      }
    }
    pendingLinks.clear();
  }

  private static String incidentId(String system, int i) {
    return WORKSPACE + guid(i + (system.equals("Jira") ? 500_000 : 0));
  }

  private static String guid(int i) {
    return String.format("%08x-0000-4000-8000-%012x", i, i);
  }

  private int commentReads() {
    return (int)
        jira.requests().stream()
            .filter(
                r ->
                    r.getMethod().equals("GET")
                        && r.getUrl().encodedPath().matches("/rest/api/3/issue/[^/]+/comment"))
            .count();
  }
}
