package com.socactions.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.socactions.indicators.Indicator;
import com.socactions.indicators.IndicatorType;
import com.socactions.indicators.Indicators;
import com.socactions.indicators.ParseResult;
import com.socactions.ledger.BlockLedger.Confirmation;
import com.socactions.ledger.BlockLedger.Failure;
import com.socactions.ledger.BlockLedger.Lift;
import com.socactions.ledger.BlockLedger.Refusal;
import com.socactions.platform.InvalidInputException;
import com.socactions.platform.TableStorage;
import com.socactions.testing.Azurite;
import com.socactions.testing.MutableClock;
import com.socactions.testing.StorageCalls;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The ledger on Azurite: decisions, races, history, indexes and what each costs in calls. */
@ExtendWith(Azurite.class)
class BlockLedgerTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final Provenance ANALYST =
      new Provenance("C2 beacon", null, "inc-1", "run-1", "alice@contoso.com");
  private static final List<String> PROVIDERS = List.of("edl", "defender");

  private final MutableClock clock = new MutableClock(NOW);
  private final StorageCalls calls = new StorageCalls();
  private TableStorage storage;
  private LedgerTables tables;
  private BlockLedger ledger;

  @BeforeEach
  void freshTables() {
    storage = calls.storage();
    tables = TestLedgers.tables(storage);
    ledger = new BlockLedger(tables, clock, BlockLedger.Options.defaults());
  }

  // ---- claims --------------------------------------------------------------------------------

  @Test
  void hostileValuesAreStoredAndFoundAgain() {
    List<String> values =
        List.of(
            "198.51.100.0/24",
            "https://x.example/p?q='1'&r=%2F#",
            "https://x.example/a%5Cb/%00",
            "https://xn--nxasmq6b.example/%E3%83%91",
            "https://x.example/" + "long/".repeat(400));

    List<Claim> claims =
        ledger.claimActive(
            values.stream().map(value -> block(value, NOW.plus(Duration.ofHours(1)))).toList());

    assertThat(claims).extracting(Claim::status).containsOnly(Claim.Status.CLAIMED);
    for (String value : values) {
      Indicator indicator = indicator(value);
      assertThat(ledger.find("edl", indicator))
          .get()
          .satisfies(
              entry -> {
                assertThat(entry.value()).isEqualTo(indicator.value());
                assertThat(entry.state()).isEqualTo(LedgerState.ACTIVE);
              });
      assertThat(list(LedgerQuery.all().withValue(indicator.value())).entries()).hasSize(1);
    }
  }

  @Test
  void twentyConcurrentIdenticalBlocksEndInOneClaimWhileTheOthersFindItInFlight() throws Exception {
    int runs = 20;
    ExecutorService pool = Executors.newFixedThreadPool(runs);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<Claim>> futures = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        // Separate ledgers, as separate worker instances would have.
        BlockLedger worker = new BlockLedger(tables, clock, BlockLedger.Options.defaults());
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  return worker
                      .claimActive(List.of(block("203.0.113.7", NOW.plus(Duration.ofHours(24)))))
                      .get(0);
                }));
      }
      start.countDown();
      List<Claim> claims = new ArrayList<>();
      for (Future<Claim> future : futures) {
        claims.add(future.get(60, TimeUnit.SECONDS));
      }

      assertThat(claims).filteredOn(Claim::isClaimed).hasSize(1);
      // Nobody but the winner may say "active": the provider has not answered yet.
      assertThat(claims)
          .filteredOn(claim -> claim.status() == Claim.Status.IN_FLIGHT)
          .hasSize(runs - 1);
      assertThat(ledger.find("edl", indicator("203.0.113.7")))
          .get()
          .satisfies(
              row -> {
                assertThat(row.state()).isEqualTo(LedgerState.ACTIVE);
                assertThat(row.isClaimInFlight()).isTrue();
                assertThat(row.historyCount()).isEqualTo(1);
              });
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void claimsAndTheirConfirmationCostATransactionPerPartitionAndNoReadOfTheRows() {
    List<LedgerRequest> batch =
        IntStream.range(0, 100)
            .mapToObj(i -> block("203.0.113." + i, NOW.plus(Duration.ofHours(1))))
            .toList();
    List<Claim> claims = ledger.claimActive(batch);
    calls.clear();

    List<LedgerEntry> confirmed =
        ledger.confirm(
            claims.stream()
                .map(claim -> new Confirmation(claim.entry(), "ref-" + claim.entry().value()))
                .toList());

    assertThat(confirmed)
        .allSatisfy(
            entry -> {
              assertThat(entry.pendingSince()).isNull();
              assertThat(entry.providerRef()).isEqualTo("ref-" + entry.value());
            });
    // The claim is a lease on its rows: no GET of a row, only transactions (rows, history, and
    // the published versions: one per scope, edl and all, and one by id).
    assertThat(calls.calls()).noneSatisfy(call -> assertThat(call.method()).isEqualTo("GET"));
    assertThat(calls.count()).isLessThanOrEqualTo(2 * LedgerKeys.SHARDS + 2 + 3);
    assertThat(ledger.history(ledger.find("edl", indicator("203.0.113.8")).orElseThrow()))
        .extracting(LedgerHistory::status)
        .containsExactly("claimed", "blocked");
  }

  @Test
  void aLaterExpiryIsClaimedAsAnExtensionAndTakesEffectOnlyOnceConfirmed() {
    Instant first = NOW.plus(Duration.ofHours(24));
    confirmAll(ledger.claimActive(List.of(block("203.0.113.7", first))));

    Claim earlier =
        ledger.claimActive(List.of(block("203.0.113.7", NOW.plus(Duration.ofHours(1))))).get(0);
    assertThat(earlier.status()).isEqualTo(Claim.Status.ALREADY_ACTIVE);
    assertThat(earlier.entry().expiresAt()).isEqualTo(first);

    Instant later = NOW.plus(Duration.ofHours(48));
    Claim extension = ledger.claimActive(List.of(block("203.0.113.7", later))).get(0);
    assertThat(extension.status()).isEqualTo(Claim.Status.EXTENDING);
    assertThat(extension.entry().extendTo()).isEqualTo(later);
    assertThat(ledger.find("edl", indicator("203.0.113.7")).orElseThrow().expiresAt())
        .as("the provider has not confirmed the later expiry yet")
        .isEqualTo(first);

    ledger.confirm(List.of(new Confirmation(extension.entry(), null)));

    assertThat(ledger.find("edl", indicator("203.0.113.7")).orElseThrow().expiresAt())
        .isEqualTo(later);
  }

  @Test
  void aReRunMinutesLaterIsAlreadyActiveWithoutAnExtensionOrARowWrite() {
    Instant first = NOW.plus(Duration.ofHours(24));
    confirmAll(ledger.claimActive(List.of(block("203.0.113.7", first))));
    clock.advance(Duration.ofMinutes(30));
    LedgerEntry before = ledger.find("edl", indicator("203.0.113.7")).orElseThrow();

    // 30 minutes later by a 24-hour request: within 10% of it (2.4 h), so no provider call.
    Claim rerun =
        ledger
            .claimActive(List.of(block("203.0.113.7", NOW.plus(Duration.ofMinutes(30 + 1440)))))
            .get(0);

    assertThat(rerun.status()).isEqualTo(Claim.Status.ALREADY_ACTIVE);
    assertThat(rerun.entry().expiresAt()).isEqualTo(first);
    LedgerEntry after = ledger.find("edl", indicator("203.0.113.7")).orElseThrow();
    assertThat(after.historyCount()).isEqualTo(before.historyCount());
    assertThat(ledger.history(after))
        .extracting(LedgerHistory::status)
        .containsExactly("claimed", "blocked", "already_active");
    assertThat(BlockLedger.extensionMargin(Duration.ofHours(24)))
        .isEqualTo(Duration.ofMinutes(144));
    assertThat(BlockLedger.extensionMargin(Duration.ofMinutes(10)))
        .isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void aFailedExtensionLeavesTheBlockActiveWithItsOldExpiry() {
    Instant first = NOW.plus(Duration.ofHours(1));
    confirmAll(ledger.claimActive(List.of(block("203.0.113.7", first))));
    Claim extension =
        ledger.claimActive(List.of(block("203.0.113.7", NOW.plus(Duration.ofDays(2))))).get(0);

    LedgerEntry after =
        ledger.fail(List.of(new Failure(extension.entry(), "Defender answered 503"))).get(0);

    assertThat(after.state()).isEqualTo(LedgerState.ACTIVE);
    assertThat(after.expiresAt()).isEqualTo(first);
    assertThat(after.isClaimInFlight()).isFalse();
    assertThat(after.lastError()).isEqualTo("Defender answered 503");
  }

  @Test
  void theSameIndicatorTwiceInOneBatchIsOneClaim() {
    List<Claim> claims =
        ledger.claimActive(
            List.of(
                block("203.0.113.7", NOW.plus(Duration.ofHours(1))),
                block("203.0.113.7", NOW.plus(Duration.ofHours(2)))));

    assertThat(claims)
        .extracting(Claim::status)
        .containsExactly(Claim.Status.CLAIMED, Claim.Status.IN_FLIGHT);
    assertThat(ledger.find("edl", indicator("203.0.113.7")).orElseThrow().expiresAt())
        .isEqualTo(NOW.plus(Duration.ofHours(1)));
  }

  @Test
  void anAbandonedClaimCanBeClaimedAgainAndAFailedOneToo() {
    ledger.claimActive(List.of(block("203.0.113.7", NOW.plus(Duration.ofHours(1)))));
    assertThat(
            ledger
                .claimActive(List.of(block("203.0.113.7", NOW.plus(Duration.ofHours(1)))))
                .get(0)
                .status())
        .isEqualTo(Claim.Status.IN_FLIGHT);

    clock.advance(BlockLedger.DEFAULT_CLAIM_TIMEOUT);
    Claim retaken =
        ledger.claimActive(List.of(block("203.0.113.7", NOW.plus(Duration.ofHours(1))))).get(0);
    assertThat(retaken.isClaimed()).isTrue();
    assertThat(retaken.recovering()).isTrue();

    LedgerEntry failed =
        ledger.fail(List.of(new Failure(retaken.entry(), "PAN-OS answered 500"))).get(0);
    assertThat(failed.state()).isEqualTo(LedgerState.FAILED);
    assertThat(failed.lastError()).isEqualTo("PAN-OS answered 500");
    assertThat(
            ledger
                .claimActive(List.of(block("203.0.113.7", NOW.plus(Duration.ofHours(1)))))
                .get(0)
                .isClaimed())
        .isTrue();
  }

  @Test
  void confirmingAClaimThatAnotherClaimTookOverChangesNothing() {
    Claim block =
        ledger.claimActive(List.of(block("203.0.113.7", NOW.plus(Duration.ofHours(1))))).get(0);
    // The block's worker died before it confirmed: after the claim timeout an allow takes over.
    clock.advance(BlockLedger.DEFAULT_CLAIM_TIMEOUT);
    Claim allow =
        ledger.claimActive(List.of(allow("203.0.113.7", NOW.plus(Duration.ofHours(1))))).get(0);
    assertThat(allow.isClaimed()).isTrue();
    assertThat(allow.previous().action()).isEqualTo(Action.BLOCK);

    LedgerEntry after =
        ledger.confirm(List.of(new Confirmation(block.entry(), "block-ref"))).get(0);

    assertThat(after.action()).isEqualTo(Action.ALLOW);
    assertThat(after.pendingSince()).isNotNull();
    assertThat(after.providerRef()).isNull();
  }

  // ---- decisions that call no provider -------------------------------------------------------

  @Test
  void aRefusalOfAnActiveRowLeavesItAsItIsAndIsANoteInItsHistory() {
    confirmAll(ledger.claimActive(List.of(block("evil.example", NOW.plus(Duration.ofHours(1))))));

    LedgerEntry after =
        ledger
            .recordRefused(
                List.of(
                    new Refusal(
                        block("evil.example", NOW.plus(Duration.ofHours(2))),
                        "critical_asset",
                        "web01 is critical")))
            .get(0);

    assertThat(after.state()).isEqualTo(LedgerState.ACTIVE);
    assertThat(after.expiresAt()).isEqualTo(NOW.plus(Duration.ofHours(1)));
    assertThat(ledger.history(after))
        .extracting(LedgerHistory::status)
        .containsExactly("claimed", "blocked", "refused");
  }

  @Test
  void aRefusalOfANewIndicatorIsARefusedRowWithItsGuardrail() {
    LedgerEntry entry =
        ledger
            .recordRefused(List.of(new Refusal(block("10.0.0.1", NOW), "private_range", "private")))
            .get(0);

    assertThat(entry.state()).isEqualTo(LedgerState.REFUSED);
    assertThat(entry.guardrail()).isEqualTo("private_range");
    assertThat(ledger.history(entry))
        .singleElement()
        .satisfies(h -> assertThat(h.guardrail()).isEqualTo("private_range"));
  }

  @Test
  void aDryRunWritesADryRunRowAndLeavesAnActiveRowActive() {
    confirmAll(ledger.claimActive(List.of(block("203.0.113.1", NOW.plus(Duration.ofHours(1))))));

    List<LedgerEntry> entries =
        ledger.recordDryRun(
            List.of(
                block("203.0.113.1", NOW.plus(Duration.ofHours(1))),
                block("203.0.113.2", NOW.plus(Duration.ofHours(1)))));

    assertThat(entries)
        .extracting(LedgerEntry::state)
        .containsExactly(LedgerState.ACTIVE, LedgerState.DRY_RUN);
  }

  @Test
  void everyDecisionIsKeptInTheHistoryNothingTruncated() {
    for (int i = 0; i < 60; i++) {
      ledger.recordRefused(
          List.of(
              new Refusal(
                  block("10.0.0.1", NOW),
                  "private_range",
                  "refusal " + i + " " + "x".repeat(500))));
      clock.advance(Duration.ofSeconds(1));
    }

    LedgerEntry entry = ledger.find("edl", indicator("10.0.0.1")).orElseThrow();
    List<LedgerHistory> history = ledger.history(entry);

    assertThat(entry.historyCount()).isEqualTo(60);
    assertThat(history).hasSize(60);
    assertThat(history)
        .extracting(LedgerHistory::seq)
        .containsExactlyElementsOf(IntStream.rangeClosed(1, 60).boxed().toList());
    assertThat(history.get(30).reason()).startsWith("refusal 30 ");
    assertThat(history)
        .allSatisfy(
            item ->
                assertThat(item.reason())
                    .hasSizeLessThanOrEqualTo(BlockLedger.MAX_HISTORY_TEXT_CHARS));
  }

  // ---- lists ---------------------------------------------------------------------------------

  @Test
  void listingFiltersByStateProviderIncidentAndValueNewestFirst() {
    confirmAll(ledger.claimActive(List.of(block("203.0.113.1", NOW.plus(Duration.ofHours(1))))));
    clock.advance(Duration.ofMinutes(1));
    confirmAll(
        ledger.claimActive(
            List.of(
                new LedgerRequest(
                    "defender",
                    indicator("evil.example"),
                    Action.BLOCK,
                    NOW.plus(Duration.ofHours(1)),
                    new Provenance("phish", null, "inc-2", "run-2", null)))));
    clock.advance(Duration.ofMinutes(1));
    ledger.recordRefused(List.of(new Refusal(block("10.0.0.1", NOW), "private_range", "private")));
    clock.advance(Duration.ofMinutes(1));
    LedgerEntry expiring =
        ledger
            .confirm(
                List.of(
                    new Confirmation(
                        ledger
                            .claimActive(
                                List.of(block("203.0.113.2", NOW.plus(Duration.ofMinutes(1)))))
                            .get(0)
                            .entry(),
                        null)))
            .get(0);
    clock.advance(Duration.ofMinutes(1));
    ledger.recordLifts(List.of(Lift.done(expiring, Provenance.TIMER)));

    assertThat(values(LedgerQuery.all()))
        .containsExactly("203.0.113.2", "10.0.0.1", "evil.example", "203.0.113.1");
    assertThat(values(LedgerQuery.all().withStates(Set.of(LedgerState.ACTIVE))))
        .containsExactly("evil.example", "203.0.113.1");
    assertThat(
            values(LedgerQuery.all().withStates(Set.of(LedgerState.EXPIRED, LedgerState.LIFTED))))
        .containsExactly("203.0.113.2");
    assertThat(values(LedgerQuery.all().withProvider("defender"))).containsExactly("evil.example");
    assertThat(values(LedgerQuery.all().withIncidentId("inc-2"))).containsExactly("evil.example");
    assertThat(values(LedgerQuery.all().withValue("203.0.113.1"))).containsExactly("203.0.113.1");
    assertThat(values(LedgerQuery.all().withIndicator(" EVIL[.]example ")))
        .as("looked up the way a block stores it")
        .containsExactly("evil.example");
    assertThat(values(LedgerQuery.all().withIndicator("not an indicator"))).isEmpty();
  }

  @Test
  void pagesFollowEachOtherWithoutGapsOrRepeatsAndCostTheirSize() {
    for (int i = 0; i < 25; i++) {
      ledger.recordRefused(
          List.of(new Refusal(block("10.0.0." + i, NOW), "private_range", "private")));
      clock.advance(Duration.ofSeconds(1));
    }
    List<String> seen = new ArrayList<>();
    String token = null;
    int pages = 0;
    do {
      calls.clear();
      LedgerPage page = list(LedgerQuery.all().withPage(10, token));
      // One range query per (state, provider) of the filter and one point read per row.
      assertThat(calls.count())
          .isLessThanOrEqualTo(LedgerState.values().length * PROVIDERS.size() + 10);
      page.entries().forEach(entry -> seen.add(entry.value()));
      token = page.continuationToken();
      pages++;
    } while (token != null);

    assertThat(pages).isEqualTo(3);
    assertThat(seen).hasSize(25).doesNotHaveDuplicates();
    assertThat(seen.get(0)).isEqualTo("10.0.0.24");
  }

  @Test
  void aTokenThisLedgerDidNotIssueIsRefusedNamingIt() {
    assertThatThrownBy(() -> list(LedgerQuery.all().withPage(10, "bm90IGEgdG9rZW4")))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> assertThat(e.getMessage()).contains("continuation_token"));
  }

  @Test
  void theFeedListsTheActiveUnexpiredEntriesOfOneList() {
    confirmAll(
        ledger.claimActive(
            List.of(
                block("203.0.113.1", NOW.plus(Duration.ofHours(1))),
                block("203.0.113.2", NOW.plus(Duration.ofMinutes(10))),
                block("evil.example", NOW.plus(Duration.ofHours(1))),
                allow("203.0.113.3", NOW.plus(Duration.ofHours(1))))));
    clock.advance(Duration.ofMinutes(20));

    assertThat(ledger.activeEntries("edl", IndicatorType.IP, Action.BLOCK))
        .extracting(BlockLedger.Listed::value)
        .containsExactly("203.0.113.1");
    assertThat(ledger.activeEntries("edl", IndicatorType.IP, Action.ALLOW))
        .extracting(BlockLedger.Listed::value)
        .containsExactly("203.0.113.3");
  }

  @Test
  void aListsVersionMovesWhenItsActiveEntriesChangeAndOnlyThen() {
    String empty = ledger.listVersion("edl", IndicatorType.IP, Action.BLOCK);
    confirmAll(ledger.claimActive(List.of(block("203.0.113.1", NOW.plus(Duration.ofHours(1))))));
    String one = ledger.listVersion("edl", IndicatorType.IP, Action.BLOCK);
    ledger.recordRefused(List.of(new Refusal(block("10.0.0.1", NOW), "private_range", "private")));
    ledger.claimActive(List.of(block("203.0.113.1", NOW.plus(Duration.ofHours(1)))));

    assertThat(one).isNotEqualTo(empty);
    assertThat(ledger.listVersion("edl", IndicatorType.IP, Action.BLOCK)).isEqualTo(one);
  }

  // ---- expiry --------------------------------------------------------------------------------

  @Test
  void entriesAreDueOnceTheClockPassesTheirExpiryAndReadFromTheirMinuteOnly() {
    confirmAll(
        ledger.claimActive(
            List.of(
                block("203.0.113.1", NOW.plus(Duration.ofHours(1))),
                block("203.0.113.2", NOW.plus(Duration.ofHours(2))))));

    assertThat(ledger.nextDue(100)).isEmpty();
    clock.advance(Duration.ofHours(1));
    List<BlockLedger.Due> due = ledger.nextDue(100);
    assertThat(due).extracting(d -> d.entry().value()).containsExactly("203.0.113.1");

    List<LedgerEntry> lifted =
        ledger.recordLifts(
            List.of(
                Lift.done(
                    ledger
                        .claimLifts(List.of(due.get(0).entry()), true, Provenance.TIMER)
                        .get(0)
                        .entry(),
                    Provenance.TIMER)));
    ledger.doneDue(due);

    assertThat(lifted.get(0).state()).isEqualTo(LedgerState.EXPIRED);
    assertThat(ledger.nextDue(100)).isEmpty();
    clock.advance(Duration.ofHours(1));
    assertThat(ledger.nextDue(100))
        .extracting(d -> d.entry().value())
        .containsExactly("203.0.113.2");
  }

  @Test
  void aFailedLiftIsLookedAtAgainAfterTheRetryDelay() {
    confirmAll(ledger.claimActive(List.of(block("203.0.113.1", NOW.plus(Duration.ofHours(1))))));
    clock.advance(Duration.ofHours(1));
    List<BlockLedger.Due> due = ledger.nextDue(100);
    BlockLedger.LiftClaim claim =
        ledger.claimLifts(List.of(due.get(0).entry()), true, Provenance.TIMER).get(0);

    LedgerEntry failed =
        ledger
            .recordLifts(
                List.of(Lift.failed(claim.entry(), "Defender answered 503", Provenance.TIMER)))
            .get(0);
    ledger.doneDue(due);

    assertThat(failed.state()).isEqualTo(LedgerState.ACTIVE);
    assertThat(failed.liftPending()).isTrue();
    assertThat(ledger.nextDue(100)).isEmpty();
    clock.advance(BlockLedger.LIFT_RETRY);
    assertThat(ledger.nextDue(100))
        .extracting(d -> d.entry().value())
        .containsExactly("203.0.113.1");
  }

  @Test
  void aReBlockThatExtendsAfterTheTimerReadTheRowWinsOverTheTimersLift() {
    confirmAll(ledger.claimActive(List.of(block("203.0.113.1", NOW.plus(Duration.ofHours(1))))));
    clock.advance(Duration.ofHours(1));
    List<LedgerEntry> due = ledger.nextDue(100).stream().map(BlockLedger.Due::entry).toList();
    // Between the timer's read and its lift, an analyst re-blocks for another day.
    Claim extension =
        ledger
            .claimActive(List.of(block("203.0.113.1", clock.instant().plus(Duration.ofDays(1)))))
            .get(0);
    ledger.confirm(List.of(new Confirmation(extension.entry(), null)));

    List<BlockLedger.LiftClaim> lifts = ledger.claimLifts(due, true, Provenance.TIMER);

    assertThat(lifts)
        .extracting(BlockLedger.LiftClaim::status)
        .containsExactly(BlockLedger.LiftClaim.Status.NOT_DUE);
    assertThat(ledger.find("edl", indicator("203.0.113.1")).orElseThrow())
        .satisfies(
            row -> {
              assertThat(row.state()).isEqualTo(LedgerState.ACTIVE);
              assertThat(row.isClaimInFlight()).isFalse();
            });
  }

  @Test
  void aReBlockWhileTheTimersLiftIsInFlightWaitsAndThenClaimsAfresh() {
    confirmAll(ledger.claimActive(List.of(block("203.0.113.1", NOW.plus(Duration.ofHours(1))))));
    clock.advance(Duration.ofHours(1));
    BlockLedger.LiftClaim lift =
        ledger
            .claimLifts(
                ledger.nextDue(100).stream().map(BlockLedger.Due::entry).toList(),
                true,
                Provenance.TIMER)
            .get(0);
    assertThat(lift.status()).isEqualTo(BlockLedger.LiftClaim.Status.CLAIMED);

    Claim during =
        ledger
            .claimActive(List.of(block("203.0.113.1", clock.instant().plus(Duration.ofDays(1)))))
            .get(0);
    assertThat(during.status()).isEqualTo(Claim.Status.IN_FLIGHT);
    ledger.recordLifts(List.of(Lift.done(lift.entry(), Provenance.TIMER)));
    Claim after =
        ledger
            .claimActive(List.of(block("203.0.113.1", clock.instant().plus(Duration.ofDays(1)))))
            .get(0);

    assertThat(after.status()).isEqualTo(Claim.Status.CLAIMED);
    assertThat(after.previous().state()).isEqualTo(LedgerState.EXPIRED);
  }

  @Test
  void aLiftRecordedForAClaimAnotherCallerTookChangesNothing() {
    confirmAll(ledger.claimActive(List.of(block("203.0.113.1", NOW.plus(Duration.ofHours(1))))));
    clock.advance(Duration.ofHours(1));
    LedgerEntry due = ledger.nextDue(100).get(0).entry();
    BlockLedger.LiftClaim first = ledger.claimLifts(List.of(due), true, Provenance.TIMER).get(0);
    // The first timer died; after the claim timeout a second one takes the lift over.
    clock.advance(BlockLedger.DEFAULT_CLAIM_TIMEOUT);
    BlockLedger.LiftClaim second = ledger.claimLifts(List.of(due), true, Provenance.TIMER).get(0);
    assertThat(second.status()).isEqualTo(BlockLedger.LiftClaim.Status.CLAIMED);

    LedgerEntry stale =
        ledger
            .recordLifts(List.of(Lift.failed(first.entry(), "late answer", Provenance.TIMER)))
            .get(0);

    assertThat(stale.liftPending()).isFalse();
    assertThat(stale.claimId()).isEqualTo(second.entry().claimId());
  }

  // ---- the allow list ------------------------------------------------------------------------

  @Test
  void theAllowListCoversAllowedValuesNetworksAndSubdomains() {
    confirmAll(
        ledger.claimActive(
            List.of(
                allow("198.51.100.0/24", NOW.plus(Duration.ofDays(1))),
                allow("partner.example", NOW.plus(Duration.ofDays(1))),
                allow("https://files.example/report.pdf", NOW.plus(Duration.ofDays(1))))));
    AllowList allowList = ledger.allowList();

    assertThat(allowList.covers(indicator("198.51.100.7"))).isTrue();
    assertThat(allowList.covers(indicator("198.51.0.0/16"))).isTrue();
    assertThat(allowList.covers(indicator("198.51.101.7"))).isFalse();
    assertThat(allowList.covers(indicator("partner.example"))).isTrue();
    assertThat(allowList.covers(indicator("cdn.partner.example"))).isTrue();
    assertThat(allowList.covers(indicator("https://cdn.partner.example/x"))).isTrue();
    assertThat(allowList.covers(indicator("notpartner.example"))).isFalse();
    assertThat(allowList.covers(indicator("https://files.example/report.pdf"))).isTrue();
    assertThat(allowList.covers(indicator("https://files.example/other.pdf"))).isFalse();
  }

  @Test
  void theAllowListCostsOnePointReadUntilAllowsChangeAndDropsExpiredAllows() {
    confirmAll(
        ledger.claimActive(List.of(allow("partner.example", NOW.plus(Duration.ofMinutes(1))))));
    ledger.allowList();
    calls.clear();

    AllowList allowList = ledger.allowList();
    IntStream.range(0, 50).forEach(i -> allowList.covers(indicator("host" + i + ".example")));

    assertThat(calls.calls())
        .singleElement()
        .satisfies(call -> assertThat(call.method()).isEqualTo("GET"));
    assertThat(allowList.covers(indicator("partner.example"))).isTrue();
    clock.advance(Duration.ofMinutes(2));
    assertThat(allowList.covers(indicator("partner.example"))).isFalse();
  }

  @Test
  void anAllowWrittenByAnotherInstanceTakesEffectOnTheNextCall() {
    BlockLedger other = new BlockLedger(tables, clock, BlockLedger.Options.defaults());
    assertThat(ledger.allowList().covers(indicator("partner.example"))).isFalse();

    confirmAll(
        other, other.claimActive(List.of(allow("partner.example", NOW.plus(Duration.ofDays(1))))));

    assertThat(ledger.allowList().covers(indicator("partner.example"))).isTrue();
  }

  // ---- reads and retention -------------------------------------------------------------------

  @Test
  void findAllReadsEachRowByKeyAndAnswersInOrder() {
    confirmAll(
        ledger.claimActive(
            IntStream.range(0, 30)
                .mapToObj(i -> block("203.0.113." + i, NOW.plus(Duration.ofHours(1))))
                .toList()));
    List<Indicator> wanted =
        List.of(indicator("203.0.113.29"), indicator("203.0.113.200"), indicator("203.0.113.0"));
    calls.clear();

    List<java.util.Optional<LedgerEntry>> found = ledger.findAll("edl", wanted);

    assertThat(found.get(0)).get().extracting(LedgerEntry::value).isEqualTo("203.0.113.29");
    assertThat(found.get(1)).isEmpty();
    assertThat(found.get(2)).get().extracting(LedgerEntry::value).isEqualTo("203.0.113.0");
    assertThat(calls.calls())
        .hasSize(3)
        .allSatisfy(call -> assertThat(call.method()).isEqualTo("GET"));
  }

  @Test
  void rowsPastTheirRetentionArePrunedWithTheirHistoryAndActiveRowsNever() {
    ledger =
        new BlockLedger(
            tables, clock, BlockLedger.Options.defaults().retention(Duration.ofDays(30)));
    ledger.recordRefused(List.of(new Refusal(block("10.0.0.1", NOW), "private_range", "private")));
    confirmAll(ledger.claimActive(List.of(block("203.0.113.1", NOW.plus(Duration.ofDays(365))))));

    clock.advance(Duration.ofDays(29));
    assertThat(ledger.prune(100)).isZero();
    clock.advance(Duration.ofDays(2));
    assertThat(ledger.prune(100)).isEqualTo(1);

    assertThat(ledger.find("edl", indicator("10.0.0.1"))).isEmpty();
    assertThat(
            ledger
                .indexes()
                .history(
                    LedgerKeys.partitionKey("edl", IndicatorType.IP, "10.0.0.1"),
                    LedgerKeys.rowKey("10.0.0.1")))
        .isEmpty();
    assertThat(ledger.find("edl", indicator("203.0.113.1"))).isPresent();
    assertThat(values(LedgerQuery.all())).containsExactly("203.0.113.1");
  }

  @Test
  void aClaimCostsTheSameWhateverTheLedgerAlreadyHolds() {
    BlockLedger small =
        new BlockLedger(TestLedgers.tables(storage), clock, BlockLedger.Options.defaults());
    BlockLedger large =
        new BlockLedger(TestLedgers.tables(storage), clock, BlockLedger.Options.defaults());
    LedgerSeeder.seedActive(
        large,
        IntStream.range(0, 3_000)
            .mapToObj(
                i ->
                    block(
                        "45." + (i / 250 + 1) + "." + (i % 250) + ".9",
                        NOW.plus(Duration.ofHours(1))))
            .toList(),
        NOW);
    for (BlockLedger warm : List.of(small, large)) {
      confirmAll(
          warm, warm.claimActive(List.of(block("203.0.115.1", NOW.plus(Duration.ofHours(1))))));
    }
    List<LedgerRequest> ten =
        IntStream.range(0, 10)
            .mapToObj(i -> block("203.0.113." + i, NOW.plus(Duration.ofHours(1))))
            .toList();

    calls.clear();
    confirmAll(small, small.claimActive(ten));
    int onSmall = calls.count();
    calls.clear();
    confirmAll(large, large.claimActive(ten));
    int onLarge = calls.count();

    assertThat(onLarge).isEqualTo(onSmall);
  }

  @Test
  void rowsOfTheFirstLayoutAreCarriedOverOnceWithTheirStateExpiryAndHistory() {
    String legacyName = TestLedgers.prefix();
    com.azure.data.tables.TableClient legacy = storage.table(legacyName);
    legacy.createEntity(
        new com.azure.data.tables.models.TableEntity("edl:ip", "203.0.113.9")
            .addProperty("value", "203.0.113.9")
            .addProperty("type", "ip")
            .addProperty("provider", "edl")
            .addProperty("action", "block")
            .addProperty("state", "active")
            .addProperty("lift_pending", false)
            .addProperty("history_count", 25)
            .addProperty(
                "history",
                "[{\"time\":\"2026-02-01T10:00:00Z\",\"decision\":\"block\",\"status\":\"claimed\"},"
                    + "{\"time\":\"2026-02-28T10:00:00Z\",\"decision\":\"block\",\"status\":\"already_active\"}]")
            .addProperty(
                "created_at", NOW.minus(Duration.ofDays(28)).atOffset(java.time.ZoneOffset.UTC))
            .addProperty(
                "updated_at", NOW.minus(Duration.ofDays(1)).atOffset(java.time.ZoneOffset.UTC))
            .addProperty(
                "expires_at", NOW.plus(Duration.ofHours(2)).atOffset(java.time.ZoneOffset.UTC)));
    BlockLedger upgraded =
        new BlockLedger(
            LedgerTables.in(storage, TestLedgers.prefix(), legacyName),
            clock,
            BlockLedger.Options.defaults());

    assertThat(upgraded.migrate(5)).isEqualTo(1);
    // Then the block it carried over is published, once.
    assertThat(upgraded.migrate(5)).isEqualTo(1);
    assertThat(upgraded.migrate(5)).isZero();
    assertThat(upgraded.published(BlockLedger.ALL_PROVIDERS, null, null, NOW.plusSeconds(1), 10))
        .extracting(published -> published.version().value())
        .containsExactly("203.0.113.9");

    LedgerEntry row = upgraded.find("edl", indicator("203.0.113.9")).orElseThrow();
    assertThat(row.state()).isEqualTo(LedgerState.ACTIVE);
    assertThat(row.expiresAt()).isEqualTo(NOW.plus(Duration.ofHours(2)));
    assertThat(upgraded.history(row)).extracting(LedgerHistory::seq).containsExactly(1, 25);
    assertThat(upgraded.activeEntries("edl", IndicatorType.IP, Action.BLOCK))
        .extracting(BlockLedger.Listed::value)
        .containsExactly("203.0.113.9");
    clock.advance(Duration.ofHours(2));
    assertThat(upgraded.nextDue(10))
        .extracting(d -> d.entry().value())
        .containsExactly("203.0.113.9");
  }

  private LedgerPage list(LedgerQuery query) {
    return ledger.list(query, PROVIDERS);
  }

  private List<String> values(LedgerQuery query) {
    return list(query).entries().stream().map(LedgerEntry::value).toList();
  }

  private void confirmAll(List<Claim> claims) {
    confirmAll(ledger, claims);
  }

  private static void confirmAll(BlockLedger ledger, List<Claim> claims) {
    ledger.confirm(
        claims.stream()
            .filter(Claim::mustApply)
            .map(claim -> new Confirmation(claim.entry(), null))
            .toList());
  }

  private static LedgerRequest block(String value, Instant expiresAt) {
    return new LedgerRequest("edl", indicator(value), Action.BLOCK, expiresAt, ANALYST);
  }

  private static LedgerRequest allow(String value, Instant expiresAt) {
    return new LedgerRequest("edl", indicator(value), Action.ALLOW, expiresAt, ANALYST);
  }

  private static Indicator indicator(String input) {
    ParseResult result = Indicators.parse(input);
    assertThat(result).as(input).isInstanceOf(ParseResult.Parsed.class);
    return ((ParseResult.Parsed) result).indicator();
  }
}
