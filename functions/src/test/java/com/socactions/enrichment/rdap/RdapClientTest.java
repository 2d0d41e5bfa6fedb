package com.socactions.enrichment.rdap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.socactions.enrichment.DomainRegistration;
import com.socactions.enrichment.WhoisNetwork;
import com.socactions.platform.Settings;
import com.socactions.platform.UpstreamBudgets;
import com.socactions.platform.UpstreamClients;
import com.socactions.testing.MutableClock;
import com.socactions.testing.TestKit;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import mockwebserver3.MockResponse;
import okhttp3.Call;
import okhttp3.Dns;
import okhttp3.EventListener;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RdapClientTest {
  private static final Duration BUDGET = Duration.ofSeconds(20);

  /** Tests never resolve real names: unknown hosts fail. */
  private static final Dns NO_DNS =
      host -> {
        throw new UnknownHostException("no DNS in tests: " + host);
      };

  private final MutableClock clock = new MutableClock(Instant.parse("2025-01-15T10:00:00Z"));
  private final FakeTicker ticker = new FakeTicker();
  private final RecordingSleeper sleeper = new RecordingSleeper(ticker);
  private FakeRdapServer fake;
  private final List<RdapClient> clients = new ArrayList<>();

  @BeforeEach
  void startFake() throws Exception {
    fake = FakeRdapServer.start();
  }

  @AfterEach
  void stop() {
    clients.forEach(RdapClient::close);
    fake.close();
  }

  private RdapOptions.Builder options() {
    return RdapOptions.builder()
        .bootstrapUrl(fake.bootstrapUrl())
        .allowInsecure(true)
        .connectTimeout(Duration.ofSeconds(2))
        .readTimeout(Duration.ofSeconds(3))
        .callTimeout(Duration.ofSeconds(5))
        .retryBackoff(Duration.ofMillis(20))
        .rateLimitPerSecond(1_000)
        .dns(NO_DNS);
  }

  private RdapClient client(RdapOptions.Builder options) {
    return client(options, TestKit.http());
  }

  private RdapClient client(RdapOptions.Builder options, OkHttpClient http) {
    RdapClient client =
        new RdapClient(
            options.build(),
            new UpstreamClients(http, clock, sleeper),
            ticker,
            UpstreamBudgets.local(clock, sleeper));
    clients.add(client);
    return client;
  }

  private RdapClient client() {
    return client(options());
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

  private static void addIfPublic(List<InetAddress> addresses, String address) {
    if (AddressPolicy.whyNotPublic(ip(address), false) == null) {
      addresses.add(ip(address));
    }
  }

  private String fakeHost() {
    return "127.0.0.1:" + fake.port();
  }

  @Test
  void aThousandAddressesInOneNetworkCostOneRdapCall() {
    RdapClient client = client();
    List<InetAddress> inOneSlash24 = new ArrayList<>();
    for (int round = 0; round < 4; round++) {
      for (int host = 0; host < 256; host++) {
        inOneSlash24.add(ip("1.1.1." + host));
      }
    }
    Map<InetAddress, WhoisOutcome> apnic = client.lookupIps(inOneSlash24, BUDGET);
    assertThat(apnic).hasSize(256);
    assertThat(apnic.values())
        .allSatisfy(o -> assertThat(o.network().network()).isEqualTo("1.1.1.0/24"));
    assertThat(fake.requestCount("apnic")).isEqualTo(1);

    // NET-13-64-0-0-1 is 13.64.0.0-13.107.255.255: 44 /16s. The first answer of the /8 is
    // awaited before the /16s start, so its range serves them all.
    List<InetAddress> acrossManySlash16s = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      int second = 64 + (i % 44);
      acrossManySlash16s.add(ip("13." + second + "." + (i * 7 % 256) + "." + (i * 13 % 256)));
    }
    Map<InetAddress, WhoisOutcome> arin = client.lookupIps(acrossManySlash16s, BUDGET);
    assertThat(arin).hasSize(Set.copyOf(acrossManySlash16s).size());
    assertThat(arin.values())
        .allSatisfy(o -> assertThat(o.network().handle()).isEqualTo("NET-13-64-0-0-1"));
    assertThat(fake.requestCount("arin")).isEqualTo(1);
    assertThat(fake.bootstrapRequestCount("ipv4.json")).isEqualTo(1);
  }

  @Test
  void manySmallNetworksInOneSlash16AreAskedInParallelAtOneCallEach() throws Exception {
    // 64 /24 networks in 1.2.0.0/16 (APNIC's in the bootstrap), four addresses in each, plus
    // a thousand addresses of ARIN's 13.64.0.0-13.107.255.255 spread over its 44 /16s.
    List<InetAddress> batch = new ArrayList<>();
    for (int net = 0; net < 64; net++) {
      fake.addNetwork("apnic", "1.2." + net + ".0", "1.2." + net + ".255", "NET-1-2-" + net);
      for (int host = 1; host <= 4; host++) {
        batch.add(ip("1.2." + net + "." + host * 50));
      }
    }
    for (int i = 0; i < 1_000; i++) {
      batch.add(ip("13." + (64 + i % 44) + "." + (i * 7 % 256) + "." + (i * 13 % 256)));
    }
    int threads = 8;
    // The /8's first answer and then the /16's are awaited alone (either might have covered the
    // rest); the other 62 /24s are then asked together: held until as many calls as lookup
    // threads are in flight at once. Asked one after another, they never get there.
    fake.holdUntilInFlight(
        threads,
        path ->
            path.startsWith("/apnic/ip/1.2.")
                && !path.startsWith("/apnic/ip/1.2.0.")
                && !path.startsWith("/apnic/ip/1.2.1."));
    RdapClient client = client(options().maxConcurrency(threads));

    Map<InetAddress, WhoisOutcome> outcomes = client.lookupIps(batch, BUDGET);

    assertThat(outcomes.get(ip("1.2.37.150")).network().name()).isEqualTo("NET-1-2-37");
    assertThat(outcomes.values()).allSatisfy(o -> assertThat(o.isFound()).isTrue());
    assertThat(fake.maxInFlight()).isEqualTo(threads);
    assertThat(fake.requestCount("apnic")).isEqualTo(64);
    assertThat(fake.requestCount("arin")).isEqualTo(1);
  }

  @Test
  void abuseEmailIsFoundInANestedEntity() {
    WhoisOutcome outcome = lookup(client(), "13.72.183.192");
    // ARIN nests the abuse contact (MAC74-ARIN) under the registrant organisation.
    assertThat(outcome.network().abuseEmail()).isEqualTo("abuse@microsoft.com");
  }

  @Test
  void eachRirAnswerIsReducedToTheContractFields() {
    RdapClient client = client();
    Map<InetAddress, WhoisOutcome> outcomes =
        client.lookupIps(
            List.of(
                ip("1.1.1.1"),
                ip("13.72.183.192"),
                ip("130.59.31.80"),
                ip("200.57.141.161"),
                ip("196.11.240.215"),
                ip("2606:4700:4700::1111")),
            BUDGET);
    assertThat(outcomes.values()).allSatisfy(o -> assertThat(o.error()).isNull());

    WhoisNetwork apnic = outcomes.get(ip("1.1.1.1")).network();
    assertThat(apnic.network()).isEqualTo("1.1.1.0/24");
    assertThat(apnic.name()).isEqualTo("APNIC-LABS");
    assertThat(apnic.handle()).isEqualTo("1.1.1.0 - 1.1.1.255");
    assertThat(apnic.registry()).isEqualTo("APNIC");
    assertThat(apnic.country()).isEqualTo("AU");
    assertThat(apnic.abuseEmail()).isEqualTo("helpdesk@apnic.net");
    assertThat(apnic.registered()).isEqualTo(Instant.parse("2011-08-10T23:12:35Z"));
    assertThat(apnic.lastChanged()).isEqualTo(Instant.parse("2023-04-26T22:57:58Z"));
    assertThat(apnic.rdapUrl()).isEqualTo(fake.registryUrl("apnic") + "ip/1.1.1.0/24");

    WhoisNetwork arin = outcomes.get(ip("13.72.183.192")).network();
    assertThat(arin.network()).isEqualTo("13.64.0.0/11, 13.96.0.0/13, 13.104.0.0/14");
    assertThat(arin.name()).isEqualTo("MSFT");
    assertThat(arin.registry()).isEqualTo("ARIN");
    assertThat(arin.country()).isNull();
    assertThat(arin.registered()).isEqualTo(Instant.parse("2015-03-26T17:58:18Z"));
    assertThat(arin.lastChanged()).isEqualTo(Instant.parse("2021-12-15T01:28:53Z"));

    WhoisNetwork ripe = outcomes.get(ip("130.59.31.80")).network();
    assertThat(ripe.network()).isEqualTo("130.59.0.0/16"); // from start/end: RIPE sends no cidr0
    assertThat(ripe.registry()).isEqualTo("RIPE NCC");
    assertThat(ripe.country()).isEqualTo("CH");
    assertThat(ripe.abuseEmail()).isEqualTo("abuse@switch.ch");
    assertThat(ripe.registered()).isNull();
    assertThat(ripe.lastChanged()).isEqualTo(Instant.parse("2021-10-19T07:12:42Z"));

    WhoisNetwork lacnic = outcomes.get(ip("200.57.141.161")).network();
    assertThat(lacnic.network()).isEqualTo("200.57.141.161/32");
    assertThat(lacnic.name()).isEqualTo("Triara.com, S.A. de C.V.");
    assertThat(lacnic.registry()).isEqualTo("LACNIC");
    assertThat(lacnic.country()).isEqualTo("MX");
    assertThat(lacnic.abuseEmail()).isEqualTo("operacion.redes@TRIARA.COM");

    WhoisNetwork afrinic = outcomes.get(ip("196.11.240.215")).network();
    assertThat(afrinic.network())
        .isEqualTo("196.11.239.0/24, 196.11.240.0/22, 196.11.244.0/23, 196.11.246.0/24");
    assertThat(afrinic.name()).isEqualTo("ORG-VSA1-AFRINIC");
    assertThat(afrinic.registry()).isEqualTo("AFRINIC");
    assertThat(afrinic.country()).isEqualTo("ZA");
    assertThat(afrinic.abuseEmail()).isNull(); // no entity has the abuse role
    assertThat(afrinic.rdapUrl())
        .isEqualTo(fake.registryUrl("afrinic") + "ip/196.11.240.215"); // no self link

    WhoisNetwork v6 = outcomes.get(ip("2606:4700:4700::1111")).network();
    assertThat(v6.network()).isEqualTo("2606:4700::/32");
    assertThat(v6.name()).isEqualTo("CLOUDFLARENET");
    assertThat(v6.registry()).isEqualTo("ARIN");
    assertThat(v6.abuseEmail()).isEqualTo("abuse@cloudflare.com");
  }

  @Test
  void aRedirectToAnotherRegistryIsFollowed() {
    // 130.0.0.0/8 is ARIN's in the bootstrap; ARIN sends 130.59.0.0/16 on to RIPE.
    WhoisOutcome outcome = lookup(client(), "130.59.31.80");
    assertThat(outcome.network().name()).isEqualTo("SWITCH-LAN");
    assertThat(fake.requestedPaths())
        .containsSubsequence("/arin/ip/130.59.31.80", "/ripe/ip/130.59.31.80");
    assertThat(fake.requestCount("arin")).isEqualTo(1);
    assertThat(fake.requestCount("ripe")).isEqualTo(1);
  }

  @Test
  void tooManyRedirectsAreReported() {
    fake.redirect("/apnic/", "apnic");
    WhoisOutcome outcome = lookup(client(), "1.1.1.1");
    assertThat(outcome.error()).contains("redirected more than 5 times");
    assertThat(fake.requestCount("apnic")).isEqualTo(6);
  }

  @Test
  void anHttpServiceUrlIsRefusedInProduction() {
    WhoisOutcome outcome = lookup(client(options().allowInsecure(false)), "1.1.1.1");
    assertThat(outcome.isFound()).isFalse();
    assertThat(outcome.error())
        .startsWith("refused RDAP URL " + fake.registryUrl("apnic"))
        .contains("not https");
    assertThat(fake.rdapRequestCount()).isZero();
  }

  @Test
  void aRedirectToTheCloudMetadataAddressIsRefusedEvenWhenInsecureIsAllowed() {
    fake.redirect("/apnic/ip/", "http://169.254.169.254/latest/meta-data/");
    WhoisOutcome outcome = lookup(client(), "1.1.1.1");
    assertThat(outcome.error())
        .isEqualTo(
            "refused RDAP URL http://169.254.169.254/latest/meta-data/1.1.1.1: 169.254.169.254 is a"
                + " link-local address");
  }

  @Test
  void aRedirectToAHostThatResolvesToAPrivateAddressIsRefusedBeforeConnecting() {
    Map<String, List<InetAddress>> zone = Map.of("rdap.internal.example", List.of(ip("10.0.0.7")));
    RdapClient client =
        client(
            options()
                .dns(
                    host -> {
                      List<InetAddress> found = zone.get(host);
                      if (found == null) {
                        throw new UnknownHostException(host);
                      }
                      return found;
                    }));
    fake.redirect("/apnic/ip/", "http://rdap.internal.example:" + fake.port() + "/ripe/ip/");
    WhoisOutcome outcome = lookup(client, "1.1.1.1");
    assertThat(outcome.error())
        .startsWith(
            "refused RDAP URL http://rdap.internal.example:" + fake.port() + "/ripe/ip/1.1.1.1")
        .endsWith("rdap.internal.example resolves to 10.0.0.7, a private address");
    assertThat(fake.requestCount("ripe")).isZero();
  }

  @Test
  void retryAfterIsHonouredOn429() {
    fake.failNext(1, 429, Map.of("Retry-After", "1"));
    WhoisOutcome outcome = lookup(client(), "1.1.1.1");
    assertThat(outcome.isFound()).isTrue();
    assertThat(fake.requestCount("apnic")).isEqualTo(2);
    // The back-off alone is 20 ms here: the one wait of a second is the server's Retry-After.
    assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(1));
  }

  @Test
  void theBackOffDoublesBetweenAttempts() {
    fake.failNext(2, 503);
    WhoisOutcome outcome = lookup(client(), "1.1.1.1");
    assertThat(outcome.isFound()).isTrue();
    assertThat(fake.requestCount("apnic")).isEqualTo(3);
    assertThat(sleeper.sleeps()).containsExactly(Duration.ofMillis(20), Duration.ofMillis(40));
  }

  @Test
  void aBackOffNeverWaitsPastTheBudget() {
    fake.failNext(1, 503, Map.of("Retry-After", "8"));
    Map<InetAddress, WhoisOutcome> outcomes =
        client().lookupIps(List.of(ip("1.1.1.1")), Duration.ofSeconds(3));
    // The wait is cut to what is left of the budget; then the item is "not done", not retried.
    assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(3));
    assertThat(fake.requestCount("apnic")).isEqualTo(1);
    assertThat(outcomes.get(ip("1.1.1.1")).error())
        .isEqualTo("whois lookup not done within 3 s; try again");
  }

  @Test
  void aLongRetryAfterFailsTheItemWithoutWaiting() {
    fake.failNext(1, 429, Map.of("Retry-After", "120"));
    WhoisOutcome outcome = lookup(client(), "1.1.1.1");
    assertThat(outcome.error()).isEqualTo("rate limited by " + fakeHost() + "; retry after 120 s");
    assertThat(fake.requestCount("apnic")).isEqualTo(1);
    assertThat(sleeper.sleeps()).isEmpty();
  }

  @Test
  void notFoundAnswersPerItemWithoutOpeningTheCircuit() {
    RdapClient client = client();
    List<InetAddress> unknown = new ArrayList<>();
    for (int i = 1; i <= 15; i++) {
      unknown.add(ip("1.2.3." + i));
    }
    Map<InetAddress, WhoisOutcome> outcomes = client.lookupIps(unknown, BUDGET);
    assertThat(outcomes.values())
        .allSatisfy(o -> assertThat(o.error()).startsWith("no RDAP record for 1.2.3."));
    assertThat(outcomes.get(ip("1.2.3.4")).error())
        .isEqualTo("no RDAP record for 1.2.3.4 at 127.0.0.1");
    assertThat(client.health().openCircuits()).isEmpty();
    assertThat(lookup(client, "1.1.1.1").isFound()).isTrue();

    // Not-found answers are cached per address for a short while.
    int calls = fake.requestCount("apnic");
    assertThat(lookup(client, "1.2.3.4").error()).startsWith("no RDAP record");
    assertThat(fake.requestCount("apnic")).isEqualTo(calls);
  }

  @Test
  void aFailingServerOpensItsCircuitAndLaterItemsFailFast() {
    // One lookup thread, so the count of calls before the circuit opens is exact.
    RdapClient client = client(options().maxConcurrency(1));
    fake.failNext(1_000, 503);
    List<InetAddress> addresses = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      addresses.add(ip("1.2.3." + i));
    }
    Map<InetAddress, WhoisOutcome> outcomes = client.lookupIps(addresses, BUDGET);
    assertThat(outcomes.get(ip("1.2.3.1")).error())
        .isEqualTo(fakeHost() + " failed with HTTP 503 after 3 attempts; try again later");
    assertThat(outcomes.get(ip("1.2.3.20")).error())
        .startsWith(fakeHost() + " is failing; circuit open, retry after ")
        .endsWith(" s");
    // 10 failed calls (the minimum) open the circuit; nothing reaches the server after that.
    assertThat(fake.requestCount("apnic")).isEqualTo(RdapOptions.DEFAULT_MINIMUM_NUMBER_OF_CALLS);
    assertThat(client.health().openCircuits()).containsExactly(fakeHost());
  }

  @Test
  void aSlowServerTimesOutWithinTheBudget() {
    fake.delay(Duration.ofSeconds(8));
    // The server is slow: while it holds a request, two seconds pass on the client's ticker.
    fake.onRdapRequest(() -> ticker.advance(Duration.ofSeconds(2)));
    RdapClient client =
        client(options().readTimeout(Duration.ofSeconds(30)).callTimeout(Duration.ofSeconds(30)));
    Map<InetAddress, WhoisOutcome> outcomes =
        client.lookupIps(List.of(ip("1.1.1.1"), ip("13.72.183.192")), Duration.ofSeconds(1));
    assertThat(outcomes.values())
        .allSatisfy(
            o -> assertThat(o.error()).isEqualTo("whois lookup not done within 1 s; try again"));
  }

  @Test
  void aServerThatDoesNotAnswerInTimeIsReportedAfterItsAttempts() {
    fake.delay(Duration.ofSeconds(3));
    RdapClient client = client(options().readTimeout(Duration.ofMillis(200)).maxAttempts(2));
    WhoisOutcome outcome = lookup(client, "1.1.1.1");
    assertThat(outcome.error())
        .isEqualTo(fakeHost() + " did not answer (timed out) after 2 attempts; try again later");
  }

  @Test
  void aConnectionResetIsRetried() {
    fake.resetNext(1);
    WhoisOutcome outcome = lookup(client(), "1.1.1.1");
    assertThat(outcome.isFound()).isTrue();
    assertThat(fake.requestCount("apnic")).isGreaterThanOrEqualTo(2);
  }

  @Test
  void anUnreachableBootstrapFailsEveryItemQuicklyWithOneClearError() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      closedPort = socket.getLocalPort();
    }
    String bootstrap = "http://127.0.0.1:" + closedPort + "/rdap/";
    Map<String, AtomicInteger> callsByPath = new ConcurrentHashMap<>();
    OkHttpClient counting =
        TestKit.http()
            .newBuilder()
            .eventListener(
                new EventListener() {
                  @Override
                  public void callStart(Call call) {
                    callsByPath
                        .computeIfAbsent(
                            call.request().url().encodedPath(), k -> new AtomicInteger())
                        .incrementAndGet();
                  }
                })
            .build();
    RdapClient client = client(options().bootstrapUrl(bootstrap), counting);
    List<InetAddress> spread = new ArrayList<>();
    for (int i = 0; spread.size() < 1_000; i++) {
      addIfPublic(spread, (1 + i % 200) + "." + (i / 200) + "." + (i % 7) + ".1");
    }
    Map<InetAddress, WhoisOutcome> outcomes = client.lookupIps(spread, BUDGET);
    // Quickly: the refused connection is tried once for the whole batch, then remembered.
    assertThat(callsByPath).containsOnlyKeys("/rdap/ipv4.json");
    assertThat(callsByPath.get("/rdap/ipv4.json")).hasValue(1);
    Set<String> errors =
        outcomes.values().stream().map(WhoisOutcome::error).collect(Collectors.toSet());
    assertThat(errors)
        .containsExactly(
            "RDAP bootstrap " + bootstrap + "ipv4.json unreachable: connection refused");
    assertThat(client.health().bootstrapLoaded()).isFalse();
  }

  @Test
  void aFailingBootstrapIsTriedOnceForAWholeBatch() {
    fake.failBootstrap(503);
    RdapClient client = client();
    List<InetAddress> spread = new ArrayList<>();
    for (int i = 0; spread.size() < 1_000; i++) {
      addIfPublic(spread, (1 + i % 200) + "." + (i / 200) + ".0.1");
    }
    Map<InetAddress, WhoisOutcome> outcomes = client.lookupIps(spread, BUDGET);
    assertThat(outcomes.values())
        .allSatisfy(
            o ->
                assertThat(o.error())
                    .isEqualTo(
                        "RDAP bootstrap "
                            + fake.bootstrapUrl()
                            + "ipv4.json unreachable: HTTP 503"));
    assertThat(fake.bootstrapRequestCount("ipv4.json")).isEqualTo(1);
  }

  @Test
  void bootstrapIsFetchedOnceAndReusedForADay() {
    RdapClient client = client();
    assertThat(lookup(client, "1.1.1.1").isFound()).isTrue();
    assertThat(lookup(client, "13.72.183.192").isFound()).isTrue();
    assertThat(fake.bootstrapRequestCount("ipv4.json")).isEqualTo(1);

    clock.advance(Duration.ofHours(23));
    assertThat(lookup(client, "200.57.141.161").isFound()).isTrue();
    assertThat(fake.bootstrapRequestCount("ipv4.json")).isEqualTo(1);

    clock.advance(Duration.ofHours(2));
    assertThat(lookup(client, "196.11.240.215").isFound()).isTrue();
    assertThat(fake.bootstrapRequestCount("ipv4.json")).isEqualTo(2);

    // A failed refetch keeps the copy in use.
    fake.failBootstrap(503);
    clock.advance(Duration.ofHours(25));
    assertThat(lookup(client, "130.59.31.80").isFound()).isTrue();
    assertThat(fake.bootstrapRequestCount("ipv4.json")).isEqualTo(3);
    RdapHealth health = client.health();
    assertThat(health.bootstrapLoaded()).isTrue();
    assertThat(health.detail()).contains("ipv4.json unreachable: HTTP 503");
  }

  @Test
  void domainAnswersCarryRegistrarDatesStatusNameserversAndDnssec() {
    RdapClient client = client();
    Map<String, DomainOutcome> outcomes =
        client.lookupDomains(List.of("google.com", "norway.no", "example.cz"), BUDGET);

    DomainRegistration google = outcomes.get("google.com").registration();
    assertThat(google.domain()).isEqualTo("google.com");
    assertThat(google.registrar()).isEqualTo("MarkMonitor Inc.");
    assertThat(google.registered()).isEqualTo(Instant.parse("1997-09-15T04:00:00Z"));
    assertThat(google.expires()).isEqualTo(Instant.parse("2028-09-14T04:00:00Z"));
    assertThat(google.lastChanged()).isEqualTo(Instant.parse("2019-09-09T15:39:04Z"));
    assertThat(google.status())
        .contains("client delete prohibited", "server update prohibited")
        .hasSize(6);
    assertThat(google.nameservers())
        .containsExactly("ns1.google.com", "ns2.google.com", "ns3.google.com", "ns4.google.com");
    assertThat(google.dnssec()).isFalse();
    assertThat(google.abuseEmail())
        .isEqualTo("abusecomplaints@markmonitor.com"); // nested under the registrar
    assertThat(google.rdapUrl()).isEqualTo(fake.registryUrl("verisign-com") + "domain/GOOGLE.COM");
    assertThat(fake.requestCount("markmonitor")).isZero(); // nothing missing: no registrar call

    DomainRegistration norway = outcomes.get("norway.no").registration();
    assertThat(norway.registrar()).isEqualTo("Domeneshop AS");
    assertThat(norway.registered()).isEqualTo(Instant.parse("2017-01-24T12:09:23Z"));
    assertThat(norway.lastChanged()).isEqualTo(Instant.parse("2021-01-14T05:16:59Z"));
    assertThat(norway.expires()).isNull();
    assertThat(norway.nameservers()).hasSize(4).contains("ns1-09.azure-dns.com");
    assertThat(norway.dnssec()).isNull();

    DomainRegistration cz = outcomes.get("example.cz").registration();
    assertThat(cz.registrar()).isEqualTo("REG-INTERNET-CZ"); // no vCard: the handle
    assertThat(cz.registered()).isEqualTo(Instant.parse("2004-08-30T22:55:00Z"));
    assertThat(cz.expires()).isEqualTo(Instant.parse("2019-08-30T12:00:00Z"));
    assertThat(cz.status()).containsExactly("active");
    assertThat(cz.nameservers()).containsExactly("ns2.pipni.cz", "ns3.pipni.cz", "ns.pipni.cz");

    // Cached by name.
    int calls = fake.rdapRequestCount();
    assertThat(client.lookupDomains(List.of("google.com"), BUDGET).get("google.com").isFound())
        .isTrue();
    assertThat(fake.rdapRequestCount()).isEqualTo(calls);
  }

  @Test
  void aRegistryAnswerWithoutAbuseContactIsCompletedFromTheRegistrarsRdap() throws Exception {
    ObjectMapper json = new ObjectMapper();
    ObjectNode verisign =
        (ObjectNode)
            json.readTree(FakeRdapServer.fixture("domain/verisign_com_domain_google.com.json"));
    ((ObjectNode) verisign.path("entities").get(0))
        .remove("entities"); // drop the nested abuse entity
    ArrayNode links = (ArrayNode) verisign.path("links");
    for (JsonNode link : links) {
      ObjectNode l = (ObjectNode) link;
      l.put(
          "href",
          l.path("href")
              .asText()
              .replace("https://rdap.markmonitor.com/rdap/", fake.registryUrl("markmonitor"))
              .replace("https://rdap.verisign.com/com/v1/", fake.registryUrl("verisign-com")));
    }
    fake.respondNext(
        new MockResponse.Builder()
            .code(200)
            .addHeader("Content-Type", "application/rdap+json")
            .body(verisign.toString())
            .build());

    DomainRegistration google =
        client().lookupDomains(List.of("google.com"), BUDGET).get("google.com").registration();
    assertThat(google.abuseEmail()).isEqualTo("abusecomplaints@markmonitor.com");
    assertThat(google.expires())
        .isEqualTo(Instant.parse("2028-09-14T04:00:00Z")); // the registry's date
    assertThat(fake.requestCount("markmonitor")).isEqualTo(1);
  }

  @Test
  void anUnknownDomainIsNotFoundAndATldWithoutRdapSaysSo() {
    Map<String, DomainOutcome> outcomes =
        client().lookupDomains(List.of("no-such-name.cz", "example.invalidtld"), BUDGET);
    assertThat(outcomes.get("no-such-name.cz").error())
        .isEqualTo("no RDAP record for no-such-name.cz at 127.0.0.1");
    assertThat(outcomes.get("example.invalidtld").error())
        .isEqualTo("no RDAP service for .invalidtld domains in the IANA bootstrap");
  }

  @Test
  void http501ErrorObjectIsExplained() {
    fake.respondNext(
        new MockResponse.Builder()
            .code(501)
            .addHeader("Content-Type", "application/rdap+json")
            .body(FakeRdapServer.fixture("error/ripe_501_nameserver_not_supported.json"))
            .build());
    WhoisOutcome outcome = lookup(client(), "1.1.1.1");
    assertThat(outcome.error())
        .isEqualTo(
            "RIPE NCC could not answer the query for 1.1.1.1: HTTP 501 (501 Not Implemented:"
                + " Nameserver not supported)");
    assertThat(fake.requestCount("apnic")).isEqualTo(1); // 501 is not retried
  }

  @Test
  void privateAddressesAreAnsweredWithoutACall() {
    Map<InetAddress, WhoisOutcome> outcomes =
        client()
            .lookupIps(
                List.of(ip("10.1.2.3"), ip("100.64.0.1"), ip("fe80::1"), ip("127.0.0.1")), BUDGET);
    assertThat(outcomes.get(ip("10.1.2.3")).error())
        .isEqualTo("10.1.2.3 is a private address; it has no public registration");
    assertThat(outcomes.get(ip("100.64.0.1")).error()).contains("carrier-grade NAT");
    assertThat(outcomes.values()).allSatisfy(o -> assertThat(o.isFound()).isFalse());
    assertThat(fake.requestCount()).isZero();
  }

  @Test
  void settingsConfigureTheClient() {
    RdapClient client =
        new RdapClient(
            RdapOptions.fromSettings(
                Settings.of(
                    Map.of(
                        "RDAP_BOOTSTRAP_URL", fake.bootstrapUrl(), "RDAP_ALLOW_INSECURE", "true"))),
            TestKit.kit(clock, sleeper));
    clients.add(client);
    assertThat(lookup(client, "1.1.1.1").network().name()).isEqualTo("APNIC-LABS");
    RdapHealth health = client.health();
    assertThat(health.bootstrapLoaded()).isTrue();
    assertThat(health.bootstrapUrl()).isEqualTo(fake.bootstrapUrl());
    assertThat(health.bootstrapFetchedAt()).isEqualTo(clock.instant());
  }
}
