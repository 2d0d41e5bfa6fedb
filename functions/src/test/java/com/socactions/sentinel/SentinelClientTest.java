package com.socactions.sentinel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.credential.AccessToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.socactions.platform.AzureCredentials;
import com.socactions.platform.ConfigurationException;
import com.socactions.platform.FakeManagedIdentityEndpoint;
import com.socactions.platform.Settings;
import com.socactions.platform.UpstreamException;
import com.socactions.platform.UpstreamFailure;
import com.socactions.platform.UpstreamPolicy;
import com.socactions.testing.MutableClock;
import com.socactions.testing.TestKit;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

class SentinelClientTest {
  private static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJzZW50aW5lbCJ9.c2lnbmF0dXJl";
  private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");
  private static final String INCIDENT = FakeSentinelApi.recordedIncidentId();
  private static final ArmIncidentId ID = ArmIncidentId.parse(INCIDENT);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final MutableClock clock = new MutableClock(NOW);
  private final List<Duration> waits = new CopyOnWriteArrayList<>();
  private final List<String> scopes = new CopyOnWriteArrayList<>();
  private final AzureCredentials credentials =
      AzureCredentials.of(
          request -> {
            scopes.addAll(request.getScopes());
            return Mono.just(new AccessToken(TOKEN, OffsetDateTime.now().plusHours(1)));
          });
  private final AtomicInteger commentNumber = new AtomicInteger();
  private FakeSentinelApi sentinel;

  @BeforeEach
  void start() throws Exception {
    sentinel = FakeSentinelApi.start(TOKEN).seedRecorded();
  }

  @AfterEach
  void stop() {
    sentinel.close();
  }

  private SentinelClient client() {
    return client(credentials);
  }

  private SentinelClient client(AzureCredentials identity) {
    return new SentinelClient(
        SentinelClient.upstreamClient(
            TestKit.kit(clock, waits::add), HttpUrl.get(sentinel.baseUrl()), identity),
        () -> new UUID(0, commentNumber.incrementAndGet()),
        SentinelClient.DEFAULT_MAX_UPDATE_ATTEMPTS);
  }

  private List<RecordedRequest> writes() {
    return sentinel.requests().stream()
        .filter(request -> request.getMethod().equals("PUT"))
        .toList();
  }

  // ---- read and write ----

  @Test
  void anIncidentIsReadWithItsEtagUsingTheOneApiVersionAndATokenForTheManagementScope() {
    IncidentResource incident = client().getIncident(ID).orElseThrow();

    assertThat(incident.etag()).isEqualTo("\"0300bf09-0000-0000-0000-5c37296e0000\"");
    assertThat(incident.properties().path("title").asText()).isEqualTo("My incident");
    RecordedRequest request = sentinel.requests().get(0);
    assertThat(request.getUrl().encodedPath()).isEqualTo(ID.path());
    assertThat(request.getUrl().queryParameter("api-version")).isEqualTo("2024-09-01");
    assertThat(scopes).containsOnly(sentinel.baseUrl() + "/.default");
  }

  @Test
  void anIncidentSentinelDoesNotHoldIsEmpty() {
    ArmIncidentId missing = ArmIncidentId.parse(INCIDENT.replace("73e01a99", "00000000"));

    assertThat(client().getIncident(missing)).isEmpty();
  }

  @Test
  void aPutSendsTheEtagInTheBodyAndAsIfMatchAndAnswersWithTheNewEtag() throws Exception {
    IncidentResource read = client().getIncident(ID).orElseThrow();
    ObjectNode body = JSON.createObjectNode();
    body.set("properties", read.properties().deepCopy().put("status", "Active"));

    IncidentResource written = client().putIncident(ID, body, read.etag());

    RecordedRequest put = writes().get(0);
    assertThat(put.getHeaders().get("If-Match")).isEqualTo(read.etag());
    assertThat(JSON.readTree(put.getBody().utf8()).path("etag").asText()).isEqualTo(read.etag());
    assertThat(written.etag()).isNotEqualTo(read.etag());
    assertThat(written.properties().path("status").asText()).isEqualTo("Active");
    assertThat(sentinel.incident(INCIDENT).path("etag").asText()).isEqualTo(written.etag());
    assertThat(body.has("etag")).as("the caller's resource is left alone").isFalse();
  }

