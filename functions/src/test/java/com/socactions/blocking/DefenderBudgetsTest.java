package com.socactions.blocking;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.credential.AccessToken;
import com.socactions.blocking.EnforcementOutcome.Status;
import com.socactions.indicators.Indicators;
import com.socactions.indicators.ParseResult;
import com.socactions.ledger.Action;
import com.socactions.platform.AzureCredentials;
import com.socactions.platform.Settings;
import com.socactions.platform.UpstreamBudgets;
import com.socactions.platform.UpstreamPolicy;
import com.socactions.testing.Azurite;
import com.socactions.testing.ClockSleeper;
import com.socactions.testing.CountedTable;
import com.socactions.testing.CountedTable.Kind;
import com.socactions.testing.MutableClock;
import com.socactions.testing.TestKit;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Mono;

/**
 * Defender's documented limits held for every instance of the app together: several enforcement
 * points (one per simulated instance, each with its own budgets object and table client) on one
 * Azurite table, against one fake Defender that enforces the limits tenant-wide. Time is virtual:
 * waits move the shared clock, and the instances take turns on one thread, so what the fake sees is
 * exactly what the budgets planned.
 */
@ExtendWith(Azurite.class)
class DefenderBudgetsTest {
  private static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJkZWZlbmRlciJ9.c2ln";
  private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");
  private static final Instant TOMORROW = NOW.plus(Duration.ofDays(1));

  private final MutableClock clock = new MutableClock(NOW);
  private final ClockSleeper sleeper = new ClockSleeper(clock);
  private final AzureCredentials credentials =
      AzureCredentials.of(
          request -> Mono.just(new AccessToken(TOKEN, OffsetDateTime.now().plusHours(1))));
  private FakeDefenderApi defender;
  private Settings settings;
  private CountedTable table;

  @BeforeEach
  void start() throws Exception {
    defender = FakeDefenderApi.start(TOKEN).enforceDocumentedLimits(clock);
    settings =
        Settings.of(Map.of("DEFENDER_API_URL", defender.baseUrl(), "BLOCK_PROVIDERS", "defender"));
    table = CountedTable.create("budgets");
  }

  @AfterEach
  void stop() {
    defender.close();
  }

  private DefenderEnforcementPoint instance(UpstreamBudgets budgets) {
    return BlockingModule.defender(
        settings,
        TestKit.kit(clock, sleeper),
        credentials,
        UpstreamPolicy.Options.defaults(),
        DefenderSnapshot.DEFAULT_MAX_AGE,
        budgets);
  }

  private DefenderEnforcementPoint sharingInstance() {
    return instance(UpstreamBudgets.in(table.client(), clock, sleeper));
  }

  private static EnforcementRequest block(String ip) {
    return new EnforcementRequest(
        ((ParseResult.Parsed) Indicators.parse(ip)).indicator(),
        Action.BLOCK,
        TOMORROW,
        "Incident 4711",
        "Blocked for incident 4711",
        null);
  }

  private static List<EnforcementRequest> blocks(int first, int count) {
    return IntStream.range(first, first + count)
        .mapToObj(i -> block("45." + (i >> 16) + "." + ((i >> 8) & 0xff) + "." + (i & 0xff)))
        .toList();
  }

