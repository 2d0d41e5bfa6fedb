package com.socactions.e2e;

import static com.socactions.e2e.RunningConnector.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.socactions.blocking.BlockCommand;
import com.socactions.blocking.BlockingService;
import com.socactions.blocking.GuardrailOverride;
import com.socactions.graph.FakeGraph;
import com.socactions.identity.AccountCommand;
import com.socactions.openapi.ConnectorRules;
import com.socactions.openapi.SwaggerResponseValidator;
import com.socactions.platform.FakeManagedIdentityEndpoint;
import com.socactions.platform.Json;
import com.socactions.testing.Azurite;
import com.socactions.testing.MutableClock;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Long work over HTTP, as Logic Apps meets it: a 202 with {@code Location} and {@code Retry-After}
 * (checked against the connector definition), polling until the answer, that answer equal to what
 * the service gives for the whole request in one call, a retried POST getting the same job, a
 * worker killed mid-job and the next host resuming it, and a job gone after its retention.
 */
@ExtendWith(Azurite.class)
class LongWorkEndToEndTest {
  private static final SwaggerResponseValidator DEFINITION =
      SwaggerResponseValidator.of(ConnectorRules.forTheConnector());
  private static final Duration POLL_DEADLINE = Duration.ofSeconds(90);
  private static final int USERS = 1_200;

