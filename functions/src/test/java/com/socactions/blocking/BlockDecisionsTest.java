package com.socactions.blocking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.socactions.cmdb.CriticalAssets;
import com.socactions.decisions.Decision;
import com.socactions.decisions.DecisionOperation;
import com.socactions.decisions.RecordingDecisionLog;
import com.socactions.ledger.BlockLedger;
import com.socactions.ledger.Provenance;
import com.socactions.ledger.TestLedgers;
import com.socactions.platform.Settings;
import com.socactions.platform.UpstreamException;
import com.socactions.platform.UpstreamPolicy;
import com.socactions.testing.Azurite;
import com.socactions.testing.MutableClock;
import com.socactions.testing.TestKit;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every block, allow, unblock and expiry is also a decision for Log Analytics, after the fact. */
@ExtendWith(Azurite.class)
class BlockDecisionsTest {
  private static final AtomicInteger TABLES = new AtomicInteger();
  private static final String INCIDENT =
      "/subscriptions/s/providers/Microsoft.SecurityInsights/Incidents/42";
  private static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");

  private final MutableClock clock = new MutableClock(NOW);
  private final RecordingDecisionLog decisions = new RecordingDecisionLog();
  private FakePanOsApi panos;
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
                FakePanOsApi.API_KEY));
    BlockLedger ledger =
        new BlockLedger(
            TestLedgers.tables(TestKit.storage(settings)), clock, BlockLedger.Options.defaults());
    PanOsEnforcementPoint panOs =
        BlockingModule.panOs(
            settings, TestKit.kit(clock, duration -> {}), UpstreamPolicy.Options.defaults());
    service =
        new BlockingService(
                List.of(BlockingModule.edl(settings), panOs),
                () -> ledger,
                () -> BlockingModule.protectedIndicators(settings),
                CriticalAssets.NONE,
                clock)
            .decisionLog(decisions);
  }

  @AfterEach
  void stop() {
    panos.close();
  }

  private static BlockCommand command(List<String> indicators, GuardrailOverride override) {
    return new BlockCommand(
        indicators,
        "panos",
        Duration.ofHours(24),
        "C2 beacon",
        INCIDENT,
        false,
        override,
        "08585-run",
        "analyst@contoso.com");
  }

  @Test
  void aBlockCallRecordsOneDecisionPerIndicatorWithTheProvidersAnswer() {
    service.block(
        command(
            List.of("10.0.0.1", "185.220.101.7", "185.220.101.7"),
            GuardrailOverride.justifiedBy("approved by the CISO")));

    assertThat(decisions.batches()).hasSize(1);
    List<Decision> recorded = decisions.all();
    assertThat(recorded)
        .extracting(Decision::indicator)
        .containsExactly("10.0.0.1", "185.220.101.7");
    Decision refused = recorded.get(0);
    assertThat(refused.status()).isEqualTo("refused");
    assertThat(refused.guardrail()).isEqualTo("private_range");
    Decision blocked = recorded.get(1);
    assertThat(blocked.operation()).isEqualTo(DecisionOperation.BLOCK_INDICATORS);
    assertThat(blocked.status()).isEqualTo("blocked");
    assertThat(blocked.guardrail()).isNull();
    assertThat(blocked.provider()).isEqualTo("panos");
    assertThat(blocked.indicatorType()).isEqualTo("ip");
    assertThat(blocked.expiresAt()).isEqualTo(NOW.plus(Duration.ofHours(24)));
    assertThat(blocked.requestedBy()).isEqualTo("analyst@contoso.com");
    assertThat(blocked.incidentId()).isEqualTo(INCIDENT);
    assertThat(blocked.correlationId()).isEqualTo("08585-run");
    assertThat(blocked.override()).isTrue();
    assertThat(blocked.justification()).isEqualTo("approved by the CISO");
    assertThat(blocked.timeGenerated()).isEqualTo(NOW);
    assertThat(panos.registrationsApplied()).isEqualTo(1);
  }

  @Test
  void aBlockThatFailedUpstreamIsRecordedAsFailedBeforeTheCallAnswers503() {
    panos.outage(503);

    assertThatThrownBy(
            () -> service.block(command(List.of("185.220.101.8"), GuardrailOverride.NONE)))
        .isInstanceOf(UpstreamException.class);

    assertThat(decisions.all())
        .singleElement()
        .satisfies(
            decision -> {
              assertThat(decision.status()).isEqualTo("failed");
              assertThat(decision.indicator()).isEqualTo("185.220.101.8");
              assertThat(decision.detail()).isNotBlank();
            });
  }

  @Test
  void unblockAndTheExpiryTimerAreDecisionsToo() {
    service.block(command(List.of("185.220.101.9", "185.220.101.10"), GuardrailOverride.NONE));
    service.unblock(command(List.of("185.220.101.9"), GuardrailOverride.NONE));
    clock.advance(Duration.ofHours(25));

    service.expire();

    List<Decision> recorded = decisions.all();
    assertThat(recorded)
        .extracting(Decision::operation, Decision::indicator, Decision::status)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                DecisionOperation.BLOCK_INDICATORS, "185.220.101.9", "blocked"),
            org.assertj.core.groups.Tuple.tuple(
                DecisionOperation.BLOCK_INDICATORS, "185.220.101.10", "blocked"),
            org.assertj.core.groups.Tuple.tuple(
                DecisionOperation.UNBLOCK_INDICATORS, "185.220.101.9", "unblocked"),
            org.assertj.core.groups.Tuple.tuple(
                DecisionOperation.EXPIRE, "185.220.101.10", "expired"));
    Decision expired = recorded.get(3);
    assertThat(expired.requestedBy()).isEqualTo(Provenance.EXPIRY_TIMER);
    assertThat(expired.incidentId()).isEqualTo(INCIDENT);
    assertThat(expired.timeGenerated()).isEqualTo(NOW.plus(Duration.ofHours(25)));
  }

  @Test
  void aDecisionLogThatFailsNeverFailsTheBlock() {
    service.decisionLog(
        batch -> {
          throw new IllegalStateException("Log Analytics is on fire");
        });

    BlockResponse response =
        service.block(command(List.of("185.220.101.11"), GuardrailOverride.NONE));

    assertThat(response.results().get(0).status()).isEqualTo(BlockStatus.BLOCKED);
  }
}
