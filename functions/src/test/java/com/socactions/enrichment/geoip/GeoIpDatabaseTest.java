package com.socactions.enrichment.geoip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.maxmind.db.CacheKey;
import com.maxmind.db.DecodedValue;
import com.maxmind.db.NodeCache;
import com.socactions.enrichment.AutonomousSystem;
import com.socactions.enrichment.GeoLocation;
import com.socactions.indicators.IpAddresses;
import com.socactions.testing.SharedFixtures;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GeoIpDatabaseTest {

  @Test
  void aCityDatabaseLocatesTheDocumentedLondonAddress() {
    GeoIpDatabase city = GeoIpDatabase.open(SharedFixtures.path("geoip/GeoIP2-City-Test.mmdb"));
    GeoLocation london = city.locate(ip("81.2.69.142")).orElseThrow();
    assertThat(city.kind()).isEqualTo(GeoIpDatabase.Kind.CITY);
    assertThat(city.type()).isEqualTo("GeoIP2-City");
    assertThat(city.buildDate()).isNotNull();
    assertThat(london.countryCode()).isEqualTo("GB");
    assertThat(london.city()).isEqualTo("London");
    assertThat(london.timeZone()).isEqualTo("Europe/London");
    assertThat(london.accuracyRadiusKm()).isPositive();
  }

  @Test
  void everyNetworkInTheCityTestSourceResolvesToItsCountryAndCity() throws Exception {
    GeoIpDatabase city = GeoIpDatabase.open(SharedFixtures.path("geoip/GeoIP2-City-Test.mmdb"));
    JsonNode source =
        new ObjectMapper().readTree(SharedFixtures.path("geoip/GeoIP2-City-Test.json").toFile());
    int checked = 0;
    for (JsonNode entry : source) {
      Iterator<Map.Entry<String, JsonNode>> fields = entry.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> network = fields.next();
        InetAddress first = firstAddress(network.getKey());
        JsonNode expected = network.getValue();
        GeoLocation found =
            city.locate(first)
                .orElseThrow(() -> new AssertionError("no answer for " + network.getKey()));
        assertThat(found.countryCode())
            .as(network.getKey())
            .isEqualTo(text(expected.at("/country/iso_code")));
        assertThat(found.city())
            .as(network.getKey())
            .isEqualTo(text(expected.at("/city/names/en")));
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(100);
  }

  @Test
  void aCountryDatabaseAnswersCountryWithoutCity() {
    GeoIpDatabase country =
        GeoIpDatabase.open(SharedFixtures.path("geoip/GeoLite2-Country-Test.mmdb"));
    GeoLocation found = country.locate(ip("81.2.69.142")).orElseThrow();
    assertThat(country.kind()).isEqualTo(GeoIpDatabase.Kind.COUNTRY);
    assertThat(found.countryCode()).isEqualTo("GB");
    assertThat(found.city()).isNull();
  }

  @Test
  void anAsnDatabaseAnswersTheDocumentedAutonomousSystems() {
    GeoIpDatabase asn = GeoIpDatabase.open(SharedFixtures.path("geoip/GeoLite2-ASN-Test.mmdb"));
    AutonomousSystem google = asn.autonomousSystem(ip("1.0.0.1")).orElseThrow();
    assertThat(google.number()).isEqualTo(15169L);
    assertThat(google.organization()).isEqualTo("Google Inc.");
    assertThat(google.network()).isEqualTo("1.0.0.0/24");
    assertThat(asn.autonomousSystem(ip("12.81.92.5")).orElseThrow().number()).isEqualTo(7018L);
  }

  @Test
  void anIspDatabaseAlsoAnswersAutonomousSystems() {
    GeoIpDatabase isp = GeoIpDatabase.open(SharedFixtures.path("geoip/GeoIP2-ISP-Test.mmdb"));
    assertThat(isp.kind()).isEqualTo(GeoIpDatabase.Kind.ISP);
    assertThat(isp.autonomousSystem(ip("1.128.0.1")).orElseThrow().number()).isEqualTo(1221L);
  }

  @Test
  void anAddressInNoNetworkIsEmptyNotAnError() {
    GeoIpDatabase city = GeoIpDatabase.open(SharedFixtures.path("geoip/GeoIP2-City-Test.mmdb"));
    assertThat(city.locate(ip("8.8.8.8"))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "GeoIP2-City-Test-Broken-Double-Format.mmdb",
        "MaxMind-DB-test-broken-pointers-24.mmdb"
      })
  void aBrokenDatabaseIsRefusedAtOpenWithAClearMessage(String file) {
    assertThatThrownBy(() -> GeoIpDatabase.open(SharedFixtures.path("geoip/" + file)))
        .isInstanceOf(GeoIpException.class)
        .hasMessageContaining(file);
  }

  @Test
  void aMissingFileIsRefusedWithItsPath() {
    assertThatThrownBy(() -> GeoIpDatabase.open(Path.of("/nonexistent/GeoLite2-City.mmdb")))
        .isInstanceOf(GeoIpException.class)
        .hasMessageContaining("/nonexistent/GeoLite2-City.mmdb")
        .hasMessageContaining("does not exist");
  }

  @Test
  void aNonMaxMindFileIsRefused() {
    assertThatThrownBy(() -> GeoIpDatabase.open(SharedFixtures.path("geoip/LICENSE-MIT")))
        .isInstanceOf(GeoIpException.class)
        .hasMessageContaining("LICENSE-MIT");
  }

  @Test
  void aRetiredDatabaseClosesItsReaderOnlyOnceTheLookupsInFlightReturn() throws Exception {
    StallingCache stalling = new StallingCache();
    GeoIpDatabase old =
        GeoIpDatabase.open(SharedFixtures.path("geoip/GeoIP2-City-Test.mmdb"), stalling);
    GeoIpDatabase replacement =
        GeoIpDatabase.open(SharedFixtures.path("geoip/GeoLite2-City-Test.mmdb"));
    ExecutorService lookups = Executors.newSingleThreadExecutor();
    try {
      stalling.stallNextDecode();
      Future<Optional<GeoLocation>> inFlight = lookups.submit(() -> old.locate(ip("81.2.69.142")));
      stalling.stalled.await(); // the lookup reached the decoder

      old.retire(replacement);
      assertThat(old.isClosed()).isFalse();
      assertThat(old.locate(ip("81.2.69.142")))
          .as("a later lookup is answered by the replacement")
          .isPresent();

      stalling.release.countDown();
      assertThat(inFlight.get().orElseThrow().city()).isEqualTo("London");
      assertThat(old.isClosed()).isTrue();
    } finally {
      stalling.release.countDown();
      lookups.shutdownNow();
    }
  }

  @Test
  void aRetiredDatabaseWithNoLookupInFlightClosesAtOnce() {
    GeoIpDatabase old = GeoIpDatabase.open(SharedFixtures.path("geoip/GeoLite2-ASN-Test.mmdb"));

    old.retire(null);

    assertThat(old.isClosed()).isTrue();
    assertThatThrownBy(() -> old.autonomousSystem(ip("1.0.0.1")))
        .isInstanceOf(GeoIpException.class)
        .hasMessageContaining("closed");
  }

  /**
   * Passes decoding through, except that it holds the next decode after {@link #stallNextDecode}.
   */
  private static final class StallingCache implements NodeCache {
    final CountDownLatch stalled = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    private final AtomicBoolean armed = new AtomicBoolean();

    void stallNextDecode() {
      armed.set(true);
    }

    @Override
    public DecodedValue get(CacheKey<?> key, Loader loader) throws IOException {
      if (armed.compareAndSet(true, false)) {
        stalled.countDown();
        try {
          release.await(); // as long as the test needs: the JUnit timeout bounds a hang
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return loader.load(key);
    }
  }

  private static String text(JsonNode node) {
    return node.isMissingNode() ? null : node.asText();
  }

  private static InetAddress firstAddress(String cidr) {
    String base = cidr.substring(0, cidr.indexOf('/'));
    if (base.startsWith("::") && base.contains(".")) {
      base = base.substring(2); // IPv4 networks are written as ::a.b.c.d in MaxMind's source files
    }
    return IpAddresses.parse(base).orElseThrow();
  }

  private static InetAddress ip(String text) {
    return IpAddresses.parse(text).orElseThrow();
  }
}
