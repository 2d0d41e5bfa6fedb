package com.socactions.enrichment.rdap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.socactions.platform.Sleeper;
import com.socactions.platform.UpstreamBudgets;
import com.socactions.platform.UpstreamException;
import com.socactions.testing.MutableClock;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The small parts the client is built from: range arithmetic, the range cache, dates, the address
 * policy.
 */
class RdapInternalsTest {
  private static InetAddress ip(String text) {
    try {
      return InetAddress.getByName(text);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  @Test
  void aRangeIsWrittenAsTheFewestCidrBlocks() {
    assertThat(IpRanges.cidrs(ip("130.59.0.0"), ip("130.59.255.255")))
        .containsExactly("130.59.0.0/16");
    assertThat(IpRanges.cidrs(ip("196.11.239.0"), ip("196.11.246.255")))
        .containsExactly(
            "196.11.239.0/24", "196.11.240.0/22", "196.11.244.0/23", "196.11.246.0/24");
    assertThat(IpRanges.cidrs(ip("2606:4700::"), ip("2606:4700:ffff:ffff:ffff:ffff:ffff:ffff")))
        .containsExactly("2606:4700::/32");
    assertThat(IpRanges.cidrs(ip("0.0.0.0"), ip("255.255.255.255"))).containsExactly("0.0.0.0/0");
  }

  @Test
  void theMostSpecificCachedRangeAnswersAndExpiredOnesDoNot() {
    MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    RangeCache<String> cache = new RangeCache<>(clock, Duration.ofHours(24), 10);
    cache.put(ip("13.64.0.0"), ip("13.107.255.255"), "wide");
    cache.put(ip("13.72.0.0"), ip("13.72.255.255"), "narrow");
    assertThat(cache.get(ip("13.72.1.1"))).isEqualTo("narrow");
    assertThat(cache.get(ip("13.100.1.1"))).isEqualTo("wide");
    assertThat(cache.get(ip("13.108.0.0"))).isNull();
    assertThat(cache.get(ip("2606:4700::1"))).isNull();
    clock.advance(Duration.ofHours(25));
    assertThat(cache.get(ip("13.72.1.1"))).isNull();
  }

  @Test
  void theRangeCacheDropsTheOldestPastItsBound() {
    RangeCache<String> cache =
        new RangeCache<>(new MutableClock(Instant.EPOCH), Duration.ofHours(24), 3);
    for (int i = 1; i <= 5; i++) {
      cache.put(ip("1.1." + i + ".0"), ip("1.1." + i + ".255"), "net" + i);
    }
    assertThat(cache.size()).isEqualTo(3);
    assertThat(cache.get(ip("1.1.1.1"))).isNull();
    assertThat(cache.get(ip("1.1.5.1"))).isEqualTo("net5");
  }

  @Test
  void nestedAndOverlappingRangesAnswerWithTheMostSpecific() {
    RangeCache<String> cache =
        new RangeCache<>(new MutableClock(Instant.EPOCH), Duration.ofHours(24), 100);
    cache.put(ip("13.64.0.0"), ip("13.107.255.255"), "arin-block"); // a /11, a /13 and a /14
    cache.put(ip("13.72.0.0"), ip("13.72.255.255"), "customer-16");
    cache.put(ip("13.72.8.0"), ip("13.72.8.255"), "customer-24");
    // Same start as customer-16, narrower: nested ranges that share a start.
    cache.put(ip("13.72.0.0"), ip("13.72.3.255"), "customer-22");
    // Overlaps customer-24 without nesting (AFRINIC-style, not CIDR aligned).
    cache.put(ip("13.72.8.128"), ip("13.72.9.127"), "overlapping");
    cache.put(ip("2606:4700::"), ip("2606:4700:ffff:ffff:ffff:ffff:ffff:ffff"), "v6-32");

    assertThat(cache.get(ip("13.72.8.1"))).isEqualTo("customer-24");
    assertThat(cache.get(ip("13.72.9.1"))).isEqualTo("overlapping");
    assertThat(cache.get(ip("13.72.1.1"))).isEqualTo("customer-22");
    assertThat(cache.get(ip("13.72.200.1"))).isEqualTo("customer-16");
    assertThat(cache.get(ip("13.105.0.1"))).isEqualTo("arin-block"); // in the /14
    assertThat(cache.get(ip("13.108.0.0"))).isNull();
    assertThat(cache.get(ip("13.63.255.255"))).isNull();
    assertThat(cache.get(ip("2606:4700:4700::1111"))).isEqualTo("v6-32");
    assertThat(cache.get(ip("13.72.8.1"))).isEqualTo("customer-24");
  }

  @Test
  void whenTheWidestRangeExpiresLookupsStopAskingItsLength() {
    MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    RangeCache<String> cache = new RangeCache<>(clock, Duration.ofHours(24), 100);
    cache.put(ip("13.64.0.0"), ip("13.107.255.255"), "wide");
    assertThat(cache.widestPrefixLength(true)).isEqualTo(11);
    clock.advance(Duration.ofHours(12));
    cache.put(ip("1.1.1.0"), ip("1.1.1.255"), "narrow");
    assertThat(cache.widestPrefixLength(true)).isEqualTo(11);
    assertThat(cache.widestPrefixLength(false)).isEqualTo(-1);

    clock.advance(Duration.ofHours(13)); // "wide" is 25 h old, "narrow" 13 h
    assertThat(cache.get(ip("13.72.1.1"))).isNull(); // finds it expired and drops it
    assertThat(cache.size()).isEqualTo(1);
    assertThat(cache.widestPrefixLength(true)).isEqualTo(24);
    assertThat(cache.get(ip("1.1.1.1"))).isEqualTo("narrow");
  }

  @Test
  void whenTheWidestRangeIsEvictedLookupsStopAskingItsLength() {
    RangeCache<String> cache =
        new RangeCache<>(new MutableClock(Instant.EPOCH), Duration.ofHours(24), 2);
    cache.put(ip("13.64.0.0"), ip("13.127.255.255"), "wide"); // a /10
    cache.put(ip("1.1.1.0"), ip("1.1.1.255"), "narrow");
    assertThat(cache.widestPrefixLength(true)).isEqualTo(10);
    cache.put(ip("1.1.2.0"), ip("1.1.2.127"), "narrower");
    assertThat(cache.size()).isEqualTo(2);
    assertThat(cache.widestPrefixLength(true)).isEqualTo(24);
    assertThat(cache.get(ip("13.64.0.1"))).isNull();
  }

  @Test
  void putTwiceKeepsOneEntryWithTheNewValue() {
    RangeCache<String> cache =
        new RangeCache<>(new MutableClock(Instant.EPOCH), Duration.ofHours(24), 10);
    cache.put(ip("1.1.1.0"), ip("1.1.1.255"), "old");
    cache.put(ip("1.1.1.0"), ip("1.1.1.255"), "new");
    assertThat(cache.size()).isEqualTo(1);
    assertThat(cache.get(ip("1.1.1.1"))).isEqualTo("new");
  }

  @Test
  void hostsIdleForTheIdleTimeoutAreForgotten() {
    FakeTicker ticker = new FakeTicker();
    HostPolicies policies =
        new HostPolicies(
            RdapOptions.builder().hostIdleTimeout(Duration.ofMinutes(15)).build(),
            new MutableClock(Instant.EPOCH),
            ticker,
            Sleeper.SYSTEM,
            UpstreamBudgets.local(Clock.systemUTC(), Sleeper.SYSTEM));
    HostPolicies.Host arin = policies.host("rdap.arin.net");
    policies.host("rdap.db.ripe.net");
    ticker.advance(Duration.ofMinutes(10));
    assertThat(policies.host("rdap.arin.net")).isSameAs(arin); // used again: no longer idle
    ticker.advance(Duration.ofMinutes(10));
    policies.host("rdap.apnic.net"); // a new host sweeps the idle ones
    assertThat(policies.size()).isEqualTo(2);
    assertThat(policies.host("rdap.arin.net")).isSameAs(arin);
    assertThat(policies.size()).isEqualTo(2); // ripe was forgotten
  }

  @Test
  void pastMaxHostsTheLeastRecentlyUsedHostIsForgotten() {
    FakeTicker ticker = new FakeTicker();
    HostPolicies policies =
        new HostPolicies(
            RdapOptions.builder().maxHosts(2).build(),
            new MutableClock(Instant.EPOCH),
            ticker,
            Sleeper.SYSTEM,
            UpstreamBudgets.local(Clock.systemUTC(), Sleeper.SYSTEM));
    HostPolicies.Host arin = policies.host("rdap.arin.net");
    ticker.advance(Duration.ofSeconds(1));
    HostPolicies.Host ripe = policies.host("rdap.db.ripe.net");
    ticker.advance(Duration.ofSeconds(1));
    policies.host("rdap.arin.net");
    ticker.advance(Duration.ofSeconds(1));
    policies.host("rdap.apnic.net");
    assertThat(policies.size()).isEqualTo(2);
    assertThat(policies.host("rdap.arin.net")).isSameAs(arin);
    assertThat(policies.host("rdap.db.ripe.net")).isNotSameAs(ripe);
  }

  @Test
  void anOpenCircuitIsRememberedUntilItWouldLetATrialThroughHoweverIdle() {
    FakeTicker ticker = new FakeTicker();
    MutableClock clock = new MutableClock(Instant.EPOCH);
    HostPolicies policies =
        new HostPolicies(
            RdapOptions.builder()
                .hostIdleTimeout(Duration.ofSeconds(10))
                .openDuration(Duration.ofSeconds(60))
                .maxAttempts(1)
                .slidingWindowSize(2)
                .minimumNumberOfCalls(2)
                .build(),
            clock,
            ticker,
            Sleeper.SYSTEM,
            UpstreamBudgets.local(Clock.systemUTC(), Sleeper.SYSTEM));
    HostPolicies.Host failing = policies.host("rdap.failing.example");
    for (int i = 0; i < 2; i++) {
      catchThrowable(
          () ->
              failing.policy.call(
                  () -> {
                    throw UpstreamException.answered(
                        "rdap.failing.example", 503, "down", null, null);
                  }));
    }
    ticker.advance(Duration.ofSeconds(30));
    clock.advance(Duration.ofSeconds(30));
    policies.host("rdap.arin.net");
    assertThat(policies.openCircuits()).containsExactly("rdap.failing.example");
    assertThat(policies.secondsUntilHalfOpen("rdap.failing.example")).isEqualTo(30);
    ticker.advance(Duration.ofSeconds(31));
    clock.advance(Duration.ofSeconds(31));
    policies.host("rdap.apnic.net");
    assertThat(policies.openCircuits()).isEmpty();
  }

  @Test
  void aPlaceholderCoveringEverythingIsNotCachedForOtherAddresses() {
    InetAddress[] everything = {ip("0.0.0.0"), ip("255.255.255.255")};
    InetAddress[] arinBlock = {ip("13.64.0.0"), ip("13.107.255.255")};
    assertThat(RdapClient.isCacheableRange(everything, ip("1.2.3.4"))).isFalse();
    assertThat(RdapClient.isCacheableRange(arinBlock, ip("13.72.1.1"))).isTrue();
    assertThat(RdapClient.isCacheableRange(arinBlock, ip("14.0.0.1"))).isFalse();
  }

  @Test
  void registryDatesAreReadLeniently() {
    assertThat(RdapParser.parseDate("2021-12-14T20:28:53-05:00"))
        .isEqualTo(Instant.parse("2021-12-15T01:28:53Z"));
    assertThat(RdapParser.parseDate("2028-09-13T07:00:00.000+0000"))
        .isEqualTo(Instant.parse("2028-09-13T07:00:00Z"));
    assertThat(RdapParser.parseDate("2019-09-09T15:39:04Z"))
        .isEqualTo(Instant.parse("2019-09-09T15:39:04Z"));
    assertThat(RdapParser.parseDate("2014-07-16T15:43:45"))
        .isEqualTo(Instant.parse("2014-07-16T15:43:45Z"));
    assertThat(RdapParser.parseDate("2014-07-16")).isEqualTo(Instant.parse("2014-07-16T00:00:00Z"));
    assertThat(RdapParser.parseDate("yesterday")).isNull();
  }

  @Test
  void onlyPublicAddressesMayBeContacted() {
    assertThat(AddressPolicy.whyNotPublic(ip("1.1.1.1"), false)).isNull();
    assertThat(AddressPolicy.whyNotPublic(ip("127.0.0.1"), false)).isEqualTo("loopback address");
    assertThat(AddressPolicy.whyNotPublic(ip("127.0.0.1"), true)).isNull();
    assertThat(AddressPolicy.whyNotPublic(ip("10.9.8.7"), true)).isEqualTo("private address");
    assertThat(AddressPolicy.whyNotPublic(ip("169.254.169.254"), true))
        .isEqualTo("link-local address");
    assertThat(AddressPolicy.whyNotPublic(ip("100.100.1.1"), false))
        .isEqualTo("carrier-grade NAT address");
    assertThat(AddressPolicy.whyNotPublic(ip("224.0.0.1"), false)).isEqualTo("multicast address");
    assertThat(AddressPolicy.whyNotPublic(ip("0.0.0.0"), false)).isEqualTo("unspecified address");
    assertThat(AddressPolicy.whyNotPublic(ip("fd00::1"), false)).isEqualTo("private address");
    assertThat(AddressPolicy.whyNotPublic(ip("::ffff:10.0.0.1"), false))
        .isEqualTo("private address");
  }

  @Test
  void aHostWithAnyNonPublicAddressIsRefusedByTheDns() {
    PublicAddressDns dns =
        new PublicAddressDns(host -> List.of(ip("93.184.216.34"), ip("192.168.1.1")), false);
    try {
      dns.lookup("rdap.example");
      throw new AssertionError("expected a refusal");
    } catch (UnknownHostException refused) {
      assertThat(refused)
          .isInstanceOf(PublicAddressDns.RefusedAddressException.class)
          .hasMessage("rdap.example resolves to 192.168.1.1, a private address");
    }
  }
}
