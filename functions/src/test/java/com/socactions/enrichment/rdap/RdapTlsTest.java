package com.socactions.enrichment.rdap;

import static org.assertj.core.api.Assertions.assertThat;

import com.socactions.platform.Settings;
import com.socactions.platform.UpstreamBudgets;
import com.socactions.platform.UpstreamClients;
import com.socactions.testing.MutableClock;
import com.socactions.testing.TestKit;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import okhttp3.Dns;
import okhttp3.OkHttpClient;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The production path, https only ({@code RDAP_ALLOW_INSECURE=false}), against the fake served over
 * TLS with a certificate for 127.0.0.1 that only the test's client trusts. Loopback is let through
 * by the test-only {@code allowLoopbackForTests}; http stays refused.
 */
class RdapTlsTest {
  private static final Duration BUDGET = Duration.ofSeconds(20);
  private static final HeldCertificate LOOPBACK_CERTIFICATE =
      new HeldCertificate.Builder()
          .commonName("RDAP fake")
          .addSubjectAlternativeName("127.0.0.1")
          .build();
  private static final String NOT_HTTPS =
      ": not https (RDAP_ALLOW_INSECURE is for local tests only)";

  private final MutableClock clock = new MutableClock(Instant.parse("2025-01-15T10:00:00Z"));
  private final FakeTicker ticker = new FakeTicker();
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private FakeRdapServer fake;

