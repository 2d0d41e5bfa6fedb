package com.socactions.blocking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.socactions.blocking.EnforcementOutcome.Status;
import com.socactions.indicators.Indicator;
import com.socactions.indicators.IndicatorType;
import com.socactions.indicators.Indicators;
import com.socactions.indicators.ParseResult;
import com.socactions.ledger.Action;
import com.socactions.platform.ConfigurationException;
import com.socactions.platform.Settings;
import com.socactions.platform.UpstreamPolicy;
import com.socactions.providers.Readiness;
import com.socactions.testing.MutableClock;
import com.socactions.testing.SharedFixtures;
import com.socactions.testing.TestKit;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PanOsEnforcementPointTest {
  private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
  private static final String TAG = PanOsEnforcementPoint.DEFAULT_BLOCK_TAG;

  private final MutableClock clock = new MutableClock(NOW);
  private final List<Duration> waits = new ArrayList<>();
  private FakePanOsApi fake;

  @BeforeEach
  void start() throws Exception {
    fake = FakePanOsApi.start();
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  @Test
  void blockingTagsEachAddressWithATimeoutUntilItsExpirySoTheFirewallLiftsItItself() {
    List<EnforcementOutcome> outcomes =
        panOs()
            .apply(
                List.of(
                    block("198.51.100.7", NOW.plus(Duration.ofHours(24))),
                    block("2001:db8::7", NOW.plusSeconds(90).plusMillis(1)),
                    block("198.51.100.0/28", NOW.plus(Duration.ofHours(1)))));

    assertThat(outcomes)
        .extracting(EnforcementOutcome::status)
        .containsExactly(Status.DONE, Status.DONE, Status.DONE);
    assertThat(outcomes).extracting(EnforcementOutcome::providerRef).containsOnly(TAG);
    assertThat(fake.tagsOf("198.51.100.7")).isEqualTo(Map.of(TAG, "86400"));
    assertThat(fake.tagsOf("2001:db8::7")).isEqualTo(Map.of(TAG, "91"));
    assertThat(fake.tagsOf("198.51.100.0/28")).isEqualTo(Map.of(TAG, "3600"));
    assertThat(fake.userIdMessages().get(0)).contains("<version>2.0</version>", "persistent=\"1\"");
  }

  @Test
  void aBlockLongerThanThirtyDaysIsCappedAtTheLongestTimeoutPanOsAccepts() {
    panOs().apply(List.of(block("198.51.100.8", NOW.plus(Duration.ofDays(90)))));

    assertThat(fake.tagsOf("198.51.100.8")).isEqualTo(Map.of(TAG, "2592000"));
  }

  @Test
  void aBlockWithoutExpiryIsTaggedWithoutTimeoutAndTwoRequestsForOneAddressKeepTheLongerOne() {
    List<EnforcementOutcome> outcomes =
        panOs()
            .apply(
                List.of(
                    block("198.51.100.5", null),
                    block("198.51.100.6", NOW.plusSeconds(60)),
                    block("198.51.100.6", NOW.plusSeconds(600))));

    assertThat(outcomes).extracting(EnforcementOutcome::status).containsOnly(Status.DONE);
    assertThat(fake.tagsOf("198.51.100.5")).isEqualTo(Map.of(TAG, "0"));
    assertThat(fake.tagsOf("198.51.100.6")).isEqualTo(Map.of(TAG, "600"));
  }

  @Test
  void aBatchOf500AddressesIsTwoUidMessagesOf250AndNothingElse() {
    List<EnforcementRequest> batch =
        IntStream.range(0, 500)
            .mapToObj(
                i ->
                    block(
                        "198.51." + (i / 250) + "." + (i % 250 + 1), NOW.plus(Duration.ofHours(1))))
            .toList();

    List<EnforcementOutcome> outcomes = panOs().apply(batch);

    assertThat(outcomes)
        .hasSize(500)
        .extracting(EnforcementOutcome::status)
        .containsOnly(Status.DONE);
    assertThat(fake.userIdMessages())
        .hasSize(2)
        .allSatisfy(
            message ->
                assertThat(message.split("<entry ", -1))
                    .hasSize(PanOsEnforcementPoint.MAX_ENTRIES_PER_MESSAGE + 1));
    assertThat(fake.opCommands()).isEmpty();
    assertThat(fake.tagsOf("198.51.1.250")).containsKey(TAG);
  }

  @Test
  void anAddressThatAlreadyHoldsTheTagIsAlreadyPresentAndKeepsItsTimeout() {
    fake.register("198.51.100.9", TAG, "3600").register("198.51.100.10", "someone-elses-tag", "");

    List<EnforcementOutcome> outcomes =
        panOs()
            .apply(
                List.of(
                    block("198.51.100.9", NOW.plus(Duration.ofHours(2))),
                    block("198.51.100.10", NOW.plus(Duration.ofHours(2)))));

    assertThat(outcomes)
        .extracting(EnforcementOutcome::status)
        .containsExactly(Status.ALREADY_OURS, Status.DONE);
    // PAN-OS answers the register of a tag an address holds with "already exists, ignore": one
    // message, no read, and the existing registration keeps its own timeout.
    assertThat(fake.userIdMessages()).hasSize(1);
    assertThat(fake.opCommands()).isEmpty();
    assertThat(fake.tagsOf("198.51.100.9")).isEqualTo(Map.of(TAG, "3600"));
    assertThat(fake.tagsOf("198.51.100.10")).containsOnlyKeys("someone-elses-tag", TAG);
  }

  @Test
  void aBatchOfRepeatsChangesNothingOnTheFirewall() {
    fake.register("198.51.100.9", TAG, "3600");

    assertThat(panOs().apply(List.of(block("198.51.100.9", NOW.plusSeconds(60)))))
        .extracting(EnforcementOutcome::status)
        .containsExactly(Status.ALREADY_OURS);
    assertThat(fake.tagsOf("198.51.100.9")).isEqualTo(Map.of(TAG, "3600"));
    assertThat(fake.requestUrls()).hasSize(1);
  }

  @Test
  void aLaterExpiryOfOurBlockReachesTheFirewallInOneUidMessageWithoutARead() {
    fake.register("198.51.100.30", TAG, "3600");
    EnforcementRequest extension =
        new EnforcementRequest(
            parse("198.51.100.30"),
            Action.BLOCK,
            NOW.plus(Duration.ofHours(48)),
            null,
            null,
            TAG,
            true);

    List<EnforcementOutcome> outcomes =
        panOs().apply(List.of(extension, block("198.51.100.31", NOW.plusSeconds(60))));

    assertThat(outcomes)
        .extracting(EnforcementOutcome::status)
        .containsExactly(Status.ALREADY_OURS, Status.DONE);
    assertThat(fake.tagsOf("198.51.100.30")).isEqualTo(Map.of(TAG, "172800"));
    assertThat(fake.userIdMessages()).hasSize(1);
    assertThat(fake.userIdMessages().get(0))
        .containsSubsequence(
            "<unregister>",
            "198.51.100.30",
            "</unregister>",
            "<register>",
            "198.51.100.30",
            "timeout=\"172800\"",
            "198.51.100.31",
            "</register>");
    assertThat(fake.opCommands()).isEmpty();
  }

  @Test
  void aBatchThatOnlyExtendsOurBlocksSkipsTheRead() {
    fake.register("198.51.100.32", TAG, "60");

    panOs()
        .apply(
            List.of(
                new EnforcementRequest(
                    parse("198.51.100.32"),
                    Action.BLOCK,
                    NOW.plus(Duration.ofHours(1)),
                    null,
                    null,
                    TAG,
                    true)));

    assertThat(fake.tagsOf("198.51.100.32")).isEqualTo(Map.of(TAG, "3600"));
    assertThat(fake.opCommands()).isEmpty();
    assertThat(fake.userIdMessages()).hasSize(1);
  }

  @Test
  void aFirewallThatRegistersBeforeItUnregistersGetsTheExtendedAddressRegisteredAgain() {
    fake.register("198.51.100.33", TAG, "60").registerBeforeUnregister();

    EnforcementOutcome outcome =
        panOs()
            .apply(
                List.of(
                    new EnforcementRequest(
                        parse("198.51.100.33"),
                        Action.BLOCK,
                        NOW.plus(Duration.ofHours(1)),
                        null,
                        null,
                        TAG,
                        true)))
            .get(0);

    assertThat(outcome.status()).isEqualTo(Status.ALREADY_OURS);
    assertThat(fake.tagsOf("198.51.100.33")).isEqualTo(Map.of(TAG, "3600"));
    assertThat(fake.userIdMessages()).hasSize(2);
  }

  @Test
  void aRepeatThatIsNotAnExtensionLeavesTheFirewallsTimeoutAlone() {
    fake.register("198.51.100.34", TAG, "0");

    panOs().apply(List.of(block("198.51.100.34", NOW.plusSeconds(60))));

    assertThat(fake.tagsOf("198.51.100.34")).isEqualTo(Map.of(TAG, "0"));
  }

  @Test
  void aRegistrationThatRacedInBetweenIsAlreadyPresentFromThePerEntryMessage() {
    // Recorded PAN-OS 6.0 shape: status="error" and a per-entry "already exists" message.
    String raced =
        SharedFixtures.read("panos/response_register_error_tag_already_exists.xml")
            .replace("192.168.1.2", "198.51.100.11");
    fake.respondNext(new MockResponse.Builder().code(200).body(raced).build());

    List<EnforcementOutcome> outcomes =
        panOs()
            .apply(
                List.of(
                    block("198.51.100.11", NOW.plusSeconds(60)),
                    block("198.51.100.12", NOW.plusSeconds(60))));

    assertThat(outcomes)
        .extracting(EnforcementOutcome::status)
        .containsExactly(Status.ALREADY_OURS, Status.DONE);
  }

  @Test
  void aPerEntryErrorFailsThatEntryAloneWithPanOsMessage() {
    fake.failEntry("198.51.100.13", "registered-ip limit reached");

    List<EnforcementOutcome> outcomes =
        panOs()
            .apply(
                List.of(
                    block("198.51.100.13", NOW.plusSeconds(60)),
                    block("198.51.100.14", NOW.plusSeconds(60))));

    assertThat(outcomes)
        .extracting(EnforcementOutcome::status)
        .containsExactly(Status.FAILED, Status.DONE);
    assertThat(outcomes.get(0).detail()).contains("198.51.100.13", "registered-ip limit reached");
    assertThat(outcomes.get(0).retryAfter()).isNull();
    assertThat(fake.tagsOf("198.51.100.14")).containsKey(TAG);
  }

  @Test
  void unblockingUntagsAndAnAddressThatWasNotTaggedIsNotFound() {
    fake.register("198.51.100.15", TAG, "3600").register("198.51.100.15", "other", "");

    List<EnforcementOutcome> outcomes =
        panOs().remove(List.of(block("198.51.100.15", null), block("198.51.100.16", null)));

    assertThat(outcomes)
        .extracting(EnforcementOutcome::status)
        .containsExactly(Status.DONE, Status.NOT_FOUND);
    assertThat(fake.tagsOf("198.51.100.15")).containsOnlyKeys("other");
    assertThat(fake.userIdMessages()).hasSize(1);
    assertThat(fake.opCommands()).isEmpty();
  }

  @Test
  void unblockingUsesTheTagTheBlockWasMadeWithWhenTheLedgerKnowsIt() {
    fake.register("198.51.100.17", "old-block-tag", "3600");
    Indicator indicator = parse("198.51.100.17");

    List<EnforcementOutcome> outcomes =
        panOs()
            .remove(
                List.of(
                    new EnforcementRequest(
                        indicator, Action.BLOCK, null, "t", "d", "old-block-tag")));

    assertThat(outcomes).extracting(EnforcementOutcome::status).containsExactly(Status.DONE);
    assertThat(fake.tagsOf("198.51.100.17")).isEmpty();
  }

  @Test
  void whatUserIdTagsCannotHoldIsUnsupportedWithoutACall() {
    List<EnforcementOutcome> outcomes =
        panOs()
            .apply(
                List.of(
                    block("evil.example", NOW.plusSeconds(60)),
                    block("https://evil.example/p", NOW.plusSeconds(60)),
                    block(
                        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                        NOW.plusSeconds(60)),
                    block("2001:db8:1::/64", NOW.plusSeconds(60)),
                    new EnforcementRequest(
                        parse("198.51.100.18"),
                        Action.ALLOW,
                        NOW.plusSeconds(60),
                        "t",
                        "d",
                        null)));

    assertThat(outcomes).extracting(EnforcementOutcome::status).containsOnly(Status.UNSUPPORTED);
    assertThat(outcomes).allSatisfy(outcome -> assertThat(outcome.detail()).isNotBlank());
    assertThat(fake.requestUrls()).isEmpty();
  }

  @Test
  void hostileValuesAreRefusedAsIndicatorsAndEscapedIfTheyEverArrive() {
    String hostile = "198.51.100.19\"><entry ip=\"198.51.100.66\"/><x a=\"";
    assertThat(Indicators.parse(hostile)).isInstanceOf(ParseResult.Invalid.class);
    assertThat(Indicators.parse("198.51.100.19</member></tag></entry>"))
        .isInstanceOf(ParseResult.Invalid.class);
    // A value that slipped past parsing (a bug elsewhere) stays one attribute value.
    Indicator forged = new Indicator(IndicatorType.IP, hostile, hostile);
    Settings hostileTag =
        settings(Map.of(PanOsEnforcementPoint.TAG_SETTING, "block</member><member>allow"));

    List<EnforcementOutcome> outcomes =
        panOs()
            .apply(
                List.of(
                    new EnforcementRequest(
                        forged, Action.BLOCK, NOW.plusSeconds(60), "t", "d", null)));

    assertThat(outcomes).extracting(EnforcementOutcome::status).containsExactly(Status.DONE);
    assertThat(fake.tagsOf(hostile)).containsOnlyKeys(TAG);
    assertThat(fake.tagsOf("198.51.100.66")).isEmpty();
    assertThat(fake.userIdMessages().get(0)).contains("&lt;entry ip=");
    assertThatThrownBy(
            () -> panOs(hostileTag).apply(List.of(block("198.51.100.20", NOW.plusSeconds(60)))))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(PanOsEnforcementPoint.TAG_SETTING);
  }

  @Test
  void theKeyTravelsAsTheXPanKeyHeaderAndNeverInAUrl() {
    PanOsEnforcementPoint panOs = panOs();
    panOs.apply(List.of(block("198.51.100.21", NOW.plusSeconds(60))));
    panOs.remove(List.of(block("198.51.100.21", null)));
    panOs.readiness();

    assertThat(fake.requestUrls()).hasSize(3).containsOnly("/api/");
    assertThat(fake.keyHeaders()).containsOnly(FakePanOsApi.API_KEY);
  }

  @Test
  void aRefusedKeyFailsEveryEntrySayingSoWithoutTheKeyAndWithoutRetrying() {
    PanOsEnforcementPoint panOs =
        panOs(settings(Map.of(PanOsEnforcementPoint.KEY_SETTING, "wrong-key-value")));

    List<EnforcementOutcome> outcomes =
        panOs.apply(
            List.of(
                block("198.51.100.22", NOW.plusSeconds(60)),
                block("evil.example", NOW.plusSeconds(60))));

    assertThat(outcomes)
        .extracting(EnforcementOutcome::status)
        .containsExactly(Status.FAILED, Status.UNSUPPORTED);
    assertThat(outcomes.get(0).detail())
        .contains("refused the API key", "PANOS_API_KEY")
        .doesNotContain("wrong-key-value");
    assertThat(outcomes.get(0).retryAfter()).isNull();
    assertThat(fake.requestUrls()).hasSize(1);
    assertThat(waits).isEmpty();
  }

  @Test
  void anErrorCode403InsideASuccessfulHttpAnswerIsARefusedKeyToo() {
    fake.respondNext(
        new MockResponse.Builder()
            .code(200)
            .body(
                "<response status=\"error\" code=\"403\"><result><msg>Invalid"
                    + " Credential</msg></result></response>")
            .build());

    List<EnforcementOutcome> outcomes =
        panOs().apply(List.of(block("198.51.100.23", NOW.plusSeconds(60))));

    assertThat(outcomes.get(0).status()).isEqualTo(Status.FAILED);
    assertThat(outcomes.get(0).detail()).contains("refused the API key", "Invalid Credential");
  }

  @Test
  void a503IsRetriedThenTheBatchGoesThrough() {
    fake.failNext(2, 503, Map.of());

    List<EnforcementOutcome> outcomes =
        panOs().apply(List.of(block("198.51.100.24", NOW.plusSeconds(60))));

    assertThat(outcomes).extracting(EnforcementOutcome::status).containsExactly(Status.DONE);
    assertThat(waits).hasSize(2);
    assertThat(fake.tagsOf("198.51.100.24")).containsKey(TAG);
  }

  @Test
  void aBatchStillThrottledAfterRetriesFailsEveryEntryWithTheUpstreamsRetryAfter() {
    fake.failNext(3, 429, Map.of("Retry-After", "7"));

    List<EnforcementOutcome> outcomes =
        panOs()
            .apply(
                List.of(
                    block("198.51.100.25", NOW.plusSeconds(60)),
                    block("198.51.100.26", NOW.plusSeconds(60))));

    assertThat(outcomes).extracting(EnforcementOutcome::status).containsOnly(Status.FAILED);
    assertThat(outcomes)
        .extracting(EnforcementOutcome::retryAfter)
        .containsOnly(Duration.ofSeconds(7));
    assertThat(waits).containsExactly(Duration.ofSeconds(7), Duration.ofSeconds(7));
    assertThat(fake.userIdMessages()).isEmpty();
  }

  @Test
  void anAnswerWithADoctypeIsRefusedUnread() {
    fake.respondNext(
        new MockResponse.Builder()
            .code(200)
            .body(
                "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM"
                    + " \"file:///etc/passwd\">]><response"
                    + " status=\"success\"><result>&x;</result></response>")
            .build());

    List<EnforcementOutcome> outcomes =
        panOs().apply(List.of(block("198.51.100.27", NOW.plusSeconds(60))));

    assertThat(outcomes.get(0).status()).isEqualTo(Status.FAILED);
    assertThat(outcomes.get(0).detail()).contains("not safe XML").doesNotContain("root:");
    assertThat(fake.userIdMessages()).isEmpty();
  }

  @Test
  void readinessNamesTheFirewallAndTheTag() {
    Readiness readiness = panOs().readiness();

    assertThat(readiness.status()).isEqualTo(Readiness.Status.OK);
    assertThat(readiness.detail()).contains("fake-fw", "10.2.4", TAG);
  }

  @Test
  void readinessWithARefusedKeyIsAnErrorThatNeverShowsTheKey() {
    Readiness readiness =
        panOs(settings(Map.of(PanOsEnforcementPoint.KEY_SETTING, "wrong-key-value"))).readiness();

    assertThat(readiness.status()).isEqualTo(Readiness.Status.ERROR);
    assertThat(readiness.detail()).contains("PANOS_API_KEY").doesNotContain("wrong-key-value");
  }

  @Test
  void readinessOfAFirewallThatDoesNotAnswerIsDegradedAndDoesNotThrow() {
    fake.close();

    Readiness readiness = panOs().readiness();

    assertThat(readiness.status()).isEqualTo(Readiness.Status.DEGRADED);
    assertThat(readiness.detail()).doesNotContain(FakePanOsApi.API_KEY);
  }

  @Test
  void withoutUrlAndKeyItIsNotConfiguredAndPlainHttpToAFirewallIsRefused() {
    PanOsEnforcementPoint unset = panOs(Settings.of(Map.of()));
    assertThat(unset.isConfigured()).isFalse();
    assertThat(unset.readiness().status()).isEqualTo(Readiness.Status.NOT_CONFIGURED);

    PanOsEnforcementPoint plainHttp =
        panOs(settings(Map.of(PanOsEnforcementPoint.URL_SETTING, "http://fw.example.com")));
    assertThat(plainHttp.readiness().status()).isEqualTo(Readiness.Status.ERROR);
    assertThat(plainHttp.readiness().detail()).contains("PANOS_URL", "https");
  }

  private PanOsEnforcementPoint panOs() {
    return panOs(settings(Map.of()));
  }

  private PanOsEnforcementPoint panOs(Settings settings) {
    return BlockingModule.panOs(
        settings, TestKit.kit(clock, waits::add), UpstreamPolicy.Options.defaults());
  }

  private Settings settings(Map<String, String> overrides) {
    Map<String, String> values =
        new HashMap<>(
            Map.of(
                PanOsEnforcementPoint.URL_SETTING,
                fake.url(),
                PanOsEnforcementPoint.KEY_SETTING,
                FakePanOsApi.API_KEY));
    values.putAll(overrides);
    return Settings.of(values);
  }

  private static EnforcementRequest block(String value, Instant expiresAt) {
    return new EnforcementRequest(
        parse(value), Action.BLOCK, expiresAt, "incident 42", "reason", null);
  }

  private static Indicator parse(String value) {
    return ((ParseResult.Parsed) Indicators.parse(value)).indicator();
  }
}