  @Test
  void fourInstancesSharingTheBudgetsBlockFiveThousandIndicatorsWithoutOneThrottledCall() {
    List<DefenderEnforcementPoint> instances = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      instances.add(sharingInstance());
    }
    // Requests of 50, so that a hundred imports meet the limit of 30 a minute.
    List<List<EnforcementRequest>> pending = new ArrayList<>();
    for (int from = 0; from < 5_000; from += 50) {
      pending.add(blocks(from, 50));
    }
    int done = 0;
    int refusedForNow = 0;
    for (int round = 0; !pending.isEmpty(); round++) {
      List<List<EnforcementRequest>> again = new ArrayList<>();
      Duration longest = Duration.ZERO;
      for (int r = 0; r < pending.size(); r++) {
        List<EnforcementRequest> requests = pending.get(r);
        List<EnforcementOutcome> outcomes = instances.get(r % 4).apply(requests);
        List<EnforcementRequest> failed = new ArrayList<>();
        for (int i = 0; i < outcomes.size(); i++) {
          EnforcementOutcome outcome = outcomes.get(i);
          if (outcome.status() == Status.DONE) {
            done++;
          } else {
            // Only ever the budget's answer: failed now, with when to come back.
            assertThat(outcome.status()).isEqualTo(Status.FAILED);
            assertThat(outcome.retryAfter()).isNotNull();
            assertThat(outcome.detail()).contains("30 import calls a minute");
            failed.add(requests.get(i));
            longest = outcome.retryAfter().compareTo(longest) > 0 ? outcome.retryAfter() : longest;
          }
        }
        if (!failed.isEmpty()) {
          refusedForNow++;
          again.add(failed);
        }
      }
      sleeper.sleep(longest); // as Logic Apps would, after the Retry-After the answer carried
      pending = again;
      assertThat(round).isLessThan(20);
    }

