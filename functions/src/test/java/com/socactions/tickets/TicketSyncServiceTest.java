package com.socactions.tickets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.socactions.platform.InvalidInputException;
import com.socactions.platform.Settings;
import com.socactions.platform.Sleeper;
import com.socactions.platform.TableStorage;
import com.socactions.platform.UpstreamException;
import com.socactions.providers.Capability;
import com.socactions.providers.Readiness;
import com.socactions.sentinel.IncidentComment;
import com.socactions.sentinel.IncidentStatus;
import com.socactions.servicenow.FakeServiceNow;
import com.socactions.servicenow.ServiceNowSettings;
import com.socactions.testing.Azurite;
import com.socactions.testing.MutableClock;
import com.socactions.testing.TestKit;
import com.socactions.tickets.TicketSyncService.SyncOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(Azurite.class)
class TicketSyncServiceTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  static final String INCIDENT_ID =
      "/subscriptions/d0cfe6b2-9ac0-4464-9919-dccaee2e48c0/resourceGroups/myRg/providers/"
          + "Microsoft.OperationalInsights/workspaces/myWorkspace/providers/Microsoft.SecurityInsights/incidents/"
          + "73e01a99-5cd7-4139-a149-9f2736ff2ab5";

  private final MutableClock clock = new MutableClock(NOW);
  private FakeServiceNow serviceNow;
  private TicketLinks links;
  private TicketSyncService sync;

  @BeforeEach
  void start() throws Exception {
    serviceNow = FakeServiceNow.start("soc.actions", "pw").clock(clock);
    serviceNow.add(
        "sys_user",
        Map.of("sys_id", "u-alice", "user_name", "alice", "email", "alice@contoso.com"));
    links = newLinks();
    sync = service(links);
  }

  @AfterEach
  void stop() {
    serviceNow.close();
  }

  @Test
  void theFirstSyncCreatesOneTicketWithEveryFieldAndTheCorrelation() {
    SyncResult result =
        sync.sync(incident("High", "New", null), "servicenow", SyncOptions.defaults());

    assertThat(result.action()).isEqualTo(SyncResult.Action.CREATED);
    assertThat(result.fieldsChanged())
        .containsExactly("title", "description", "priority", "status", "owner", "labels");
    ObjectNode ticket = serviceNow.record("incident", result.ticketId());
    assertThat(ticket.path("short_description").asText()).isEqualTo("Suspicious sign-in from TOR");
    assertThat(ticket.path("impact").asText()).isEqualTo("1");
    assertThat(ticket.path("urgency").asText()).isEqualTo("1");
    assertThat(ticket.path("state").asText()).isEqualTo("1");
    assertThat(ticket.path("assigned_to").asText()).isEqualTo("u-alice");
    assertThat(ticket.path("correlation_id").asText())
        .isEqualTo("73e01a99-5cd7-4139-a149-9f2736ff2ab5");
    assertThat(ticket.path("correlation_display").asText()).isEqualTo("Microsoft Sentinel");
    assertThat(result.ticketNumber()).startsWith("INC");
    assertThat(result.url())
        .startsWith(serviceNow.url() + "/nav_to.do?uri=incident.do")
        .contains(result.ticketId());
    assertThat(result.commentHtml()).contains(result.ticketNumber()).contains("<a href=");
  }

  @Test
  void aSecondSyncOfAnUnchangedIncidentCostsNoWriteAnywhere() {
    sync.sync(incident("High", "New", null), "servicenow", SyncOptions.defaults());
    int before = serviceNow.requests().size();

    SyncResult again =
        sync.sync(incident("High", "New", null), "servicenow", SyncOptions.defaults());

    assertThat(again.action()).isEqualTo(SyncResult.Action.UNCHANGED);
    assertThat(again.fieldsChanged()).isEmpty();
    assertThat(serviceNow.requests()).hasSize(before);
  }

  @Test
  void aChangedSeverityWritesOnlyThePriority() throws Exception {
    SyncResult created =
        sync.sync(incident("High", "New", null), "servicenow", SyncOptions.defaults());
    int before = serviceNow.requests().size();

    SyncResult updated =
        sync.sync(incident("Low", "New", null), "servicenow", SyncOptions.defaults());

    assertThat(updated.action()).isEqualTo(SyncResult.Action.UPDATED);
    assertThat(updated.fieldsChanged()).containsExactly("priority");
    List<RecordedRequest> sent =
        serviceNow.requests().subList(before, serviceNow.requests().size());
    assertThat(sent).hasSize(1);
    JsonNode patch = JSON.readTree(sent.get(0).getBody().utf8());
    assertThat(fieldNames(patch)).containsExactlyInAnyOrder("impact", "urgency");
    assertThat(serviceNow.record("incident", created.ticketId()).path("urgency").asText())
        .isEqualTo("2");
  }

  @Test
  void newIncidentCommentsAreCopiedOnceAsOneWorkNoteAndCommentsFromTheTicketAreNotEchoed() {
    List<IncidentComment> comments =
        List.of(
            new IncidentComment("c1", "<p>Isolated the <b>host</b></p>", "alice@contoso.com", NOW),
            new IncidentComment(
                "c2", "[From ServiceNow INC0010001] already there", "SOC Actions", NOW));
    SyncResult created =
        sync.sync(incident("High", "Active", null, comments), "servicenow", SyncOptions.defaults());
    List<IncidentComment> more = new ArrayList<>(comments);
    more.add(new IncidentComment("c3", "Reset the password", "bob@contoso.com", NOW));
    clock.advance(Duration.ofMinutes(1));

    SyncResult updated =
        sync.sync(incident("High", "Active", null, more), "servicenow", SyncOptions.defaults());
    SyncResult again =
        sync.sync(incident("High", "Active", null, more), "servicenow", SyncOptions.defaults());

    assertThat(created.commentsCopied()).isEqualTo(1);
    assertThat(updated.commentsCopied()).isEqualTo(1);
    assertThat(again.action()).isEqualTo(SyncResult.Action.UNCHANGED);
    List<ObjectNode> notes = serviceNow.journalOf(created.ticketId());
    assertThat(notes)
        .extracting(n -> n.path("value").asText())
        .containsExactly(
            "[Microsoft Sentinel] alice@contoso.com at 2026-03-01T12:00:00Z:\nIsolated the host",
            "[Microsoft Sentinel] bob@contoso.com at 2026-03-01T12:00:00Z:\nReset the password");
  }

  @Test
  void closingTheIncidentResolvesTheTicketWithACloseCodeAndNotes() {
    SyncResult created =
        sync.sync(incident("High", "Active", null), "servicenow", SyncOptions.defaults());

    SyncResult closed =
        sync.sync(
            incident("High", "Closed", "FalsePositive"), "servicenow", SyncOptions.defaults());

    assertThat(closed.fieldsChanged()).containsExactly("status");
    ObjectNode ticket = serviceNow.record("incident", created.ticketId());
    assertThat(ticket.path("state").asText()).isEqualTo("6");
    assertThat(ticket.path("close_code").asText()).isEqualTo("No resolution provided");
    assertThat(ticket.path("close_notes").asText())
        .isEqualTo("Closed in Microsoft Sentinel as FalsePositive: IncorrectAlertLogic");
  }

  @Test
  void tenConcurrentSyncsOfANewIncidentMakeOneTicket() throws Exception {
    // Runs that lose the claim wait for the winner's link; a real sleeper keeps that short.
    TicketSyncService racing =
        new TicketSyncService(
            List.of(tickets()),
            links,
            clock,
            Sleeper.SYSTEM,
            TicketSyncService.DEFAULT_CLAIM_TIMEOUT,
            Duration.ofDays(1));
    List<SyncResult> results = syncConcurrently(racing, "servicenow", 10);

    assertThat(results).extracting(SyncResult::ticketId).containsOnly(results.get(0).ticketId());
    assertThat(results).filteredOn(r -> r.action() == SyncResult.Action.CREATED).hasSize(1);
    assertThat(serviceNow.requests()).filteredOn(r -> r.getMethod().equals("POST")).hasSize(1);
  }

  @Test
  void aLostLinkRowFindsTheTicketByItsCorrelationInsteadOfMakingASecond() {
    SyncResult created =
        sync.sync(incident("High", "New", null), "servicenow", SyncOptions.defaults());
    TicketSyncService withoutLinks = service(newLinks());

    SyncResult again =
        withoutLinks.sync(incident("High", "New", null), "servicenow", SyncOptions.defaults());

    assertThat(again.ticketId()).isEqualTo(created.ticketId());
    assertThat(again.action()).isEqualTo(SyncResult.Action.UPDATED);
    assertThat(serviceNow.requests()).filteredOn(r -> r.getMethod().equals("POST")).hasSize(1);
  }

  @Test
  void aCreateThatFailsLeavesNoClaimBehindSoTheNextRunCreates() {
    TicketSyncService failingOnce =
        new TicketSyncService(
            List.of(new FailsFirstCreate(tickets())),
            links,
            clock,
            duration -> clock.advance(duration));
    assertThatThrownBy(
            () ->
                failingOnce.sync(
                    incident("High", "New", null), "servicenow", SyncOptions.defaults()))
        .hasMessageContaining("ServiceNow is down");

    SyncResult retried =
        failingOnce.sync(incident("High", "New", null), "servicenow", SyncOptions.defaults());

    assertThat(retried.action()).isEqualTo(SyncResult.Action.CREATED);
  }

  @Test
  void aClaimLeftByARunThatDiedIsTakenOver() {
    links.claim("servicenow", INCIDENT_ID, "dead-run", NOW.minus(Duration.ofMinutes(10)));

    SyncResult result =
        sync.sync(incident("High", "New", null), "servicenow", SyncOptions.defaults());

    assertThat(result.action()).isEqualTo(SyncResult.Action.CREATED);
    assertThat(links.get("servicenow", INCIDENT_ID).orElseThrow().isLinked()).isTrue();
  }

  @Test
  void anUnknownSystemOrCreateOptionIsRefusedNamingTheFieldBeforeAnyWrite() {
    assertThatThrownBy(
            () -> sync.sync(incident("High", "New", null), "remedy", SyncOptions.defaults()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("system");
    assertThatThrownBy(
            () ->
                sync.sync(
                    incident("High", "New", null),
                    "servicenow",
                    new SyncOptions(true, Map.of("sys_id", "x"))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("options.sys_id");
    assertThat(serviceNow.requests()).isEmpty();
  }

  @Test
  void createOptionsReachTheTicket() {
    SyncResult created =
        sync.sync(
            incident("High", "New", null),
            "servicenow",
            new SyncOptions(true, Map.of("assignment_group", "287ebd7da9fe198100f92cc8d1d2154e")));

    assertThat(serviceNow.record("incident", created.ticketId()).path("assignment_group").asText())
        .isEqualTo("287ebd7da9fe198100f92cc8d1d2154e");
  }

  // ---- helpers ----

  /**
   * {@code runs} syncs of the same new incident to {@code system}, all at once, each run's result.
   */
  static List<SyncResult> syncConcurrently(TicketSyncService racing, String system, int runs)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(runs);
    try {
      List<Callable<SyncResult>> calls = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        calls.add(() -> racing.sync(incident("High", "New", null), system, SyncOptions.defaults()));
      }
      List<SyncResult> results = new ArrayList<>();
      for (Future<SyncResult> future : pool.invokeAll(calls)) {
        results.add(future.get());
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  static TicketLinks newLinks() {
    String name = "links" + UUID.randomUUID().toString().replace("-", "");
    return new TicketLinks(
        TestKit.storage(
                Settings.of(Map.of(TableStorage.CONNECTION_SETTING, Azurite.connectionString())))
            .table(name));
  }

  private TicketSyncService service(TicketLinks into) {
    return new TicketSyncService(
        List.of(tickets()), into, clock, duration -> clock.advance(duration));
  }

  private ServiceNowTickets tickets() {
    return TicketsModule.serviceNow(
        Settings.of(serviceNowSettings(serviceNow)),
        TestKit.serviceNow(Settings.of(serviceNowSettings(serviceNow)), clock, Sleeper.SYSTEM));
  }

  /** The settings that point at the fake ServiceNow, signing in as the fake's API user. */
  static Map<String, String> serviceNowSettings(FakeServiceNow serviceNow) {
    return Map.of(
        ServiceNowSettings.URL,
        serviceNow.url(),
        ServiceNowSettings.USER,
        "soc.actions",
        ServiceNowSettings.PASSWORD_SETTING,
        "pw");
  }

  static TicketContent incident(String severity, String status, String classification) {
    return incident(severity, status, classification, List.of());
  }

  static TicketContent incident(
      String severity, String status, String classification, List<IncidentComment> comments) {
    return new TicketContent(
        INCIDENT_ID,
        "73e01a99-5cd7-4139-a149-9f2736ff2ab5",
        "3177",
        "Suspicious sign-in from TOR",
        "Incident 3177\nEntities: 185.220.101.7",
        severity,
        IncidentStatus.parse(status).orElseThrow(),
        classification,
        classification == null ? null : TicketText.reasonFor(classification),
        "alice@contoso.com",
        List.of("tor"),
        "https://portal.azure.com/#asset/Microsoft_Azure_Security_Insights/Incident" + INCIDENT_ID,
        comments);
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** The real ServiceNow system, except that its first create fails as an outage would. */
  private static final class FailsFirstCreate implements TicketSystem {
    private final TicketSystem real;
    private boolean failed;

    FailsFirstCreate(TicketSystem real) {
      this.real = real;
    }

    @Override
    public TicketRef create(TicketContent content, Map<String, String> options) {
      if (!failed) {
        failed = true;
        throw UpstreamException.retryLater(
            "ServiceNow", "ServiceNow is down", Duration.ofSeconds(30));
      }
      return real.create(content, options);
    }

    @Override
    public Optional<TicketRef> findByCorrelation(TicketContent content) {
      return real.findByCorrelation(content);
    }

    @Override
    public void update(TicketRef ticket, TicketContent content, Set<TicketField> fields) {
      real.update(ticket, content, fields);
    }

    @Override
    public void addComments(TicketRef ticket, List<IncidentComment> comments) {
      real.addComments(ticket, comments);
    }

    @Override
    public Optional<TicketState> read(String ticketId, Instant commentsSince) {
      return real.read(ticketId, commentsSince);
    }

    @Override
    public ChangeFeed changesAfter(ChangePosition after, int pageSize) {
      return real.changesAfter(after, pageSize);
    }

    @Override
    public List<TicketState> states(
        List<TicketChange> changes, Function<TicketChange, Instant> commentsSince) {
      return real.states(changes, commentsSince);
    }

    @Override
    public Set<String> createOptions() {
      return real.createOptions();
    }

    @Override
    public String id() {
      return real.id();
    }

    @Override
    public String displayName() {
      return real.displayName();
    }

    @Override
    public Set<Capability> capabilities() {
      return real.capabilities();
    }

    @Override
    public String description() {
      return real.description();
    }

    @Override
    public boolean isConfigured() {
      return real.isConfigured();
    }

    @Override
    public Readiness readiness() {
      return real.readiness();
    }
  }
}
