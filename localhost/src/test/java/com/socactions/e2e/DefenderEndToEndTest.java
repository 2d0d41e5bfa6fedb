package com.socactions.e2e;

import static com.socactions.e2e.RunningConnector.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.socactions.blocking.BlockingService;
import com.socactions.blocking.FakeDefenderApi;
import com.socactions.platform.FakeManagedIdentityEndpoint;
import com.socactions.testing.Azurite;
import com.socactions.testing.MutableClock;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A playbook blocks on Defender for Endpoint through the local host, with the app's own credential
 * chain (App Service managed identity from {@code IDENTITY_ENDPOINT}/{@code IDENTITY_HEADER})
 * pointed at a fake token endpoint, and the fake Defender API accepting only the token that
 * endpoint issued for it.
 *
 * <p>Every test has its own fakes and connector (scripted failures and circuit breakers cannot leak
 * between them) but the ledger table is shared by the whole test JVM, so each test blocks values of
 * its own. The connector's clock starts years before the real one: {@code expire()} then lifts only
 * rows written on this clock, never another test class's.
 */
@ExtendWith(Azurite.class)
class DefenderEndToEndTest {
  private static final Instant START = Instant.parse("2021-06-01T09:00:00Z");
  private static final String INCIDENT =
      "/subscriptions/s/resourceGroups/rg/providers/Microsoft.OperationalInsights"
          + "/workspaces/w/providers/Microsoft.SecurityInsights/Incidents/4711";
  private static final String SHA256 =
      "881c0f10c75e64ec39d257a131fcd531f47dd2cff2070ae94baa347d375126fd";

  private final MutableClock clock = new MutableClock(START);
  private FakeManagedIdentityEndpoint identity;
  private FakeDefenderApi defender;
  private RunningConnector connector;

  @BeforeEach
  void start() throws Exception {
    // Token lifetimes are the token endpoint's business, on the real clock.
    identity = FakeManagedIdentityEndpoint.start(Clock.systemUTC());
    defender = FakeDefenderApi.start(FakeManagedIdentityEndpoint::tokenFor);
    Map<String, String> settings = new HashMap<>(identity.settings());
    settings.put("STATE_STORAGE_CONNECTION", Azurite.connectionString());
    settings.put("DEFENDER_API_URL", defender.baseUrl());
    settings.put("BLOCK_PROVIDERS", "edl,defender");
    settings.put("RDAP_BOOTSTRAP_URL", "http://127.0.0.1:9/");
    connector = new RunningConnector(settings, clock);
  }

  @AfterEach
  void stop() throws Exception {
    connector.close();
    defender.close();
    identity.close();
  }

  @Test
  void aBlockCreatesDefenderIndicatorsWithTheIssuedTokenNamingTheIncidentAndExpiring() {
    HttpResponse<String> response =
        block(
            List.of(
                "185.220.110.1",
                "185.220.110.2",
                "c2-e2e.example.net",
                "https://c2-e2e.example.net/payload",
                SHA256,
                "185.220.111.0/24"),
            "PT6H");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(json(response).get("results").findValuesAsText("status"))
        .containsExactly("blocked", "blocked", "blocked", "blocked", "blocked", "unsupported");
    assertThat(defender.size()).isEqualTo(5);
    JsonNode ip = defender.indicator("185.220.110.1");
    assertThat(ip.path("indicatorType").asText()).isEqualTo("IpAddress");
    assertThat(ip.path("action").asText()).isEqualTo("Block");
    assertThat(ip.path("title").asText()).contains("4711");
    assertThat(ip.path("description").asText()).contains(INCIDENT);
    assertThat(ip.path("expirationTime").asText())
        .isEqualTo(START.plus(Duration.ofHours(6)).toString());
    assertThat(defender.indicator("c2-e2e.example.net").path("indicatorType").asText())
        .isEqualTo("DomainName");
    assertThat(
            defender.indicator("https://c2-e2e.example.net/payload").path("indicatorType").asText())
        .isEqualTo("Url");
    assertThat(defender.indicator(SHA256).path("indicatorType").asText()).isEqualTo("FileSha256");
    assertThat(defender.indicator("185.220.111.0/24")).isNull();

    String issued = "Bearer " + FakeManagedIdentityEndpoint.tokenFor(defender.baseUrl());
    assertThat(defender.requests())
        .isNotEmpty()
        .allSatisfy(
            request -> assertThat(request.getHeaders().get("Authorization")).isEqualTo(issued));
    assertThat(identity.requests())
        .extracting(request -> request.getUrl().queryParameter("resource"))
        .isNotEmpty()
        .containsOnly(defender.baseUrl());
  }

  @Test
  void aRerunIsAlreadyActiveAndImportsNothing() {
    List<String> indicators = List.of("185.220.112.1", "rerun-e2e.example.net");
    block(indicators, "PT6H");
    int imports = defender.importCalls();

    HttpResponse<String> again = block(indicators, "PT6H");

    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(json(again).get("results").findValuesAsText("status"))
        .containsExactly("already_active", "already_active");
    assertThat(defender.importCalls()).isEqualTo(imports);
    assertThat(defender.size()).isEqualTo(2);
  }

  @Test
  void anUnblockDeletesTheIndicatorsFromDefenderInOneBatchDelete() {
    List<String> indicators = List.of("185.220.113.1", "unblock-e2e.example.net");
    block(indicators, "PT6H");

    HttpResponse<String> unblocked =
        connector.post("v1/indicators/unblock", body(indicators, null));

    assertThat(unblocked.statusCode()).isEqualTo(200);
    assertThat(json(unblocked).get("results").findValuesAsText("status"))
        .containsExactly("unblocked", "unblocked");
    assertThat(defender.batchDeleteCalls()).isEqualTo(1);
    assertThat(defender.deleteCalls()).isZero();
    assertThat(defender.size()).isZero();
    assertThat(active("185.220.113.1")).isEmpty();
  }

