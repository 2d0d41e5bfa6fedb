package com.socactions.enrichment.geoip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.socactions.indicators.IpAddresses;
import com.socactions.platform.ConfigurationException;
import com.socactions.platform.Settings;
import com.socactions.testing.MutableClock;
import com.socactions.testing.SharedFixtures;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeoIpDatabasesTest {
  private static final Clock NOW =
      Clock.fixed(Instant.parse("2026-11-26T08:00:00Z"), ZoneOffset.UTC);
  private static final InetAddress LONDON = IpAddresses.parse("81.2.69.142").orElseThrow();

  /** Runs a check on use in the calling thread, so a test sees its outcome on return. */
  private static final Executor AT_ONCE = Runnable::run;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T08:00:00Z"));
  private Path file;
  private GeoIpDatabases databases;
  private GeoIpDatabase first;

  @Test
  void aDatabaseReplacedOnDiskIsReloadedWithoutARestart(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("GeoLite2-City.mmdb");
    Files.copy(SharedFixtures.path("geoip/GeoLite2-Country-Test.mmdb"), file);
    GeoIpDatabases databases =
        new GeoIpDatabases(
            GeoIpDatabases.Options.from(
                Settings.of(Map.of(GeoIpDatabases.CITY_SETTING, file.toString()))),
            NOW);
    assertThat(databases.geo().database().orElseThrow().type()).isEqualTo("GeoLite2-Country");
    assertThat(databases.reloadIfChanged()).isFalse();

    replaceAtomically(file, fixture("geoip/GeoIP2-City-Test.mmdb"));

    assertThat(databases.reloadIfChanged()).isTrue();
    assertThat(databases.geo().database().orElseThrow().type()).isEqualTo("GeoIP2-City");
  }

  @Test
  void aCorruptReplacementKeepsTheWorkingDatabaseAndSaysWhy(@TempDir Path dir) throws Exception {
    serveCityTest(dir, AT_ONCE);

    replaceAtomically(file, fixture("geoip/GeoIP2-City-Test-Broken-Double-Format.mmdb"));

    assertThat(databases.reloadIfChanged()).isFalse();
    assertThat(databases.geo().database()).containsSame(first);
    assertThat(first.locate(LONDON).orElseThrow().city()).isEqualTo("London");
    assertThat(first.isClosed()).isFalse();
    assertThat(databases.geo().problem()).isEmpty();
    assertThat(databases.geo().refreshProblem())
        .hasValueSatisfying(
            why ->
                assertThat(why).contains(file.getFileName().toString()).contains("cannot be read"));
  }

  @Test
  void aHalfWrittenReplacementKeepsTheWorkingDatabaseUntilTheWholeFileArrives(@TempDir Path dir)
      throws Exception {
    serveCityTest(dir, AT_ONCE);
    byte[] update = fixture("geoip/GeoLite2-City-Test.mmdb");

    replaceAtomically(file, Arrays.copyOf(update, update.length / 2));
    assertThat(databases.reloadIfChanged()).isFalse();
    assertThat(databases.geo().database()).containsSame(first);
    assertThat(databases.geo().refreshProblem())
        .hasValueSatisfying(why -> assertThat(why).contains(file.getFileName().toString()));

    replaceAtomically(file, update);
    assertThat(databases.reloadIfChanged()).isTrue();
    assertThat(databases.geo().database().orElseThrow().type()).isEqualTo("GeoLite2-City");
    assertThat(databases.geo().refreshProblem()).isEmpty();
  }

  @Test
  void aGoodReplacementIsPickedUpOnTheNextUseAfterTheIntervalWithoutTheTimer(@TempDir Path dir)
      throws Exception {
    serveCityTest(dir, AT_ONCE);

    replaceAtomically(file, fixture("geoip/GeoLite2-City-Test.mmdb"));
    clock.advance(GeoIpDatabases.DEFAULT_CHECK_INTERVAL.minusSeconds(1));
    assertThat(databases.geo().database()).containsSame(first);

    clock.advance(GeoIpDatabases.DEFAULT_CHECK_INTERVAL);
    assertThat(databases.geo().database().orElseThrow().type()).isEqualTo("GeoLite2-City");
    assertThat(first.isClosed()).isTrue();
  }

  @Test
  void theUseThatStartsACheckIsAnsweredAtOnceAndTheCheckRunsInTheBackground(@TempDir Path dir)
      throws Exception {
    Queue<Runnable> background = new ArrayDeque<>();
    serveCityTest(dir, background::add);
    replaceAtomically(file, fixture("geoip/GeoLite2-City-Test.mmdb"));

    clock.advance(GeoIpDatabases.DEFAULT_CHECK_INTERVAL);
    assertThat(databases.geo().database()).containsSame(first);
    assertThat(databases.geo().database()).containsSame(first);
    assertThat(background).as("one check per interval, however many uses").hasSize(1);

    background.remove().run();
    assertThat(databases.geo().database().orElseThrow().type()).isEqualTo("GeoLite2-City");
  }

  @Test
  void aFileTruncatedAndOverwrittenInPlaceWhileInUseNeverBreaksLookups(@TempDir Path dir)
      throws Exception {
    serveCityTest(dir, AT_ONCE);
    byte[] update = fixture("geoip/GeoLite2-City-Test.mmdb");

    // An updater that rewrites the file where it is (no rename): first it is empty, then partial.
    overwriteInPlace(file, new byte[0]);
    assertThat(first.locate(LONDON).orElseThrow().city()).isEqualTo("London");
    overwriteInPlace(file, Arrays.copyOf(update, update.length / 3));
    clock.advance(GeoIpDatabases.DEFAULT_CHECK_INTERVAL);
    assertThat(databases.geo().database()).containsSame(first);
    assertThat(databases.geo().refreshProblem()).isPresent();
    assertThat(first.locate(LONDON).orElseThrow().city()).isEqualTo("London");

    overwriteInPlace(file, update);
    clock.advance(GeoIpDatabases.DEFAULT_CHECK_INTERVAL);
    assertThat(databases.geo().database().orElseThrow().type()).isEqualTo("GeoLite2-City");
    assertThat(first.locate(LONDON))
        .as("a reference taken before the swap still answers")
        .isPresent();
  }

  @Test
  void aNegativeCheckIntervalIsAConfigurationErrorNamingTheSetting() {
    Settings settings = Settings.of(Map.of(GeoIpDatabases.CHECK_INTERVAL_SETTING, "-PT5M"));

    assertThatThrownBy(() -> new GeoIpDatabases(GeoIpDatabases.Options.from(settings), NOW))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(GeoIpDatabases.CHECK_INTERVAL_SETTING);
  }

  @Test
  void anAsnFileNamedAsTheLocationDatabaseIsAClearConfigurationError() {
    String asnFile = SharedFixtures.path("geoip/GeoLite2-ASN-Test.mmdb").toString();
    GeoIpDatabases databases =
        new GeoIpDatabases(
            GeoIpDatabases.Options.from(Settings.of(Map.of(GeoIpDatabases.CITY_SETTING, asnFile))),
            NOW);

    assertThat(databases.geo().database()).isEmpty();
    assertThat(databases.geo().problem())
        .hasValueSatisfying(
            problem ->
                assertThat(problem).contains("GeoLite2-ASN").contains(GeoIpDatabases.CITY_SETTING));
  }

  @Test
  void withoutSettingsTheAsnDatabaseIsNotConfiguredRatherThanBroken() {
    GeoIpDatabases databases =
        new GeoIpDatabases(GeoIpDatabases.Options.from(Settings.of(Map.of())), NOW);

    assertThat(databases.asn().isConfigured()).isFalse();
    assertThat(databases.asn().problem())
        .hasValueSatisfying(problem -> assertThat(problem).contains("not configured"));
  }

  @Test
  void aConfiguredButMissingFileIsAnErrorThatNamesThePath() {
    GeoIpDatabases databases =
        new GeoIpDatabases(
            GeoIpDatabases.Options.from(
                Settings.of(Map.of(GeoIpDatabases.ASN_SETTING, "/data/missing/GeoLite2-ASN.mmdb"))),
            NOW);

    assertThat(databases.asn().isConfigured()).isTrue();
    assertThat(databases.asn().problem())
        .hasValueSatisfying(
            problem -> assertThat(problem).contains("/data/missing/GeoLite2-ASN.mmdb"));
  }

  @Test
  void theStalenessOfADatabaseIsItsAgeAgainstTheSetting() {
    String city = SharedFixtures.path("geoip/GeoIP2-City-Test.mmdb").toString();
    GeoIpDatabases lenient =
        new GeoIpDatabases(
            GeoIpDatabases.Options.from(
                Settings.of(
                    Map.of(
                        GeoIpDatabases.CITY_SETTING,
                        city,
                        GeoIpDatabases.STALE_AFTER_SETTING,
                        "100000"))),
            NOW);
    GeoIpDatabases strict =
        new GeoIpDatabases(
            GeoIpDatabases.Options.from(Settings.of(Map.of(GeoIpDatabases.CITY_SETTING, city))),
            NOW);

    GeoIpDatabase database = strict.geo().database().orElseThrow();
    assertThat(strict.ageDays(database)).isGreaterThan(GeoIpDatabases.DEFAULT_STALE_AFTER_DAYS);
    assertThat(strict.isStale(database)).isTrue();
    assertThat(lenient.isStale(lenient.geo().database().orElseThrow())).isFalse();
  }

  /**
   * Copies MaxMind's City test database to {@link #file} and puts it in service as {@link #first}.
   */
  private void serveCityTest(Path dir, Executor background) throws IOException {
    file = dir.resolve("GeoIP2-City.mmdb");
    Files.copy(SharedFixtures.path("geoip/GeoIP2-City-Test.mmdb"), file);
    databases =
        new GeoIpDatabases(
            GeoIpDatabases.Options.from(
                Settings.of(Map.of(GeoIpDatabases.CITY_SETTING, file.toString()))),
            clock,
            background);
    first = databases.geo().database().orElseThrow();
  }

  private static byte[] fixture(String relative) throws IOException {
    return Files.readAllBytes(SharedFixtures.path(relative));
  }

  /** What geoipupdate does: write the new file beside the old one and rename it over it. */
  private static void replaceAtomically(Path file, byte[] content) throws IOException {
    Path update = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(update, content);
    Files.setLastModifiedTime(update, later(file));
    Files.move(update, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** What a careless updater does: truncate the file and write the new content into it. */
  private static void overwriteInPlace(Path file, byte[] content) throws IOException {
    FileTime modified = later(file);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(content));
    }
    Files.setLastModifiedTime(file, modified);
  }

  /**
   * A modification time after the file's, so the change shows even on coarse file-system clocks.
   */
  private static FileTime later(Path file) throws IOException {
    return FileTime.from(Files.getLastModifiedTime(file).toInstant().plusSeconds(60));
  }
}