  private FakeManagedIdentityEndpoint identity;
  private FakeGraph graph;
  private Map<String, String> settings;
  private final List<RunningConnector> connectors = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    identity = FakeManagedIdentityEndpoint.start(Clock.systemUTC());
    graph = FakeGraph.start(FakeManagedIdentityEndpoint::tokenFor);
    for (int i = 0; i < USERS; i++) {
      graph.addUser(userId(i), upn(i));
    }
    settings = new HashMap<>(identity.settings());
    settings.put("STATE_STORAGE_CONNECTION", Azurite.connectionString());
    settings.put("GRAPH_URL", graph.baseUrl());
    settings.put("CONNECTOR_OBJECT_ID", "77777777-0000-0000-0000-00000000c0de");
    settings.put("RDAP_BOOTSTRAP_URL", "http://127.0.0.1:9/");
  }

  @AfterEach
  void stop() throws Exception {
    connectors.forEach(RunningConnector::close);
    graph.close();
    identity.close();
  }

  private RunningConnector connector(Clock clock, Duration lease) {
    RunningConnector connector = new RunningConnector(settings, clock, lease);
    connectors.add(connector);
    return connector;
  }

  private static String userId(int i) {
    return String.format("77777777-0000-0000-0000-%012d", i);
  }

  private static String upn(int i) {
    return "long" + i + "@contoso.com";
  }

  private static List<String> accounts(int count) {
    return IntStream.range(0, count).mapToObj(LongWorkEndToEndTest::upn).toList();
  }

  private static String accountsBody(List<String> accounts) {
    return "{\"accounts\": ["
        + accounts.stream().map(a -> "\"" + a + "\"").collect(Collectors.joining(","))
        + "], \"reason\": \"long work\", \"requested_by\": \"analyst@contoso.com\"}";
  }

  private static HttpResponse<String> post(
      RunningConnector connector, String path, String body, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(connector.uri(path))
            .header("x-functions-key", RunningConnector.KEY)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return connector.send(request);
  }

  private static HttpResponse<String> get(RunningConnector connector, String location) {
    return connector.send(
        HttpRequest.newBuilder(URI.create(location))
            .header("x-functions-key", RunningConnector.KEY)
            .GET());
  }

  /** Polls as Logic Apps does (sooner than Retry-After says) until the answer is not a 202. */
  private static HttpResponse<String> poll(RunningConnector connector, String location)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(POLL_DEADLINE);
    while (true) {
      HttpResponse<String> polled = get(connector, location);
      if (polled.statusCode() != 202) {
        return polled;
      }
      assertThat(
              DEFINITION.validateResponse(
                  "GetJob", 202, polled.headers()::firstValue, polled.body()))
          .isEmpty();
      assertThat(polled.headers().firstValue("Location")).hasValue(location);
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("the job did not finish within " + POLL_DEADLINE);
      }
      Thread.sleep(200);
    }
  }

  private static void assertAccepted(
      RunningConnector connector, String operation, HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    assertThat(
            DEFINITION.validateResponse(
                operation, 202, response.headers()::firstValue, response.body()))
        .isEmpty();
    String location = response.headers().firstValue("Location").orElseThrow();
    assertThat(location)
        .startsWith(connector.baseUrl() + "v1/jobs/")
        .endsWith(json(response).path("job_id").asText());
    assertThat(Long.parseLong(response.headers().firstValue("Retry-After").orElseThrow()))
        .isBetween(5L, 60L);
  }

  /** What RevokeSessions answers for the whole list in one call of the service. */
  private static JsonNode revokedInOneCall(RunningConnector connector, List<String> accounts) {
    return tree(
        connector
            .services()
            .identity()
            .service()
            .revokeSessions(
                new AccountCommand(
                    accounts,
                    false,
                    "long work",
                    null,
                    false,
                    GuardrailOverride.NONE,
                    null,
                    "analyst@contoso.com")));
  }

  private static JsonNode tree(Object response) {
    return Json.MAPPER.valueToTree(response);
  }

  @Test
  void moreThanAThousandAccountsAnswer202AndPollingGivesWhatTheServiceGivesForTheWholeList()
      throws Exception {
    RunningConnector connector = connector(Clock.systemUTC(), Duration.ofMinutes(10));
    List<String> accounts = accounts(USERS);

    HttpResponse<String> accepted =
        post(connector, "v1/accounts/revoke-sessions", accountsBody(accounts));

    assertAccepted(connector, "RevokeSessions", accepted);
    assertThat(json(accepted).path("total").asInt()).isEqualTo(USERS);
    HttpResponse<String> answer =
        poll(connector, accepted.headers().firstValue("Location").orElseThrow());
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(
            DEFINITION.validateResponse(
                "RevokeSessions", 200, answer.headers()::firstValue, answer.body()))
        .isEmpty();
    JsonNode whole = revokedInOneCall(connector, accounts);
    assertThat(json(answer)).isEqualTo(whole);
    assertThat(json(answer).path("summary").path("revoked").asInt()).isEqualTo(USERS);
  }

  @Test
  void theModelSendsAColdCallToAJobTheObservedPaceKeepsItInTheCallAndASlowGraphHandsTheRestOff()
      throws Exception {
    // Wide margins both ways, so a busy machine cannot tip a decision: the model of 100 accounts
    // (16 s) passes 12 s, the observed pace of 300 (a few ms an account) is far inside it, and 100
    // accounts at 800 ms a Graph call (8 s and more) leave 200 that would pass it.
    settings.put("JOBS_SYNC_BUDGET", "PT12S");
    RunningConnector connector = connector(Clock.systemUTC(), Duration.ofMinutes(10));
    String hundred = accountsBody(accounts(100));

    // Nothing observed yet: the model (100 accounts, 10 $batch calls at 1.5 s) passes 12 s.
    HttpResponse<String> cold = post(connector, "v1/accounts/revoke-sessions", hundred);
    assertAccepted(connector, "RevokeSessions", cold);
    assertThat(poll(connector, cold.headers().firstValue("Location").orElseThrow()).statusCode())
        .isEqualTo(200);

    // The job showed Graph answering at once: the same call now fits.
    HttpResponse<String> warm = post(connector, "v1/accounts/revoke-sessions", hundred);
    assertThat(warm.statusCode()).isEqualTo(200);

    // Graph slows down: the first 100 of 300 take 8 s, so the other 200 would pass the budget.
    graph.latency(Duration.ofMillis(800));
    List<String> three = accounts(300);
    HttpResponse<String> slowed =
        post(connector, "v1/accounts/revoke-sessions", accountsBody(three));

    graph.latency(Duration.ZERO);
    assertAccepted(connector, "RevokeSessions", slowed);
    assertThat(json(slowed).path("done").asInt()).isEqualTo(100);
    assertThat(json(slowed).path("status").asText()).isEqualTo("running");
    HttpResponse<String> answer =
        poll(connector, slowed.headers().firstValue("Location").orElseThrow());
    assertThat(json(answer)).isEqualTo(revokedInOneCall(connector, three));
  }

  @Test
  void aRetriedPostWithTheSameTrackingIdGetsTheSameJobAndADifferentBodyAnother() {
    RunningConnector connector = connector(Clock.systemUTC(), Duration.ofMinutes(10));
    String body = accountsBody(accounts(USERS));

    HttpResponse<String> first =
        post(connector, "v1/accounts/revoke-sessions", body, "x-ms-client-tracking-id", "run-0815");
    HttpResponse<String> retried =
        post(connector, "v1/accounts/revoke-sessions", body, "x-ms-client-tracking-id", "run-0815");
    HttpResponse<String> other =
        post(
            connector,
            "v1/accounts/revoke-sessions",
            accountsBody(accounts(USERS - 1)),
            "x-ms-client-tracking-id",
            "run-0815");

    assertThat(retried.headers().firstValue("Location"))
        .isEqualTo(first.headers().firstValue("Location"));
    assertThat(other.headers().firstValue("Location"))
        .isNotEqualTo(first.headers().firstValue("Location"));
  }

  @Test
  void aWorkerKilledMidJobIsResumedByTheNextHostFromItsCheckpoint() throws Exception {
    graph.latency(Duration.ofMillis(150));
    RunningConnector first = connector(Clock.systemUTC(), Duration.ofSeconds(3));
    settings.put("JOBS_QUEUE", first.queue());
    List<String> accounts = accounts(400);
    HttpResponse<String> accepted =
        post(
            first,
            "v1/accounts/revoke-sessions",
            accountsBody(accounts),
            "Prefer",
            "respond-async");
    assertAccepted(first, "RevokeSessions", accepted);
    String jobPath = "v1/jobs/" + json(accepted).path("job_id").asText();
    Instant deadline = Instant.now().plus(POLL_DEADLINE);
    while (json(first.get(jobPath)).path("done").asInt() < 100) {
      assertThat(Instant.now()).isBefore(deadline);
      Thread.sleep(50);
    }

    first.close();
    connectors.remove(first);
    int doneWhenKilled =
        json(connector(Clock.systemUTC(), Duration.ofSeconds(3)).get(jobPath)).path("done").asInt();
    RunningConnector second = connectors.get(connectors.size() - 1);
    HttpResponse<String> answer = poll(second, second.baseUrl() + jobPath);

    assertThat(doneWhenKilled).isBetween(100, 399);
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(json(answer).path("summary").path("revoked").asInt()).isEqualTo(400);
    // Chunks checkpointed before the kill were not run again.
    for (int i = 0; i < 100; i++) {
      assertThat(graph.revocations(userId(i))).as(upn(i)).isEqualTo(1);
    }
  }

  @Test
  void aDryRunOfTwelveHundredIndicatorsAnswersAsTheServiceDoesForTheWholeListInOneCall()
      throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-04-01T08:00:00Z"));
    RunningConnector connector = connector(clock, Duration.ofMinutes(10));
    List<String> indicators = new ArrayList<>();
    for (int i = 0; i < 1_150; i++) {
      indicators.add("185.220." + (i / 250) + "." + (i % 250 + 1));
    }
    indicators.add("10.0.0.5");
    indicators.add("not an indicator");
    indicators.add("hxxps://evil[.]example[.]com/login");
    for (int i = 0; i < 47; i++) {
      indicators.add("185.220.0." + (i + 1));
    }
    String body =
        "{\"indicators\": "
            + Json.MAPPER.writeValueAsString(indicators)
            + ", \"provider\": \"edl\", \"dry_run\": true, \"reason\": \"long work\"}";

    HttpResponse<String> accepted = post(connector, "v1/indicators/block", body);

    assertAccepted(connector, "BlockIndicators", accepted);
    HttpResponse<String> answer =
        poll(connector, accepted.headers().firstValue("Location").orElseThrow());
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(
            DEFINITION.validateResponse(
                "BlockIndicators", 200, answer.headers()::firstValue, answer.body()))
        .isEmpty();
    JsonNode whole =
        tree(
            connector
                .services()
                .blocking()
                .service()
                .block(
                    new BlockCommand(
                        indicators,
                        "edl",
                        BlockingService.DEFAULT_DURATION,
                        "long work",
                        null,
                        true,
                        GuardrailOverride.NONE,
                        null,
                        null)));
    assertThat(json(answer)).isEqualTo(whole);
    assertThat(json(answer).path("results").size()).isEqualTo(1_200);
  }

  @Test
  void aJobIsNotFoundOnceItsRetentionHasPassed() throws Exception {
    MutableClock clock = new MutableClock(Instant.now());
    RunningConnector connector = connector(clock, Duration.ofMinutes(10));
    HttpResponse<String> accepted =
        post(
            connector,
            "v1/accounts/revoke-sessions",
            accountsBody(accounts(3)),
            "Prefer",
            "respond-async");
    String location = accepted.headers().firstValue("Location").orElseThrow();
    assertThat(poll(connector, location).statusCode()).isEqualTo(200);

    clock.advance(Duration.ofHours(24));
    HttpResponse<String> gone = get(connector, location);

    assertThat(gone.statusCode()).isEqualTo(404);
    assertThat(DEFINITION.validateResponse("GetJob", 404, gone.headers()::firstValue, gone.body()))
        .isEmpty();
    assertThat(json(gone).path("detail").asText()).contains("expired", "24 hours");
  }
}
