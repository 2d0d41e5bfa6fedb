package com.socactions.blocking;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.credential.AccessToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.socactions.blocking.EnforcementOutcome.Status;
import com.socactions.indicators.Indicator;
import com.socactions.indicators.IndicatorType;
import com.socactions.indicators.Indicators;
import com.socactions.indicators.ParseResult;
import com.socactions.ledger.Action;
import com.socactions.platform.AzureCredentials;
import com.socactions.platform.Settings;
import com.socactions.platform.UpstreamBudgets;
import com.socactions.platform.UpstreamPolicy;
import com.socactions.providers.Readiness;
import com.socactions.testing.MutableClock;
import com.socactions.testing.TestKit;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.IntStream;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

class DefenderEnforcementPointTest {
  /** Shaped like a JWT, as Azure tokens are, so redaction is tested against the real form. */
  private static final String TOKEN =
      "eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJkZWZlbmRlciJ9.c2lnbmF0dXJlLW9mLXRoZS10ZXN0";

  private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");
  private static final Instant TOMORROW = NOW.plus(Duration.ofDays(1));

  private final MutableClock clock = new MutableClock(NOW);
  private final List<Duration> waits = new CopyOnWriteArrayList<>();
  private final List<String> scopes = new CopyOnWriteArrayList<>();
  private final AzureCredentials credentials =
      AzureCredentials.of(
          request -> {
            scopes.addAll(request.getScopes());
            return Mono.just(new AccessToken(TOKEN, OffsetDateTime.now().plusHours(1)));
          });
  private FakeDefenderApi defender;
  private Settings settings;

  @BeforeEach
  void start() throws Exception {
    defender = FakeDefenderApi.start(TOKEN);
    settings =
        Settings.of(
            Map.of("DEFENDER_API_URL", defender.baseUrl(), "BLOCK_PROVIDERS", "edl, defender"));
  }

  @AfterEach
  void stop() {
    defender.close();
  }

  private DefenderEnforcementPoint point() {
    return point(UpstreamPolicy.Options.defaults(), DefenderSnapshot.DEFAULT_MAX_AGE);
  }

  private DefenderEnforcementPoint point(UpstreamPolicy.Options options, Duration snapshotMaxAge) {
    return point(credentials, options, snapshotMaxAge);
  }

  private DefenderEnforcementPoint point(
      AzureCredentials credentials, UpstreamPolicy.Options options, Duration snapshotMaxAge) {
    return BlockingModule.defender(
        settings,
        TestKit.kit(clock, waits::add),
        credentials,
        options,
        snapshotMaxAge,
        UpstreamBudgets.local(clock, waits::add));
  }

  private static Indicator indicator(String input) {
    return ((ParseResult.Parsed) Indicators.parse(input)).indicator();
  }

  private static EnforcementRequest block(String input, Instant expiresAt) {
    return new EnforcementRequest(
        indicator(input),
        Action.BLOCK,
        expiresAt,
        "Incident 4711: phishing wave",
        "Blocked for Sentinel incident 4711 (phishing wave) at the request of alice@contoso.com",
        null);
  }

  private static EnforcementRequest unblock(String input, String providerRef) {
    return new EnforcementRequest(indicator(input), Action.BLOCK, null, null, null, providerRef);
  }

  // ---- apply ----