  @Test
  void aPutWithAStaleIfMatchIsAConflict() {
    IncidentResource read = client().getIncident(ID).orElseThrow();
    sentinel.edit(INCIDENT, properties -> properties.put("severity", "Low"));

    assertThatThrownBy(
            () ->
                client()
                    .putIncident(
                        ID,
                        JSON.createObjectNode().set("properties", read.properties()),
                        read.etag()))
        .isInstanceOfSatisfying(
            IncidentConflictException.class,
            e -> {
              assertThat(e.failure()).isEqualTo(UpstreamFailure.CONFLICT);
              assertThat(e.getMessage()).contains("HTTP 412");
            });
    assertThat(waits).as("a conflict is not retried as it stands").isEmpty();
  }

  @Test
  void aStaleEtagInTheBodyIsAConflictAsSentinelAnswersIt() {
    sentinel.ignoreIfMatch();
    IncidentResource read = client().getIncident(ID).orElseThrow();
    sentinel.edit(INCIDENT, properties -> properties.put("severity", "Low"));

    assertThatThrownBy(
            () ->
                client()
                    .putIncident(
                        ID,
                        JSON.createObjectNode().set("properties", read.properties()),
                        read.etag()))
        .isInstanceOfSatisfying(
            IncidentConflictException.class,
            e -> {
              assertThat(e.failure()).isEqualTo(UpstreamFailure.CONFLICT);
              assertThat(e.getMessage()).contains("Conflict: Newer version of resource");
            });
  }

  // ---- read-modify-write ----

  @Test
  void anUpdateThatMeetsAConcurrentWriterReadsAgainAndKeepsBothChanges() {
    sentinel.beforeNextWrite(
        api -> api.edit(INCIDENT, properties -> properties.put("severity", "Low")));

    IncidentResource updated =
        client().updateIncident(ID, properties -> properties.put("status", "Active"));

    ObjectNode held = (ObjectNode) sentinel.incident(INCIDENT).path("properties");
    assertThat(held.path("status").asText()).isEqualTo("Active");
    assertThat(held.path("severity").asText())
        .as("the other writer's change survives")
        .isEqualTo("Low");
    assertThat(updated.etag()).isEqualTo(sentinel.incident(INCIDENT).path("etag").asText());
    assertThat(writes()).hasSize(2);
    assertThat(sentinel.writes()).isEqualTo(1);
  }

  @Test
  void anUpdateThatChangesNothingWritesNothing() {
    IncidentResource result =
        client().updateIncident(ID, properties -> properties.put("status", "Closed"));

    assertThat(writes()).isEmpty();
    assertThat(result.etag()).isEqualTo("\"0300bf09-0000-0000-0000-5c37296e0000\"");
  }

  @Test
  void anIncidentThatKeepsChangingEndsTheUpdateAfterTheBoundedAttempts() {
    for (int i = 0; i < SentinelClient.DEFAULT_MAX_UPDATE_ATTEMPTS; i++) {
      sentinel.beforeNextWrite(
          api -> api.edit(INCIDENT, properties -> properties.put("description", "busy")));
    }

    assertThatThrownBy(
            () -> client().updateIncident(ID, properties -> properties.put("status", "Active")))
        .isInstanceOf(IncidentConflictException.class)
        .hasMessageContaining("5 attempts");
    assertThat(writes()).hasSize(SentinelClient.DEFAULT_MAX_UPDATE_ATTEMPTS);
    assertThat(sentinel.writes()).isZero();
  }