  @Test
  void expiryMarksDefenderIndicatorsExpiredOnceTheirTimeHasComeWithoutSpendingACall() {
    List<String> indicators = List.of("185.220.114.1", "expire-e2e.example.net");
    block(indicators, "PT1H");
    BlockingService blocking = connector.services().blocking().service();

    clock.advance(Duration.ofMinutes(59));
    blocking.expire();
    assertThat(defender.size()).isEqualTo(2);

    clock.advance(Duration.ofMinutes(2));
    BlockingService.ExpiryReport report = blocking.expire();

    assertThat(report.lifted()).isGreaterThanOrEqualTo(2);
    assertThat(report.stillPending()).isZero();
    // Defender lapses them itself at their expirationTime, which has passed: no delete is spent.
    assertThat(defender.deleteCalls()).isZero();
    assertThat(defender.batchDeleteCalls()).isZero();
    assertThat(
            java.time.Instant.parse(
                defender.indicator("185.220.114.1").path("expirationTime").asText()))
        .isBeforeOrEqualTo(clock.instant());
    assertThat(active("185.220.114.1")).isEmpty();
    HttpResponse<String> expired =
        connector.get("v1/indicators?provider=defender&state=expired&value=185.220.114.1");
    assertThat(json(expired).at("/value/0/lifted_at").asText()).isNotBlank();
  }

  @Test
  void defenderThrottlingEveryCallAnswers503WithRetryAfterAndLeavesNothingActive() {
    defender.failNext(100, 429, Map.of("Retry-After", "60"));

    HttpResponse<String> response =
        block(List.of("185.220.115.1", "throttled-e2e.example.net"), "PT6H");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("retry-after")).hasValue("60");
    assertThat(defender.importCalls()).isZero();
    assertThat(active("185.220.115.1")).isEmpty();
    assertThat(active("throttled-e2e.example.net")).isEmpty();
  }

  @Test
  void aBlockSecOpsMadeInThePortalIsAlreadyPresentAndNeitherUnblockNorExpiryRemovesIt() {
    String theirs = defender.add("45.41.0.66", "IpAddress", "Block", null);
    JsonNode before = defender.byId(theirs);

    HttpResponse<String> blocked = block(List.of("45.41.0.66"), "PT1H");
    HttpResponse<String> unblocked =
        connector.post("v1/indicators/unblock", body(List.of("45.41.0.66"), null));
    clock.advance(Duration.ofHours(2));
    connector.services().blocking().service().expire();

    assertThat(json(blocked).at("/results/0/status").asText()).isEqualTo("already_present");
    assertThat(json(blocked).at("/results/0/detail").asText()).contains("SecOps Team");
    assertThat(json(blocked).at("/summary/already_present").asInt()).isEqualTo(1);
    assertThat(json(unblocked).at("/results/0/status").asText()).isEqualTo("already_present");
    assertThat(defender.byId(theirs)).isEqualTo(before);
    assertThat(defender.importCalls()).isZero();
    assertThat(defender.deleteCalls()).isZero();
    HttpResponse<String> listed =
        connector.get("v1/indicators?provider=defender&state=present&value=45.41.0.66");
    assertThat(json(listed).at("/value/0/held_by").asText()).startsWith("SecOps Team");
  }

  @Test
  void twoIdenticalBlocksAtOnceImportOnceAndTheSecondAnswersOnlyAfterDefenderConfirmed()
      throws Exception {
    defender.answerDelay(Duration.ofMillis(300));
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      List<java.util.concurrent.Future<HttpResponse<String>>> runs = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        runs.add(pool.submit(() -> block(List.of("185.220.116.1"), "PT6H")));
      }
      List<String> statuses = new ArrayList<>();
      for (java.util.concurrent.Future<HttpResponse<String>> run : runs) {
        HttpResponse<String> response = run.get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        statuses.add(json(response).at("/results/0/status").asText());
      }

      assertThat(statuses).containsExactlyInAnyOrder("blocked", "already_active");
      assertThat(defender.importCalls()).isEqualTo(1);
      assertThat(defender.indicator("185.220.116.1")).isNotNull();
    } finally {
      pool.shutdownNow();
    }
  }

  private HttpResponse<String> block(List<String> indicators, String duration) {
    return connector.post("v1/indicators/block", body(indicators, duration));
  }

  private static String body(List<String> indicators, String duration) {
    String values = String.join("\", \"", indicators);
    return "{\"indicators\": [\""
        + values
        + "\"], \"provider\": \"defender\", \"reason\": \"c2 beacon\","
        + " \"incident_id\": \""
        + INCIDENT
        + "\", \"requested_by\": \"tier2@contoso.com\""
        + (duration == null ? "" : ", \"duration\": \"" + duration + "\"")
        + "}";
  }

  /** The active Defender rows of the ledger for one value, over {@code ListIndicators}. */
  private List<JsonNode> active(String value) {
    HttpResponse<String> listed =
        connector.get(
            "v1/indicators?provider=defender&value="
                + URLEncoder.encode(value, StandardCharsets.UTF_8));
    assertThat(listed.statusCode()).isEqualTo(200);
    List<JsonNode> rows = new ArrayList<>();
    json(listed).get("value").forEach(rows::add);
    return rows;
  }
}
