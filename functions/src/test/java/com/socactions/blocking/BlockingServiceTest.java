package com.socactions.blocking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.socactions.cmdb.CriticalAssets;
import com.socactions.indicators.Indicator;
import com.socactions.indicators.Indicators;
import com.socactions.indicators.ParseResult;
import com.socactions.ledger.BlockLedger;
import com.socactions.ledger.LedgerState;
import com.socactions.ledger.TestLedgers;
import com.socactions.platform.ConfigurationException;
import com.socactions.platform.InvalidInputException;
import com.socactions.platform.Settings;
import com.socactions.platform.TableStorage;
import com.socactions.platform.UpstreamException;
import com.socactions.platform.UpstreamPolicy;
import com.socactions.testing.Azurite;
import com.socactions.testing.MutableClock;
import com.socactions.testing.TestKit;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The blocking service end to end below HTTP: real guardrails, the real ledger on Azurite, the
 * built-in list, and PAN-OS on its stateful fake (a provider that is called, so calls can be
 * counted).
 */
@ExtendWith(Azurite.class)
class BlockingServiceTest {
  private static final AtomicInteger TABLES = new AtomicInteger();
  private static final String INCIDENT =
      "/subscriptions/s/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/w"
          + "/providers/Microsoft.SecurityInsights/Incidents/42";

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T10:00:00Z"));
  private FakePanOsApi panos;
  private BlockLedger ledger;
  private BlockingService service;

  @BeforeEach
  void start() throws Exception {
    panos = FakePanOsApi.start();
    Settings settings =
        Settings.of(
            Map.of(
                "STATE_STORAGE_CONNECTION",
                Azurite.connectionString(),
                PanOsEnforcementPoint.URL_SETTING,
                panos.url(),
                PanOsEnforcementPoint.KEY_SETTING,
                FakePanOsApi.API_KEY,
                "PROTECTED_INDICATORS",
                "185.220.100.0/28, corp.contoso.com"));
    TableStorage storage = TestKit.storage(settings);
    ledger = new BlockLedger(TestLedgers.tables(storage), clock, BlockLedger.Options.defaults());
    PanOsEnforcementPoint panOs =
        BlockingModule.panOs(
            settings, TestKit.kit(clock, duration -> {}), UpstreamPolicy.Options.defaults());
    service =
        new BlockingService(
            List.of(BlockingModule.edl(settings), panOs),
            () -> ledger,
            () -> BlockingModule.protectedIndicators(settings),
            CriticalAssets.NONE,
            clock);
  }

  @AfterEach
  void stop() {
    panos.close();
  }

  @Test
  void everyGuardrailRefusalIsAnsweredPerItemAndRecordedInTheLedger() {
    BlockResponse response =
        service.block(
            command(
                "panos",
                List.of(
                    "10.0.0.1",
                    "185.220.100.5",
                    "185.220.96.0/22",
                    "co.uk",
                    "not an indicator",
                    "185.220.101.7"),
                false,
                GuardrailOverride.NONE));

    assertThat(response.results())
        .extracting(IndicatorResult::status)
        .containsExactly(
            BlockStatus.REFUSED,
            BlockStatus.REFUSED,
            BlockStatus.REFUSED,
            BlockStatus.UNSUPPORTED,
            BlockStatus.INVALID,
            BlockStatus.BLOCKED);
    assertThat(response.results())
        .extracting(IndicatorResult::reason)
        .startsWith("private_range", "protected", "too_broad");
    assertThat(ledger.find("panos", parse("10.0.0.1")))
        .get()
        .satisfies(
            entry -> {
              assertThat(entry.state()).isEqualTo(LedgerState.REFUSED);
              assertThat(entry.guardrail()).isEqualTo("private_range");
              assertThat(entry.incidentId()).isEqualTo(INCIDENT);
            });
    assertThat(panos.tagsOf("185.220.101.7")).isNotEmpty();
    assertThat(panos.tagsOf("10.0.0.1")).isEmpty();
    assertThat(response.summary().refused()).isEqualTo(3);
    assertThat(response.commentHtml()).contains("private_range").contains("185.220.101.7");
  }

