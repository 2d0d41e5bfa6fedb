package com.socactions.tickets;

import static com.socactions.tickets.TicketSyncServiceTest.incident;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.socactions.platform.Settings;
import com.socactions.platform.Sleeper;
import com.socactions.sentinel.IncidentComment;
import com.socactions.testing.Azurite;
import com.socactions.testing.MutableClock;
import com.socactions.testing.TestKit;
import com.socactions.tickets.TicketSyncService.SyncOptions;
import com.socactions.tickets.jira.Adf;
import com.socactions.tickets.jira.FakeJira;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link TicketSyncService} with Jira: the key cases of {@link TicketSyncServiceTest}, against
 * {@link FakeJira} and Azurite.
 */
@ExtendWith(Azurite.class)
class JiraTicketSyncServiceTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  private final MutableClock clock = new MutableClock(NOW);
  private FakeJira jira;
  private TicketLinks links;
  private TicketSyncService sync;

  @BeforeEach
  void start() throws Exception {
    jira =
        FakeJira.start(JiraTicketsTest.EMAIL, JiraTicketsTest.TOKEN, JiraTicketsTest.PROJECT)
            .now(NOW);
    jira.addUser("acc-alice", "Alice Analyst", "alice@contoso.com", true);
    links = TicketSyncServiceTest.newLinks();
    sync = service(links);
  }

  @AfterEach
  void stop() {
    jira.close();
  }

  @Test
  void theFirstSyncCreatesOneIssueWithEveryFieldAndTheCorrelationLabel() {
    SyncResult result = sync.sync(incident("High", "New", null), "jira", SyncOptions.defaults());

    assertThat(result.action()).isEqualTo(SyncResult.Action.CREATED);
    assertThat(result.ticketNumber()).isEqualTo("SOC-1");
    assertThat(result.url()).isEqualTo(jira.url() + "/browse/SOC-1");
    JsonNode fields = jira.issue("SOC-1").path("fields");
    assertThat(result.ticketId()).isEqualTo(jira.issue("SOC-1").path("id").asText());
    assertThat(fields.path("summary").asText()).isEqualTo("Suspicious sign-in from TOR");
    assertThat(fields.path("priority").path("name").asText()).isEqualTo("High");
    assertThat(fields.path("assignee").path("accountId").asText()).isEqualTo("acc-alice");
    assertThat(fields.path("labels"))
        .extracting(JsonNode::asText)
        .containsExactly("tor", JiraTicketsTest.CORRELATION_LABEL, JiraTickets.MARKER_LABEL);
    assertThat(result.commentHtml()).contains("SOC-1").contains("<a href=");
  }

  @Test
  void aSecondSyncOfAnUnchangedIncidentMakesNoJiraCall() {
    sync.sync(incident("High", "New", null), "jira", SyncOptions.defaults());
    int before = jira.requests().size();

    SyncResult again = sync.sync(incident("High", "New", null), "jira", SyncOptions.defaults());

    assertThat(again.action()).isEqualTo(SyncResult.Action.UNCHANGED);
    assertThat(jira.requests()).hasSize(before);
  }

  @Test
  void aChangedSeverityWritesOnlyThePriority() throws Exception {
    sync.sync(incident("High", "New", null), "jira", SyncOptions.defaults());
    int before = jira.requests().size();

    SyncResult updated = sync.sync(incident("Low", "New", null), "jira", SyncOptions.defaults());

    assertThat(updated.fieldsChanged()).containsExactly("priority");
    List<RecordedRequest> sent = jira.requests().subList(before, jira.requests().size());
    assertThat(sent).hasSize(1);
    assertThat(sent.get(0).getMethod()).isEqualTo("PUT");
    JsonNode body = JSON.readTree(sent.get(0).getBody().utf8());
    assertThat(body.path("fields").properties())
        .extracting(Map.Entry::getKey)
        .containsExactly("priority");
    assertThat(jira.issue("SOC-1").path("fields").path("priority").path("name").asText())
        .isEqualTo("Low");
  }

  @Test
  void closingMovesTheIssueToDoneByATransitionAndReopeningMovesItBackToInProgress() {
    sync.sync(incident("High", "Active", null), "jira", SyncOptions.defaults());
    assertThat(status("SOC-1")).isEqualTo("In Progress");

    SyncResult closed =
        sync.sync(incident("High", "Closed", "TruePositive"), "jira", SyncOptions.defaults());

    assertThat(closed.fieldsChanged()).containsExactly("status");
    assertThat(status("SOC-1")).isEqualTo("Done");
    assertThat(jira.issue("SOC-1").path("fields").path("resolution").path("name").asText())
        .isEqualTo("Done");

    // The workflow offers only Reopen (to To Do) from Done: the sync hops through it to In
    // Progress.
    sync.sync(incident("High", "Active", null), "jira", SyncOptions.defaults());

    assertThat(status("SOC-1")).isEqualTo("In Progress");
    assertThat(jira.issue("SOC-1").path("fields").path("resolution").isNull()).isTrue();
    assertThat(
            jira.requestCount("PUT /rest/api/3/issue/" + jira.issue("SOC-1").path("id").asText()))
        .isZero();
  }

  @Test
  void tenConcurrentSyncsOfANewIncidentMakeOneIssue() throws Exception {
    TicketSyncService racing =
        new TicketSyncService(
            List.of(tickets()),
            links,
            clock,
            Sleeper.SYSTEM,
            TicketSyncService.DEFAULT_CLAIM_TIMEOUT,
            Duration.ofDays(1));
    List<SyncResult> results = TicketSyncServiceTest.syncConcurrently(racing, "jira", 10);

    assertThat(results).extracting(SyncResult::ticketId).containsOnly(results.get(0).ticketId());
    assertThat(results).filteredOn(r -> r.action() == SyncResult.Action.CREATED).hasSize(1);
    assertThat(jira.requestCount("POST /rest/api/3/issue")).isEqualTo(1);
  }

  @Test
  void aLostLinkRowFindsTheIssueByItsCorrelationLabelInsteadOfMakingASecond() {
    SyncResult created = sync.sync(incident("High", "New", null), "jira", SyncOptions.defaults());

    SyncResult again =
        service(TicketSyncServiceTest.newLinks())
            .sync(incident("High", "New", null), "jira", SyncOptions.defaults());

    assertThat(again.ticketId()).isEqualTo(created.ticketId());
    assertThat(again.action()).isEqualTo(SyncResult.Action.UPDATED);
    assertThat(jira.requestCount("POST /rest/api/3/issue")).isEqualTo(1);
  }

  @Test
  void newIncidentCommentsBecomeOneJiraCommentAndCommentsFromTheTicketAreNotCopied() {
    List<IncidentComment> comments =
        List.of(
            new IncidentComment("c1", "<p>Isolated the <b>host</b></p>", "alice@contoso.com", NOW),
            new IncidentComment("c2", "[From Jira SOC-1] already there", "SOC Actions", NOW),
            new IncidentComment("c3", "Reset the password", "bob@contoso.com", NOW));

    SyncResult created =
        sync.sync(incident("High", "Active", null, comments), "jira", SyncOptions.defaults());
    SyncResult again =
        sync.sync(incident("High", "Active", null, comments), "jira", SyncOptions.defaults());

    assertThat(created.commentsCopied()).isEqualTo(2);
    assertThat(again.action()).isEqualTo(SyncResult.Action.UNCHANGED);
    assertThat(jira.commentsOf("SOC-1")).hasSize(1);
    assertThat(Adf.toPlainText(jira.commentsOf("SOC-1").get(0).path("body")))
        .isEqualTo(
            "[Microsoft Sentinel] alice@contoso.com at 2026-03-01T12:00:00Z:\n"
                + "Isolated the host\n\n"
                + "[Microsoft Sentinel] bob@contoso.com at 2026-03-01T12:00:00Z:\n"
                + "Reset the password");
  }

  // ---- helpers ----

  private String status(String key) {
    return jira.issue(key).path("fields").path("status").path("name").asText();
  }

  private TicketSyncService service(TicketLinks into) {
    return new TicketSyncService(
        List.of(tickets()), into, clock, duration -> clock.advance(duration));
  }

  private JiraTickets tickets() {
    return TicketsModule.jira(
        Settings.of(JiraTicketsTest.settings(jira)), TestKit.kit(clock, Sleeper.SYSTEM));
  }
}
