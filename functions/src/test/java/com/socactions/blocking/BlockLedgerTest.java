package com.socactions.blocking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.okhttp.OkHttpAsyncHttpClientBuilder;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableClientBuilder;
import com.socactions.blocking.BlockLedger.Confirmation;
import com.socactions.blocking.BlockLedger.Failure;
import com.socactions.blocking.BlockLedger.Lift;
import com.socactions.blocking.BlockLedger.Refusal;
import com.socactions.blocking.EnforcementRequest.Action;
import com.socactions.indicators.Indicator;
import com.socactions.indicators.IndicatorType;
import com.socactions.indicators.Indicators;
import com.socactions.indicators.ParseResult;
import com.socactions.platform.InvalidInputException;
import com.socactions.platform.Settings;
import com.socactions.platform.TableStorage;
import com.socactions.testing.Azurite;
import com.socactions.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Mono;

@ExtendWith(Azurite.class)
class BlockLedgerTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final Provenance ANALYST =
      new Provenance("C2 beacon", null, "inc-1", "run-1", "alice@contoso.com");

  private final MutableClock clock = new MutableClock(NOW);

  /** Every request the ledger's table client sent: method and path. */
  private final List<String> requests = new CopyOnWriteArrayList<>();

  private TableClient table;
  private BlockLedger ledger;

  @BeforeEach
  void freshTable() {
    String name = "ledger" + UUID.randomUUID().toString().replace("-", "");
    // Built from TableStorage so the table exists, then a client of our own that records requests.
    new TableStorage(
            Settings.of(Map.of(TableStorage.CONNECTION_SETTING, Azurite.connectionString())))
        .table(name);
    table =
        new TableClientBuilder()
            .connectionString(Azurite.connectionString())
            .tableName(name)
            .httpClient(new OkHttpAsyncHttpClientBuilder().build())
            .addPolicy(new RecordingPolicy(requests))
            .buildClient();
    ledger =
        new BlockLedger(
            table,
            clock,
            BlockLedger.DEFAULT_CLAIM_TIMEOUT,
            BlockLedger.DEFAULT_ALLOW_LIST_MAX_AGE);
  }

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
      assertThat(ledger.list(LedgerQuery.all().withValue(indicator.value())).entries()).hasSize(1);
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
        BlockLedger worker =
            new BlockLedger(
                table,
                clock,
                BlockLedger.DEFAULT_CLAIM_TIMEOUT,
                BlockLedger.DEFAULT_ALLOW_LIST_MAX_AGE);
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
      List<LedgerEntry> rows = ledger.list(LedgerQuery.all()).entries();
      assertThat(rows)
          .singleElement()
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
  void aClaimIsConfirmedWithTheProviderReferenceInOneTransaction() {
    List<Claim> claims =
        ledger.claimActive(
            List.of(
                block("203.0.113.7", NOW.plus(Duration.ofHours(1))),
                block("203.0.113.8", NOW.plus(Duration.ofHours(1)))));
    requests.clear();

    List<LedgerEntry> confirmed =
        ledger.confirm(
            claims.stream()
                .map(claim -> new Confirmation(claim.entry(), "ref-" + claim.entry().value()))
                .toList());

    // The claims' transaction answered no ETags: one query reads them, one transaction confirms.
    assertThat(requests).containsExactly("GET query", "POST $batch");
    assertThat(confirmed)
        .allSatisfy(
            entry -> {
              assertThat(entry.pendingSince()).isNull();
              assertThat(entry.providerRef()).isEqualTo("ref-" + entry.value());
            });
    assertThat(ledger.find("edl", indicator("203.0.113.8")).orElseThrow().history())
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
  void aReRunMinutesLaterIsAlreadyActiveWithoutAnExtension() {
    Instant first = NOW.plus(Duration.ofHours(24));
    confirmAll(ledger.claimActive(List.of(block("203.0.113.7", first))));
    clock.advance(Duration.ofMinutes(30));

    // 30 minutes later by a 24-hour request: within 10% of it (2.4 h), so no provider call.
    Claim rerun =
        ledger
            .claimActive(List.of(block("203.0.113.7", NOW.plus(Duration.ofMinutes(30 + 1440)))))
            .get(0);

    assertThat(rerun.status()).isEqualTo(Claim.Status.ALREADY_ACTIVE);
    assertThat(rerun.entry().expiresAt()).isEqualTo(first);
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
  void aRefusalAppendedToAnActiveRowDoesNotChangeItsState() {
    confirmAll(ledger.claimActive(List.of(block("evil.example", NOW.plus(Duration.ofHours(1))))));

    LedgerEntry after =
        ledger
            .recordRefused(
                List.of(
                    new Refusal(
                        block("evil.example", NOW.plus(Duration.ofHours(2))),
                        RefusalReason.CRITICAL_ASSET,
                        "evil.example is the critical asset web01")))
            .get(0);

    assertThat(after.state()).isEqualTo(LedgerState.ACTIVE);
    assertThat(after.guardrail()).isNull();
    assertThat(after.expiresAt()).isEqualTo(NOW.plus(Duration.ofHours(1)));
    assertThat(after.history())
        .last()
        .satisfies(
            entry -> {
              assertThat(entry.status()).isEqualTo("refused");
              assertThat(entry.guardrail()).isEqualTo("critical_asset");
            });
  }

  @Test
  void aRefusalOfANewIndicatorIsARefusedRowWithItsGuardrail() {
    LedgerEntry refused =
        ledger
            .recordRefused(
                List.of(
                    new Refusal(
                        block("10.0.0.1", NOW.plus(Duration.ofHours(1))),
                        RefusalReason.PRIVATE_RANGE,
                        "10.0.0.1 is a private address")))
            .get(0);

    assertThat(refused.state()).isEqualTo(LedgerState.REFUSED);
    assertThat(refused.guardrail()).isEqualTo("private_range");
    assertThat(refused.history())
        .singleElement()
        .extracting(LedgerHistory::reason)
        .isEqualTo("10.0.0.1 is a private address");
  }

  @Test
  void aDryRunWritesADryRunRowAndLeavesAnActiveRowActive() {
    confirmAll(ledger.claimActive(List.of(block("203.0.113.7", NOW.plus(Duration.ofHours(1))))));

    List<LedgerEntry> entries =
        ledger.recordDryRun(
            List.of(
                block("203.0.113.9", NOW.plus(Duration.ofHours(1))),
                block("203.0.113.7", NOW.plus(Duration.ofHours(1)))));

    assertThat(entries.get(0).state()).isEqualTo(LedgerState.DRY_RUN);
    assertThat(entries.get(0).history())
        .singleElement()
        .extracting(LedgerHistory::status)
        .isEqualTo("would_block");
    assertThat(entries.get(1).state()).isEqualTo(LedgerState.ACTIVE);
    assertThat(entries.get(1).history())
        .last()
        .extracting(LedgerHistory::status)
        .isEqualTo("would_block");
  }

  @Test
  void theHistoryKeepsTheFirstAndLatestDecisionsAndCountsThemAll() {
    String longReason = "x".repeat(5_000);
    confirmAll(ledger.claimActive(List.of(block("203.0.113.7", NOW.plus(Duration.ofHours(1))))));
    for (int i = 0; i < 60; i++) {
      clock.advance(Duration.ofMinutes(1));
      ledger.recordRefused(
          List.of(
              new Refusal(
                  block("203.0.113.7", NOW),
                  RefusalReason.PROTECTED,
                  "refusal " + i + " " + longReason)));
    }

    LedgerEntry entry = ledger.find("edl", indicator("203.0.113.7")).orElseThrow();

    assertThat(entry.historyCount()).isEqualTo(62);
    assertThat(entry.history()).hasSizeLessThanOrEqualTo(BlockLedger.MAX_HISTORY_ENTRIES);
    assertThat(entry.history().get(0).status()).isEqualTo("claimed");
    assertThat(entry.history())
        .last()
        .extracting(LedgerHistory::reason)
        .asString()
        .startsWith("refusal 59 ");
    assertThat(entry.history())
        .allSatisfy(
            item ->
                assertThat(item.reason())
                    .hasSizeLessThanOrEqualTo(BlockLedger.MAX_HISTORY_TEXT_CHARS));
  }

  @Test
  void listingFiltersByStateProviderIncidentAndValueNewestFirst() {
    ledger.claimActive(List.of(block("203.0.113.1", NOW.plus(Duration.ofHours(1)))));
    clock.advance(Duration.ofMinutes(1));
    ledger.claimActive(
        List.of(
            new LedgerRequest(
                "defender",
                indicator("evil.example"),
                Action.BLOCK,
                NOW.plus(Duration.ofHours(1)),
                new Provenance("phish", null, "inc-2", "run-2", null))));
    clock.advance(Duration.ofMinutes(1));
    ledger.recordRefused(
        List.of(new Refusal(block("10.0.0.1", NOW), RefusalReason.PRIVATE_RANGE, "private")));
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
    assertThat(values(LedgerQuery.all().withIncidentId("inc-2' or state eq 'active"))).isEmpty();
    assertThat(values(LedgerQuery.all().withValue("10.0.0.1"))).containsExactly("10.0.0.1");
  }

  @Test
  void pagesFollowEachOtherWithoutGapsOrRepeats() {
    for (int i = 1; i <= 7; i++) {
      clock.advance(Duration.ofSeconds(1));
      ledger.claimActive(List.of(block("203.0.113." + i, NOW.plus(Duration.ofHours(1)))));
    }
    List<String> seen = new ArrayList<>();
    LedgerQuery query = LedgerQuery.all().withPage(3, null);
    int pages = 0;
    do {
      LedgerPage page = ledger.list(query);
      page.entries().forEach(entry -> seen.add(entry.value()));
      query = query.withPage(3, page.continuationToken());
      pages++;
    } while (query.continuationToken() != null);

    assertThat(pages).isEqualTo(3);
    assertThat(seen)
        .containsExactly(
            "203.0.113.7",
            "203.0.113.6",
            "203.0.113.5",
            "203.0.113.4",
            "203.0.113.3",
            "203.0.113.2",
            "203.0.113.1");
    assertThatThrownBy(() -> ledger.list(LedgerQuery.all().withPage(3, "not-a-token")))
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  void theFeedListsTheActiveUnexpiredEntriesOfOneList() {
    confirmAll(
        ledger.claimActive(
            List.of(
                block("203.0.113.1", NOW.plus(Duration.ofHours(1))),
                block("203.0.113.2", NOW.plus(Duration.ofMinutes(5))),
                allow("198.51.100.1", NOW.plus(Duration.ofHours(1))),
                block("evil.example", NOW.plus(Duration.ofHours(1))))));
    ledger.recordRefused(
        List.of(new Refusal(block("10.0.0.1", NOW), RefusalReason.PRIVATE_RANGE, "private")));
    clock.advance(Duration.ofMinutes(10));

    assertThat(ledger.activeEntries("edl", IndicatorType.IP, Action.BLOCK))
        .extracting(LedgerEntry::value)
        .containsExactly("203.0.113.1");
    assertThat(ledger.activeEntries("edl", IndicatorType.IP, Action.ALLOW))
        .extracting(LedgerEntry::value)
        .containsExactly("198.51.100.1");
    assertThat(ledger.activeEntries("edl", IndicatorType.DOMAIN, Action.BLOCK))
        .extracting(LedgerEntry::value)
        .containsExactly("evil.example");
  }

  @Test
  void entriesAreDueForExpiryOnceTheClockPassesTheirExpiry() {
    confirmAll(
        ledger.claimActive(
            List.of(
                block("203.0.113.1", NOW.plus(Duration.ofHours(1))),
                block("203.0.113.2", NOW.plus(Duration.ofHours(2))))));

    assertThat(ledger.dueForExpiry()).isEmpty();
    clock.advance(Duration.ofHours(1));
    assertThat(ledger.dueForExpiry()).extracting(LedgerEntry::value).containsExactly("203.0.113.1");
    clock.advance(Duration.ofHours(1));
    List<LedgerEntry> due = ledger.dueForExpiry();
    assertThat(due).extracting(LedgerEntry::value).containsExactly("203.0.113.1", "203.0.113.2");

    ledger.recordLifts(due.stream().map(entry -> Lift.done(entry, Provenance.TIMER)).toList());

    assertThat(ledger.dueForExpiry()).isEmpty();
    assertThat(ledger.find("edl", indicator("203.0.113.1")).orElseThrow().state())
        .isEqualTo(LedgerState.EXPIRED);
  }

  @Test
  void aReBlockThatExtendsAfterTheTimerReadTheRowWinsOverTheTimersLift() {
    confirmAll(ledger.claimActive(List.of(block("203.0.113.1", NOW.plus(Duration.ofHours(1))))));
    clock.advance(Duration.ofHours(1));
    List<LedgerEntry> due = ledger.dueForExpiry();
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
        ledger.claimLifts(ledger.dueForExpiry(), true, Provenance.TIMER).get(0);
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
    BlockLedger.LiftClaim first =
        ledger.claimLifts(ledger.dueForExpiry(), true, Provenance.TIMER).get(0);
    // The first timer died; after the claim timeout a second one takes the lift over.
    clock.advance(BlockLedger.DEFAULT_CLAIM_TIMEOUT);
    BlockLedger.LiftClaim second =
        ledger.claimLifts(ledger.dueForExpiry(), true, Provenance.TIMER).get(0);
    assertThat(second.status()).isEqualTo(BlockLedger.LiftClaim.Status.CLAIMED);

    LedgerEntry stale =
        ledger
            .recordLifts(List.of(Lift.failed(first.entry(), "late answer", Provenance.TIMER)))
            .get(0);

    assertThat(stale.liftPending()).isFalse();
    assertThat(stale.claimId()).isEqualTo(second.entry().claimId());
  }

  @Test
  void aFailedLiftStaysPendingUntilALiftSucceeds() {
    confirmAll(ledger.claimActive(List.of(block("203.0.113.1", NOW.plus(Duration.ofDays(1))))));
    LedgerEntry active = ledger.find("edl", indicator("203.0.113.1")).orElseThrow();

    LedgerEntry failed =
        ledger.recordLifts(List.of(Lift.failed(active, "Defender answered 503", ANALYST))).get(0);

    assertThat(failed.state()).isEqualTo(LedgerState.ACTIVE);
    assertThat(failed.liftPending()).isTrue();
    assertThat(failed.lastError()).isEqualTo("Defender answered 503");
    clock.advance(Duration.ofMinutes(5));
    assertThat(ledger.dueForExpiry()).extracting(LedgerEntry::value).containsExactly("203.0.113.1");
    LedgerEntry stillFailing =
        ledger
            .recordLifts(
                List.of(Lift.failed(ledger.dueForExpiry().get(0), "again", Provenance.TIMER)))
            .get(0);
    assertThat(stillFailing.liftPending()).isTrue();

    LedgerEntry lifted =
        ledger
            .recordLifts(List.of(Lift.done(ledger.dueForExpiry().get(0), Provenance.TIMER)))
            .get(0);

    assertThat(lifted.state()).isEqualTo(LedgerState.LIFTED);
    assertThat(lifted.liftPending()).isFalse();
    assertThat(ledger.dueForExpiry()).isEmpty();
  }

  @Test
  void aBatchOfMoreThanAHundredRowsIsWrittenInTransactionsOfAHundredPerPartition() {
    List<LedgerRequest> batch = new ArrayList<>();
    IntStream.range(0, 250)
        .forEach(
            i ->
                batch.add(
                    block("203.0." + (i / 250 + 113) + "." + i, NOW.plus(Duration.ofHours(1)))));
    IntStream.range(0, 120)
        .forEach(
            i -> batch.add(block("host" + i + ".evil.example", NOW.plus(Duration.ofHours(1)))));
    requests.clear();

    List<Claim> claims = ledger.claimActive(batch);

    assertThat(claims).extracting(Claim::status).containsOnly(Claim.Status.CLAIMED);
    assertThat(requests)
        .containsExactly("POST $batch", "POST $batch", "POST $batch", "POST $batch", "POST $batch");
    assertThat(ledger.list(LedgerQuery.all().withPage(1_000, null)).entries()).hasSize(370);
  }

  @Test
  void aReRunOfABatchReadsItsRowsInAFewQueriesAndWritesThemInOneTransaction() {
    List<LedgerRequest> batch =
        IntStream.range(0, 100)
            .mapToObj(i -> block("203.0.113." + i, NOW.plus(Duration.ofHours(1))))
            .toList();
    confirmAll(ledger.claimActive(batch));
    requests.clear();

    List<Claim> again = ledger.claimActive(batch);

    assertThat(again).extracting(Claim::status).containsOnly(Claim.Status.ALREADY_ACTIVE);
    List<String> expected = new ArrayList<>();
    expected.add("POST $batch");
    IntStream.range(0, (100 + BlockLedger.MAX_KEYS_PER_QUERY - 1) / BlockLedger.MAX_KEYS_PER_QUERY)
        .forEach(i -> expected.add("GET query"));
    expected.add("POST $batch");
    assertThat(requests).containsExactlyElementsOf(expected);
    assertThat(ledger.find("edl", indicator("203.0.113.42")).orElseThrow().historyCount())
        .isEqualTo(3);
  }

  @Test
  void aTransactionThatMeetsAnExistingRowIsDecidedAgainOnWhatIsStored() {
    confirmAll(ledger.claimActive(List.of(block("203.0.113.150", NOW.plus(Duration.ofHours(1))))));
    List<LedgerRequest> batch =
        IntStream.range(0, 200)
            .mapToObj(i -> block("203.0.113." + (i % 250) + "", NOW.plus(Duration.ofHours(2))))
            .toList();
    List<LedgerRequest> unique = batch.stream().distinct().toList();

    List<Claim> claims = ledger.claimActive(unique);

    assertThat(claims)
        .filteredOn(claim -> claim.status() == Claim.Status.EXTENDING)
        .singleElement()
        .satisfies(claim -> assertThat(claim.entry().value()).isEqualTo("203.0.113.150"));
    assertThat(claims).filteredOn(Claim::isClaimed).hasSize(199);
    assertThat(ledger.list(LedgerQuery.all().withPage(1_000, null)).entries()).hasSize(200);
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
                .isClaimed())
        .isFalse();

    clock.advance(BlockLedger.DEFAULT_CLAIM_TIMEOUT);
    Claim retaken =
        ledger.claimActive(List.of(block("203.0.113.7", NOW.plus(Duration.ofHours(1))))).get(0);
    assertThat(retaken.isClaimed()).isTrue();

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
  void theAllowListAnswersFromASnapshotAndDropsExpiredAllows() {
    confirmAll(
        ledger.claimActive(List.of(allow("partner.example", NOW.plus(Duration.ofMinutes(1))))));
    AllowList allowList = ledger.allowList();
    assertThat(allowList.covers(indicator("partner.example"))).isTrue();
    requests.clear();

    IntStream.range(0, 50).forEach(i -> allowList.covers(indicator("host" + i + ".example")));
    assertThat(requests).isEmpty();

    clock.advance(Duration.ofMinutes(2));
    assertThat(allowList.covers(indicator("partner.example"))).isFalse();
  }

  private List<String> values(LedgerQuery query) {
    return ledger.list(query).entries().stream().map(LedgerEntry::value).toList();
  }

  private void confirmAll(List<Claim> claims) {
    ledger.confirm(
        claims.stream()
            .filter(Claim::isClaimed)
            .map(claim -> new Confirmation(claim.entry(), null))
            .toList());
  }

  @Test
  void findAllReadsABatchWithAQueryPerFourteenKeysAndAnswersInOrder() {
    List<LedgerRequest> stored =
        new ArrayList<>(
            IntStream.range(0, 30)
                .mapToObj(i -> block("203.0.113." + i, NOW.plus(Duration.ofHours(1))))
                .toList());
    stored.add(block("https://x.example/a?b=1#c", NOW.plus(Duration.ofHours(1))));
    ledger.claimActive(stored);
    List<Indicator> wanted =
        new ArrayList<>(IntStream.range(0, 40).mapToObj(i -> indicator("203.0.113." + i)).toList());
    wanted.add(indicator("https://x.example/a?b=1#c"));
    requests.clear();

    List<Optional<LedgerEntry>> found = ledger.findAll("edl", wanted);

    assertThat(found).hasSize(41);
    assertThat(found.subList(0, 30))
        .allSatisfy(
            row ->
                assertThat(row).get().extracting(LedgerEntry::state).isEqualTo(LedgerState.ACTIVE));
    assertThat(found.get(29)).get().extracting(LedgerEntry::value).isEqualTo("203.0.113.29");
    assertThat(found.subList(30, 40)).allSatisfy(row -> assertThat(row).isEmpty());
    assertThat(found.get(40)).get().extracting(LedgerEntry::type).isEqualTo(IndicatorType.URL);
    // 40 addresses in one partition: three queries of at most 14 keys; the URL's partition: one.
    assertThat(requests).hasSize(4).allSatisfy(request -> assertThat(request).startsWith("GET"));
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

  /**
   * Records each request's method and what it addressed ($batch, query, entity, table), for
   * counting calls.
   */
  private record RecordingPolicy(List<String> requests) implements HttpPipelinePolicy {
    @Override
    public Mono<HttpResponse> process(
        HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
      String path = context.getHttpRequest().getUrl().getPath();
      String what =
          path.endsWith("$batch")
              ? "$batch"
              : path.endsWith("()") ? "query" : path.contains("(") ? "entity" : "table";
      requests.add(context.getHttpRequest().getHttpMethod() + " " + what);
      return next.process();
    }
  }
}