  @Test
  void aBlockBecomesAnExpiringDefenderIndicatorOfTheMappedTypeNamingTheIncident() {
    String sha256 = "881c0f10c75e64ec39d257a131fcd531f47dd2cff2070ae94baa347d375126fd";
    List<EnforcementOutcome> outcomes =
        point()
            .apply(
                List.of(
                    block("203.0.113.7", TOMORROW),
                    block("evil.example", TOMORROW),
                    block("https://evil.example/login", TOMORROW),
                    block(sha256, TOMORROW)));

    assertThat(outcomes).extracting(EnforcementOutcome::status).containsOnly(Status.DONE);
    assertThat(outcomes).allSatisfy(outcome -> assertThat(outcome.providerRef()).isNotBlank());
    assertThat(defender.indicator("203.0.113.7").path("indicatorType").asText())
        .isEqualTo("IpAddress");
    assertThat(defender.indicator("evil.example").path("indicatorType").asText())
        .isEqualTo("DomainName");
    assertThat(defender.indicator("https://evil.example/login").path("indicatorType").asText())
        .isEqualTo("Url");
    JsonNode hash = defender.indicator(sha256);
    assertThat(hash.path("indicatorType").asText()).isEqualTo("FileSha256");
    assertThat(hash.path("action").asText()).isEqualTo("Block");
    assertThat(hash.path("expirationTime").asText()).isEqualTo("2025-03-02T10:00:00Z");
    assertThat(hash.path("title").asText()).contains("Incident 4711");
    assertThat(hash.path("generateAlert").asBoolean()).isTrue();
    assertThat(hash.path("id").asText()).isEqualTo(outcomes.get(3).providerRef());
    assertThat(defender.listCalls()).isEqualTo(1);
    assertThat(defender.importCalls()).isEqualTo(1);
  }

  @Test
  void aRepeatOfOurOwnBlockIsAlreadyOursWithItsIdAndCostsNoImport() {
    DefenderEnforcementPoint point = point();
    EnforcementOutcome first = point.apply(List.of(block("203.0.113.7", TOMORROW))).get(0);

    EnforcementOutcome again = point.apply(List.of(block("203.0.113.7", TOMORROW))).get(0);

    assertThat(again.status()).isEqualTo(Status.ALREADY_OURS);
    assertThat(again.providerRef()).isEqualTo(first.providerRef());
    assertThat(defender.importCalls()).isEqualTo(1);
    assertThat(defender.size()).isEqualTo(1);
    // The second batch asked the snapshot, which our own import had updated: no second read.
    assertThat(defender.listCalls()).isEqualTo(1);
  }

  @Test
  void batchesWithinTheSnapshotAgeShareOneReadAndAStaleSnapshotIsReadAgain() {
    DefenderEnforcementPoint point = point();
    point.apply(List.of(block("203.0.113.7", TOMORROW)));
    point.apply(List.of(block("203.0.113.8", TOMORROW)));
    assertThat(defender.listCalls()).isEqualTo(1);
    // Meanwhile an analyst blocks a value in the console; the next read after the age sees it.
    String id = defender.add("203.0.113.9", "IpAddress", "Block", "2025-03-10T00:00:00Z");
    clock.advance(DefenderSnapshot.DEFAULT_MAX_AGE);

    EnforcementOutcome outcome = point.apply(List.of(block("203.0.113.9", TOMORROW))).get(0);

    assertThat(defender.listCalls()).isEqualTo(2);
    assertThat(outcome.status()).isEqualTo(Status.NOT_OURS);
    assertThat(outcome.providerRef()).isEqualTo(id);
    assertThat(outcome.heldBy()).startsWith("SecOps Team");
    assertThat(defender.importCalls()).isEqualTo(2);
  }

  @Test
  void anExtensionOfOurOwnIndicatorMovesItsExpiryInOneImport() {
    String id =
        defender.addAsConnector("203.0.113.7", "IpAddress", "Block", "2025-03-02T10:00:00Z");
    Instant later = NOW.plus(Duration.ofDays(7));
    EnforcementRequest extension =
        new EnforcementRequest(indicator("203.0.113.7"), Action.BLOCK, later, "t", "d", id, true);

    EnforcementOutcome outcome = point().apply(List.of(extension)).get(0);

    assertThat(outcome.status()).isEqualTo(Status.ALREADY_OURS);
    assertThat(outcome.providerRef()).isEqualTo(id);
    assertThat(defender.indicator("203.0.113.7").path("expirationTime").asText())
        .isEqualTo("2025-03-08T10:00:00Z");
    assertThat(defender.listCalls()).isEqualTo(1);
    assertThat(defender.importCalls()).isEqualTo(1);
  }

