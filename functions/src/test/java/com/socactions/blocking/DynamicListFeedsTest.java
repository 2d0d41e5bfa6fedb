package com.socactions.blocking;

import static org.assertj.core.api.Assertions.assertThat;

import com.socactions.indicators.Indicator;
import com.socactions.indicators.IndicatorType;
import com.socactions.indicators.Indicators;
import com.socactions.indicators.ParseResult;
import com.socactions.ledger.Action;
import com.socactions.ledger.BlockLedger;
import com.socactions.ledger.Claim;
import com.socactions.ledger.LedgerRequest;
import com.socactions.ledger.Provenance;
import com.socactions.ledger.TestLedgers;
import com.socactions.platform.Settings;
import com.socactions.platform.TableStorage;
import com.socactions.testing.Azurite;
import com.socactions.testing.MutableClock;
import com.socactions.testing.StorageCalls;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The firewall feeds: format, ETag, the stored rendering, the rebuild interval, and the secret.
 * Storage calls are counted, so that "a 304 reads nothing but the head" is checked, not assumed.
 */
@ExtendWith(Azurite.class)
class DynamicListFeedsTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T10:00:00Z"));
  private final Settings settings = Settings.of(Map.of("FEED_TOKEN", "s3cret-feed"));
  private final StorageCalls calls = new StorageCalls();
  private TableStorage storage;
  private BlockLedger ledger;
  private String renderings;
  private DynamicListFeeds feeds;

  @BeforeEach
  void start() {
    storage = calls.storage();
    ledger = new BlockLedger(TestLedgers.tables(storage), clock, BlockLedger.Options.defaults());
    renderings = TestLedgers.prefix();
    feeds = instance();
  }

  /** One app instance's feeds on the shared ledger and rendering table. */
  private DynamicListFeeds instance() {
    return new DynamicListFeeds(
        () -> ledger,
        () -> storage.table(renderings),
        settings.get(DynamicListEnforcementPoint.FEED_TOKEN_SETTING),
        clock,
        Duration.ofSeconds(10));
  }

  @Test
  void aFeedListsActiveEntriesSortedWithUrlsWithoutTheirScheme() {
    activate(
        "185.220.101.9",
        "185.220.101.1",
        "185.220.100.0/28",
        "https://evil.example.com/login?x=1",
        "evil.example.net");

    assertThat(feeds.feed("block-ip").orElseThrow().text())
        .isEqualTo("185.220.100.0/28\n185.220.101.1\n185.220.101.9\n");
    assertThat(feeds.feed("block-url").orElseThrow().text())
        .isEqualTo("evil.example.com/login?x=1\n");
    assertThat(feeds.feed("block-domain").orElseThrow().text()).isEqualTo("evil.example.net\n");
    assertThat(feeds.feed("allow-ip").orElseThrow().text()).isEmpty();
    assertThat(feeds.feed("block-everything")).isEmpty();
  }

  @Test
  void theRenderStepAloneSortsEntriesWritesEachOnceAndTagsTheText() {
    activate("185.220.101.9", "185.220.101.1");
    List<BlockLedger.Listed> read = ledger.activeEntries("edl", IndicatorType.IP, Action.BLOCK);
    List<BlockLedger.Listed> shuffled = List.of(read.get(1), read.get(0), read.get(1));

    DynamicListFeeds.Rendering rendered =
        DynamicListFeeds.render("block-ip", shuffled, clock.instant());

    assertThat(rendered.text()).isEqualTo("185.220.101.1\n185.220.101.9\n");
    assertThat(rendered.etag()).isEqualTo(feeds.feed("block-ip").orElseThrow().etag());
    assertThat(DynamicListFeeds.render("block-ip", read.subList(0, 1), clock.instant()).etag())
        .isNotEqualTo(rendered.etag());
  }

  @Test
  void aNewBlockReachesTheFeedOnceTheIntervalHasPassedWithANewEtag() {
    activate("185.220.101.1");
    DynamicListFeeds.Feed first = feeds.feed("block-ip").orElseThrow();

    activate("185.220.101.2");
    DynamicListFeeds.Feed within = feeds.feed("block-ip").orElseThrow();
    clock.advance(Duration.ofSeconds(11));
    DynamicListFeeds.Feed after = feeds.feed("block-ip").orElseThrow();

    assertThat(within.etag()).isEqualTo(first.etag());
    assertThat(within.text()).doesNotContain("185.220.101.2");
    assertThat(after.text()).contains("185.220.101.2");
    assertThat(after.etag()).isNotEqualTo(first.etag());
  }

  @Test
  void aPollWithinTheIntervalReadsOnlyTheHeadAndNeverTheLedger() {
    activate("185.220.101.1", "185.220.101.2");
    String etag = feeds.feed("block-ip").orElseThrow().etag();
    calls.clear();

    DynamicListFeeds.Feed again = instance().feed("block-ip").orElseThrow();

    assertThat(again.etag()).isEqualTo(etag);
    // Another instance: the head, then the versions once per interval (2 types), nothing else.
    assertThat(calls.calls()).hasSizeLessThanOrEqualTo(3);
    calls.clear();
    assertThat(feeds.feed("block-ip").orElseThrow().etag()).isEqualTo(etag);
    assertThat(calls.calls())
        .singleElement()
        .satisfies(call -> assertThat(call.table()).isEqualTo(renderings));
  }

  @Test
  void anotherInstanceServesTheStoredRenderingWithoutRenderingAgain() {
    activate("185.220.101.1", "185.220.101.2");
    String text = feeds.feed("block-ip").orElseThrow().text();
    calls.clear();

    DynamicListFeeds other = instance();
    String served = other.feed("block-ip").orElseThrow().text();

    assertThat(served).isEqualTo(text);
    assertThat(calls.calls())
        .as("no read of the ledger's list index: the rendering is stored")
        .noneSatisfy(call -> assertThat(call.table()).endsWith("list"));
  }

  @Test
  void anUnchangedListKeepsItsEtagAndIsNotRenderedAgain() {
    activate("185.220.101.1");
    String before = feeds.feed("block-ip").orElseThrow().etag();
    clock.advance(Duration.ofMinutes(5));
    calls.clear();

    assertThat(feeds.feed("block-ip").orElseThrow().etag()).isEqualTo(before);
    assertThat(calls.calls()).noneSatisfy(call -> assertThat(call.table()).endsWith("list"));
  }

  @Test
  void aLargeListIsStoredInChunksAndReadBackWhole() {
    String[] values =
        java.util.stream.IntStream.range(0, 5_000)
            .mapToObj(i -> "45." + (i / 250 + 1) + "." + (i % 250) + ".7")
            .toArray(String[]::new);
    activate(values);

    String text = feeds.feed("block-ip").orElseThrow().text();
    String again = instance().feed("block-ip").orElseThrow().text();

    assertThat(text.lines()).hasSize(5_000);
    assertThat(text.length()).isGreaterThan(DynamicListFeeds.CHUNK_CHARS);
    assertThat(again).isEqualTo(text);
  }

  @Test
  void aLiftedBlockLeavesTheFeed() {
    activate("185.220.101.1", "185.220.101.2");
    feeds.feed("block-ip").orElseThrow();
    BlockLedger.LiftClaim lift =
        ledger
            .claimLifts(
                List.of(ledger.find("edl", parse("185.220.101.1")).orElseThrow()),
                false,
                new Provenance("false positive", null, null, null, "analyst"))
            .get(0);
    ledger.recordLifts(
        List.of(
            BlockLedger.Lift.done(
                lift.entry(), new Provenance("false positive", null, null, null, "analyst"))));
    clock.advance(Duration.ofSeconds(11));

    assertThat(feeds.feed("block-ip").orElseThrow().text()).isEqualTo("185.220.101.2\n");
  }

  @Test
  void onlyTheFeedSecretOpensTheFeeds() {
    assertThat(feeds.isAuthorized("s3cret-feed")).isTrue();
    assertThat(feeds.isAuthorized("s3cret-fee")).isFalse();
    assertThat(feeds.isAuthorized(null)).isFalse();
    DynamicListFeeds off =
        new DynamicListFeeds(
            () -> ledger, () -> storage.table(renderings), Optional.empty(), clock);
    assertThat(off.isEnabled()).isFalse();
    assertThat(off.isAuthorized("")).isFalse();
  }

  private void activate(String... values) {
    List<LedgerRequest> requests =
        Arrays.stream(values)
            .map(
                value ->
                    new LedgerRequest(
                        DynamicListEnforcementPoint.ID,
                        parse(value),
                        Action.BLOCK,
                        clock.instant().plus(Duration.ofDays(1)),
                        new Provenance("test", null, null, null, null)))
            .toList();
    List<Claim> claims = ledger.claimActive(requests);
    ledger.confirm(
        claims.stream().map(claim -> new BlockLedger.Confirmation(claim.entry(), null)).toList());
  }

  private static Indicator parse(String value) {
    return ((ParseResult.Parsed) Indicators.parse(value)).indicator();
  }
}