    assertThat(done).isEqualTo(5_000);
    assertThat(defender.size()).isEqualTo(5_000);
    assertThat(defender.throttledCalls()).isZero();
    assertThat(defender.importCalls()).isEqualTo(100);
    assertThat(refusedForNow).isPositive(); // the budget, not luck, kept the fake happy
    assertThat(table.count(Kind.QUERY)).isZero();
  }

  @Test
  void budgetsKeptPerInstanceLetFourInstancesOverrunTheTenantLimit() {
    List<DefenderEnforcementPoint> instances = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      instances.add(instance(UpstreamBudgets.local(clock, sleeper)));
    }

    for (int r = 0; r < 40; r++) {
      instances.get(r % 4).apply(blocks(r * 10, 10));
    }

    // Each instance stays under 30 a minute on its own; together they do not.
    assertThat(defender.throttledCalls()).isPositive();
  }

  @Test
  void aBatchWhoseImportIsFurtherOffThanACallMayWaitFailsWithRetryAfterAndSendsNothing() {
    DefenderEnforcementPoint first = sharingInstance();
    DefenderEnforcementPoint second = sharingInstance();
    for (int r = 0; r < 30; r++) {
      (r % 2 == 0 ? first : second).apply(blocks(r, 1));
    }
    int imports = defender.importCalls();

    List<EnforcementOutcome> outcomes = first.apply(blocks(100, 3));

    assertThat(outcomes)
        .allSatisfy(
            outcome -> {
              assertThat(outcome.status()).isEqualTo(Status.FAILED);
              assertThat(outcome.retryAfter()).isEqualTo(Duration.ofSeconds(62));
              assertThat(outcome.detail())
                  .contains("30 import calls a minute")
                  .contains("shared by every instance");
            });
    assertThat(defender.importCalls()).isEqualTo(imports);
    assertThat(defender.throttledCalls()).isZero();
  }

  @Test
  void aThrottleThatStillComesIsHonouredByEveryInstance() {
    DefenderEnforcementPoint first = sharingInstance();
    DefenderEnforcementPoint second = sharingInstance();
    first.apply(blocks(0, 1)); // both snapshots and the budget row exist: only imports follow
    second.apply(blocks(1, 1));
    int imports = defender.importCalls();
    defender.failNext(1, 429, Map.of("Retry-After", "45")); // another app used the tenant's limit

    EnforcementOutcome throttled = first.apply(blocks(2, 1)).get(0);
    EnforcementOutcome heldBack = second.apply(blocks(3, 1)).get(0);

    assertThat(throttled.status()).isEqualTo(Status.FAILED);
    assertThat(throttled.retryAfter()).isEqualTo(Duration.ofSeconds(45));
    assertThat(heldBack.status()).isEqualTo(Status.FAILED);
    assertThat(heldBack.retryAfter()).isEqualTo(Duration.ofSeconds(45));
    assertThat(defender.importCalls()).isEqualTo(imports + 1); // the second never called

    sleeper.sleep(Duration.ofSeconds(45));
    assertThat(second.apply(blocks(3, 1)).get(0).status()).isEqualTo(Status.DONE);
  }

  @Test
  void batchDeletesKeepToTheirOwnLimitAndTheOneTooManyFailsWithRetryAfterUnsent() {
    DefenderEnforcementPoint point = sharingInstance();
    List<EnforcementOutcome> blocked = point.apply(blocks(0, 62));
    List<EnforcementRequest> unblocks = new ArrayList<>();
    for (int i = 0; i < 62; i++) {
      unblocks.add(
          new EnforcementRequest(
              blocks(i, 1).get(0).indicator(),
              Action.BLOCK,
              null,
              null,
              null,
              blocked.get(i).providerRef()));
    }

    for (int pair = 0; pair < 30; pair++) {
      assertThat(point.remove(unblocks.subList(2 * pair, 2 * pair + 2)))
          .allMatch(outcome -> outcome.status() == Status.DONE);
    }
    List<EnforcementOutcome> tooMany = point.remove(unblocks.subList(60, 62));

    assertThat(tooMany)
        .allSatisfy(
            outcome -> {
              assertThat(outcome.status()).isEqualTo(Status.FAILED);
              assertThat(outcome.retryAfter()).isEqualTo(Duration.ofSeconds(62));
              assertThat(outcome.detail()).contains("30 batch delete calls a minute");
            });
    assertThat(defender.batchDeleteCalls()).isEqualTo(30);
    assertThat(defender.throttledCalls()).isZero();
  }

  @Test
  void newValuesPastTheTenantCapAreRefusedOneByOneWithTheReasonAndNotSent() {
    defender.addMany(DefenderIndicatorsClient.TENANT_CAP - 5, null);
    DefenderEnforcementPoint point = sharingInstance();
    List<EnforcementRequest> requests = new ArrayList<>(blocks(0, 6));
    // A value Defender holds as ours already is an update, not one more indicator.
    String ours = defender.addAsConnector("45.0.1.0", "IpAddress", "Block", NOW.toString());
    requests.add(block("45.0.1.0"));

    List<EnforcementOutcome> outcomes = point.apply(requests);

    assertThat(outcomes.subList(0, 4)).allMatch(outcome -> outcome.status() == Status.DONE);
    assertThat(outcomes.subList(4, 6))
        .allSatisfy(
            outcome -> {
              assertThat(outcome.status()).isEqualTo(Status.FAILED);
              assertThat(outcome.retryAfter()).isNull();
              assertThat(outcome.detail())
                  .contains("holds 14,996 active indicators")
                  .contains("at most 15,000 per tenant");
            });
    assertThat(outcomes.get(6).status()).isEqualTo(Status.ALREADY_OURS);
    assertThat(outcomes.get(6).providerRef()).isEqualTo(ours);
    assertThat(defender.importCalls()).isEqualTo(1);
    assertThat(defender.requests().get(defender.requests().size() - 1).getBody().utf8())
        .doesNotContain("45.0.0.4")
        .doesNotContain("45.0.0.5");
    assertThat(defender.size()).isEqualTo(DefenderIndicatorsClient.TENANT_CAP);
  }

  @Test
  void aCountReadBeforeTheBatchIsReadAgainBeforeItRefusesAnything() {
    defender.addMany(DefenderIndicatorsClient.TENANT_CAP - 2, null);
    DefenderEnforcementPoint point = sharingInstance();
    point.apply(blocks(0, 1));
    // Someone clears ten indicators in the portal; the snapshot, still fresh, does not know.
    for (int id = 5001; id <= 5010; id++) {
      assertThat(defender.remove(Integer.toString(id))).isTrue();
    }
    int lists = defender.listCalls();

    List<EnforcementOutcome> outcomes = point.apply(blocks(1, 5));

    assertThat(outcomes).allMatch(outcome -> outcome.status() == Status.DONE);
    assertThat(defender.listCalls()).isEqualTo(lists + 2); // read again (two pages) before refusing
  }
}
