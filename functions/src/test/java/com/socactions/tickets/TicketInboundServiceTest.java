package com.socactions.tickets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.socactions.platform.ConfigurationException;
import com.socactions.platform.FakeManagedIdentityEndpoint;
import com.socactions.platform.Settings;
import com.socactions.platform.Sleeper;
import com.socactions.platform.TableStorage;
import com.socactions.sentinel.FakeSentinelApi;
import com.socactions.sentinel.IncidentComment;
import com.socactions.sentinel.SentinelClient;
import com.socactions.servicenow.FakeServiceNow;
import com.socactions.servicenow.ServiceNowSettings;
import com.socactions.testing.Azurite;
import com.socactions.testing.MutableClock;
import com.socactions.testing.TestKit;
import com.socactions.tickets.TicketSyncService.SyncOptions;
import com.socactions.tickets.jira.JiraWebhook;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Inbound sync end to end below HTTP: ServiceNow (fake) to Sentinel (fake), links in Azurite. */
@ExtendWith(Azurite.class)
class TicketInboundServiceTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final String INCIDENT = TicketSyncServiceTest.INCIDENT_ID;
  private static final String SECRET = "whsec-test";

  private final MutableClock clock = new MutableClock(NOW);
  private FakeServiceNow serviceNow;
  private FakeSentinelApi sentinel;
  private FakeManagedIdentityEndpoint identity;
  private ServiceNowTickets tickets;
  private TicketLinks links;
  private TicketSyncService sync;
  private TicketInboundService inbound;
  private TicketWebhooks webhooks;
  private String ticketId;

  @BeforeEach
  void start() throws Exception {
    serviceNow = FakeServiceNow.start("soc.actions", "pw").clock(clock);
    serviceNow.add(
        "sys_user",
        Map.of("sys_id", "u-alice", "user_name", "alice", "email", "alice@contoso.com"));
    identity = FakeManagedIdentityEndpoint.start(Clock.systemUTC());
    sentinel = FakeSentinelApi.start("none").seedRecorded();
    sentinel.acceptToken(FakeManagedIdentityEndpoint.tokenFor(sentinel.baseUrl()));
    sentinel.edit(
        INCIDENT,
        properties -> {
          properties.put("status", "Active");
          properties.remove(
              List.of("classification", "classificationReason", "classificationComment"));
        });
    Map<String, String> values = new HashMap<>(identity.settings());
    values.put(SentinelClient.MANAGEMENT_URL_SETTING, sentinel.baseUrl());
    values.put(ServiceNowSettings.URL, serviceNow.url());
    values.put(ServiceNowSettings.USER, "soc.actions");
    values.put(ServiceNowSettings.PASSWORD_SETTING, "pw");
    values.put(ServiceNowWebhook.SECRET_SETTING, SECRET);
    Settings settings = Settings.of(values);
    SentinelClient client = TestKit.sentinel(settings, clock, Sleeper.SYSTEM);
    tickets =
        TicketsModule.serviceNow(settings, TestKit.serviceNow(settings, clock, Sleeper.SYSTEM));
    links =
        new TicketLinks(
            TestKit.storage(
                    Settings.of(
                        Map.of(TableStorage.CONNECTION_SETTING, Azurite.connectionString())))
                .table("links" + UUID.randomUUID().toString().replace("-", "")));
    sync =
        new TicketSyncService(List.of(tickets), links, clock, duration -> clock.advance(duration));
    inbound = new TicketInboundService(List.of(tickets), links, () -> client, clock);
    webhooks = TicketsModule.webhooks(settings, clock, () -> inbound, () -> links);
    ticketId =
        sync.sync(
                TicketSyncServiceTest.incident("High", "Active", null),
                "servicenow",
                SyncOptions.defaults())
            .ticketId();
    clock.advance(Duration.ofMinutes(1));
  }

  @AfterEach
  void stop() throws Exception {
    serviceNow.close();
    sentinel.close();
    identity.close();
  }

  @Test
  void aResolvedTicketClosesTheIncidentWithTheClassificationItsCloseCodeMapsTo() {
    serviceNow.agentUpdate(
        "incident",
        ticketId,
        Map.of(
            "state", "6", "close_code", "Solution provided", "close_notes", "Reimaged the laptop"),
        null,
        "itil.agent");

    InboundResult result = inbound.ticketChanged(tickets, ticketId);

    assertThat(result.action()).isEqualTo(InboundResult.Action.APPLIED);
    assertThat(result.changes()).containsExactly("closed");
    ObjectNode incident = sentinel.incident(INCIDENT).path("properties").deepCopy();
    assertThat(incident.path("status").asText()).isEqualTo("Closed");
    assertThat(incident.path("classification").asText()).isEqualTo("TruePositive");
    assertThat(incident.path("classificationReason").asText()).isEqualTo("SuspiciousActivity");
    assertThat(incident.path("classificationComment").asText())
        .contains("Reimaged the laptop")
        .contains("INC");
  }

  @Test
  void aClosedTicketDeliveredTwiceChangesTheIncidentOnce() {
    serviceNow.agentUpdate(
        "incident",
        ticketId,
        Map.of("state", "7", "close_code", "Solution provided"),
        null,
        "itil.agent");
    inbound.ticketChanged(tickets, ticketId);
    int writes = sentinel.writes();

    InboundResult again = inbound.ticketChanged(tickets, ticketId);

    assertThat(again.action()).isEqualTo(InboundResult.Action.UNCHANGED);
    assertThat(sentinel.writes()).isEqualTo(writes);
  }

  @Test
  void aReopenedTicketReopensTheIncident() {
    serviceNow.agentUpdate(
        "incident",
        ticketId,
        Map.of("state", "6", "close_code", "Solution provided"),
        null,
        "itil.agent");
    inbound.ticketChanged(tickets, ticketId);
    clock.advance(Duration.ofMinutes(1));
    serviceNow.agentUpdate("incident", ticketId, Map.of("state", "2"), null, "itil.agent");

    InboundResult result = inbound.ticketChanged(tickets, ticketId);

    assertThat(result.changes()).containsExactly("reopened");
    ObjectNode incident = sentinel.incident(INCIDENT).path("properties").deepCopy();
    assertThat(incident.path("status").asText()).isEqualTo("Active");
    assertThat(incident.has("classification")).isFalse();
  }

  @Test
  void workNotesBecomeIncidentCommentsOnceAndTheConnectorsOwnNotesAreNotEchoed() {
    syncWithAComment();
    serviceNow.agentUpdate(
        "incident", ticketId, Map.of(), "Called the user; <b>not</b> her sign-in", "itil.agent");

    inbound.ticketChanged(tickets, ticketId);
    inbound.ticketChanged(tickets, ticketId);

    List<ObjectNode> comments =
        sentinel.comments(INCIDENT).stream()
            .filter(c -> c.path("properties").path("message").asText().startsWith("[From "))
            .toList();
    assertThat(comments).hasSize(1);
    assertThat(comments.get(0).path("properties").path("message").asText())
        .isEqualTo(
            "[From ServiceNow "
                + number()
                + "] itil.agent: Called the user; &lt;b&gt;not&lt;/b&gt; her sign-in");
  }

  @Test
  void twoAppliesOfTheSameWorkNoteRacingEachOtherLeaveOneIncidentComment() throws Exception {
    serviceNow.agentUpdate("incident", ticketId, Map.of(), "Called the user", "itil.agent");
    // Both applies read the link (the note not yet applied) before either comment is written.
    sentinel.meetBeforeCommentWrites(2);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Callable<InboundResult> apply = () -> inbound.ticketChanged(tickets, ticketId);
      for (Future<InboundResult> run : pool.invokeAll(List.of(apply, apply))) {
        assertThat(run.get().changes()).containsExactly("comments:1");
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(sentinel.commentPuts()).isEqualTo(2);
    assertThat(fromTicket())
        .extracting(c -> c.path("properties").path("message").asText())
        .containsExactly("[From ServiceNow " + number() + "] itil.agent: Called the user");
    // And the link remembers it, so a third apply writes nothing.
    assertThat(inbound.ticketChanged(tickets, ticketId).action())
        .isEqualTo(InboundResult.Action.UNCHANGED);
    assertThat(sentinel.commentPuts()).isEqualTo(2);
  }

  @Test
  void afterARoundTripTheNextOutboundSyncDoesNotEchoTheStatusOrTheComment() {
    serviceNow.agentUpdate(
        "incident",
        ticketId,
        Map.of("state", "6", "close_code", "Solution provided"),
        "Fixed by reimage",
        "itil.agent");
    inbound.ticketChanged(tickets, ticketId);
    int serviceNowWrites = writes();
    ObjectNode closed = sentinel.incident(INCIDENT).path("properties").deepCopy();
    String echoed =
        sentinel
            .comments(INCIDENT)
            .get(sentinel.comments(INCIDENT).size() - 1)
            .path("properties")
            .path("message")
            .asText();

    // The incident-updated trigger now fires with what inbound wrote: Closed, TruePositive, and its
    // comment.
    SyncResult result =
        sync.sync(
            TicketSyncServiceTest.incident(
                "High",
                closed.path("status").asText(),
                closed.path("classification").asText(),
                List.of(new IncidentComment("echo-1", echoed, "SOC Actions", NOW))),
            "servicenow",
            SyncOptions.defaults());

    assertThat(result.action()).isEqualTo(SyncResult.Action.UNCHANGED);
    assertThat(writes()).isEqualTo(serviceNowWrites);
  }

  @Test
  void thePollCatchesAChangeWhoseWebhookWasLostAndMovesTheCursorToIt() {
    Instant changedAt = clock.instant();
    resolveInServiceNow("No resolution provided");
    clock.advance(Duration.ofMinutes(5));

    TicketInboundService.PollResult poll = inbound.poll(tickets);

    assertThat(poll.results())
        .extracting(InboundResult::action)
        .containsExactly(InboundResult.Action.APPLIED);
    assertThat(incidentStatus()).isEqualTo("Closed");
    assertThat(sentinel.incident(INCIDENT).path("properties").path("classification").asText())
        .isEqualTo("FalsePositive");
    assertThat(links.cursor("servicenow"))
        .map(TicketLinks.Cursor::position)
        .contains(new ChangePosition(changedAt, ticketId));
    assertThat(poll.caughtUp()).isTrue();
  }

  @Test
  void theTimersCatchUpPollsEachSystemAndForgetsDeliveriesOlderThanItsMemory() {
    links.firstDelivery("servicenow", "old", clock.instant().minus(Duration.ofDays(3)));
    links.firstDelivery("servicenow", "recent", clock.instant());
    resolveInServiceNow("Solution provided");
    clock.advance(Duration.ofMinutes(5));

    List<TicketInboundService.CatchUp> runs = inbound.catchUp();

    assertThat(runs).extracting(TicketInboundService.CatchUp::system).containsExactly("servicenow");
    assertThat(runs.get(0).failure()).isNull();
    assertThat(runs.get(0).poll().results())
        .extracting(InboundResult::action)
        .containsExactly(InboundResult.Action.APPLIED);
    assertThat(links.hasDelivery("servicenow", "old")).isFalse();
    assertThat(links.hasDelivery("servicenow", "recent")).isTrue();
  }

  @Test
  void aChangeYoungerThanTheSettleDelayIsLeftForTheNextRun() {
    resolveInServiceNow("Solution provided");
    clock.advance(Duration.ofMinutes(1));

    TicketInboundService.PollResult early = inbound.poll(tickets);

    assertThat(early.results()).isEmpty();
    assertThat(early.caughtUp()).isTrue();
    assertThat(incidentStatus()).isEqualTo("Active");

    clock.advance(TicketInboundService.CatchUpOptions.DEFAULT_SETTLE_DELAY);
    TicketInboundService.PollResult settled = inbound.poll(tickets);

    assertThat(settled.results())
        .extracting(InboundResult::action)
        .containsExactly(InboundResult.Action.APPLIED);
    assertThat(incidentStatus()).isEqualTo("Closed");
  }

  @Test
  void theCatchUpSeesTheConnectorsOwnTicketWritesAndEchoesNothingBackToTheIncident() {
    syncWithAComment();
    clock.advance(Duration.ofMinutes(5));
    int incidentWrites = sentinel.writes();
    int commentWrites = sentinel.commentPuts();

    TicketInboundService.PollResult poll = inbound.poll(tickets);

    assertThat(poll.changesRead()).isEqualTo(1);
    assertThat(poll.results())
        .extracting(InboundResult::action)
        .containsExactly(InboundResult.Action.UNCHANGED);
    assertThat(sentinel.writes()).isEqualTo(incidentWrites);
    assertThat(sentinel.commentPuts()).isEqualTo(commentWrites);
  }

  @Test
  void aTicketResolvedAndReopenedBetweenTwoPollsEndsWithTheIncidentOpen() {
    serviceNow.agentUpdate(
        "incident",
        ticketId,
        Map.of("state", "6", "close_code", "Solution provided"),
        null,
        "itil.agent");
    inbound.ticketChanged(tickets, ticketId); // the resolve's webhook arrived
    inbound.poll(tickets);
    clock.advance(Duration.ofMinutes(1));
    serviceNow.agentUpdate(
        "incident",
        ticketId,
        Map.of("state", "2"),
        null,
        "itil.agent"); // the reopen's webhook is lost
    clock.advance(Duration.ofMinutes(5));

    inbound.poll(tickets);

    assertThat(sentinel.incident(INCIDENT).path("properties").path("status").asText())
        .isEqualTo("Active");
  }

  @Test
  void aSignedWebhookIsAppliedAndItsReplayChangesNothing() {
    serviceNow.agentUpdate(
        "incident",
        ticketId,
        Map.of("state", "6", "close_code", "Solution provided"),
        null,
        "itil.agent");
    byte[] body =
        ("{\"sys_id\":\"" + ticketId + "\",\"table\":\"incident\"}")
            .getBytes(StandardCharsets.UTF_8);
    String timestamp = Long.toString(clock.instant().getEpochSecond());
    Map<String, String> headers =
        Map.of(
            ServiceNowWebhook.TIMESTAMP_HEADER,
            timestamp,
            ServiceNowWebhook.SIGNATURE_HEADER,
            new ServiceNowWebhook(SECRET).signature(timestamp, body));

    TicketWebhooks.Delivery delivery =
        webhooks.verify("servicenow", body, name -> Optional.ofNullable(headers.get(name)));
    InboundResult first = webhooks.apply(delivery);
    InboundResult replay =
        webhooks.apply(
            webhooks.verify("servicenow", body, name -> Optional.ofNullable(headers.get(name))));

    assertThat(delivery.refused()).isNull();
    assertThat(first.action()).isEqualTo(InboundResult.Action.APPLIED);
    assertThat(replay.changes()).containsExactly("replay");
  }

  @Test
  void aBase64SignatureAsServiceNowComputesItIsAcceptedToo() throws Exception {
    byte[] body = ("{\"sys_id\":\"" + ticketId + "\"}").getBytes(StandardCharsets.UTF_8);
    String timestamp = Long.toString(clock.instant().getEpochSecond());
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
    byte[] signature = mac.doFinal(body);
    byte[] tampered = signature.clone();
    tampered[0] ^= 1;

    assertThat(refusal(body, timestamp, "sha256=" + Base64.getEncoder().encodeToString(signature)))
        .isNull();
    assertThat(refusal(body, timestamp, "sha256=" + Base64.getEncoder().encodeToString(tampered)))
        .isEqualTo("bad_signature");
  }

  @Test
  void aBadStaleOrMissingSignatureIsRefusedBeforeTheBodyIsRead() {
    byte[] body = ("{\"sys_id\":\"" + ticketId + "\"}").getBytes(StandardCharsets.UTF_8);
    String now = Long.toString(clock.instant().getEpochSecond());
    String old = Long.toString(clock.instant().minus(Duration.ofMinutes(10)).getEpochSecond());
    ServiceNowWebhook wrongKey = new ServiceNowWebhook("another-secret");
    ServiceNowWebhook rightKey = new ServiceNowWebhook(SECRET);

    assertThat(refusal(body, now, wrongKey.signature(now, body))).isEqualTo("bad_signature");
    assertThat(refusal(body, old, rightKey.signature(old, body))).isEqualTo("stale");
    assertThat(refusal(body, now, null)).isEqualTo("missing_signature");
    byte[] altered = body.clone();
    altered[3] ^= 1;
    assertThat(refusal(altered, now, rightKey.signature(now, body))).isEqualTo("bad_signature");
    assertThat(sentinel.writes()).isZero();
  }

  private String refusal(byte[] body, String timestamp, String signature) {
    Map<String, String> headers = new HashMap<>();
    headers.put(ServiceNowWebhook.TIMESTAMP_HEADER, timestamp);
    if (signature != null) {
      headers.put(ServiceNowWebhook.SIGNATURE_HEADER, signature);
    }
    return webhooks
        .verify("servicenow", body, name -> Optional.ofNullable(headers.get(name)))
        .refused();
  }

  /** The incident synced again with one comment: the connector writes a work note on the ticket. */
  private void syncWithAComment() {
    sync.sync(
        TicketSyncServiceTest.incident(
            "High",
            "Active",
            null,
            List.of(new IncidentComment("c1", "Isolated the host", "alice@contoso.com", NOW))),
        "servicenow",
        SyncOptions.defaults());
  }

  /** An agent resolves the ticket in ServiceNow with this close code. */
  private void resolveInServiceNow(String closeCode) {
    serviceNow.agentUpdate(
        "incident", ticketId, Map.of("state", "6", "close_code", closeCode), null, "itil.agent");
  }

  private String incidentStatus() {
    return sentinel.incident(INCIDENT).path("properties").path("status").asText();
  }

  private List<ObjectNode> fromTicket() {
    return sentinel.comments(INCIDENT).stream()
        .filter(c -> c.path("properties").path("message").asText().startsWith("[From "))
        .toList();
  }

  private String number() {
    return serviceNow.record("incident", ticketId).path("number").asText();
  }

  private int writes() {
    return (int) serviceNow.requests().stream().filter(r -> !r.getMethod().equals("GET")).count();
  }

  @Test
  void aSystemWhoseWebhookSecretIsUnsetOrBlankHasInboundOffNamingTheSetting() {
    byte[] body = "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    TicketWebhooks blank =
        TicketsModule.webhooks(
            Settings.of(Map.of(ServiceNowWebhook.SECRET_SETTING, " ")),
            clock,
            () -> inbound,
            () -> links);

    assertThatThrownBy(() -> webhooks.verify("jira", body, name -> Optional.empty()))
        .isInstanceOfSatisfying(
            ConfigurationException.class,
            e -> assertThat(e.setting()).contains(JiraWebhook.SECRET_SETTING));
    assertThatThrownBy(() -> blank.verify("servicenow", body, name -> Optional.empty()))
        .isInstanceOfSatisfying(
            ConfigurationException.class,
            e -> assertThat(e.setting()).contains(ServiceNowWebhook.SECRET_SETTING));
  }
}
