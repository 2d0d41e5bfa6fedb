package com.socactions.tickets;

import static com.socactions.tickets.TicketSyncServiceTest.INCIDENT_ID;
import static com.socactions.tickets.TicketSyncServiceTest.incident;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.socactions.platform.ConfigurationException;
import com.socactions.platform.InvalidInputException;
import com.socactions.platform.Settings;
import com.socactions.providers.Readiness;
import com.socactions.sentinel.IncidentStatus;
import com.socactions.testing.MutableClock;
import com.socactions.testing.TestKit;
import com.socactions.tickets.jira.Adf;
import com.socactions.tickets.jira.FakeJira;
import com.socactions.tickets.jira.JiraSettings;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JiraTicketsTest {
  static final String EMAIL = "soc-bot@contoso.com";
  static final String TOKEN = "ATATT-never-shown-0123";
  static final String PROJECT = "SOC";
  static final String CORRELATION_LABEL = "sentinel-73e01a99-5cd7-4139-a149-9f2736ff2ab5";
  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

  private final MutableClock clock = new MutableClock(T0);
  private FakeJira jira;

  @BeforeEach
  void start() throws Exception {
    jira = FakeJira.start(EMAIL, TOKEN, PROJECT).now(T0);
    // A private profile: the search finds her by e-mail but does not show it.
    jira.addUser("acc-alice", "Alice Analyst", "alice@contoso.com", false);
  }

  @AfterEach
  void stop() {
    jira.close();
  }

  static Map<String, String> settings(FakeJira jira) {
    return Map.of(
        JiraSettings.URL,
        jira.url(),
        JiraSettings.EMAIL,
        EMAIL,
        JiraSettings.API_TOKEN_SETTING,
        TOKEN,
        JiraSettings.PROJECT,
        PROJECT);
  }

  private JiraTickets tickets(Map<String, String> extra) {
    Map<String, String> all = new HashMap<>(settings(jira));
    all.putAll(extra);
    return TicketsModule.jira(
        Settings.of(all), TestKit.kit(clock, duration -> clock.advance(duration)));
  }

  private JiraTickets tickets() {
    return tickets(Map.of());
  }

  @Test
  void aCreatedIssueCarriesEveryFieldTheCorrelationLabelAndTheIncidentProperty() {
    TicketContent content =
        new TicketContent(
            INCIDENT_ID,
            "73e01a99-5cd7-4139-a149-9f2736ff2ab5",
            "3177",
            "Suspicious sign-in\nfrom TOR",
            "Incident 3177\n\nEntities: 185.220.101.7",
            "Informational",
            IncidentStatus.NEW,
            null,
            null,
            "Alice@Contoso.com",
            List.of("TOR exit", "sign-in"),
            "https://portal.azure.com/#incident/3177",
            List.of());

    TicketRef ref = tickets().create(content, Map.of());

    ObjectNode issue = jira.issue(ref.number());
    JsonNode fields = issue.path("fields");
    assertThat(ref.id()).isEqualTo(issue.path("id").asText());
    assertThat(ref.url()).isEqualTo(jira.url() + "/browse/" + ref.number());
    assertThat(fields.path("summary").asText()).isEqualTo("Suspicious sign-in from TOR");
    assertThat(fields.path("priority").path("name").asText()).isEqualTo("Lowest");
    assertThat(fields.path("issuetype").path("name").asText()).isEqualTo("Task");
    assertThat(fields.path("assignee").path("accountId").asText()).isEqualTo("acc-alice");
    assertThat(fields.path("labels"))
        .extracting(JsonNode::asText)
        .containsExactly("TOR-exit", "sign-in", CORRELATION_LABEL, JiraTickets.MARKER_LABEL);
    assertThat(Adf.toPlainText(fields.path("description")))
        .isEqualTo(
            "Incident 3177\n\n"
                + "Entities: 185.220.101.7\n\n"
                + "Microsoft Sentinel: Incident 3177 (https://portal.azure.com/#incident/3177)");
    assertThat(fields.path("status").path("name").asText()).isEqualTo("To Do");
    JsonNode property = jira.property(ref.number(), JiraTickets.PROPERTY_KEY);
    assertThat(property.path("incident_id").asText()).isEqualTo(INCIDENT_ID);
    assertThat(property.path("correlation_id").asText())
        .isEqualTo("73e01a99-5cd7-4139-a149-9f2736ff2ab5");
  }

  @Test
  void aLongTitleIsCutToJirasSummaryLimitAndAHugeDescriptionIsBoundedButKeepsTheLink() {
    String title = "x".repeat(400);
    String description = "\"quoted\" line\n".repeat(5_000);
    TicketContent content =
        new TicketContent(
            INCIDENT_ID,
            "73e01a99-5cd7-4139-a149-9f2736ff2ab5",
            "3177",
            title,
            description,
            "High",
            IncidentStatus.NEW,
            null,
            null,
            null,
            List.of(),
            "https://portal.azure.com/#incident/3177",
            List.of());

    TicketRef ref = tickets().create(content, Map.of());

    JsonNode fields = jira.issue(ref.number()).path("fields");
    assertThat(fields.path("summary").asText()).hasSize(JiraTickets.MAX_SUMMARY);
    assertThat(fields.path("description").toString().length())
        .isLessThanOrEqualTo(JiraTickets.MAX_RICH_TEXT);
    assertThat(Adf.toPlainText(fields.path("description")))
        .contains("[truncated]")
        .endsWith("(https://portal.azure.com/#incident/3177)");
    assertThat(fields.has("assignee")).isFalse();
  }

  @Test
  void anOwnerJiraDoesNotKnowLeavesTheIssueUnassignedAndIsLookedUpOnce() {
    TicketContent content =
        new TicketContent(
            INCIDENT_ID,
            "73e01a99-5cd7-4139-a149-9f2736ff2ab5",
            "3177",
            "t",
            "d",
            "High",
            IncidentStatus.NEW,
            null,
            null,
            "nobody@contoso.com",
            List.of(),
            null,
            List.of());
    JiraTickets tickets = tickets();

    TicketRef ref = tickets.create(content, Map.of());
    tickets.update(ref, content, EnumSet.of(TicketField.OWNER));

    assertThat(jira.issue(ref.number()).path("fields").has("assignee")).isFalse();
    assertThat(jira.requestCount("GET /rest/api/3/user/search")).isEqualTo(1);
  }

  @Test
  void theIssueTypeOptionIsUsedAndAMalformedProjectOptionIsRefusedBeforeAnyCall() {
    TicketRef ref =
        tickets().create(incident("High", "New", null), Map.of("issue_type", "Security Incident"));

    assertThat(jira.issue(ref.number()).path("fields").path("issuetype").path("name").asText())
        .isEqualTo("Security Incident");
    int before = jira.requests().size();
    assertThatThrownBy(
            () -> tickets().create(incident("High", "New", null), Map.of("project", "soc; DROP")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("options.project");
    assertThat(jira.requests()).hasSize(before);
    assertThat(tickets().createOptions()).containsExactlyInAnyOrder("project", "issue_type");
  }

  @Test
  void theChangeFeedListsOurIssuesChangedAfterThePositionAndTheirStatesMapTheResolution() {
    // The account lives in New York: JQL reads "12:05" as 17:05 UTC, so writing UTC would miss
    // changes.
    jira.timeZone(ZoneId.of("America/New_York"));
    JiraTickets tickets = tickets(Map.of(JiraTickets.SET_RESOLUTION_SETTING, "true"));
    TicketRef untouched = tickets.create(incident("High", "New", null), Map.of());
    TicketRef closed = tickets.create(other("b2c4e0f1-0000-4000-8000-000000000002"), Map.of());
    TicketRef commented = tickets.create(other("b2c4e0f1-0000-4000-8000-000000000003"), Map.of());
    jira.addComment(commented.number(), "acc-bob", "before the window");
    jira.hold("Not one of ours", List.of("other"));
    Instant since = T0.plus(Duration.ofMinutes(5)).plusSeconds(30);
    jira.now(since.plusSeconds(60));
    tickets.update(
        closed,
        closedAs("b2c4e0f1-0000-4000-8000-000000000002", "FalsePositive"),
        EnumSet.of(TicketField.STATUS));
    jira.now(since.plusSeconds(120));
    jira.addComment(commented.number(), "acc-bob", "Customer confirmed the sign-in");
    jira.now(since.plus(Duration.ofHours(1)));

    List<TicketChange> changes = tickets.changesAfter(ChangePosition.startingAt(since), 50).next();
    List<TicketState> changed = tickets.states(changes, change -> since);

    assertThat(changes)
        .extracting(c -> c.position().key())
        .containsExactly(closed.number(), commented.number());
    assertThat(changes)
        .extracting(TicketChange::position)
        .isSortedAccordingTo(tickets.changeOrder());
    assertThat(changed).extracting(s -> s.ticket().id()).doesNotContain(untouched.id());
    TicketState done = changed.get(0);
    assertThat(done.incidentStatus()).isEqualTo(IncidentStatus.CLOSED);
    assertThat(done.statusName()).isEqualTo("Done");
    assertThat(done.closingNote()).isEqualTo("Won't Do");
    assertThat(done.classification()).isEqualTo("FalsePositive");
    assertThat(done.classificationReason()).isEqualTo("IncorrectAlertLogic");
    assertThat(done.correlationId()).isEqualTo("b2c4e0f1-0000-4000-8000-000000000002");
    TicketState open = changed.get(1);
    assertThat(open.incidentStatus()).isEqualTo(IncidentStatus.ACTIVE);
    assertThat(open.classification()).isNull();
    assertThat(open.comments())
        .extracting(TicketState.TicketComment::text)
        .containsExactly("Customer confirmed the sign-in");
  }

  @Test
  void issuesChangedInTheSameMinuteAtOrBeforeThePositionAreSkippedAndTheRestPagedByToken() {
    JiraTickets tickets = tickets();
    List<TicketRef> refs = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      jira.now(T0.plusMillis(100L * i));
      refs.add(tickets.create(other(String.format("b2c4e0f1-0000-4000-8000-%012d", i)), Map.of()));
    }
    jira.now(T0.plus(Duration.ofMinutes(10)));
    // Positioned at the fifth issue: JQL can only start at its minute, so the first five are read
    // and skipped.
    ChangeFeed feed =
        tickets.changesAfter(new ChangePosition(T0.plusMillis(400), refs.get(4).number()), 3);
    List<String> keys = new ArrayList<>();
    for (List<TicketChange> page = feed.next(); !page.isEmpty(); page = feed.next()) {
      page.forEach(change -> keys.add(change.position().key()));
    }

    assertThat(keys)
        .containsExactlyElementsOf(refs.subList(5, 12).stream().map(TicketRef::number).toList());
    // 12 issues in pages of 3, and one more call to learn there are no more: no issue read twice.
    assertThat(jira.requestCount("POST /rest/api/3/search/jql")).isEqualTo(4);
  }

  @Test
  void aResolutionJiraSetsByItselfMapsThroughTheResolutionMapAndAnUnknownOneIsUndetermined() {
    JiraTickets tickets =
        tickets(Map.of(JiraTickets.RESOLUTION_MAP_SETTING, "Fixed=BenignPositive"));
    TicketRef ref = tickets.create(incident("High", "Closed", "TruePositive"), Map.of());

    TicketState byDefault = tickets.read(ref.id(), T0).orElseThrow();
    TicketState custom =
        tickets(Map.of(JiraTickets.RESOLUTION_MAP_SETTING, "done=BenignPositive"))
            .read(ref.id(), T0)
            .orElseThrow();
    TicketState unknown =
        tickets(Map.of(JiraTickets.RESOLUTION_MAP_SETTING, "Done=Undetermined"))
            .read(ref.id(), T0)
            .orElseThrow();

    // Without JIRA_SET_RESOLUTION the workflow sets "Done" itself.
    assertThat(byDefault.closingNote()).isEqualTo("Done");
    assertThat(byDefault.classification()).isEqualTo("TruePositive");
    assertThat(custom.classification()).isEqualTo("BenignPositive");
    assertThat(unknown.classification()).isEqualTo("Undetermined");
    assertThat(unknown.classificationReason()).isNull();
    assertThat(tickets.read("99999", T0)).isEmpty();
  }

  @Test
  void malformedMapsAreConfigurationErrorsNamingTheSetting() {
    for (Map.Entry<String, String> bad :
        List.of(
            Map.entry(JiraTickets.PRIORITY_MAP_SETTING, "Urgent=Highest"),
            Map.entry(JiraTickets.PRIORITY_MAP_SETTING, "High"),
            Map.entry(JiraTickets.STATUS_MAP_SETTING, "Closed=category:finished"),
            Map.entry(JiraTickets.STATUS_MAP_SETTING, "Active=category:new|category:done"),
            Map.entry(JiraTickets.RESOLUTION_MAP_SETTING, "Done=Solved"))) {
      JiraTickets tickets = tickets(Map.ofEntries(bad));

      assertThatThrownBy(() -> tickets.create(incident("High", "New", null), Map.of()))
          .isInstanceOf(ConfigurationException.class)
          .satisfies(
              e -> assertThat(((ConfigurationException) e).setting()).contains(bad.getKey()));
      assertThat(tickets.readiness().status()).isEqualTo(Readiness.Status.ERROR);
      assertThat(tickets.readiness().detail()).contains(bad.getKey());
    }
    assertThat(jira.requests()).isEmpty();
  }

  @Test
  void readinessChecksTheSettingsWithoutCallingJira() {
    Readiness ready = tickets().readiness();
    Readiness unset =
        TicketsModule.jira(Settings.of(Map.of()), TestKit.kit(clock, duration -> {})).readiness();

    assertThat(ready.status()).isEqualTo(Readiness.Status.OK);
    assertThat(unset.status()).isEqualTo(Readiness.Status.NOT_CONFIGURED);
    assertThat(jira.requests()).isEmpty();
  }

  private static TicketContent other(String correlationId) {
    return closedAs(correlationId, null);
  }

  private static TicketContent closedAs(String correlationId, String classification) {
    return new TicketContent(
        INCIDENT_ID.replace("73e01a99-5cd7-4139-a149-9f2736ff2ab5", correlationId),
        correlationId,
        null,
        "Another incident",
        "d",
        "Medium",
        classification == null ? IncidentStatus.NEW : IncidentStatus.CLOSED,
        classification,
        null,
        null,
        List.of(),
        null,
        List.of());
  }
}