  @Test
  void anUpdateOfAnIncidentSentinelDoesNotHoldIsA404() {
    ArmIncidentId missing = ArmIncidentId.parse(INCIDENT.replace("73e01a99", "00000000"));

    assertThatThrownBy(
            () ->
                client().updateIncident(missing, properties -> properties.put("status", "Active")))
        .isInstanceOfSatisfying(
            UpstreamException.class,
            e -> assertThat(e.failure()).isEqualTo(UpstreamFailure.NOT_FOUND));
  }

  // ---- typed incident changes ----

  @Test
  void aReopenMakesAClosedIncidentActiveAndClearsItsClassification() {
    SentinelClient.ChangedIncident changed = client().changeIncident(ID, IncidentChange.reopen());

    ObjectNode held = (ObjectNode) sentinel.incident(INCIDENT).path("properties");
    assertThat(changed.applied()).isTrue();
    assertThat(held.path("status").asText()).isEqualTo("Active");
    assertThat(held.has("classification")).isFalse();
    assertThat(held.has("classificationComment")).isFalse();
    assertThat(changed.incident().status()).contains(IncidentStatus.ACTIVE);
    assertThat(sentinel.writes()).isEqualTo(1);
  }

  @Test
  void aCloseOfAnIncidentAlreadyClosedAppliesNothingAndWritesNothing() {
    SentinelClient.ChangedIncident changed =
        client().changeIncident(ID, IncidentChange.close("FalsePositive", null, "again"));

    assertThat(changed.applied()).isFalse();
    assertThat(writes()).isEmpty();
    assertThat(changed.incident().status()).contains(IncidentStatus.CLOSED);
  }

  @Test
  void aCloseWritesTheClassificationAndLeavesNoReasonOfAnEarlierClose() {
    client().changeIncident(ID, IncidentChange.reopen());

    SentinelClient.ChangedIncident changed =
        client().changeIncident(ID, IncidentChange.close(null, null, "Resolved in ServiceNow"));

    ObjectNode held = (ObjectNode) sentinel.incident(INCIDENT).path("properties");
    assertThat(changed.applied()).isTrue();
    assertThat(held.path("status").asText()).isEqualTo("Closed");
    assertThat(held.path("classification").asText()).isEqualTo(IncidentChange.UNDETERMINED);
    assertThat(held.has("classificationReason")).isFalse();
    assertThat(held.path("classificationComment").asText()).isEqualTo("Resolved in ServiceNow");
  }

  @Test
  void aChangeIsDecidedAgainOnTheVersionAConcurrentWriterLeft() {
    sentinel.beforeNextWrite(
        api ->
            api.edit(
                INCIDENT,
                properties ->
                    properties
                        .put("status", "Active")
                        .remove(List.of("classification", "classificationReason"))));

    SentinelClient.ChangedIncident changed = client().changeIncident(ID, IncidentChange.reopen());

    assertThat(changed.applied()).as("the other writer reopened it first").isFalse();
    assertThat(changed.incident().status()).contains(IncidentStatus.ACTIVE);
    assertThat(writes()).as("the one write tried met the newer version").hasSize(1);
    assertThat(sentinel.writes()).isZero();
  }

  // ---- comments and entities ----

  @Test
  void commentsAreReadAcrossEveryPage() {
    sentinel.seedComments(INCIDENT, 7).commentPageSize(3);

    List<ObjectNode> comments = client().listComments(ID);

    assertThat(comments)
        .extracting(comment -> comment.path("properties").path("message").asText())
        .containsExactly(
            "comment 1",
            "comment 2",
            "comment 3",
            "comment 4",
            "comment 5",
            "comment 6",
            "comment 7");
    assertThat(sentinel.requests()).hasSize(3);
  }

  @Test
  void aCommentIsAddedUnderANewNameEachTime() {
    SentinelClient client = client();

    client.addComment(ID, "Ticket INC0010001 opened");
    ObjectNode second = client.addComment(ID, "Ticket INC0010001 resolved");

    assertThat(sentinel.comments(INCIDENT))
        .extracting(comment -> comment.path("properties").path("message").asText())
        .containsExactly("Ticket INC0010001 opened", "Ticket INC0010001 resolved");
    assertThat(second.path("name").asText()).isEqualTo(new UUID(0, 2).toString());
  }

