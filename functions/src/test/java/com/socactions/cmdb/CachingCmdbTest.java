package com.socactions.cmdb;

import static org.assertj.core.api.Assertions.assertThat;

import com.socactions.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CachingCmdbTest {
  private static final Duration TTL = Duration.ofSeconds(60);

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T08:00:00Z"));
  private final RecordingCmdb upstream =
      new RecordingCmdb(Set.of("web01", "db01", "ceo@contoso.com"), Set.of("flaky01"));
  private final CachingCmdb cmdb =
      new CachingCmdb(upstream, TTL, CachingCmdb.DEFAULT_MAX_KEYS, clock);

  @Test
  void aStormOfTheSameKeysAsksTheCmdbOncePerKey() {
    cmdb.lookupAssets(List.of("web01", "10.1.2.3"));
    for (int incident = 0; incident < 100; incident++) {
      cmdb.lookupAssets(List.of("web01", "10.1.2.3"));
    }

    assertThat(upstream.assetBatches).containsExactly(List.of("web01", "10.1.2.3"));
  }

  @Test
  void onlyTheMissesOfABatchAreAskedAndEveryKeyKeepsTheCallersSpelling() {
    cmdb.lookupAssets(List.of("web01"));

    List<AssetMatch> answers =
        cmdb.lookupAssets(List.of(" WEB01", "db01", "web01", "DB01", "nothing"));

    assertThat(upstream.assetBatches).containsExactly(List.of("web01"), List.of("db01", "nothing"));
    assertThat(answers)
        .extracting(AssetMatch::key)
        .containsExactly(" WEB01", "db01", "web01", "DB01", "nothing");
    assertThat(answers)
        .extracting(AssetMatch::found)
        .containsExactly(true, true, true, true, false);
  }

  @Test
  void answersExpireAfterTheTtl() {
    cmdb.lookupAccounts(List.of("ceo@contoso.com"));
    clock.advance(TTL.minusSeconds(1));
    cmdb.lookupAccounts(List.of("ceo@contoso.com"));
    assertThat(upstream.accountBatches).hasSize(1);

    clock.advance(Duration.ofSeconds(1));
    AccountMatch answer = cmdb.lookupAccounts(List.of("ceo@contoso.com")).get(0);

    assertThat(upstream.accountBatches).hasSize(2);
    assertThat(answer.matches().get(0).isVip()).isTrue();
  }

  @Test
  void aKeyThatFailedIsAskedAgainNextTime() {
    AssetMatch first = cmdb.lookupAssets(List.of("flaky01", "web01")).get(0);
    cmdb.lookupAssets(List.of("flaky01", "web01"));

    assertThat(first.error()).isEqualTo("upstream timed out");
    assertThat(upstream.assetBatches)
        .containsExactly(List.of("flaky01", "web01"), List.of("flaky01"));
  }

  @Test
  void assetsAndAccountsAreCachedApart() {
    cmdb.lookupAssets(List.of("ceo@contoso.com"));

    assertThat(cmdb.lookupAccounts(List.of("ceo@contoso.com")).get(0).found()).isTrue();
    assertThat(upstream.accountBatches).hasSize(1);
  }

  @Test
  void aZeroTtlAsksEveryTime() {
    CachingCmdb uncached =
        new CachingCmdb(upstream, Duration.ZERO, CachingCmdb.DEFAULT_MAX_KEYS, clock);

    uncached.lookupAssets(List.of("web01"));
    uncached.lookupAssets(List.of("web01"));

    assertThat(upstream.assetBatches).hasSize(2);
  }
}
