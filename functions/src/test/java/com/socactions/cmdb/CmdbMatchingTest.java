package com.socactions.cmdb;

import static org.assertj.core.api.Assertions.assertThat;

import com.socactions.platform.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The matching rules, as a table: key -> the assets or accounts it finds, best first. */
class CmdbMatchingTest {
  private static final Clock NOW =
      Clock.fixed(Instant.parse("2026-11-26T08:00:00Z"), ZoneOffset.UTC);
  private static CsvCmdb cmdb;

  @BeforeAll
  static void load(@TempDir Path dir) throws IOException {
    Path assets =
        Files.writeString(
            dir.resolve("assets.csv"),
            """
            name,fqdn,ip_addresses
            web01,web01.contoso.com,10.1.2.3;2001:db8::1
            web01,web01.fabrikam.com,10.9.9.9
            web01.contoso.com,,10.1.2.4
            as400,,10.1.2.5
            sql01,SQL01.Contoso.COM.,10.1.2.6
            sql01.contoso.com,,
            """);
    Path accounts =
        Files.writeString(
            dir.resolve("accounts.csv"),
            """
            user_principal_name,email,sam_account_name,domain,display_name
            alice.lee@contoso.com,alice@contoso.com,alee,CONTOSO,Alice Lee
            bob@contoso.com,,bob,,Bob Single-Domain
            carol@europe.contoso.com,,alee,EUROPE,Carol in another domain with the same sAMAccountName
            """);
    cmdb =
        CmdbModule.csv(
            Settings.of(
                Map.of(
                    CsvCmdb.ASSETS_SETTING,
                    assets.toString(),
                    CsvCmdb.ACCOUNTS_SETTING,
                    accounts.toString())),
            NOW);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      nullValues = "none",
      value = {
        "10.1.2.3            | web01.contoso.com",
        "::ffff:10.1.2.3     | web01.contoso.com",
        "2001:DB8:0::1       | web01.contoso.com",
        "10.1.2.30           | none",
        "10.1.2              | none",
        // an exact FQDN first, then a name equal to it, never the other web01
        "WEB01.contoso.com.  | web01.contoso.com, web01.contoso.com (named)",
        // a short name: the exact name (both machines), then nothing more
        "web01               | web01.contoso.com, web01.fabrikam.com, web01.contoso.com (named)",
        "as400               | as400",
        // an FQDN matches a short-named asset without an FQDN of its own
        "as400.contoso.com   | as400",
        "web01.example.org   | none",
        // an FQDN in mixed case with a trailing dot in the file, then the asset named by it
        "sql01.contoso.com   | sql01.contoso.com, sql01.contoso.com (named)",
        "SQL01               | sql01.contoso.com, sql01.contoso.com (named)",
        "web                 | none",
      })
  void assetKeysMatchBestFirst(String key, String expected) {
    List<Asset> matches = cmdb.lookupAssets(List.of(key)).get(0).matches();

    assertThat(matches)
        .extracting(CmdbMatchingTest::describe)
        .containsExactlyElementsOf(expected == null ? List.of() : List.of(expected.split(",\\s*")));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      nullValues = "none",
      value = {
        "alice.lee@contoso.com  | alice.lee@contoso.com",
        "ALICE@contoso.com      | alice.lee@contoso.com",
        "alee@contoso.com       | alice.lee@contoso.com",
        "contoso\\ALEE          | alice.lee@contoso.com",
        "EUROPE\\alee           | carol@europe.contoso.com",
        "alee@europe.contoso.com| carol@europe.contoso.com",
        "FABRIKAM\\alee         | none",
        "anydomain\\bob         | bob@contoso.com",
        "alee                   | alice.lee@contoso.com, carol@europe.contoso.com",
        "alice                  | none",
        "mallory@contoso.com    | none",
      })
  void accountKeysMatchByUpnMailOrSamAccountName(String key, String expected) {
    List<Account> matches = cmdb.lookupAccounts(List.of(key)).get(0).matches();

    assertThat(matches)
        .extracting(Account::userPrincipalName)
        .containsExactlyElementsOf(expected == null ? List.of() : List.of(expected.split(",\\s*")));
  }

  /** An asset as the table names it: its FQDN, or its name when it has none. */
  private static String describe(Asset asset) {
    return asset.fqdn() != null
        ? asset.fqdn()
        : asset.name().contains(".") ? asset.name() + " (named)" : asset.name();
  }
}