  @Test
  void aJustifiedOverrideLiftsOnlyTheBreadthCheck() {
    BlockResponse response =
        service.block(
            command(
                "edl",
                List.of("185.220.96.0/22", "10.0.0.0/8"),
                false,
                GuardrailOverride.justifiedBy("approved in CHG0042")));

    assertThat(response.results())
        .extracting(IndicatorResult::status)
        .containsExactly(BlockStatus.BLOCKED, BlockStatus.REFUSED);
    assertThat(ledger.find("edl", parse("185.220.96.0/22")).orElseThrow().justification())
        .isEqualTo("approved in CHG0042");
  }

  @Test
  void reRunningAPlaybookNeverDuplicatesABlockAndALaterExpiryExtendsIt() {
    service.block(command("panos", List.of("185.220.101.7"), false, GuardrailOverride.NONE));
    int messagesAfterFirst = panos.userIdMessages().size();

    BlockResponse again =
        service.block(
            command(
                "panos", List.of("185.220.101.7", "185.220.101.7"), false, GuardrailOverride.NONE));

    assertThat(again.results())
        .extracting(IndicatorResult::status)
        .containsOnly(BlockStatus.ALREADY_ACTIVE);
    assertThat(panos.userIdMessages()).hasSize(messagesAfterFirst);

    Instant firstExpiry = again.results().get(0).expiresAt();
    clock.advance(Duration.ofHours(1));
    // An hour later the same 24-hour block asks for an expiry an hour later: within the margin,
    // so nothing is sent.
    BlockResponse rerun =
        service.block(command("panos", List.of("185.220.101.7"), false, GuardrailOverride.NONE));
    assertThat(rerun.results().get(0).status()).isEqualTo(BlockStatus.ALREADY_ACTIVE);
    assertThat(rerun.results().get(0).expiresAt()).isEqualTo(firstExpiry);
    assertThat(panos.userIdMessages()).hasSize(messagesAfterFirst);

    BlockResponse longer =
        service.block(
            command(
                "panos",
                List.of("185.220.101.7"),
                false,
                GuardrailOverride.NONE,
                Duration.ofDays(3)));
    assertThat(longer.results().get(0).status()).isEqualTo(BlockStatus.ALREADY_ACTIVE);
    assertThat(longer.results().get(0).detail()).contains("extended");
    assertThat(longer.results().get(0).expiresAt())
        .isEqualTo(clock.instant().plus(Duration.ofDays(3)));
    assertThat(panos.userIdMessages()).hasSize(messagesAfterFirst + 1);
    assertThat(ledger.find("panos", parse("185.220.101.7")).orElseThrow().expiresAt())
        .isEqualTo(clock.instant().plus(Duration.ofDays(3)));
  }