  @Test
  void aCommentPutTwiceUnderItsNameStaysOneCommentWithTheLatestMessage() {
    SentinelClient client = client();
    String name = IncidentCommentId.derive(List.of("servicenow", "ticket-1", "note-1"));

    ObjectNode created = client.putComment(ID, name, "Called the user");
    client.addComment(ID, "Another comment");
    ObjectNode updated = client.putComment(ID, name, "Called the user back");

    assertThat(sentinel.comments(INCIDENT))
        .extracting(comment -> comment.path("properties").path("message").asText())
        .containsExactly("Called the user back", "Another comment");
    assertThat(created.path("name").asText()).isEqualTo(name);
    assertThat(updated.path("name").asText()).isEqualTo(name);
    assertThat(writes())
        .extracting(request -> request.getUrl().pathSegments().get(13))
        .containsExactly(name, new UUID(0, 1).toString(), name);
  }

  @Test
  void aCommentNameThatIsNotAResourceNameIsRefusedBeforeAnyCall() {
    SentinelClient client = client();

    for (String bad : List.of("", "a/b", "../x", "x?y", "-leading", "x".repeat(129))) {
      assertThatThrownBy(() -> client.putComment(ID, bad, "text"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("commentId");
    }
    assertThat(sentinel.requests()).isEmpty();
  }

  @Test
  void aCommentOverTheLimitIsCutToItWithANote() {
    client().addComment(ID, "x".repeat(SentinelClient.MAX_COMMENT_LENGTH + 500));

    String stored = sentinel.comments(INCIDENT).get(0).path("properties").path("message").asText();
    assertThat(stored)
        .hasSize(SentinelClient.MAX_COMMENT_LENGTH)
        .endsWith(SentinelClient.TRUNCATION_MARK);
  }

  @Test
  void theCutNeverSplitsASurrogatePairATagOrACharacterReference() {
    int room = SentinelClient.MAX_COMMENT_LENGTH - SentinelClient.TRUNCATION_MARK.length();
    String emoji = "x".repeat(room - 1) + "\uD83D\uDE00" + "tail".repeat(100);
    String tag = "x".repeat(room - 3) + "<table class=\"wide\">" + "tail".repeat(100);
    String reference = "x".repeat(room - 3) + "&amp;" + "tail".repeat(100);

    assertThat(SentinelClient.truncateComment(emoji))
        .isEqualTo("x".repeat(room - 1) + SentinelClient.TRUNCATION_MARK);
    assertThat(SentinelClient.truncateComment(tag))
        .isEqualTo("x".repeat(room - 3) + SentinelClient.TRUNCATION_MARK);
    assertThat(SentinelClient.truncateComment(reference))
        .isEqualTo("x".repeat(room - 3) + SentinelClient.TRUNCATION_MARK);
    assertThat(SentinelClient.truncateComment("short")).isEqualTo("short");
  }

  @Test
  void entitiesAreListedByPost() {
    List<ObjectNode> entities = client().listEntities(ID);

    assertThat(entities)
        .extracting(entity -> entity.path("kind").asText())
        .containsExactly("Account");
    assertThat(entities.get(0).path("properties").path("accountName").asText())
        .isEqualTo("administrator");
    assertThat(sentinel.requests().get(0).getMethod()).isEqualTo("POST");
  }

  // ---- resilience and credentials ----

  @Test
  void aThrottledCallWaitsAsLongAsRetryAfterSaysAndThenSucceeds() {
    sentinel.failNext(1, 429, Map.of("Retry-After", "7"));

    assertThat(client().getIncident(ID)).isPresent();
    assertThat(waits).containsExactly(Duration.ofSeconds(7));
  }

  @Test
  void serverErrorsAreRetriedWithBackOff() {
    sentinel.failNext(2, 503, Map.of());

    assertThat(client().listEntities(ID)).hasSize(1);
    assertThat(waits)
        .containsExactly(
            UpstreamPolicy.DEFAULT_BACKOFF, UpstreamPolicy.DEFAULT_BACKOFF.multipliedBy(2));
  }

  @Test
  void aThrottleLongerThanTheCapIsHandedBackWithItsRetryAfter() {
    sentinel.failNext(1, 429, Map.of("Retry-After", "120"));

    assertThatThrownBy(() -> client().getIncident(ID))
        .isInstanceOfSatisfying(
            UpstreamException.class,
            e -> {
              assertThat(e.failure()).isEqualTo(UpstreamFailure.THROTTLED);
              assertThat(e.retryAfter()).contains(Duration.ofSeconds(120));
              assertThat(e.getMessage()).contains("TooManyRequests");
            });
    assertThat(waits).isEmpty();
  }

  @Test
  void aRefusedTokenIsA401NamingArmsCodeAndTheRoleAndIsNotRetried() {
    sentinel.acceptToken("another token");

    assertThatThrownBy(() -> client().getIncident(ID))
        .isInstanceOfSatisfying(
            UpstreamException.class,
            e -> {
              assertThat(e.failure()).isEqualTo(UpstreamFailure.UNAUTHORIZED);
              assertThat(e.isRetryable()).isFalse();
              assertThat(e.getMessage())
                  .contains("AuthenticationFailed")
                  .contains("Microsoft Sentinel Responder")
                  .doesNotContain(TOKEN);
            });
    assertThat(sentinel.requests()).hasSize(1);
  }

  @Test
  void theTokenComesFromTheManagedIdentityEndpointForTheManagementUrl() throws Exception {
    try (FakeManagedIdentityEndpoint identity = FakeManagedIdentityEndpoint.start(clock)) {
      sentinel.acceptToken(FakeManagedIdentityEndpoint.tokenFor(sentinel.baseUrl()));
      Map<String, String> settings = new HashMap<>(identity.settings());
      settings.put(SentinelClient.MANAGEMENT_URL_SETTING, sentinel.baseUrl());

      SentinelClient client =
          SentinelClient.create(
              TestKit.kit(clock, waits::add),
              HttpUrl.get(sentinel.baseUrl()),
              TestKit.credentials(Settings.of(settings)));

      assertThat(client.getIncident(ID)).isPresent();
      assertThat(identity.requests())
          .first()
          .satisfies(
              request ->
                  assertThat(request.getUrl().queryParameter("resource"))
                      .isEqualTo(sentinel.baseUrl()));
    }
  }

  @Test
  void aNextLinkToAnotherOriginIsNotFollowedWithTheToken() {
    sentinel.seedComments(INCIDENT, 2).commentPageSize(1);
    SentinelClient client =
        new SentinelClient(
            SentinelClient.upstreamClient(
                TestKit.kit(clock, waits::add),
                HttpUrl.get(sentinel.baseUrl().replace("127.0.0.1", "localhost")),
                credentials),
            UUID::randomUUID,
            1);

    assertThatThrownBy(() -> client.listComments(ID))
        .isInstanceOf(UpstreamException.class)
        .hasMessageContaining("another origin");
    assertThat(sentinel.requests()).hasSize(1);
  }

  @Test
  void aManagementUrlThatIsNotHttpsIsAConfigurationErrorNamingTheSetting() {
    Settings settings =
        Settings.of(Map.of(SentinelClient.MANAGEMENT_URL_SETTING, "http://management.example"));

    assertThatThrownBy(() -> SentinelModule.Options.from(settings))
        .isInstanceOfSatisfying(
            ConfigurationException.class,
            e -> assertThat(e.setting()).contains(SentinelClient.MANAGEMENT_URL_SETTING));
  }

  @Test
  void armErrorsAreReadForTheirCodeAndMessage() {
    assertThat(
            SentinelClient.armError(
                "{\"error\":{\"code\":\"BadRequest\",\"message\":\"Invalid status\"}}"))
        .contains("BadRequest: Invalid status");
    assertThat(SentinelClient.armError("<html>gateway</html>")).isEmpty();
  }
}
