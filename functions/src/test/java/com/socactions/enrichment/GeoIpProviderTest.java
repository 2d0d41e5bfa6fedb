package com.socactions.enrichment;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.base.Suppliers;
import com.socactions.enrichment.geoip.GeoIpDatabases;
import com.socactions.platform.Settings;
import com.socactions.providers.Readiness;
import com.socactions.testing.SharedFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeoIpProviderTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-27T10:00:00Z"), ZoneOffset.UTC);

  @Test
  void aFailedRefreshDegradesTheProviderWhileTheLoadedCopyKeepsServing(@TempDir Path dir)
      throws Exception {
    Path city = dir.resolve("GeoIP2-City.mmdb");
    Files.copy(SharedFixtures.path("geoip/GeoIP2-City-Test.mmdb"), city);
    Supplier<GeoIpDatabases> databases =
        Suppliers.memoize(
            () ->
                new GeoIpDatabases(
                    GeoIpDatabases.Options.from(
                        Settings.of(
                            Map.of(
                                GeoIpDatabases.CITY_SETTING,
                                city.toString(),
                                "GEOIP_STALE_AFTER_DAYS",
                                "100000"))),
                    CLOCK));
    GeoIpProvider provider = GeoIpProvider.location(databases);
    assertThat(provider.readiness().status()).isEqualTo(Readiness.Status.OK);

    Files.copy(
        SharedFixtures.path("geoip/GeoIP2-City-Test-Broken-Double-Format.mmdb"),
        city,
        StandardCopyOption.REPLACE_EXISTING);
    Files.setLastModifiedTime(city, FileTime.from(Instant.parse("2030-01-01T00:00:00Z")));
    databases.get().reloadIfChanged();

    Readiness readiness = provider.readiness();
    assertThat(readiness.status()).isEqualTo(Readiness.Status.DEGRADED);
    assertThat(readiness.detail()).contains("could not be loaded").contains("keeps serving");
    assertThat(readiness.type()).isEqualTo("GeoIP2-City");
  }

  @Test
  void withoutALocationDatabaseTheProviderIsNotConfiguredButDegraded(@TempDir Path dir) {
    GeoIpProvider provider =
        GeoIpProvider.location(
            Suppliers.memoize(
                () ->
                    new GeoIpDatabases(GeoIpDatabases.Options.from(Settings.of(Map.of())), CLOCK)));

    // The default file (.local/geoip) is absent in tests: the main enrichment would answer nothing
    // useful.
    assertThat(provider.isConfigured()).isFalse();
    assertThat(provider.readiness().status()).isEqualTo(Readiness.Status.DEGRADED);
    assertThat(
            GeoIpProvider.autonomousSystems(
                    Suppliers.memoize(
                        () ->
                            new GeoIpDatabases(
                                GeoIpDatabases.Options.from(Settings.of(Map.of())), CLOCK)))
                .readiness()
                .status())
        .isEqualTo(Readiness.Status.NOT_CONFIGURED);
  }
}