  @Test
  void anExtensionOfAnIdThatDefenderNamesAsAPersonsChangesNothing() {
    // A ledger written before ownership was checked holds SecOps' id as if it were ours.
    String id = defender.add("203.0.113.7", "IpAddress", "Block", "2025-03-02T10:00:00Z");
    JsonNode before = defender.byId(id);
    EnforcementRequest extension =
        new EnforcementRequest(
            indicator("203.0.113.7"),
            Action.BLOCK,
            NOW.plus(Duration.ofDays(7)),
            "t",
            "d",
            id,
            true);

    EnforcementOutcome outcome = point().apply(List.of(extension)).get(0);

    assertThat(outcome.status()).isEqualTo(Status.NOT_OURS);
    assertThat(defender.byId(id)).isEqualTo(before);
    assertThat(defender.importCalls()).isZero();
  }

  @Test
  void aPersonsBlockIsNeverExtendedEvenWhenALaterExpiryIsAsked() {
    String id = defender.add("203.0.113.7", "IpAddress", "AlertAndBlock", "2025-03-02T10:00:00Z");
    JsonNode before = defender.byId(id);
    Instant later = NOW.plus(Duration.ofDays(7));

    List<EnforcementOutcome> outcomes =
        point().apply(List.of(block("203.0.113.7", later), block("203.0.113.8", later)));

    assertThat(outcomes)
        .extracting(EnforcementOutcome::status)
        .containsExactly(Status.NOT_OURS, Status.DONE);
    assertThat(outcomes.get(0).providerRef()).isEqualTo(id);
    assertThat(outcomes.get(0).detail())
        .contains("AlertAndBlock indicator " + id + " until 2025-03-02T10:00:00Z")
        .contains("created by SecOps Team on 2026-11-01T09:00:00Z")
        .contains("did not create");
    assertThat(defender.byId(id)).isEqualTo(before);
    assertThat(defender.importCalls()).isEqualTo(1);
  }

  @Test
  void ourOwnIndicatorFoundAfterALostAnswerIsOursAndGetsTheLaterExpiry() {
    String id =
        defender.addAsConnector("203.0.113.7", "IpAddress", "Block", "2025-03-02T10:00:00Z");

    EnforcementOutcome outcome =
        point().apply(List.of(block("203.0.113.7", NOW.plus(Duration.ofDays(7))))).get(0);

    assertThat(outcome.status()).isEqualTo(Status.ALREADY_OURS);
    assertThat(outcome.providerRef()).isEqualTo(id);
    assertThat(defender.indicator("203.0.113.7").path("expirationTime").asText())
        .isEqualTo("2025-03-08T10:00:00Z");
  }

  @Test
  void aPersonsBlockIsAlreadyPresentSayingWhoMadeItAndCostsNoImport() {
    String id = defender.add("203.0.113.7", "IpAddress", "Block", "2025-03-10T00:00:00Z");

    EnforcementOutcome outcome = point().apply(List.of(block("203.0.113.7", TOMORROW))).get(0);

    assertThat(outcome.status()).isEqualTo(Status.NOT_OURS);
    assertThat(outcome.heldBy()).isEqualTo("SecOps Team on 2026-11-01T09:00:00Z");
    assertThat(outcome.detail())
        .isEqualTo(
            "Defender already holds it as Block indicator "
                + id
                + " until 2025-03-10T00:00:00Z, created by SecOps Team on 2026-11-01T09:00:00Z,"
                + " which the connector did not create: left exactly as it is, and never lifted"
                + " by unblock or expiry");
    assertThat(defender.importCalls()).isZero();
    assertThat(defender.indicator("203.0.113.7").path("expirationTime").asText())
        .isEqualTo("2025-03-10T00:00:00Z");
  }

