package com.socactions.enrichment;

import static org.assertj.core.api.Assertions.assertThat;

import com.socactions.enrichment.geoip.GeoIpDatabases;
import com.socactions.enrichment.rdap.RdapClient;
import com.socactions.platform.ConfigurationException;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReferenceDataTest {
  private static final Clock NOW =
      Clock.fixed(Instant.parse("2026-11-26T08:00:00Z"), ZoneOffset.UTC);

  @Test
  void aGeoIpFileReplacedOnDiskIsReloadedAndAFailedBootstrapLeavesTheReloadStanding(
      @TempDir Path dir) throws Exception {
    Path file = dir.resolve("GeoLite2-City.mmdb");
    Files.copy(SharedFixtures.path("geoip/GeoLite2-Country-Test.mmdb"), file);
    GeoIpDatabases databases =
        new GeoIpDatabases(
            GeoIpDatabases.Options.from(
                Settings.of(Map.of(GeoIpDatabases.CITY_SETTING, file.toString()))),
            NOW);
    Supplier<RdapClient> rdapDown =
        () -> {
          throw new IllegalStateException("IANA unreachable");
        };
    ReferenceData referenceData = new ReferenceData(() -> databases, rdapDown);
    assertThat(referenceData.refresh().done()).containsExactly("GeoIP databases unchanged");

    // What geoipupdate does: the new file beside the old one, renamed over it, newer.
    Path update = dir.resolve("GeoLite2-City.mmdb.tmp");
    Files.copy(SharedFixtures.path("geoip/GeoIP2-City-Test.mmdb"), update);
    Files.setLastModifiedTime(
        update, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 60_000));
    Files.move(update, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    ReferenceData.Refresh refresh = referenceData.refresh();

    assertThat(refresh.done()).containsExactly("GeoIP databases reloaded from updated files");
    assertThat(refresh.problems())
        .containsExactly("RDAP bootstrap refresh failed: IANA unreachable");
    assertThat(databases.geo().database().orElseThrow().type()).isEqualTo("GeoIP2-City");
  }

  @Test
  void geoIpThatIsNotConfiguredIsReportedAndDoesNotHoldBackTheRdapRefresh() {
    Supplier<GeoIpDatabases> unconfigured =
        () -> {
          throw new ConfigurationException("GEOIP_CITY_DB", "GEOIP_CITY_DB is not set");
        };
    AtomicBoolean rdapAsked = new AtomicBoolean();
    Supplier<RdapClient> rdapDown =
        () -> {
          rdapAsked.set(true);
          throw new IllegalStateException("IANA unreachable");
        };

    ReferenceData.Refresh refresh = new ReferenceData(unconfigured, rdapDown).refresh();

    assertThat(rdapAsked).isTrue();
    assertThat(refresh.done()).isEmpty();
    assertThat(refresh.problems())
        .containsExactly(
            "GeoIP refresh skipped: GEOIP_CITY_DB is not set",
            "RDAP bootstrap refresh failed: IANA unreachable");
  }
}