  @BeforeEach
  void startFake() throws Exception {
    HandshakeCertificates server =
        new HandshakeCertificates.Builder().heldCertificate(LOOPBACK_CERTIFICATE).build();
    fake = FakeRdapServer.startHttps(server.sslSocketFactory());
    toClose.add(fake);
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable closeable : toClose) {
      closeable.close();
    }
  }

  /** {@code RDAP_ALLOW_INSECURE=false}, as in production, plus loopback for the fake. */
  private RdapOptions.Builder productionOptions(String bootstrapUrl, Dns dns) {
    return RdapOptions.fromSettings(
            Settings.of(
                Map.of(
                    RdapOptions.SETTING_BOOTSTRAP_URL,
                    bootstrapUrl,
                    RdapOptions.SETTING_ALLOW_INSECURE,
                    "false")))
        .toBuilder()
        .allowLoopbackForTests(true)
        .retryBackoff(Duration.ofMillis(20))
        .dns(dns);
  }

  private RdapClient client(RdapOptions.Builder options, OkHttpClient http) {
    RdapClient client =
        new RdapClient(
            options.build(),
            new UpstreamClients(http, clock, new RecordingSleeper(ticker)),
            ticker,
            UpstreamBudgets.local(clock, new RecordingSleeper(ticker)));
    toClose.add(client);
    return client;
  }

  private RdapClient client(Dns dns) {
    return client(productionOptions(fake.bootstrapUrl(), dns), trustingTheFake());
  }

  private RdapClient client() {
    return client(RdapTlsTest::noDns);
  }

  /** The shared client, trusting the fake's certificate only. */
  private static OkHttpClient trustingTheFake() {
    HandshakeCertificates client =
        new HandshakeCertificates.Builder()
            .addTrustedCertificate(LOOPBACK_CERTIFICATE.certificate())
            .build();
    return TestKit.http()
        .newBuilder()
        .sslSocketFactory(client.sslSocketFactory(), client.trustManager())
        .build();
  }

  private static List<InetAddress> noDns(String host) throws UnknownHostException {
    throw new UnknownHostException("no DNS in tests: " + host);
  }

  private static InetAddress ip(String text) {
    try {
      return InetAddress.getByName(text);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static WhoisOutcome lookup(RdapClient client, String address) {
    return client.lookupIps(List.of(ip(address)), BUDGET).get(ip(address));
  }

  @Test
  void anHttpsLookupWorksEndToEnd() {
    RdapClient client = client();
    assertThat(fake.bootstrapUrl()).startsWith("https://127.0.0.1:");

    WhoisOutcome apnic = lookup(client, "1.1.1.1");
    assertThat(apnic.network().name()).isEqualTo("APNIC-LABS");
    assertThat(apnic.network().rdapUrl()).isEqualTo(fake.registryUrl("apnic") + "ip/1.1.1.0/24");
    // ARIN sends 130.59.0.0/16 on to RIPE: an https -> https redirect is followed.
    assertThat(lookup(client, "130.59.31.80").network().name()).isEqualTo("SWITCH-LAN");
    assertThat(
            client
                .lookupDomains(List.of("google.com"), BUDGET)
                .get("google.com")
                .registration()
                .registrar())
        .isEqualTo("MarkMonitor Inc.");
    assertThat(client.health().bootstrapLoaded()).isTrue();
  }

  @Test
  void aServerCertificateTheClientDoesNotTrustFailsTheLookup() {
    RdapClient client =
        client(productionOptions(fake.bootstrapUrl(), RdapTlsTest::noDns), TestKit.http());
    assertThat(lookup(client, "1.1.1.1").error())
        .isEqualTo("RDAP bootstrap " + fake.bootstrapUrl() + "ipv4.json unreachable: TLS failure");
  }

  @Test
  void anHttpServiceUrlIsRefused() throws Exception {
    FakeRdapServer plain = FakeRdapServer.start(); // its bootstrap lists http service URLs
    toClose.add(plain);
    RdapClient client =
        client(productionOptions(plain.bootstrapUrl(), RdapTlsTest::noDns), trustingTheFake());
    assertThat(lookup(client, "1.1.1.1").error())
        .isEqualTo("refused RDAP URL " + plain.registryUrl("apnic") + " for 1.1.1.1" + NOT_HTTPS);
    assertThat(plain.rdapRequestCount()).isZero();
  }

  @Test
  void anHttpsToHttpRedirectIsRefused() {
    String downgraded = "http://127.0.0.1:" + fake.port() + "/ripe/ip/";
    fake.redirect("/apnic/ip/", downgraded);
    assertThat(lookup(client(), "1.1.1.1").error())
        .isEqualTo("refused RDAP URL " + downgraded + "1.1.1.1" + NOT_HTTPS);
    assertThat(fake.requestCount("ripe")).isZero();
  }

  @Test
  void aRedirectToAPrivateAddressIsRefused() {
    fake.redirect("/apnic/ip/", "https://10.0.0.7/rdap/ip/");
    assertThat(lookup(client(), "1.1.1.1").error())
        .isEqualTo(
            "refused RDAP URL https://10.0.0.7/rdap/ip/1.1.1.1: 10.0.0.7 is a private address");
  }

  @Test
  void aRedirectToTheCloudMetadataAddressIsRefused() {
    fake.redirect("/apnic/ip/", "https://169.254.169.254/latest/meta-data/");
    assertThat(lookup(client(), "1.1.1.1").error())
        .isEqualTo(
            "refused RDAP URL https://169.254.169.254/latest/meta-data/1.1.1.1: 169.254.169.254 is"
                + " a link-local address");
  }

  @Test
  void aRedirectToAHostThatResolvesToAPrivateAddressIsRefusedBeforeConnecting() {
    Map<String, List<InetAddress>> zone =
        Map.of("rdap.internal.example", List.of(ip("192.168.10.7")));
    RdapClient client =
        client(
            host -> {
              List<InetAddress> found = zone.get(host);
              if (found == null) {
                throw new UnknownHostException(host);
              }
              return found;
            });
    fake.redirect("/apnic/ip/", "https://rdap.internal.example:" + fake.port() + "/ripe/ip/");
    assertThat(lookup(client, "1.1.1.1").error())
        .isEqualTo(
            "refused RDAP URL https://rdap.internal.example:"
                + fake.port()
                + "/ripe/ip/1.1.1.1: "
                + "rdap.internal.example resolves to 192.168.10.7, a private address");
    assertThat(fake.requestCount("ripe")).isZero();
  }
}