  @Test
  void aPersonsAllowedIndicatorIsAConflictAndIsLeftAsItIs() {
    String id = defender.add("evil.example", "DomainName", "Allowed", null);
    JsonNode before = defender.byId(id);

    EnforcementOutcome outcome = point().apply(List.of(block("evil.example", TOMORROW))).get(0);

    assertThat(outcome.status()).isEqualTo(Status.CONFLICT);
    assertThat(outcome.detail())
        .contains("Allowed indicator " + id + " that never expires")
        .contains("Defender portal");
    assertThat(defender.byId(id)).isEqualTo(before);
    assertThat(defender.importCalls()).isZero();
  }

  @Test
  void ourOwnAllowedIndicatorIsReplacedByABlockOfTheSameValue() {
    defender.addAsConnector("evil.example", "DomainName", "Allowed", null);

    EnforcementOutcome outcome = point().apply(List.of(block("evil.example", TOMORROW))).get(0);

    assertThat(outcome.status()).isEqualTo(Status.DONE);
    assertThat(defender.indicator("evil.example").path("action").asText()).isEqualTo("Block");
    assertThat(defender.size()).isEqualTo(1);
  }

  @Test
  void anAllowIsAnAllowedIndicatorThatRaisesNoAlert() {
    EnforcementRequest allow =
        new EnforcementRequest(
            indicator("good.example"),
            Action.ALLOW,
            TOMORROW,
            "Incident 4711: false positive",
            "Allowed for incident 4711",
            null);

    assertThat(point().apply(List.of(allow)))
        .extracting(EnforcementOutcome::status)
        .containsExactly(Status.DONE);
    assertThat(defender.indicator("good.example").path("action").asText()).isEqualTo("Allowed");
    assertThat(defender.indicator("good.example").path("generateAlert").asBoolean()).isFalse();
  }

  @Test
  void twelveHundredIndicatorsCostOneReadAndThreeImports() {
    List<EnforcementRequest> batch =
        IntStream.range(0, 1200)
            .mapToObj(i -> block("20." + (i / 250) + "." + (i % 250) + ".1", TOMORROW))
            .toList();

    List<EnforcementOutcome> outcomes = point().apply(batch);

    assertThat(outcomes)
        .hasSize(1200)
        .extracting(EnforcementOutcome::status)
        .containsOnly(Status.DONE);
    assertThat(outcomes.get(1199).indicator().value()).isEqualTo("20.4.199.1");
    assertThat(defender.importCalls()).isEqualTo(3);
    // One unfiltered read of the tenant, whatever the number of values.
    assertThat(defender.listCalls()).isEqualTo(1);
    assertThat(defender.size()).isEqualTo(1200);
  }

  @Test
  void everyPageOfTheListIsReadBeforeDecidingWhatIsNew() {
    defender.pageSize(2);
    List<EnforcementRequest> batch = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      defender.add("203.0.113." + i, "IpAddress", "Block", null);
      batch.add(block("203.0.113." + i, TOMORROW));
    }

    List<EnforcementOutcome> outcomes = point().apply(batch);

