package com.socactions.enrichment;

import static org.assertj.core.api.Assertions.assertThat;

import com.socactions.enrichment.geoip.GeoIpDatabases;
import com.socactions.platform.Settings;
import com.socactions.testing.SharedFixtures;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnrichmentServiceTest {
  private static final Clock NOW =
      Clock.fixed(Instant.parse("2026-11-26T08:00:00Z"), ZoneOffset.UTC);
  private static final EnumSet<Lookup> GEO_AND_ASN = EnumSet.of(Lookup.GEO, Lookup.ASN);

  @Test
  void theDocumentedAddressesResolveToCountryCityAndAsn() {
    IpEnrichmentResponse response =
        service(testDatabases()).enrichIps(List.of("81.2.69.142", "1.0.0.1"), GEO_AND_ASN);

    IpEnrichment london = response.results().get(0);
    assertThat(london.lookupStatus()).isEqualTo(LookupStatus.OK);
    assertThat(london.scope()).isEqualTo("public");
    assertThat(london.geo().countryCode()).isEqualTo("GB");
    assertThat(london.geo().city()).isEqualTo("London");
    assertThat(london.asn()).isNull(); // the ASN test database has no network for it: not an error
    IpEnrichment google = response.results().get(1);
    assertThat(google.asn().number()).isEqualTo(15169L);
    assertThat(google.asn().organization()).isEqualTo("Google Inc.");
  }

  @Test
  void invalidItemsAnswerInvalidAndTheRestOfTheBatchStillAnswers() {
    IpEnrichmentResponse response =
        service(testDatabases())
            .enrichIps(List.of("not-an-ip", "81.2.69.142", "999.1.1.1", "{\"a\":1}"), GEO_AND_ASN);

    assertThat(response.results())
        .extracting(IpEnrichment::lookupStatus)
        .containsExactly(
            LookupStatus.INVALID, LookupStatus.OK, LookupStatus.INVALID, LookupStatus.INVALID);
    assertThat(response.results().get(0).errors()).singleElement().asString().contains("not-an-ip");
    assertThat(response.summary()).isEqualTo(new BatchSummary(4, 1, 0, 0, 3, 0));
  }

  @Test
  void privateAndSpecialAddressesAnswerTheirScopeWithoutLookups() {
    IpEnrichmentResponse response =
        service(testDatabases())
            .enrichIps(
                List.of(
                    "10.1.2.3",
                    "127.0.0.1",
                    "169.254.169.254",
                    "100.64.1.1",
                    "224.0.0.1",
                    "203.0.113.7",
                    "::ffff:192.168.1.1"),
                GEO_AND_ASN);

    assertThat(response.results())
        .extracting(IpEnrichment::scope)
        .containsExactly(
            "private", "loopback", "link_local", "cgnat", "multicast", "documentation", "private");
    assertThat(response.results())
        .allSatisfy(
            result -> {
              assertThat(result.lookupStatus()).isEqualTo(LookupStatus.SKIPPED);
              assertThat(result.geo()).isNull();
              assertThat(result.errors()).isEmpty();
            });
    assertThat(response.results().get(6).ip()).isEqualTo("192.168.1.1");
  }

  @Test
  void withoutAnAsnDatabaseEachItemSaysAsnIsNotConfigured() {
    Map<String, String> settings = new HashMap<>();
    settings.put(
        GeoIpDatabases.CITY_SETTING, SharedFixtures.path("geoip/GeoIP2-City-Test.mmdb").toString());
    IpEnrichmentResponse response =
        service(new GeoIpDatabases(GeoIpDatabases.Options.from(Settings.of(settings)), NOW))
            .enrichIps(List.of("81.2.69.142"), GEO_AND_ASN);

    IpEnrichment item = response.results().get(0);
    assertThat(item.lookupStatus()).isEqualTo(LookupStatus.PARTIAL);
    assertThat(item.geo().countryCode()).isEqualTo("GB");
    assertThat(item.errors())
        .singleElement()
        .asString()
        .startsWith("asn: ASN database not configured")
        .contains("GEOIP_ASN_DB");
    assertThat(response.warnings())
        .anySatisfy(warning -> assertThat(warning).contains("GEOIP_ASN_DB"));
  }

  @Test
  void aBrokenDatabaseFailsItsLookupPerItemAndNamesTheFile() {
    Map<String, String> settings = new HashMap<>();
    settings.put(
        GeoIpDatabases.CITY_SETTING,
        SharedFixtures.path("geoip/MaxMind-DB-test-broken-pointers-24.mmdb").toString());
    settings.put(
        GeoIpDatabases.ASN_SETTING, SharedFixtures.path("geoip/GeoLite2-ASN-Test.mmdb").toString());
    IpEnrichmentResponse response =
        service(new GeoIpDatabases(GeoIpDatabases.Options.from(Settings.of(settings)), NOW))
            .enrichIps(List.of("1.0.0.1"), GEO_AND_ASN);

    IpEnrichment item = response.results().get(0);
    assertThat(item.lookupStatus()).isEqualTo(LookupStatus.PARTIAL);
    assertThat(item.asn().number()).isEqualTo(15169L);
    assertThat(item.errors())
        .singleElement()
        .asString()
        .contains("MaxMind-DB-test-broken-pointers-24.mmdb");
  }

  @Test
  void theAnswerSaysWhichDatabaseAnsweredAndWarnsWhenItIsStale() {
    IpEnrichmentResponse response =
        service(testDatabases()).enrichIps(List.of("81.2.69.142"), GEO_AND_ASN);

    assertThat(response.databases())
        .extracting(DatabaseInfo::role, DatabaseInfo::type)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("geo", "GeoIP2-City"),
            org.assertj.core.groups.Tuple.tuple("asn", "GeoLite2-ASN"));
    // MaxMind's test databases were built years before NOW.
    assertThat(response.databases()).allSatisfy(db -> assertThat(db.stale()).isTrue());
    assertThat(response.warnings())
        .anySatisfy(warning -> assertThat(warning).contains("GeoIP2-City").contains("geoipupdate"));
    assertThat(response.commentHtml())
        .contains("81.2.69.142")
        .contains("London")
        .contains("geoipupdate");
  }

  @Test
  void onlyTheRequestedLookupsAreMade() {
    IpEnrichmentResponse response =
        service(testDatabases()).enrichIps(List.of("1.0.0.1"), EnumSet.of(Lookup.ASN));

    assertThat(response.results().get(0).geo()).isNull();
    assertThat(response.results().get(0).asn().number()).isEqualTo(15169L);
    assertThat(response.databases()).extracting(DatabaseInfo::role).containsExactly("asn");
  }

  static GeoIpDatabases testDatabases() {
    Map<String, String> settings = new HashMap<>();
    settings.put(
        GeoIpDatabases.CITY_SETTING, SharedFixtures.path("geoip/GeoIP2-City-Test.mmdb").toString());
    settings.put(
        GeoIpDatabases.ASN_SETTING, SharedFixtures.path("geoip/GeoLite2-ASN-Test.mmdb").toString());
    return new GeoIpDatabases(GeoIpDatabases.Options.from(Settings.of(settings)), NOW);
  }

  private static EnrichmentService service(GeoIpDatabases databases) {
    // No WHOIS is requested here, so the RDAP client must not even be built (RDAP has its own
    // tests).
    return new EnrichmentService(
        databases,
        () -> {
          throw new AssertionError("RDAP client built without a WHOIS lookup");
        },
        NOW,
        Duration.ofSeconds(5));
  }
}