  @Test
  void twentyConcurrentIdenticalBlocksEndInOneUpstreamRegistrationAndOneActiveRow()
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(20);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<BlockResponse>> runs = new ArrayList<>();
    try {
      for (int i = 0; i < 20; i++) {
        Callable<BlockResponse> run =
            () -> {
              go.await();
              return service.block(
                  command("panos", List.of("185.220.101.9"), false, GuardrailOverride.NONE));
            };
        runs.add(pool.submit(run));
      }
      go.countDown();
      List<BlockStatus> statuses = new ArrayList<>();
      for (Future<BlockResponse> run : runs) {
        statuses.add(run.get().results().get(0).status());
      }
      assertThat(statuses).filteredOn(status -> status == BlockStatus.BLOCKED).hasSize(1);
      assertThat(statuses).filteredOn(status -> status == BlockStatus.ALREADY_ACTIVE).hasSize(19);
    } finally {
      pool.shutdownNow();
    }
    assertThat(panos.userIdMessages())
        .filteredOn(message -> message.contains("185.220.101.9"))
        .hasSize(1);
  }

  @Test
  void aDryRunTouchesNoProviderAndIsRecorded() {
    BlockResponse response =
        service.block(command("panos", List.of("185.220.101.11"), true, GuardrailOverride.NONE));

    assertThat(response.results().get(0).status()).isEqualTo(BlockStatus.WOULD_BLOCK);
    assertThat(panos.userIdMessages()).isEmpty();
    assertThat(ledger.find("panos", parse("185.220.101.11")).orElseThrow().state())
        .isEqualTo(LedgerState.DRY_RUN);
  }

  @Test
  void blocksExpireOnTheProviderAndInTheLedgerAndAFailedLiftIsRetriedNextRun() {
    service.block(
        command(
            "panos",
            List.of("185.220.101.12"),
            false,
            GuardrailOverride.NONE,
            Duration.ofHours(1)));
    clock.advance(Duration.ofHours(2));
    panos.failNext(3, 503, Map.of());

    BlockingService.ExpiryReport first = service.expire();

    assertThat(first.stillPending()).isEqualTo(1);
    assertThat(ledger.find("panos", parse("185.220.101.12")).orElseThrow().liftPending()).isTrue();
    assertThat(service.expire().lifted()).as("the retry waits its delay").isZero();
    clock.advance(BlockLedger.LIFT_RETRY);

    BlockingService.ExpiryReport second = service.expire();

    assertThat(second.lifted()).isEqualTo(1);
    assertThat(panos.tagsOf("185.220.101.12")).isEmpty();
    assertThat(ledger.find("panos", parse("185.220.101.12")).orElseThrow().state())
        .isEqualTo(LedgerState.EXPIRED);
    assertThat(service.expire().lifted()).isZero();
  }

  @Test
  void unblockLiftsTheBlockAndAnswersNotFoundForTheRest() {
    service.block(command("panos", List.of("185.220.101.13"), false, GuardrailOverride.NONE));

    BlockResponse response =
        service.unblock(
            command(
                "panos",
                List.of("185.220.101.13", "185.220.101.14"),
                false,
                GuardrailOverride.NONE));

    assertThat(response.results())
        .extracting(IndicatorResult::status)
        .containsExactly(BlockStatus.UNBLOCKED, BlockStatus.NOT_FOUND);
    assertThat(panos.tagsOf("185.220.101.13")).isEmpty();
    assertThat(ledger.find("panos", parse("185.220.101.13")).orElseThrow().state())
        .isEqualTo(LedgerState.LIFTED);
  }

  @Test
  void allowingAnIndicatorLiftsItsBlocksElsewhereAndLaterBlocksAreRefused() {
    service.block(command("panos", List.of("185.220.101.15"), false, GuardrailOverride.NONE));

    BlockResponse allowed =
        service.allow(command("edl", List.of("185.220.101.15"), false, GuardrailOverride.NONE));
    BlockResponse blockedAgain =
        service.block(command("panos", List.of("185.220.101.15"), false, GuardrailOverride.NONE));

    assertThat(allowed.results().get(0).status()).isEqualTo(BlockStatus.ALLOWED);
    assertThat(panos.tagsOf("185.220.101.15")).isEmpty();
    assertThat(blockedAgain.results().get(0).status()).isEqualTo(BlockStatus.REFUSED);
    assertThat(blockedAgain.results().get(0).reason()).isEqualTo("allow_listed");
  }

  @Test
  void anAllowOfAnythingBroadIsRefusedAndTurnsOffNoBlocking() {
    List<String> broad = List.of("0.0.0.0/0", "::/0", "com", "co.uk", "1.0.0.0/8", "2000::/3");
    List<String> never = List.of("0.0.0.0/0", "::/0", "com", "co.uk", "2000::/3", "64.0.0.0/3");

    BlockResponse unjustified = service.allow(command("edl", broad, false, GuardrailOverride.NONE));
    BlockResponse justified =
        service.allow(
            command("edl", never, false, GuardrailOverride.justifiedBy("the SOC lead said so")));
    BlockResponse blocked =
        service.block(command("panos", List.of("185.220.101.30"), false, GuardrailOverride.NONE));

    assertThat(unjustified.results())
        .extracting(IndicatorResult::status)
        .containsOnly(BlockStatus.REFUSED);
    assertThat(justified.results())
        .extracting(IndicatorResult::status)
        .containsOnly(BlockStatus.REFUSED);
    assertThat(blocked.results().get(0).status()).isEqualTo(BlockStatus.BLOCKED);
    assertThat(ledger.find("edl", parse("co.uk")).orElseThrow().state())
        .isEqualTo(LedgerState.REFUSED);
  }

  @Test
  void aBroadAllowNeedsAJustificationAndThenPasses() {
    BlockResponse unjustified =
        service.allow(command("edl", List.of("185.192.0.0/12"), false, GuardrailOverride.NONE));
    BlockResponse justified =
        service.allow(
            command(
                "edl",
                List.of("185.192.0.0/12"),
                false,
                GuardrailOverride.justifiedBy("partner range, CHG0051")));

    assertThat(unjustified.results().get(0).status()).isEqualTo(BlockStatus.REFUSED);
    assertThat(unjustified.results().get(0).reason()).isEqualTo("too_broad");
    assertThat(justified.results().get(0).status()).isEqualTo(BlockStatus.ALLOWED);
  }

  @Test
  void allowingAnAddressThatACoveringNetworkBlockStillStopsSaysSo() {
    service.block(command("edl", List.of("185.220.102.0/24"), false, GuardrailOverride.NONE));

    BlockResponse allowed =
        service.allow(command("edl", List.of("185.220.102.15"), false, GuardrailOverride.NONE));

    assertThat(allowed.results().get(0).status()).isEqualTo(BlockStatus.ALLOWED);
    assertThat(allowed.results().get(0).detail())
        .contains("still blocked by 185.220.102.0/24 on edl");
    assertThat(ledger.find("edl", parse("185.220.102.0/24")).orElseThrow().state())
        .isEqualTo(LedgerState.ACTIVE);
  }

  @Test
  void whenTheProviderTakesNothingTheCallIsRetryableAndNothingIsActive() {
    panos.failNext(10, 503, Map.of("Retry-After", "7"));

    assertThatThrownBy(
            () ->
                service.block(
                    command("panos", List.of("185.220.101.16"), false, GuardrailOverride.NONE)))
        .isInstanceOfSatisfying(
            UpstreamException.class,
            e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(7)));
    assertThat(ledger.find("panos", parse("185.220.101.16")).orElseThrow().state())
        .isNotEqualTo(LedgerState.ACTIVE);
  }

  @Test
  void theCmdbIsAskedOncePerCallAndACriticalAssetIsRefused() {
    List<List<Indicator>> batches = new ArrayList<>();
    CriticalAssets cmdb =
        new CriticalAssets() {
          @Override
          public Optional<CriticalAsset> find(Indicator indicator) {
            throw new AssertionError("asked one indicator at a time");
          }

          @Override
          public CriticalAssets forBatch(List<Indicator> indicators) {
            batches.add(indicators);
            return indicator ->
                indicator.value().equals("dc01.contoso.com")
                    ? Optional.of(new CriticalAsset("dc01", "the CMDB marks it critical"))
                    : Optional.empty();
          }
        };
    BlockingService withCmdb =
        new BlockingService(
            List.of(BlockingModule.edl(Settings.of(Map.of()))),
            () -> ledger,
            () -> BlockingModule.protectedIndicators(Settings.of(Map.of())),
            cmdb,
            clock);

    BlockResponse response =
        withCmdb.block(
            command(
                "edl",
                List.of("dc01.contoso.com", "evil.example.net", "185.220.101.30"),
                false,
                GuardrailOverride.NONE));

    assertThat(batches).hasSize(1);
    assertThat(batches.get(0)).hasSize(3);
    assertThat(response.results())
        .extracting(IndicatorResult::reason)
        .containsExactly("critical_asset", null, null);
  }

  @Test
  void anUnknownProviderIsInvalidInputAndAnUnconfiguredOneNamesWhatToSet() {
    assertThatThrownBy(
            () ->
                service.block(
                    command("coffee", List.of("185.220.101.17"), false, GuardrailOverride.NONE)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("provider");
    BlockingService withoutPanOs =
        new BlockingService(
            List.of(
                BlockingModule.panOs(
                    Settings.of(Map.of()), TestKit.kit(), UpstreamPolicy.Options.defaults())),
            () -> ledger,
            () -> BlockingModule.protectedIndicators(Settings.of(Map.of())),
            CriticalAssets.NONE,
            clock);
    assertThatThrownBy(
            () ->
                withoutPanOs.block(
                    command("panos", List.of("185.220.101.17"), false, GuardrailOverride.NONE)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("PANOS_URL");
  }

  private static BlockCommand command(
      String provider, List<String> indicators, boolean dryRun, GuardrailOverride override) {
    return command(provider, indicators, dryRun, override, Duration.ofHours(24));
  }

  private static BlockCommand command(
      String provider,
      List<String> indicators,
      boolean dryRun,
      GuardrailOverride override,
      Duration duration) {
    return new BlockCommand(
        indicators,
        provider,
        duration,
        "phishing",
        INCIDENT,
        dryRun,
        override,
        "08585-run",
        "analyst@contoso.com");
  }

  private static Indicator parse(String value) {
    return ((ParseResult.Parsed) Indicators.parse(value)).indicator();
  }
}