    assertThat(outcomes).extracting(EnforcementOutcome::status).containsOnly(Status.NOT_OURS);
    assertThat(defender.listCalls()).isEqualTo(3);
    assertThat(defender.importCalls()).isZero();
  }

  @Test
  void anItemDefenderRefusesFailsAloneWithItsReason() {
    defender.refuseValue("evil.example", "Indicator value is on the Microsoft allow list");

    List<EnforcementOutcome> outcomes =
        point().apply(List.of(block("203.0.113.7", TOMORROW), block("evil.example", TOMORROW)));

    assertThat(outcomes)
        .extracting(EnforcementOutcome::status)
        .containsExactly(Status.DONE, Status.FAILED);
    assertThat(outcomes.get(1).detail()).contains("Indicator value is on the Microsoft allow list");
    assertThat(outcomes.get(1).retryAfter()).isNull();
  }

  @Test
  void aCidrIsUnsupportedWithoutACall() {
    List<EnforcementOutcome> outcomes = point().apply(List.of(block("198.51.100.0/24", TOMORROW)));

    assertThat(outcomes).extracting(EnforcementOutcome::status).containsExactly(Status.UNSUPPORTED);
    assertThat(defender.requests()).isEmpty();
  }

  @Test
  void noValueEverReachesAListQuery() {
    defender.add("other.example", "DomainName", "Block", null);
    Indicator url =
        new Indicator(
            IndicatorType.URL,
            "https://evil.example/a') or indicatorValue eq ('other.example",
            "https://evil.example/a')%20or%20indicatorValue%20eq%20('other.example");
    EnforcementRequest request =
        new EnforcementRequest(url, Action.BLOCK, TOMORROW, "t", "d", null);

    EnforcementOutcome outcome =
        point().apply(List.of(request, block("other.example", TOMORROW))).get(0);

    assertThat(outcome.status()).isEqualTo(Status.DONE);
    assertThat(defender.indicator(url.value())).isNotNull();
    RecordedRequest list = defender.requests().get(0);
    assertThat(list.getUrl().queryParameterNames()).containsExactly("$top");
    assertThat(list.getUrl().queryParameter("$top")).isEqualTo("10000");
  }

  @Test
  void aTenantOfMoreThanOnePageIsReadBySkippingOnWhileAPageComesBackFull() {
    for (int i = 0; i < DefenderIndicatorsClient.LIST_PAGE_SIZE + 5; i++) {
      defender.add(
          "21." + (i >> 16 & 0xff) + "." + (i >> 8 & 0xff) + "." + (i & 0xff),
          "IpAddress",
          "Block",
          null);
    }

    EnforcementOutcome last = point().apply(List.of(block("21.0.39.20", TOMORROW))).get(0);

    assertThat(last.status()).isEqualTo(Status.NOT_OURS);
    assertThat(defender.listCalls()).isEqualTo(2);
    assertThat(defender.requests().get(1).getUrl().queryParameter("$skip")).isEqualTo("10000");
    assertThat(defender.importCalls()).isZero();
  }

  @Test
  void aValueSentTwiceInOneBatchIsImportedOnceAndAnsweredTwice() {
    List<EnforcementOutcome> outcomes =
        point().apply(List.of(block("evil.example", TOMORROW), block("EVIL.example.", TOMORROW)));

    assertThat(outcomes)
        .extracting(EnforcementOutcome::status)
        .containsExactly(Status.DONE, Status.DONE);
    assertThat(outcomes.get(1).providerRef()).isEqualTo(outcomes.get(0).providerRef());
    assertThat(outcomes.get(1).indicator().input()).isEqualTo("EVIL.example.");
    String imported = defender.requests().get(1).getBody().utf8();
    assertThat(imported.split("\"indicatorValue\"", -1)).hasSize(2);
  }

  @Test
  void aNextPageOnAnotherOriginIsNotFollowedWithTheToken() {
    defender.respondNext(
        new MockResponse.Builder()
            .code(200)
            .addHeader("Content-Type", "application/json")
            .body(
                "{\"value\":[],\"@odata.nextLink\":\"https://collector.example/api/indicators?$skip=1\"}")
            .build());

    EnforcementOutcome outcome = point().apply(List.of(block("203.0.113.7", TOMORROW))).get(0);

    assertThat(outcome.status()).isEqualTo(Status.FAILED);
    assertThat(outcome.detail()).contains("another origin");
    assertThat(defender.requests()).hasSize(1);
  }

  // ---- resilience ----

  @Test
  void aThrottledCallWaitsAsLongAsRetryAfterSaysAndThenSucceeds() {
    defender.failNext(1, 429, Map.of("Retry-After", "2"));

    EnforcementOutcome outcome = point().apply(List.of(block("203.0.113.7", TOMORROW))).get(0);

    assertThat(outcome.status()).isEqualTo(Status.DONE);
    assertThat(waits).containsExactly(Duration.ofSeconds(2));
  }

  @Test
  void serverErrorsAreRetriedWithBackOff() {
    defender.failNext(2, 503);

    EnforcementOutcome outcome = point().apply(List.of(block("203.0.113.7", TOMORROW))).get(0);

    assertThat(outcome.status()).isEqualTo(Status.DONE);
    assertThat(waits)
        .containsExactly(
            UpstreamPolicy.DEFAULT_BACKOFF, UpstreamPolicy.DEFAULT_BACKOFF.multipliedBy(2));
  }

  @Test
  void aThrottleLongerThanTheCapFailsTheWholeBatchWithItsRetryAfter() {
    defender.failNext(1, 429, Map.of("Retry-After", "120"));

    List<EnforcementOutcome> outcomes =
        point().apply(List.of(block("203.0.113.7", TOMORROW), block("evil.example", TOMORROW)));

    assertThat(outcomes)
        .allSatisfy(
            outcome -> {
              assertThat(outcome.status()).isEqualTo(Status.FAILED);
              assertThat(outcome.retryAfter()).isEqualTo(Duration.ofSeconds(120));
            });
    assertThat(waits).isEmpty();
    assertThat(defender.importCalls()).isZero();
  }

  @Test
  void anOpenCircuitFailsTheBatchWithRetryAfterAndNoCall() {
    DefenderEnforcementPoint point =
        point(
            UpstreamPolicy.Options.defaults()
                .maxAttempts(1)
                .circuitBreaker(50, 2, Duration.ofSeconds(30)),
            Duration.ZERO);
    defender.failNext(2, 500);
    point.apply(List.of(block("203.0.113.7", TOMORROW)));
    point.apply(List.of(block("203.0.113.7", TOMORROW)));
    int calls = defender.requests().size();

    EnforcementOutcome outcome = point.apply(List.of(block("203.0.113.7", TOMORROW))).get(0);

    assertThat(outcome.status()).isEqualTo(Status.FAILED);
    assertThat(outcome.retryAfter()).isEqualTo(Duration.ofSeconds(30));
    assertThat(defender.requests()).hasSize(calls);
  }

  // ---- remove ----

  @Test
  void removeDeletesByIdAndAMissingIdIsNotFound() {
    DefenderEnforcementPoint point = point();
    String id = point.apply(List.of(block("203.0.113.7", TOMORROW))).get(0).providerRef();

    EnforcementOutcome removed = point.remove(List.of(unblock("203.0.113.7", id))).get(0);
    EnforcementOutcome again = point.remove(List.of(unblock("203.0.113.7", id))).get(0);

    assertThat(removed.status()).isEqualTo(Status.DONE);
    assertThat(again.status()).isEqualTo(Status.NOT_FOUND);
    assertThat(defender.size()).isZero();
    assertThat(defender.deleteCalls()).isEqualTo(2);
  }

  @Test
  void withoutAReferenceRemoveFindsOurBlockByValueAndLeavesOthersAlone() {
    defender.addAsConnector("203.0.113.7", "IpAddress", "Block", null);
    defender.add("evil.example", "DomainName", "Allowed", null);

    List<EnforcementOutcome> outcomes =
        point()
            .remove(
                List.of(
                    unblock("203.0.113.7", null),
                    unblock("evil.example", null),
                    unblock("203.0.113.9", null)));

    assertThat(outcomes)
        .extracting(EnforcementOutcome::status)
        .containsExactly(Status.DONE, Status.NOT_FOUND, Status.NOT_FOUND);
    assertThat(defender.indicator("evil.example")).isNotNull();
    assertThat(defender.listCalls()).isEqualTo(1);
    assertThat(defender.deleteCalls()).isEqualTo(1);
  }

  @Test
  void removeNeverDeletesAPersonsIndicatorByValueOrByAnIdTheLedgerHeld() {
    String byValue = defender.add("45.41.0.66", "IpAddress", "Block", null);
    String byId = defender.add("45.41.0.67", "IpAddress", "Block", null);
    JsonNode first = defender.byId(byValue);
    JsonNode second = defender.byId(byId);

    List<EnforcementOutcome> outcomes =
        point().remove(List.of(unblock("45.41.0.66", null), unblock("45.41.0.67", byId)));

    assertThat(outcomes)
        .allSatisfy(
            outcome -> {
              assertThat(outcome.status()).isEqualTo(Status.NOT_OURS);
              assertThat(outcome.heldBy()).startsWith("SecOps Team");
            });
    assertThat(defender.byId(byValue)).isEqualTo(first);
    assertThat(defender.byId(byId)).isEqualTo(second);
    assertThat(defender.deleteCalls()).isZero();
  }

  @Test
  void afterAThrottledDeleteTheRestFailWithoutMoreCalls() {
    DefenderEnforcementPoint point = point();
    List<String> ids =
        point
            .apply(List.of(block("203.0.113.7", TOMORROW), block("203.0.113.8", TOMORROW)))
            .stream()
            .map(EnforcementOutcome::providerRef)
            .toList();
    defender.failNext(1, 429, Map.of("Retry-After", "300"));

    List<EnforcementOutcome> outcomes =
        point.remove(
            List.of(unblock("203.0.113.7", ids.get(0)), unblock("203.0.113.8", ids.get(1))));

    assertThat(outcomes)
        .allSatisfy(
            outcome -> {
              assertThat(outcome.status()).isEqualTo(Status.FAILED);
              assertThat(outcome.retryAfter()).isEqualTo(Duration.ofSeconds(300));
            });
    assertThat(defender.batchDeleteCalls()).isEqualTo(1);
    assertThat(defender.deleteCalls()).isZero();
  }

  @Test
  void manyUnblocksAreOneBatchDeleteCallPer500AndAGoneOneFallsBackToSingleDeletes() {
    DefenderEnforcementPoint point = point();
    List<EnforcementRequest> blocks =
        IntStream.range(0, 600)
            .mapToObj(i -> block("20.1." + (i / 250) + "." + (i % 250), TOMORROW))
            .toList();
    List<String> ids = point.apply(blocks).stream().map(EnforcementOutcome::providerRef).toList();
    List<EnforcementRequest> unblocks =
        IntStream.range(0, 600)
            .mapToObj(i -> unblock(blocks.get(i).indicator().value(), ids.get(i)))
            .toList();

    List<EnforcementOutcome> outcomes = point.remove(unblocks);

    assertThat(outcomes).extracting(EnforcementOutcome::status).containsOnly(Status.DONE);
    assertThat(defender.batchDeleteCalls()).isEqualTo(2);
    assertThat(defender.deleteCalls()).isZero();
    assertThat(defender.size()).isZero();

    // A second unblock of three of them, one gone: Defender answers 404 for the batch.
    String kept = point.apply(List.of(block("20.9.9.1", TOMORROW))).get(0).providerRef();
    String other = point.apply(List.of(block("20.9.9.2", TOMORROW))).get(0).providerRef();
    List<EnforcementOutcome> mixed =
        point.remove(
            List.of(
                unblock("20.9.9.1", kept),
                unblock("20.9.9.2", other),
                unblock("20.1.0.1", ids.get(1))));
    assertThat(mixed)
        .extracting(EnforcementOutcome::status)
        .containsExactly(Status.DONE, Status.DONE, Status.NOT_FOUND);
    assertThat(defender.deleteCalls()).isEqualTo(3);
  }

  // ---- token ----

  @Test
  void theBearerTokenIsSentForTheApisScopeAndNeverLogged() {
    List<String> logged = new CopyOnWriteArrayList<>();
    Logger logger = Logger.getLogger("com.socactions");
    Level level = logger.getLevel();
    Handler handler =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            logged.add(
                record.getMessage() + (record.getThrown() == null ? "" : " " + record.getThrown()));
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    logger.setLevel(Level.ALL);
    logger.addHandler(handler);
    // A gateway that echoes the request's headers into its error body.
    defender.respondNext(
        new MockResponse.Builder()
            .code(400)
            .body(
                "{\"error\":{\"code\":\"BadRequest\",\"message\":\"headers: Authorization: Bearer "
                    + TOKEN
                    + "\"}}")
            .build());
    List<EnforcementOutcome> outcomes;
    try {
      outcomes = point().apply(List.of(block("203.0.113.7", TOMORROW)));
      point().apply(List.of(block("203.0.113.8", TOMORROW)));
    } finally {
      logger.removeHandler(handler);
      logger.setLevel(level);
    }

    assertThat(defender.requests())
        .extracting(RecordedRequest::getHeaders)
        .allSatisfy(
            headers -> assertThat(headers.get("Authorization")).isEqualTo("Bearer " + TOKEN));
    assertThat(scopes).containsOnly(defender.baseUrl() + "/.default");
    assertThat(outcomes.get(0).status()).isEqualTo(Status.FAILED);
    assertThat(outcomes.get(0).detail()).contains("BadRequest").doesNotContain(TOKEN);
    assertThat(logged).isNotEmpty().allSatisfy(line -> assertThat(line).doesNotContain(TOKEN));
  }

  // ---- provider ----

  @Test
  void itIsConfiguredOnlyWhenBlockProvidersListsIt() {
    settings = Settings.of(Map.of("DEFENDER_API_URL", defender.baseUrl()));

    assertThat(point().isConfigured()).isFalse();
    assertThat(point().readiness().status()).isEqualTo(Readiness.Status.NOT_CONFIGURED);
    assertThat(defender.requests()).isEmpty();
  }

  @Test
  void readinessIsOkWhenTheTokenComesAndDefenderAnswers() {
    Readiness readiness = point().readiness();

    assertThat(readiness.status()).isEqualTo(Readiness.Status.OK);
    assertThat(defender.requests())
        .singleElement()
        .satisfies(request -> assertThat(request.getUrl().queryParameter("$top")).isEqualTo("1"));
  }

  @Test
  void readinessIsAnErrorNamingThePermissionWhenDefenderRefusesTheIdentity() {
    defender.failNext(1, 403);

    Readiness readiness = point().readiness();

    assertThat(readiness.status()).isEqualTo(Readiness.Status.ERROR);
    assertThat(readiness.detail()).contains("Ti.ReadWrite.All");
  }

  @Test
  void readinessIsDegradedWhenDefenderFailsAndIsNotRetried() {
    defender.failNext(3, 503);

    assertThat(point().readiness().status()).isEqualTo(Readiness.Status.DEGRADED);
    assertThat(defender.requests()).hasSize(1);
    assertThat(waits).isEmpty();
  }

  @Test
  void readinessIsAnErrorWhenTheIdentityRefusesToIssueAToken() {
    AzureCredentials refusing =
        AzureCredentials.of(
            request ->
                Mono.error(
                    new IllegalStateException("AADSTS7000215: Invalid client secret provided.")));
    DefenderEnforcementPoint point =
        point(refusing, UpstreamPolicy.Options.defaults(), DefenderSnapshot.DEFAULT_MAX_AGE);

    Readiness readiness = point.readiness();

    assertThat(readiness.status()).isEqualTo(Readiness.Status.ERROR);
    assertThat(readiness.detail()).contains("AADSTS7000215");
    assertThat(defender.requests()).isEmpty();
  }

  @Test
  void aPlainHttpUrlOffLoopbackIsAConfigurationErrorNamingTheSetting() {
    settings =
        Settings.of(
            Map.of(
                "DEFENDER_API_URL",
                "http://api.securitycenter.microsoft.com",
                "BLOCK_PROVIDERS",
                "defender"));

    Readiness readiness = point().readiness();

    assertThat(readiness.status()).isEqualTo(Readiness.Status.ERROR);
    assertThat(readiness.detail()).contains("DEFENDER_API_URL");
  }
}
