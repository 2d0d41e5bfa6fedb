package com.socactions.tickets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.socactions.decisions.Decision;
import com.socactions.decisions.DecisionOperation;
import com.socactions.decisions.RecordingDecisionLog;
import com.socactions.platform.FakeManagedIdentityEndpoint;
import com.socactions.platform.Settings;
import com.socactions.platform.Sleeper;
import com.socactions.platform.TableStorage;
import com.socactions.sentinel.FakeSentinelApi;
import com.socactions.sentinel.SentinelClient;
import com.socactions.servicenow.FakeServiceNow;
import com.socactions.servicenow.ServiceNowSettings;
import com.socactions.testing.Azurite;
import com.socactions.testing.MutableClock;
import com.socactions.testing.TestKit;
import com.socactions.tickets.TicketSyncService.SyncOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Ticket sync both ways is also a decision for Log Analytics: what it did, failed ones too. */
@ExtendWith(Azurite.class)
class TicketDecisionsTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final String INCIDENT = TicketSyncServiceTest.INCIDENT_ID;

  private final MutableClock clock = new MutableClock(NOW);
  private final RecordingDecisionLog decisions = new RecordingDecisionLog();
  private FakeServiceNow serviceNow;
  private FakeSentinelApi sentinel;
  private FakeManagedIdentityEndpoint identity;
  private ServiceNowTickets tickets;
  private TicketSyncService sync;
  private TicketInboundService inbound;

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
    Settings settings = Settings.of(values);
    SentinelClient client = TestKit.sentinel(settings, clock, Sleeper.SYSTEM);
    tickets =
        TicketsModule.serviceNow(settings, TestKit.serviceNow(settings, clock, Sleeper.SYSTEM));
    TicketLinks links =
        new TicketLinks(
            TestKit.storage(
                    Settings.of(
                        Map.of(TableStorage.CONNECTION_SETTING, Azurite.connectionString())))
                .table("links" + UUID.randomUUID().toString().replace("-", "")));
    sync =
        new TicketSyncService(List.of(tickets), links, clock, duration -> clock.advance(duration))
            .decisionLog(decisions);
    inbound =
        new TicketInboundService(List.of(tickets), links, () -> client, clock)
            .decisionLog(decisions);
  }

  @AfterEach
  void stop() throws Exception {
    serviceNow.close();
    sentinel.close();
    identity.close();
  }

  @Test
  void eachOutboundSyncIsOneDecisionWithItsActionTicketAndIncidentNumber() {
    SyncResult created =
        sync.sync(
            TicketSyncServiceTest.incident("High", "Active", null),
            "servicenow",
            SyncOptions.defaults());
    sync.sync(
        TicketSyncServiceTest.incident("High", "Active", null),
        "servicenow",
        SyncOptions.defaults());

    assertThat(decisions.all())
        .extracting(Decision::status)
        .containsExactly("created", "unchanged");
    Decision first = decisions.all().get(0);
    assertThat(first.operation()).isEqualTo(DecisionOperation.SYNC_TICKET);
    assertThat(first.ticketSystem()).isEqualTo("servicenow");
    assertThat(first.ticketId()).isEqualTo(created.ticketNumber());
    assertThat(first.direction()).isEqualTo("outbound");
    assertThat(first.incidentId()).isEqualTo(INCIDENT);
    assertThat(first.incidentNumber()).isEqualTo(3177L);
    assertThat(first.durationMs()).isNotNull().isGreaterThanOrEqualTo(0L);
  }

  @Test
  void aSyncThatFailsIsADecisionToo() {
    serviceNow.failNext(20, 503, Map.of());

    assertThatThrownBy(
            () ->
                sync.sync(
                    TicketSyncServiceTest.incident("High", "Active", null),
                    "servicenow",
                    SyncOptions.defaults()))
        .isInstanceOf(RuntimeException.class);

    assertThat(decisions.all())
        .singleElement()
        .satisfies(
            decision -> {
              assertThat(decision.status()).isEqualTo("failed");
              assertThat(decision.detail()).isNotBlank();
              assertThat(decision.direction()).isEqualTo("outbound");
            });
  }

  @Test
  void anInboundChangeIsADecisionOfItsOwnDirection() {
    String ticketId =
        sync.sync(
                TicketSyncServiceTest.incident("High", "Active", null),
                "servicenow",
                SyncOptions.defaults())
            .ticketId();
    clock.advance(Duration.ofMinutes(1));
    serviceNow.agentUpdate(
        "incident",
        ticketId,
        Map.of("state", "6", "close_code", "Solution provided", "close_notes", "Reimaged"),
        null,
        "itil.agent");

    inbound.ticketChanged(tickets, ticketId);

    Decision change = decisions.all().get(decisions.all().size() - 1);
    assertThat(change.operation()).isEqualTo(DecisionOperation.TICKET_INBOUND);
    assertThat(change.status()).isEqualTo("applied");
    assertThat(change.direction()).isEqualTo("inbound");
    assertThat(change.detail()).isEqualTo("closed");
    assertThat(change.incidentId()).isEqualTo(INCIDENT);
  }
}
