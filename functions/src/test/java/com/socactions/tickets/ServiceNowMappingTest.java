package com.socactions.tickets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.socactions.platform.ConfigurationException;
import com.socactions.platform.Settings;
import com.socactions.platform.Sleeper;
import com.socactions.servicenow.FakeServiceNow;
import com.socactions.testing.TestKit;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The ServiceNow mapping tables, both ways: what a ticket gets from an incident, and what an
 * incident gets from a ticket.
 */
class ServiceNowMappingTest {
  private FakeServiceNow serviceNow;

  @BeforeEach
  void start() throws Exception {
    serviceNow = FakeServiceNow.start("soc.actions", "pw");
  }

  @AfterEach
  void stop() {
    serviceNow.close();
  }

  @ParameterizedTest(name = "{0} -> impact {1}, urgency {2}")
  @CsvSource({"High,1,1", "Medium,2,2", "Low,3,2", "Informational,3,3"})
  void severityBecomesImpactAndUrgency(String severity, String impact, String urgency) {
    ObjectNode ticket = created(TicketSyncServiceTest.incident(severity, "New", null), Map.of());

    assertThat(ticket.path("impact").asText()).isEqualTo(impact);
    assertThat(ticket.path("urgency").asText()).isEqualTo(urgency);
  }

  @ParameterizedTest(name = "{0}/{1} -> state {2}, close code {3}")
  @CsvSource({
    "New,,1,",
    "Active,,2,",
    "Closed,TruePositive,6,Solution provided",
    "Closed,BenignPositive,6,Resolved by caller",
    "Closed,FalsePositive,6,No resolution provided",
    "Closed,Undetermined,6,No resolution provided"
  })
  void statusAndClassificationBecomeStateAndCloseCode(
      String status, String classification, String state, String closeCode) {
    ObjectNode ticket =
        created(TicketSyncServiceTest.incident("High", status, classification), Map.of());

    assertThat(ticket.path("state").asText()).isEqualTo(state);
    assertThat(ticket.path("close_code").asText("")).isEqualTo(closeCode == null ? "" : closeCode);
  }

  @ParameterizedTest(name = "state {0}, close code {1} -> {2} {3}")
  @CsvSource({
    "1,,Active,",
    "2,,Active,",
    "3,,Active,",
    "6,Solution provided,Closed,TruePositive",
    "7,Resolved by caller,Closed,BenignPositive",
    "6,No resolution provided,Closed,FalsePositive",
    "8,,Closed,Undetermined",
    "6,Something local,Closed,Undetermined"
  })
  void aTicketsStateAndCloseCodeBecomeTheIncidentsStatusAndClassification(
      String state, String closeCode, String status, String classification) {
    String sysId =
        serviceNow.add(
            "incident",
            closeCode == null
                ? Map.of("state", state)
                : Map.of("state", state, "close_code", closeCode));

    TicketState read = tickets(Map.of()).read(sysId, Instant.EPOCH).orElseThrow();

    assertThat(read.incidentStatus().wireName()).isEqualTo(status);
    assertThat(read.classification()).isEqualTo(classification);
    assertThat(read.classificationReason()).isEqualTo(TicketText.reasonFor(classification));
  }

  @Test
  void eachMapIsASettingThatOverridesTheDefaultsKeyByKey() {
    ObjectNode ticket =
        created(
            TicketSyncServiceTest.incident("High", "Active", null),
            Map.of(
                ServiceNowTickets.PRIORITY_MAP_SETTING,
                "High=2/1",
                ServiceNowTickets.STATE_MAP_SETTING,
                "Active=16"));

    assertThat(ticket.path("impact").asText()).isEqualTo("2");
    assertThat(ticket.path("state").asText()).isEqualTo("16");
  }

  @Test
  void aMalformedMapIsAConfigurationErrorNamingTheSetting() {
    for (Map.Entry<String, String> bad :
        List.of(
            Map.entry(ServiceNowTickets.PRIORITY_MAP_SETTING, "High=urgent"),
            Map.entry(ServiceNowTickets.STATE_MAP_SETTING, "Resolved=6"),
            Map.entry(ServiceNowTickets.CLOSE_CODE_MAP_SETTING, "TruePositive"),
            Map.entry(ServiceNowTickets.TABLE_SETTING, "incident; drop"))) {
      ServiceNowTickets tickets = tickets(Map.of(bad.getKey(), bad.getValue()));
      assertThatThrownBy(
              () -> tickets.create(TicketSyncServiceTest.incident("High", "New", null), Map.of()))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining(bad.getKey());
      assertThat(tickets.readiness().detail()).contains(bad.getKey());
    }
  }

  private ObjectNode created(TicketContent content, Map<String, String> extra) {
    TicketRef ref = tickets(extra).create(content, Map.of());
    return serviceNow.record("incident", ref.id());
  }

  private ServiceNowTickets tickets(Map<String, String> extra) {
    Map<String, String> values =
        new HashMap<>(TicketSyncServiceTest.serviceNowSettings(serviceNow));
    values.putAll(extra);
    return TicketsModule.serviceNow(
        Settings.of(values),
        TestKit.serviceNow(Settings.of(values), Clock.systemUTC(), Sleeper.SYSTEM));
  }
}
