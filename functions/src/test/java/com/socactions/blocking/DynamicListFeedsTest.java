package com.socactions.blocking;

import static org.assertj.core.api.Assertions.assertThat;

import com.socactions.blocking.EnforcementRequest.Action;
import com.socactions.indicators.Indicator;
import com.socactions.indicators.IndicatorType;
import com.socactions.indicators.Indicators;
import com.socactions.indicators.ParseResult;
import com.socactions.platform.Settings;
import com.socactions.platform.TableStorage;
import com.socactions.testing.Azurite;
import com.socactions.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The firewall feeds: format, ETag, the short cache, and the secret. */
@ExtendWith(Azurite.class)
class DynamicListFeedsTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T10:00:00Z"));
  private final Settings settings = Settings.of(Map.of("FEED_TOKEN", "s3cret-feed"));
  private BlockLedger ledger;
  private DynamicListFeeds feeds;

  @BeforeEach
  void start() {
    TableStorage storage =
        new TableStorage(
            Settings.of(Map.of("STATE_STORAGE_CONNECTION", Azurite.connectionString())));
    ledger =
        new BlockLedger(
            storage.table("feedtest" + UUID.randomUUID().toString().replace("-", "")),
            clock,
            BlockLedger.DEFAULT_CLAIM_TIMEOUT,
            Duration.ZERO);
    feeds = new DynamicListFeeds(() -> ledger, settings, clock, Duration.ofSeconds(10));
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
    List<LedgerEntry> read = ledger.activeEntries("edl", IndicatorType.IP, Action.BLOCK);
    List<LedgerEntry> shuffled = List.of(read.get(1), read.get(0), read.get(1));

    DynamicListFeeds.Feed rendered = DynamicListFeeds.render("block-ip", shuffled, clock.instant());

    assertThat(rendered.text()).isEqualTo("185.220.101.1\n185.220.101.9\n");
    assertThat(rendered.etag()).isEqualTo(feeds.feed("block-ip").orElseThrow().etag());
    assertThat(DynamicListFeeds.render("block-ip", read.subList(0, 1), clock.instant()).etag())
        .isNotEqualTo(rendered.etag());
  }

  @Test
  void aNewBlockReachesTheFeedOnceTheCacheTimeHasPassedWithANewEtag() {
    activate("185.220.101.1");
    DynamicListFeeds.Feed first = feeds.feed("block-ip").orElseThrow();

    activate("185.220.101.2");
    DynamicListFeeds.Feed cached = feeds.feed("block-ip").orElseThrow();
    clock.advance(Duration.ofSeconds(11));
    DynamicListFeeds.Feed fresh = feeds.feed("block-ip").orElseThrow();

    assertThat(cached.etag()).isEqualTo(first.etag());
    assertThat(cached.text()).doesNotContain("185.220.101.2");
    assertThat(fresh.text()).contains("185.220.101.2");
    assertThat(fresh.etag()).isNotEqualTo(first.etag());
  }

  @Test
  void anUnchangedListKeepsItsEtagAcrossRenders() {
    activate("185.220.101.1");
    String before = feeds.feed("block-ip").orElseThrow().etag();
    clock.advance(Duration.ofMinutes(5));

    assertThat(feeds.feed("block-ip").orElseThrow().etag()).isEqualTo(before);
  }

  @Test
  void pollsArrivingWhileAListIsBuiltReadTheLedgerOnce() throws Exception {
    activate("185.220.101.1");
    AtomicInteger reads = new AtomicInteger();
    CountDownLatch reading = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    DynamicListFeeds slow =
        new DynamicListFeeds(
            () -> {
              reads.incrementAndGet();
              reading.countDown();
              await(release);
              return ledger;
            },
            settings,
            clock,
            Duration.ofSeconds(10));
    List<Thread> polls = new ArrayList<>();
    List<DynamicListFeeds.Feed> answers = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 8; i++) {
      polls.add(new Thread(() -> answers.add(slow.feed("block-ip").orElseThrow())));
    }
    polls.forEach(Thread::start);
    // One poll reads the ledger (held), the seven others wait for its rebuild.
    reading.await();
    while (slow.waitingForRebuild("block-ip") < 7) {
      Thread.onSpinWait();
    }
    release.countDown();
    for (Thread poll : polls) {
      poll.join();
    }

    assertThat(answers)
        .hasSize(8)
        .extracting(DynamicListFeeds.Feed::text)
        .containsOnly("185.220.101.1\n");
    assertThat(reads.get())
        .as("ledger reads (one per indicator type of block-ip)")
        .isEqualTo(typesOf("block-ip"));
  }

  @Test
  void aPollDuringARebuildGetsThePreviousFeedAtOnce() throws Exception {
    activate("185.220.101.1");
    CountDownLatch reading = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger reads = new AtomicInteger();
    DynamicListFeeds slow =
        new DynamicListFeeds(
            () -> {
              if (reads.incrementAndGet() > typesOf("block-ip")) {
                reading.countDown();
                await(release); // the second build waits
              }
              return ledger;
            },
            settings,
            clock,
            Duration.ofSeconds(10));
    DynamicListFeeds.Feed first = slow.feed("block-ip").orElseThrow();
    activate("185.220.101.2");
    clock.advance(Duration.ofSeconds(11));
    Thread rebuild = new Thread(() -> slow.feed("block-ip"));
    rebuild.start();
    reading.await(); // the rebuild holds its ledger read

    DynamicListFeeds.Feed during = slow.feed("block-ip").orElseThrow();
    release.countDown();
    rebuild.join();

    assertThat(during.etag()).isEqualTo(first.etag());
    assertThat(slow.feed("block-ip").orElseThrow().text()).contains("185.220.101.2");
  }

  private static int typesOf(String list) {
    return DynamicListFeeds.LISTS.get(list).types().size();
  }

  /**
   * Holds a ledger read until released. A poll that reads when it should not waits here for a
   * release that never comes: the test then fails on its JUnit timeout instead of passing.
   */
  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void onlyTheFeedSecretOpensTheFeeds() {
    assertThat(feeds.isAuthorized("s3cret-feed")).isTrue();
    assertThat(feeds.isAuthorized("s3cret-fee")).isFalse();
    assertThat(feeds.isAuthorized(null)).isFalse();
    DynamicListFeeds off = new DynamicListFeeds(() -> ledger, Settings.of(Map.of()), clock);
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
