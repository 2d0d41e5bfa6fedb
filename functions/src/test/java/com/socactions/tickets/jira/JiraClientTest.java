package com.socactions.tickets.jira;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.socactions.platform.Settings;
import com.socactions.platform.UpstreamException;
import com.socactions.platform.UpstreamFailure;
import com.socactions.platform.UpstreamPolicy;
import com.socactions.testing.MutableClock;
import com.socactions.testing.TestKit;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JiraClientTest {
  private static final String EMAIL = "soc-bot@contoso.com";
  private static final String TOKEN = "ATATT-never-shown-0123";
  private static final String PROJECT = "PROJ";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final MutableClock clock = new MutableClock(Instant.parse("2025-03-01T10:00:00Z"));
  private final List<Duration> waits = new CopyOnWriteArrayList<>();
  private FakeJira fake;

  @BeforeEach
  void start() throws Exception {
    fake = FakeJira.start(EMAIL, TOKEN, PROJECT);
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  private JiraClient client(String token, int pageSize) {
    JiraSettings settings =
        JiraSettings.from(
            Settings.of(
                Map.of(
                    "JIRA_URL",
                    fake.url(),
                    "JIRA_EMAIL",
                    EMAIL,
                    "JIRA_API_TOKEN",
                    token,
                    "JIRA_PROJECT",
                    PROJECT)));
    return JiraClient.create(
        TestKit.kit(clock, waits::add), settings, UpstreamPolicy.Options.defaults(), pageSize);
  }

  private JiraClient client() {
    return client(TOKEN, JiraClient.DEFAULT_SEARCH_PAGE_SIZE);
  }

  private static ObjectNode fields(String summary) {
    ObjectNode fields = JSON.createObjectNode().put("summary", summary);
    fields.putObject("issuetype").put("name", "Task");
    return fields;
  }

  private static List<String> keys(JiraClient.SearchResult result) {
    return result.issues().stream().map(issue -> issue.path("key").asText()).toList();
  }

  private static JsonNode body(RecordedRequest request) throws Exception {
    return JSON.readTree(request.getBody().utf8());
  }

  // ---- issues ----

  @Test
  void aCreatedIssueLandsInTheConfiguredProjectAndReadsBack() throws Exception {
    ObjectNode fields = fields("Suspicious sign-in");
    fields.set("description", Adf.fromPlainText("Seen from 203.0.113.7"));

    JiraClient.CreatedIssue created = client().createIssue(fields);

    assertThat(created.key()).isEqualTo("PROJ-1");
    assertThat(created.id()).isNotEmpty();
    assertThat(created.self()).endsWith("/rest/api/3/issue/" + created.id());
    assertThat(body(fake.requests().get(0)).path("fields").path("project").path("key").asText())
        .isEqualTo(PROJECT);
    ObjectNode read = client().getIssue("PROJ-1", "summary", "description").orElseThrow();
    assertThat(read.path("fields").path("summary").asText()).isEqualTo("Suspicious sign-in");
    assertThat(Adf.toPlainText(read.path("fields").path("description")))
        .isEqualTo("Seen from 203.0.113.7");
    assertThat(read.path("fields").has("status")).isFalse();
  }

  @Test
  void aGetAsksOnlyForTheNamedFields() {
    fake.hold("x", List.of());

    client().getIssue("PROJ-1", "summary", "labels");

    assertThat(fake.requests().get(0).getUrl().queryParameter("fields"))
        .isEqualTo("summary,labels");
  }

  @Test
  void anIssueThatDoesNotExistReadsAsEmpty() {
    assertThat(client().getIssue("PROJ-99")).isEmpty();
  }

  @Test
  void aRefusedCreateNamesEveryFieldJiraRefused() {
    ObjectNode fields = JSON.createObjectNode().put("customfield_99999", "x");

    assertThatThrownBy(() -> client().createIssue(fields))
        .isInstanceOfSatisfying(
            UpstreamException.class,
            e -> {
              assertThat(e.failure()).isEqualTo(UpstreamFailure.REJECTED);
              assertThat(e.getMessage())
                  .startsWith("Jira could not create an issue (HTTP 400): ")
                  .contains("customfield_99999: Field 'customfield_99999' cannot be set")
                  .contains("summary: You must specify a summary of the issue.");
            });
    assertThat(fake.requests()).hasSize(1); // a 400 is an answer, never retried
  }

  @Test
  void theRecordedErrorCollectionReadsAsFieldAndMessage() {
    assertThat(JiraClient.errorMessage(FakeJira.fixture("error_400_errorCollection.json")))
        .isEqualTo("projectKey: A project with that project key already exists.");
    assertThat(
            JiraClient.errorMessage("{\"errorMessages\":[\"Issue does not exist\"],\"errors\":{}}"))
        .isEqualTo("Issue does not exist");
    assertThat(JiraClient.errorMessage("<html>Bad gateway</html>")).isEmpty();
  }

  @Test
  void anUpdateChangesOnlyTheGivenFields() throws Exception {
    String key = fake.hold("old title", List.of("keep"));

    client().updateIssue(key, JSON.createObjectNode().put("summary", "new title"));

    assertThat(fake.issue(key).path("fields").path("summary").asText()).isEqualTo("new title");
    assertThat(fake.issue(key).path("fields").path("labels").get(0).asText()).isEqualTo("keep");
    assertThat(fake.requests().get(0).getMethod()).isEqualTo("PUT");
    assertThat(body(fake.requests().get(0)).has("update")).isFalse();
  }

  @Test
  void anUpdateOfAMissingIssueFailsWithA404ThatSaysSo() {
    assertThatThrownBy(
            () -> client().updateIssue("PROJ-42", JSON.createObjectNode().put("summary", "x")))
        .isInstanceOfSatisfying(
            UpstreamException.class,
            e -> {
              assertThat(e.failure()).isEqualTo(UpstreamFailure.NOT_FOUND);
              assertThat(e.getMessage()).contains("edit issue PROJ-42").contains("not found");
            });
  }

  @Test
  void labelsAreAddedAndRemovedWithoutTouchingTheOthers() throws Exception {
    String key = fake.hold("x", List.of("someone-elses", "sentinel-old"));

    client().addLabels(key, List.of("sentinel-abc", "someone-elses"));
    client().removeLabels(key, List.of("sentinel-old"));

    assertThat(fake.issue(key).path("fields").path("labels"))
        .extracting(JsonNode::asText)
        .containsExactly("someone-elses", "sentinel-abc");
    assertThat(
            body(fake.requests().get(0)).path("update").path("labels").get(0).path("add").asText())
        .isEqualTo("sentinel-abc");
  }

  @Test
  void setLabelsReplacesThemAll() {
    String key = fake.hold("x", List.of("a", "b"));

    client().setLabels(key, List.of("c"));

    assertThat(fake.issue(key).path("fields").path("labels"))
        .extracting(JsonNode::asText)
        .containsExactly("c");
  }

  @Test
  void aLabelWithASpaceIsRefusedBeforeAnyCall() {
    assertThatThrownBy(() -> client().addLabels("PROJ-1", List.of("two words")))
        .hasMessageContaining("without spaces");
    assertThat(fake.requests()).isEmpty();
  }

  @Test
  void anIssueKeyThatIsNotOneNeverReachesThePath() {
    assertThatThrownBy(() -> client().getIssue("..")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> client().getIssue("PROJ-1/transitions"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(fake.requests()).isEmpty();
  }

  // ---- search ----

  @Test
  void aSearchFollowsNextPageTokenAcrossPagesOnTheEnhancedEndpoint() throws Exception {
    for (int i = 0; i < 5; i++) {
      fake.hold("issue " + i, List.of("batch"));
    }
    fake.hold("other", List.of());
    fake.maxPageSize(2);

    JiraClient.SearchResult result =
        client().search(Jql.projectAndLabel(PROJECT, "batch"), List.of("summary", "labels"));

    assertThat(keys(result)).containsExactly("PROJ-1", "PROJ-2", "PROJ-3", "PROJ-4", "PROJ-5");
    assertThat(result.truncated()).isFalse();
    assertThat(fake.requestCount("POST /rest/api/3/search/jql")).isEqualTo(3);
    assertThat(fake.requests())
        .noneMatch(r -> r.getUrl().encodedPath().equals("/rest/api/3/search"));
    assertThat(body(fake.requests().get(0)).has("nextPageToken")).isFalse();
    assertThat(body(fake.requests().get(1)).path("nextPageToken").asText()).isNotEmpty();
    assertThat(result.issues().get(0).path("fields").path("summary").asText()).isEqualTo("issue 0");
  }

  @Test
  void aSearchStopsAtItsBoundAndSaysSo() {
    for (int i = 0; i < 5; i++) {
      fake.hold("issue " + i, List.of("batch"));
    }
    fake.maxPageSize(2);

    JiraClient.SearchResult result =
        client().search(Jql.projectAndLabel(PROJECT, "batch"), List.of("summary"), 3);

    assertThat(result.issues()).hasSize(3);
    assertThat(result.truncated()).isTrue();
    assertThat(fake.requestCount("POST /rest/api/3/search/jql")).isEqualTo(2);
  }

  @Test
  void aLabelValueThatLooksLikeJqlMatchesOnlyItself() {
    fake.hold("victim", List.of("secret-project"));
    String hostile = "x\" OR labels != \"nothing";

    JiraClient.SearchResult result =
        client().search(Jql.projectAndLabel(PROJECT, hostile), List.of("summary"));

    assertThat(result.issues()).isEmpty();
    // The same value spliced in unquoted would have matched the victim: the fake reads OR as JQL
    // does.
    assertThat(
            keys(
                client()
                    .search("project = PROJ AND labels = \"" + hostile + "\"", List.of("summary"))))
        .containsExactly("PROJ-1");
  }

  @Test
  void issuesUpdatedSinceAWatermarkAreFoundOldestFirst() {
    fake.now(Instant.parse("2025-03-01T09:00:00Z")).hold("old", List.of());
    fake.now(Instant.parse("2025-03-01T10:05:00Z")).hold("new", List.of());
    fake.now(Instant.parse("2025-03-01T10:10:00Z"));
    client().updateIssue("PROJ-1", JSON.createObjectNode().put("summary", "old, edited"));

    JiraClient.SearchResult result =
        client()
            .search(
                Jql.updatedSince(PROJECT, Instant.parse("2025-03-01T10:00:30Z"), ZoneOffset.UTC),
                List.of("summary", "updated"));

    assertThat(keys(result)).containsExactly("PROJ-2", "PROJ-1");
  }

  @Test
  void jqlThatJiraCannotReadFailsWithJirasMessage() {
    assertThatThrownBy(
            () -> client().search("project = PROJ AND nonsense ~~ 1", List.of("summary")))
        .isInstanceOfSatisfying(
            UpstreamException.class,
            e -> {
              assertThat(e.failure()).isEqualTo(UpstreamFailure.REJECTED);
              assertThat(e.getMessage())
                  .contains("search issues")
                  .contains("Error in the JQL Query");
            });
  }

  // ---- transitions ----

  @Test
  void transitionsAreTheOnesTheWorkflowOffersNow() {
    String key = fake.hold("x", List.of());

    List<JiraTransition> offered = client().transitions(key);

    assertThat(offered).extracting(JiraTransition::name).containsExactly("Start progress", "Done");
    assertThat(offered.get(0).toStatusName()).isEqualTo("In Progress");
    assertThat(offered.get(0).toCategory()).contains(StatusCategory.IN_PROGRESS);
  }

  @Test
  void anIssueIsClosedByCategoryAndReopenedByName() throws Exception {
    String key = fake.hold("x", List.of());

    assertThat(client().moveTo(key, StatusTarget.category(StatusCategory.DONE), null))
        .map(JiraTransition::id)
        .contains("31");
    assertThat(fake.issue(key).path("fields").path("status").path("name").asText())
        .isEqualTo("Done");

    assertThat(client().moveTo(key, StatusTarget.named(List.of("To Do"), StatusCategory.NEW), null))
        .map(JiraTransition::name)
        .contains("Reopen");
    assertThat(fake.issue(key).path("fields").path("status").path("name").asText())
        .isEqualTo("To Do");
    assertThat(body(fake.requests().get(1)).path("transition").path("id").asText()).isEqualTo("31");
  }

  @Test
  void aTargetNoTransitionReachesChangesNothing() {
    String key = fake.hold("x", List.of());

    assertThat(client().moveTo(key, StatusTarget.named(List.of("Resolved"), null), null)).isEmpty();

    assertThat(fake.requestCount("POST /rest/api/3/issue/" + key + "/transitions")).isZero();
    assertThat(fake.issue(key).path("fields").path("status").path("name").asText())
        .isEqualTo("To Do");
  }

  @Test
  void aNamedStatusIsPreferredOverTheCategory() {
    List<JiraTransition> offered =
        List.of(
            new JiraTransition("51", "Won't do", "6", "Won't Do", "done", true),
            new JiraTransition("31", "Resolve", "5", "Resolved", "done", true),
            new JiraTransition("61", "Close", "7", "Closed", "done", false));

    assertThat(StatusTarget.named(List.of("Closed", "Resolved"), StatusCategory.DONE).pick(offered))
        .map(JiraTransition::id)
        .contains("31");
    assertThat(StatusTarget.category(StatusCategory.DONE).pick(offered))
        .map(JiraTransition::id)
        .contains("51");
  }

  @Test
  void theRecordedTransitionsReadWithTheirTargetStatus() throws Exception {
    List<JiraTransition> recorded =
        JSON.readTree(FakeJira.fixture("GET_rest_api_3_issue_transitions.json"))
            .path("transitions")
            .valueStream()
            .map(JiraTransition::of)
            .toList();
    List<JiraTransition> minimal =
        JSON.readTree(FakeJira.fixture("GET_rest_api_3_issue_transitions_jira-cli.json"))
            .path("transitions")
            .valueStream()
            .map(JiraTransition::of)
            .toList();

    assertThat(recorded)
        .extracting(JiraTransition::toStatusName)
        .containsExactly("In Progress", "Closed");
    assertThat(StatusTarget.named(List.of("Closed"), null).pick(recorded))
        .map(JiraTransition::id)
        .contains("711");
    // Without "to", only the transition's own name can match; an unavailable one is never picked.
    assertThat(
            StatusTarget.named(List.of("Done", "In Progress"), StatusCategory.DONE).pick(minimal))
        .map(JiraTransition::id)
        .contains("21");
  }

  @Test
  void aTransitionNotOfferedNowIsRefusedWithJirasReason() {
    String key = fake.hold("x", List.of());

    assertThatThrownBy(() -> client().transition(key, "41", null))
        .isInstanceOfSatisfying(
            UpstreamException.class,
            e ->
                assertThat(e.getMessage())
                    .contains("Transition id '41' is not valid for this issue."));
  }

  // ---- comments ----

  @Test
  void anAddedCommentComesBackWithItsTextAndAuthor() {
    String key = fake.hold("x", List.of());

    JiraComment comment = client().addComment(key, Adf.fromPlainText("Contained by the SOC."));

    assertThat(comment.id()).isNotEmpty();
    assertThat(comment.text()).isEqualTo("Contained by the SOC.");
    assertThat(comment.authorAccountId()).isEqualTo("fake-integration-account");
    assertThat(comment.created()).isEqualTo(Instant.parse("2025-03-01T10:00:00Z"));
    assertThat(fake.commentsOf(key)).hasSize(1);
  }

  @Test
  void commentsSinceAnInstantAreOldestFirstAndStopPagingAtTheFirstOlderOne() {
    String key = fake.hold("x", List.of());
    for (int i = 0; i < 6; i++) {
      fake.now(Instant.parse("2025-03-01T10:00:00Z").plus(Duration.ofMinutes(i)))
          .addComment(key, "analyst", "c" + i);
    }
    fake.maxPageSize(2);

    List<JiraComment> recent =
        client(TOKEN, 2).comments(key, Instant.parse("2025-03-01T10:03:00Z"));

    assertThat(recent).extracting(JiraComment::text).containsExactly("c3", "c4", "c5");
    assertThat(fake.requestCount("GET /rest/api/3/issue/" + key + "/comment")).isEqualTo(2);
    assertThat(fake.requests().get(0).getUrl().queryParameter("orderBy")).isEqualTo("-created");
  }

  @Test
  void allCommentsArePagedWithStartAt() {
    String key = fake.hold("x", List.of());
    for (int i = 0; i < 5; i++) {
      fake.addComment(key, "analyst", "c" + i);
    }
    fake.maxPageSize(2);

    List<JiraComment> all = client(TOKEN, 2).comments(key, null);

    assertThat(all).extracting(JiraComment::text).containsExactly("c0", "c1", "c2", "c3", "c4");
    assertThat(fake.requests())
        .extracting(r -> r.getUrl().queryParameter("startAt"))
        .containsExactly("0", "2", "4");
  }

  @Test
  void theRecordedCommentReadsAsTextWithItsDates() throws Exception {
    JiraComment comment =
        JiraComment.of(
            JSON.readTree(FakeJira.fixture("GET_rest_api_3_issue_comment_docs_example.json")));

    assertThat(comment.text()).startsWith("Lorem ipsum dolor sit amet").endsWith("augue semper.");
    assertThat(comment.authorAccountId()).isEqualTo("5b10a2844c20165700ede21g");
    assertThat(comment.created()).isEqualTo(Instant.parse("2021-02-26T01:45:03.821Z"));
  }

  // ---- properties ----

  @Test
  void anIssuePropertyIsStoredAndReadBack() {
    String key = fake.hold("x", List.of());
    ObjectNode value =
        JSON.createObjectNode()
            .put("incidentId", "1b0c6e2a-8f9c-4d4e-9d6a-0f3c1e2d3b4a")
            .put("number", 42);

    client().setProperty(key, "soc-actions.sentinel", value);

    assertThat(client().getProperty(key, "soc-actions.sentinel")).contains(value);
    assertThat(client().getProperty(key, "soc-actions.other")).isEmpty();
  }

  @Test
  void aPropertyKeyThatIsNotOneIsRefusedBeforeAnyCall() {
    assertThatThrownBy(() -> client().getProperty("PROJ-1", "../../issue"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(fake.requests()).isEmpty();
  }

  // ---- failures ----

  @Test
  void refusedCredentialsNameTheSettingsAndNeverTheToken() {
    assertThatThrownBy(() -> client("wrong-" + TOKEN, 100).getIssue("PROJ-1"))
        .isInstanceOfSatisfying(
            UpstreamException.class,
            e -> {
              assertThat(e.failure()).isEqualTo(UpstreamFailure.UNAUTHORIZED);
              assertThat(e.getMessage())
                  .contains("JIRA_EMAIL and JIRA_API_TOKEN")
                  .doesNotContain(TOKEN);
              assertThat(String.valueOf(e.bodyExcerpt())).doesNotContain(TOKEN);
            });
    assertThat(fake.requests()).hasSize(1);
    assertThat(fake.requests().get(0).getHeaders().get("Authorization")).startsWith("Basic ");
  }

  @Test
  void a429IsRetriedAfterTheWaitJiraAsksFor() {
    fake.hold("x", List.of());
    fake.failNext(1, 429, Map.of("Retry-After", "3"));

    assertThat(client().getIssue("PROJ-1")).isPresent();

    assertThat(waits).containsExactly(Duration.ofSeconds(3));
    assertThat(fake.requests()).hasSize(2);
  }

  @Test
  void a429WithALongWaitIsHandedBackWithItsRetryAfter() {
    fake.failNext(1, 429, Map.of("Retry-After", "120"));

    assertThatThrownBy(() -> client().getIssue("PROJ-1"))
        .isInstanceOfSatisfying(
            UpstreamException.class,
            e -> {
              assertThat(e.failure()).isEqualTo(UpstreamFailure.THROTTLED);
              assertThat(e.retryAfter()).contains(Duration.ofSeconds(120));
              assertThat(e.getMessage()).contains("rate limiting").contains("retry after 120 s");
            });
    assertThat(waits).isEmpty();
  }

  @Test
  void a503IsRetriedWithBackoffAndThenSucceeds() {
    fake.hold("x", List.of());
    fake.failNext(2, 503, Map.of());

    assertThat(client().getIssue("PROJ-1")).isPresent();

    assertThat(waits)
        .containsExactly(
            UpstreamPolicy.DEFAULT_BACKOFF, UpstreamPolicy.DEFAULT_BACKOFF.multipliedBy(2));
  }

  @Test
  void aForbiddenActionSaysWhatWasDenied() {
    fake.failNext(1, 403, Map.of());

    assertThatThrownBy(() -> client().transitions("PROJ-1"))
        .isInstanceOfSatisfying(
            UpstreamException.class,
            e ->
                assertThat(e.getMessage())
                    .contains("denied the account the right to read the transitions of PROJ-1"));
  }
}
