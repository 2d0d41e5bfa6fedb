package com.socactions.enrichment.rdap;

import static org.assertj.core.api.Assertions.assertThat;

import com.socactions.platform.Sleeper;
import com.socactions.platform.UpstreamBudgets;
import com.socactions.testing.Azurite;
import com.socactions.testing.CountedTable;
import com.socactions.testing.CountedTable.Kind;
import com.socactions.testing.MutableClock;
import com.socactions.testing.SlidingWindow;
import com.socactions.testing.TestKit;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.Dns;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One registry's call budget kept by several instances together: each an RDAP client of its own
 * (its own caches, its own budgets object) on one Azurite table and one fake registry host. Time is
 * virtual: every wait moves the clock the budgets judge turns on and the ticker deadlines read.
 */
@ExtendWith(Azurite.class)
class RdapBudgetTest {
  private static final Duration BUDGET = Duration.ofSeconds(60);
  private static final int PER_SECOND = 4;
  private static final Dns NO_DNS =
      host -> {
        throw new UnknownHostException("no DNS in tests: " + host);
      };

  /** One address per fixture registry; the fake serves them all from one host. */
  private static final List<String> ADDRESSES =
      List.of("1.1.1.1", "13.72.183.192", "130.59.31.80", "196.11.240.215", "200.57.141.161");

  private final MutableClock clock = new MutableClock(Instant.parse("2025-01-15T10:00:00Z"));
  private final FakeTicker ticker = new FakeTicker();
  private final List<Duration> sleeps = new CopyOnWriteArrayList<>();
  private final Sleeper sleeper =
      wait -> {
        sleeps.add(wait);
        ticker.advance(wait);
        clock.advance(wait);
      };
  private final List<RdapClient> clients = new ArrayList<>();
  private final List<Long> calls = new CopyOnWriteArrayList<>();
  private FakeRdapServer fake;
  private CountedTable table;

  @BeforeEach
  void start() throws Exception {
    fake = FakeRdapServer.start().onRdapRequest(() -> calls.add(clock.millis()));
    table = CountedTable.create("rdapbudget");
  }

  @AfterEach
  void stop() {
    clients.forEach(RdapClient::close);
    fake.close();
  }

  private RdapClient instance(UpstreamBudgets budgets) {
    RdapClient client =
        new RdapClient(
            RdapOptions.builder()
                .bootstrapUrl(fake.bootstrapUrl())
                .allowInsecure(true)
                .retryBackoff(Duration.ofMillis(20))
                .rateLimitPerSecond(PER_SECOND)
                .dns(NO_DNS)
                .build(),
            TestKit.kit(clock, sleeper),
            ticker,
            budgets);
    clients.add(client);
    return client;
  }

  private RdapClient sharingInstance() {
    return instance(UpstreamBudgets.in(table.client(), clock, sleeper));
  }

  private static InetAddress ip(String text) {
    try {
      return InetAddress.getByName(text);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private WhoisOutcome lookup(RdapClient client, String address) {
    return client.lookupIps(List.of(ip(address)), BUDGET).get(ip(address));
  }

  @Test
  void twoInstancesAskOneRegistryNoMoreOftenThanItsBudgetBetweenThem() {
    List<RdapClient> instances = List.of(sharingInstance(), sharingInstance());

    for (RdapClient instance : instances) {
      for (String address : ADDRESSES) {
        assertThat(lookup(instance, address).isFound()).isTrue();
      }
    }

    assertThat(calls).hasSizeGreaterThanOrEqualTo(10); // some answers take a second call
    assertThat(SlidingWindow.mostIn(calls, Duration.ofSeconds(1))).isLessThanOrEqualTo(PER_SECOND);
    assertThat(table.count(Kind.QUERY)).isZero();
    // Turns free right now are booked a few at a time: fewer storage calls than RDAP calls.
    assertThat(table.calls().size()).isLessThan(2 * calls.size());
  }

  @Test
  void budgetsKeptPerInstanceAskTheRegistryTwiceAsOften() {
    List<RdapClient> instances =
        List.of(
            instance(UpstreamBudgets.local(clock, sleeper)),
            instance(UpstreamBudgets.local(clock, sleeper)));

    for (RdapClient instance : instances) {
      for (String address : ADDRESSES) {
        lookup(instance, address);
      }
    }

    assertThat(SlidingWindow.mostIn(calls, Duration.ofSeconds(1))).isGreaterThan(PER_SECOND);
  }

  @Test
  void aRegistrysThrottleSeenByOneInstanceHoldsTheOtherBack() {
    RdapClient first = sharingInstance();
    RdapClient second = sharingInstance();
    fake.failNext(1, 429, Map.of("Retry-After", "4"));

    assertThat(lookup(first, "1.1.1.1").isFound()).isTrue(); // after waiting out the 429
    sleeps.clear();
    long throttledAt = calls.get(0);
    assertThat(lookup(second, "13.72.183.192").isFound()).isTrue();

    assertThat(calls).hasSizeGreaterThanOrEqualTo(3);
    assertThat(calls.get(1) - throttledAt).isGreaterThanOrEqualTo(4_000);
    assertThat(calls.get(2) - throttledAt).isGreaterThanOrEqualTo(4_000);
  }
}
