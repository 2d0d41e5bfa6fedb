package com.socactions.cmdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.socactions.platform.ConfigurationException;
import com.socactions.platform.Json;
import com.socactions.platform.Settings;
import com.socactions.providers.Readiness;
import com.socactions.testing.MutableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvCmdbTest {
  private static final String ASSETS_HEADER =
      "name,fqdn,ip_addresses,criticality,is_hva,owner_name,owner_email\n";

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T08:00:00Z"));
  @TempDir Path dir;

  @Test
  void aGoodFileAnswersEveryFieldOfTheContract() throws IOException {
    Path assets =
        write(
            "assets.csv",
            "os,Owner"
                + " Email,name,fqdn,ip_addresses,class,environment,criticality,is_hva,owner_name,support_group,business_service,location,url,cost_center\n"
                + "\"Windows Server 2022, Datacenter\",marcus@contoso.com,dc01,DC01.contoso.com,\";"
                + " 10.10.0.10; 10.10.0.11;\",domain controller,prod,Critical,yes,\"Oyelaran,"
                + " Marcus\",Identity,Active Directory,Seattle"
                + " DC1,https://cmdb.contoso.com/ci/dc01,CC-1\n");
    CsvCmdb cmdb = cmdb(assets, null);

    AssetMatch match = cmdb.lookupAssets(List.of("10.10.0.11")).get(0);

    assertThat(match.found()).isTrue();
    assertThat(match.matches())
        .containsExactly(
            new Asset(
                "dc01",
                "dc01.contoso.com",
                List.of("10.10.0.10", "10.10.0.11"),
                "domain controller",
                "prod",
                Criticality.CRITICAL,
                true,
                new Owner("Oyelaran, Marcus", "marcus@contoso.com"),
                "Identity",
                "Active Directory",
                "Seattle DC1",
                "Windows Server 2022, Datacenter",
                "builtin",
                "https://cmdb.contoso.com/ci/dc01"));
    JsonNode json = Json.MAPPER.valueToTree(match.matches().get(0));
    assertThat(json.fieldNames())
        .toIterable()
        .containsExactly(
            "name",
            "fqdn",
            "ip_addresses",
            "class",
            "environment",
            "criticality",
            "is_hva",
            "owner",
            "support_group",
            "business_service",
            "location",
            "os",
            "source",
            "url");
    assertThat(json.get("criticality").asText()).isEqualTo("critical");
    Readiness readiness = cmdb.readiness();
    assertThat(readiness.status()).isEqualTo(Readiness.Status.OK);
    assertThat(readiness.detail())
        .contains("1 assets from assets.csv", "Columns not used in the assets file: cost_center");
  }

  @Test
  void badRowsAreSkippedAndListedWithTheirLineAndColumn() throws IOException {
    Path assets =
        write(
            "assets.csv",
            ASSETS_HEADER
                + "web01,web01.contoso.com,10.1.2.3,high,no,\"Dana\nWhitfield\",dana@contoso.com\n"
                + "web02,,10.1.2.300,high,no,,\n"
                + "web03,,10.1.2.5,urgent,no,,\n"
                + "web04,,10.1.2.6,low,maybe,,\n"
                + "web05,,10.1.2.7\n"
                + ",,10.1.2.8,low,no,,\n"
                + "web06,,10.1.2.9,low,no,,\n");
    CsvCmdb cmdb = cmdb(assets, null);

    assertThat(cmdb.lookupAssets(List.of("web01", "web02", "web06")))
        .extracting(AssetMatch::found)
        .containsExactly(true, false, true);
    Readiness readiness = cmdb.readiness();
    assertThat(readiness.status()).isEqualTo(Readiness.Status.DEGRADED);
    // web01's owner spans lines 2-3, so web02 is on line 4.
    assertThat(readiness.detail())
        .contains(
            "2 assets from assets.csv",
            "5 assets rows skipped",
            "line 4, column 8 (ip_addresses): '10.1.2.300' is not an IP address",
            "line 5, column 17 (criticality): 'urgent' is not one of critical, high, medium, low",
            "line 6, column 21 (is_hva): 'maybe' is not true or false",
            "line 7: has 3 fields where the header has 7 columns",
            "line 8: has neither a name nor an fqdn");
  }

  @Test
  void aFileThatIsNotCsvFailsTheLookupsNamingTheSettingAndPosition() throws IOException {
    Path assets =
        write("assets.csv", ASSETS_HEADER + "web01,,10.1.2.3,high,no,\"Dana,dana@contoso.com\n");
    CsvCmdb cmdb = cmdb(assets, null);

    assertThatThrownBy(() -> cmdb.lookupAssets(List.of("web01")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(
            "(setting CMDB_ASSETS_CSV) is not usable CSV: line 2, column 25: a quoted field is"
                + " never closed")
        .satisfies(
            e ->
                assertThat(((ConfigurationException) e).setting())
                    .contains(CsvCmdb.ASSETS_SETTING));
    assertThat(cmdb.readiness().status()).isEqualTo(Readiness.Status.ERROR);
    assertThat(cmdb.lookupAccounts(List.of("ceo@contoso.com")).get(0).found())
        .as("the sample accounts still serve")
        .isTrue();
  }

  @Test
  void aFileWithoutTheKeyColumnsIsRefusedAsAWhole() throws IOException {
    Path accounts = write("accounts.csv", "upn,is_vip\nceo@contoso.com,true\n");
    CsvCmdb cmdb = cmdb(null, accounts);

    assertThatThrownBy(() -> cmdb.lookupAccounts(List.of("ceo@contoso.com")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("CMDB_ACCOUNTS_CSV")
        .hasMessageContaining("needs a 'user_principal_name' column (it has upn, is_vip)");
  }

  @Test
  void aMissingFileIsAnErrorNamingTheSetting() {
    CsvCmdb cmdb = cmdb(dir.resolve("nowhere.csv"), null);

    assertThat(cmdb.readiness().status()).isEqualTo(Readiness.Status.ERROR);
    assertThat(cmdb.readiness().detail())
        .contains("Setting CMDB_ASSETS_CSV names", "nowhere.csv, which does not exist");
    assertThatThrownBy(() -> cmdb.lookupAssets(List.of("web01")))
        .isInstanceOf(ConfigurationException.class);
  }

  @Test
  void anEditedFileIsReadAgainOnlyAfterTheCheckInterval() throws IOException {
    Path assets = write("assets.csv", ASSETS_HEADER + "web01,,10.1.2.3,low,no,,\n");
    CsvCmdb cmdb = cmdb(assets, null);
    assertThat(cmdb.lookupAssets(List.of("web01")).get(0).matches().get(0).criticality())
        .isEqualTo(Criticality.LOW);

    edit(assets, ASSETS_HEADER + "web01,,10.1.2.3,critical,yes,,\n");
    clock.advance(CsvCmdb.DEFAULT_CHECK_INTERVAL.minusSeconds(1));
    assertThat(cmdb.lookupAssets(List.of("web01")).get(0).matches().get(0).criticality())
        .as("within the interval, the file is not looked at")
        .isEqualTo(Criticality.LOW);

    clock.advance(Duration.ofSeconds(1));
    assertThat(cmdb.lookupAssets(List.of("web01")).get(0).matches().get(0).criticality())
        .isEqualTo(Criticality.CRITICAL);
  }

  @Test
  void aReloadThatFailsKeepsTheWorkingDataUntilTheFileIsFixed() throws IOException {
    Path assets = write("assets.csv", ASSETS_HEADER + "web01,,10.1.2.3,low,no,,\n");
    CsvCmdb cmdb = cmdb(assets, null);
    assertThat(cmdb.lookupAssets(List.of("web01")).get(0).found()).isTrue();

    edit(assets, ASSETS_HEADER + "web01,,10.1.2.3,\"low,no,,\nweb02,,10.1.2.4,low,no,,\n");
    assertThat(cmdb.reloadIfChanged()).isFalse();

    assertThat(cmdb.lookupAssets(List.of("web01", "web02")))
        .extracting(AssetMatch::found)
        .containsExactly(true, false);
    Readiness readiness = cmdb.readiness();
    assertThat(readiness.status()).isEqualTo(Readiness.Status.DEGRADED);
    assertThat(readiness.detail())
        .contains(
            "line 2, column 17: a quoted field is never closed",
            "the assets loaded before are still served",
            "1 assets from assets.csv");

    edit(assets, ASSETS_HEADER + "web01,,10.1.2.3,low,no,,\nweb02,,10.1.2.4,low,no,,\n");
    assertThat(cmdb.reloadIfChanged()).isTrue();
    assertThat(cmdb.lookupAssets(List.of("web01", "web02")))
        .extracting(AssetMatch::found)
        .containsExactly(true, true);
    assertThat(cmdb.readiness().status()).isEqualTo(Readiness.Status.OK);
  }

  @Test
  void aFileRemovedAfterLoadingKeepsTheWorkingData() throws IOException {
    Path assets = write("assets.csv", ASSETS_HEADER + "web01,,10.1.2.3,low,no,,\n");
    CsvCmdb cmdb = cmdb(assets, null);
    assertThat(cmdb.lookupAssets(List.of("web01")).get(0).found()).isTrue();

    Files.delete(assets);
    clock.advance(CsvCmdb.DEFAULT_CHECK_INTERVAL);

    assertThat(cmdb.lookupAssets(List.of("web01")).get(0).found()).isTrue();
    assertThat(cmdb.readiness().detail())
        .contains("which does not exist; the assets loaded before are still served");
  }

  @Test
  void theSampleDataLoadsWithoutProblemsAndHoldsCriticalAssetsAndVips() {
    CsvCmdb cmdb = CmdbModule.csv(Settings.of(Map.of()), clock);

    Readiness readiness = cmdb.readiness();
    assertThat(readiness.status()).as(readiness.detail()).isEqualTo(Readiness.Status.OK);
    assertThat(readiness.detail())
        .contains("51 assets from the sample data", "21 accounts from the sample data");
    Asset dc01 = cmdb.lookupAssets(List.of("dc01.contoso.com")).get(0).matches().get(0);
    assertThat(dc01.criticality()).isEqualTo(Criticality.CRITICAL);
    assertThat(dc01.isHva()).isTrue();
    assertThat(dc01.owner().email()).endsWith("@contoso.com");
    assertThat(cmdb.lookupAssets(List.of("10.10.3.10", "fs01", "ws-ceo01", "lt-0412")))
        .extracting(match -> match.matches().get(0).isHva())
        .containsExactly(true, true, true, false);
    assertThat(
            cmdb.lookupAccounts(
                List.of(
                    "ceo@contoso.com",
                    "CONTOSO\\rchen",
                    "margaret.osei@contoso.com",
                    "alice@contoso.com")))
        .extracting(match -> match.matches().get(0).isVip())
        .containsExactly(true, true, true, false);
  }

  private CsvCmdb cmdb(Path assets, Path accounts) {
    Map<String, String> settings = new HashMap<>();
    if (assets != null) {
      settings.put(CsvCmdb.ASSETS_SETTING, assets.toString());
    }
    if (accounts != null) {
      settings.put(CsvCmdb.ACCOUNTS_SETTING, accounts.toString());
    }
    return CmdbModule.csv(Settings.of(settings), clock);
  }

  private Path write(String name, String text) throws IOException {
    Path file = Files.writeString(dir.resolve(name), text);
    Files.setLastModifiedTime(file, FileTime.from(clock.instant().minusSeconds(3600)));
    return file;
  }

  /**
   * Rewrites a file with a later modification time, as an editor would (the file system's clock may
   * be coarse).
   */
  private void edit(Path file, String text) throws IOException {
    FileTime before = Files.getLastModifiedTime(file);
    Files.writeString(file, text);
    Files.setLastModifiedTime(file, FileTime.from(before.toInstant().plusSeconds(1)));
  }
}
