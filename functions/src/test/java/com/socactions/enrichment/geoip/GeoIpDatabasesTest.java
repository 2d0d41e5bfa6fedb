package com.socactions.enrichment.geoip;

import static org.assertj.core.api.Assertions.assertThat;

import com.socactions.platform.Settings;
import com.socactions.testing.SharedFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeoIpDatabasesTest {
  private static final Clock NOW = Clock.fixed(Instant.parse("2026-11-26T08:00:00Z"), ZoneOffset.UTC);

  @Test
  void aDatabaseReplacedOnDiskIsReloadedWithoutARestart(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("GeoLite2-City.mmdb");
    Files.copy(SharedFixtures.path("geoip/GeoLite2-Country-Test.mmdb"), file);
    GeoIpDatabases databases = new GeoIpDatabases(Settings.of(Map.of(GeoIpDatabases.CITY_SETTING, file.toString())), NOW);
    assertThat(databases.geo().database().orElseThrow().type()).isEqualTo("GeoLite2-Country");
    assertThat(databases.reloadIfChanged()).isFalse();

    // geoipupdate writes the new file beside the old one and renames it over it.
    Path update = dir.resolve("update.tmp");
    Files.copy(SharedFixtures.path("geoip/GeoIP2-City-Test.mmdb"), update);
    Files.setLastModifiedTime(update, FileTime.from(Instant.now().plusSeconds(60)));
    Files.move(update, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

    assertThat(databases.reloadIfChanged()).isTrue();
    assertThat(databases.geo().database().orElseThrow().type()).isEqualTo("GeoIP2-City");
  }

  @Test
  void anAsnFileNamedAsTheLocationDatabaseIsAClearConfigurationError() {
    String asnFile = SharedFixtures.path("geoip/GeoLite2-ASN-Test.mmdb").toString();
    GeoIpDatabases databases = new GeoIpDatabases(Settings.of(Map.of(GeoIpDatabases.CITY_SETTING, asnFile)), NOW);

    assertThat(databases.geo().database()).isEmpty();
    assertThat(databases.geo().problem()).hasValueSatisfying(problem ->
        assertThat(problem).contains("GeoLite2-ASN").contains(GeoIpDatabases.CITY_SETTING));
  }

  @Test
  void withoutSettingsTheAsnDatabaseIsNotConfiguredRatherThanBroken() {
    GeoIpDatabases databases = new GeoIpDatabases(Settings.of(Map.of()), NOW);

    assertThat(databases.asn().isConfigured()).isFalse();
    assertThat(databases.asn().problem()).hasValueSatisfying(problem -> assertThat(problem).contains("not configured"));
  }

  @Test
  void aConfiguredButMissingFileIsAnErrorThatNamesThePath() {
    GeoIpDatabases databases = new GeoIpDatabases(Settings.of(Map.of(GeoIpDatabases.ASN_SETTING, "/data/missing/GeoLite2-ASN.mmdb")), NOW);

    assertThat(databases.asn().isConfigured()).isTrue();
    assertThat(databases.asn().problem()).hasValueSatisfying(problem -> assertThat(problem).contains("/data/missing/GeoLite2-ASN.mmdb"));
  }

  @Test
  void theStalenessOfADatabaseIsItsAgeAgainstTheSetting() {
    String city = SharedFixtures.path("geoip/GeoIP2-City-Test.mmdb").toString();
    GeoIpDatabases lenient = new GeoIpDatabases(Settings.of(Map.of(GeoIpDatabases.CITY_SETTING, city,
        GeoIpDatabases.STALE_AFTER_SETTING, "100000")), NOW);
    GeoIpDatabases strict = new GeoIpDatabases(Settings.of(Map.of(GeoIpDatabases.CITY_SETTING, city)), NOW);

    GeoIpDatabase database = strict.geo().database().orElseThrow();
    assertThat(strict.ageDays(database)).isGreaterThan(GeoIpDatabases.DEFAULT_STALE_AFTER_DAYS);
    assertThat(strict.isStale(database)).isTrue();
    assertThat(lenient.isStale(lenient.geo().database().orElseThrow())).isFalse();
  }
}
