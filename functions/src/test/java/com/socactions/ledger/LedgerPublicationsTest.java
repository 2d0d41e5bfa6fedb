package com.socactions.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.socactions.indicators.Indicator;
import com.socactions.indicators.Indicators;
import com.socactions.indicators.ParseResult;
import com.socactions.ledger.BlockLedger.Confirmation;
import com.socactions.ledger.BlockLedger.Lift;
import com.socactions.ledger.BlockLedger.Published;
import com.socactions.platform.TableBatch;
import com.socactions.testing.Azurite;
import com.socactions.testing.MutableClock;
import com.socactions.testing.StorageCalls;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What the ledger publishes of its blocks, through its own writes, on Azurite. */
@ExtendWith(Azurite.class)
class LedgerPublicationsTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final Instant FAR = Instant.parse("2100-01-01T00:00:00Z");
  private static final Provenance ANALYST =
      new Provenance("C2 beacon", null, "inc-7", "run-1", "alice@contoso.com");

  private final MutableClock clock = new MutableClock(NOW);
  private final StorageCalls calls = new StorageCalls();
  private LedgerTables tables;
  private BlockLedger ledger;

  @BeforeEach
  void freshLedger() {
    tables = TestLedgers.tables(calls.storage());
    ledger =
        new BlockLedger(
            tables, clock, BlockLedger.Options.defaults().retention(Duration.ofDays(30)));
  }

  @Test
  void aClaimIsNotPublishedUntilTheProviderConfirmedIt() {
    List<Claim> claims = ledger.claimActive(List.of(block("edl", "203.0.113.7")));

    assertThat(all()).isEmpty();

    clock.advance(Duration.ofSeconds(2));
    ledger.confirm(List.of(new Confirmation(claims.get(0).entry(), null)));

    assertThat(all())
        .singleElement()
        .satisfies(
            published -> {
              BlockVersion version = published.version();
              assertThat(version.value()).isEqualTo("203.0.113.7");
              assertThat(version.provider()).isEqualTo("edl");
              assertThat(version.revoked()).isFalse();
              assertThat(version.validFrom()).isEqualTo(NOW);
              assertThat(version.validUntil()).isEqualTo(NOW.plus(Duration.ofHours(24)));
              assertThat(version.modified()).isEqualTo(NOW.plusSeconds(2));
              assertThat(version.reason()).isEqualTo("C2 beacon");
              assertThat(version.incidentId()).isEqualTo("inc-7");
              assertThat(version.requestedBy()).isEqualTo("alice@contoso.com");
              assertThat(published.dateAdded()).isEqualTo(version.modified());
            });
    assertThat(scope("edl")).hasSize(1);
    assertThat(scope("defender")).isEmpty();
  }

  @Test
  void anUnblockPublishesARevokedVersionOfTheSameIndicatorThatReplacesTheActiveOne() {
    LedgerEntry active = blocked("edl", "203.0.113.7");
    BlockVersion first = only(all()).version();
    clock.advance(Duration.ofMinutes(10));

    unblock(active);

    Published revoked = only(all());
    assertThat(revoked.version().episodeId()).isEqualTo(first.episodeId());
    assertThat(revoked.version().revoked()).isTrue();
    assertThat(revoked.version().ended()).isEqualTo("lifted");
    assertThat(revoked.version().modified()).isAfter(first.modified());
    assertThat(revoked.version().validUntil()).isEqualTo(revoked.version().modified());
    assertThat(revoked.dateAdded()).isAfter(first.modified());
    assertThat(ledger.publishedVersion(first.episodeId()))
        .get()
        .extracting(p -> p.version().revoked())
        .isEqualTo(true);
  }

  @Test
  void anExpiryPublishesARevokedVersionSayingItExpired() {
    LedgerEntry active = blocked("edl", "203.0.113.7");
    clock.advance(Duration.ofHours(25));

    List<BlockLedger.Due> due = ledger.nextDue(10);
    ledger.recordLifts(
        ledger
            .claimLifts(due.stream().map(BlockLedger.Due::entry).toList(), true, Provenance.TIMER)
            .stream()
            .map(claim -> Lift.done(claim.entry(), Provenance.TIMER))
            .toList());

    assertThat(only(all()).version())
        .satisfies(
            version -> {
              assertThat(version.revoked()).isTrue();
              assertThat(version.ended()).isEqualTo("expired");
              assertThat(version.validUntil()).isEqualTo(active.expiresAt());
            });
  }

  @Test
  void aConfirmedExtensionIsANewVersionOfTheSameIndicator() {
    blocked("edl", "203.0.113.7");
    BlockVersion first = only(all()).version();
    clock.advance(Duration.ofMinutes(5));

    Claim extension =
        ledger
            .claimActive(
                List.of(request("edl", "203.0.113.7", NOW.plus(Duration.ofHours(72)), ANALYST)))
            .get(0);
    assertThat(only(all()).version()).as("not before the provider confirmed").isEqualTo(first);
    ledger.confirm(List.of(new Confirmation(extension.entry(), null)));

    BlockVersion extended = only(all()).version();
    assertThat(extended.episodeId()).isEqualTo(first.episodeId());
    assertThat(extended.validUntil()).isEqualTo(NOW.plus(Duration.ofHours(72)));
    assertThat(extended.modified()).isAfter(first.modified());
    assertThat(extended.revoked()).isFalse();
  }

  @Test
  void aReRunThatFindsTheBlockActivePublishesNothing() {
    blocked("edl", "203.0.113.7");
    Published first = only(all());
    clock.advance(Duration.ofMinutes(5));

    ledger.claimActive(List.of(block("edl", "203.0.113.7")));

    assertThat(all()).containsExactly(first);
  }

  @Test
  void aLaterBlockOfTheSameValueIsANewIndicatorAndTheRevokedOneStays() {
    LedgerEntry active = blocked("edl", "203.0.113.7");
    clock.advance(Duration.ofMinutes(10));
    unblock(active);
    BlockVersion revoked = only(all()).version();
    clock.advance(Duration.ofMinutes(10));

    blocked("edl", "203.0.113.7");

    List<Published> page = all();
    assertThat(page).hasSize(2);
    assertThat(page.get(0).version()).isEqualTo(revoked);
    assertThat(page.get(1).version().episodeId()).isNotEqualTo(revoked.episodeId());
    assertThat(page.get(1).version().revoked()).isFalse();
    assertThat(page.get(1).version().validFrom()).isEqualTo(NOW.plus(Duration.ofMinutes(20)));
  }

  @Test
  void anAllowReplacingABlockRevokesTheBlock() {
    blocked("edl", "203.0.113.7");
    clock.advance(Duration.ofMinutes(1));

    ledger.claimActive(
        List.of(
            new LedgerRequest(
                "edl",
                indicator("203.0.113.7"),
                Action.ALLOW,
                NOW.plus(Duration.ofHours(1)),
                ANALYST)));

    assertThat(only(all()).version())
        .satisfies(
            version -> {
              assertThat(version.revoked()).isTrue();
              assertThat(version.ended()).isEqualTo("allowed");
            });
  }

  @Test
  void accountsAreNeverPublished() {
    LedgerRequest account =
        new LedgerRequest(
            LedgerKeys.ACCOUNTS_PROVIDER,
            new Indicator(
                com.socactions.indicators.IndicatorType.ACCOUNT,
                "0f8fad5b-d9cb-469f-a165-70867728950e",
                "0f8fad5b-d9cb-469f-a165-70867728950e"),
            Action.BLOCK,
            NOW.plus(Duration.ofHours(1)),
            ANALYST);
    ledger.confirm(
        ledger.claimActive(List.of(account)).stream()
            .map(claim -> new Confirmation(claim.entry(), null))
            .toList());

    assertThat(all()).isEmpty();
  }

  @Test
  void addedAfterIsStrictlyAfterAndTheUpperBoundHidesWhatIsNewer() {
    blocked("edl", "203.0.113.1");
    clock.advance(Duration.ofSeconds(1));
    blocked("edl", "203.0.113.2");
    List<Published> both = all();
    Instant firstAdded = both.get(0).dateAdded();

    assertThat(ledger.published("all", null, firstAdded, FAR, 10))
        .extracting(p -> p.version().value())
        .containsExactly("203.0.113.2");
    assertThat(ledger.published("all", null, firstAdded.minusNanos(1_000), FAR, 10)).hasSize(2);
    assertThat(ledger.published("all", null, null, firstAdded, 10))
        .extracting(p -> p.version().value())
        .containsExactly("203.0.113.1");
    assertThat(ledger.published("all", both.get(0).position(), null, FAR, 10))
        .extracting(p -> p.version().value())
        .containsExactly("203.0.113.2");
  }

  @Test
  void aBatchPublishesItsVersionsWithDistinctDatesAdded() {
    List<Claim> claims =
        ledger.claimActive(
            IntStream.range(0, 50).mapToObj(i -> block("edl", "198.51.100." + i)).toList());
    ledger.confirm(claims.stream().map(claim -> new Confirmation(claim.entry(), null)).toList());

    List<Published> page = all();
    assertThat(page).hasSize(50);
    assertThat(page.stream().map(Published::dateAdded).distinct()).hasSize(50);
  }

  @Test
  void blocksWrittenBeforeTheLedgerPublishedAreBackfilledOnceByTheMigration() {
    // Rows as an earlier version of the app left them: enforced, nothing published.
    LedgerEntry old = blocked("edl", "203.0.113.7");
    LedgerRow row = LedgerRow.of(old);
    row.published = null;
    TableBatch.replace(tables.rows, row.toEntity());
    new TableBatch("test").delete(tables.published, "s-edl", only(all()).position()).flush();
    new TableBatch("test").delete(tables.published, "s-all", only(all()).position()).flush();
    assertThat(all()).isEmpty();
    clock.advance(Duration.ofMinutes(1));

    assertThat(ledger.migrate(5)).isEqualTo(1);

    assertThat(only(all()).version().value()).isEqualTo("203.0.113.7");
    calls.clear();
    assertThat(ledger.migrate(5)).isZero();
    assertThat(new BlockLedger(tables, clock, BlockLedger.Options.defaults()).migrate(5)).isZero();
    assertThat(calls.count()).as("once done: one point read per process").isEqualTo(1);
  }

  @Test
  void revokedVersionsArePrunedWithTheLedgersRetention() {
    LedgerEntry active = blocked("edl", "203.0.113.7");
    clock.advance(Duration.ofMinutes(10));
    unblock(active);
    java.util.UUID episode = only(all()).version().episodeId();
    clock.advance(Duration.ofDays(29));
    ledger.prune(100);
    assertThat(all()).hasSize(1);

    clock.advance(Duration.ofDays(2));
    ledger.prune(100);

    assertThat(all()).isEmpty();
    assertThat(scope("edl")).isEmpty();
    assertThat(ledger.publishedVersion(episode)).isEmpty();
  }

  // ---- helpers -------------------------------------------------------------------------------

  private List<Published> all() {
    return scope(BlockLedger.ALL_PROVIDERS);
  }

  private List<Published> scope(String scope) {
    return ledger.published(scope, null, null, FAR, 1_000);
  }

  private static Published only(List<Published> page) {
    assertThat(page).hasSize(1);
    return page.get(0);
  }

  private LedgerEntry blocked(String provider, String value) {
    List<Claim> claims = ledger.claimActive(List.of(block(provider, value)));
    return ledger.confirm(List.of(new Confirmation(claims.get(0).entry(), null))).get(0);
  }

  private void unblock(LedgerEntry active) {
    Provenance bob = new Provenance("false positive", null, null, null, "bob@contoso.com");
    ledger.recordLifts(
        ledger.claimLifts(List.of(active), false, bob).stream()
            .map(claim -> Lift.done(claim.entry(), bob))
            .toList());
  }

  private LedgerRequest block(String provider, String value) {
    return request(provider, value, clock.instant().plus(Duration.ofHours(24)), ANALYST);
  }

  private static LedgerRequest request(
      String provider, String value, Instant expiresAt, Provenance by) {
    return new LedgerRequest(provider, indicator(value), Action.BLOCK, expiresAt, by);
  }

  private static Indicator indicator(String input) {
    return ((ParseResult.Parsed) Indicators.parse(input)).indicator();
  }
}
