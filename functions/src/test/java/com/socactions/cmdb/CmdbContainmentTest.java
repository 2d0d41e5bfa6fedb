package com.socactions.cmdb;

import static org.assertj.core.api.Assertions.assertThat;

import com.socactions.blocking.GuardrailOverride;
import com.socactions.blocking.Guardrails;
import com.socactions.blocking.ProtectedIndicators;
import com.socactions.blocking.Verdict;
import com.socactions.cmdb.CriticalAssets.CriticalAsset;
import com.socactions.indicators.Cidr;
import com.socactions.indicators.Indicator;
import com.socactions.indicators.Indicators;
import com.socactions.indicators.ParseResult;
import com.socactions.ledger.AllowList;
import com.socactions.platform.Settings;
import com.socactions.servicenow.FakeServiceNow;
import com.socactions.testing.TestKit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What a block would cut off: networks that hold a critical asset's address and domains that are
 * parents of its name, against the built-in CSV CMDB and against ServiceNow (its fake).
 */
class CmdbContainmentTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);

  /** One CMDB, written for both providers: name, fqdn, address, criticality, HVA. */
  private static final List<List<String>> CIS =
      List.of(
          List.of("vpn01", "vpn01.contoso-corp.com", "45.44.0.10", "critical", "false"),
          List.of("kiosk01", "kiosk01.contoso-corp.com", "45.44.0.200", "low", "false"),
          List.of("mail01", "", "45.44.1.5", "high", "true"),
          List.of("vpn02.contoso-corp.com", "", "45.44.3.9", "medium", "false"),
          List.of("edge-other", "notcontoso-corp.com", "45.4.0.1", "critical", "true"),
          List.of("far01", "far01.contoso-corp.net", "145.44.0.10", "critical", "false"),
          List.of("api01", "api01.contoso-corp.com", "2a02:cf40:1::10", "critical", "false"));

  private static Indicator indicator(String input) {
    return ((ParseResult.Parsed) Indicators.parse(input)).indicator();
  }

  private static List<String> names(AssetMatch match) {
    return match.matches().stream().map(Asset::name).toList();
  }

  /** The same questions for either provider. */
  abstract static class Questions {
    abstract CmdbProvider provider();

    CmdbService service() {
      return new CmdbService(List.of(provider()), provider().id());
    }

    /** The guardrail's view of one call's indicators, asked of this provider. */
    CriticalAssets batch(String... inputs) {
      return service()
          .criticalAssets()
          .forBatch(Arrays.stream(inputs).map(CmdbContainmentTest::indicator).toList());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
        delimiter = '|',
        value = {
          // networks: every asset with an address in it, critical and high-value first
          "45.44.0.0/24         | vpn01, kiosk01",
          "45.44.0.77/24        | vpn01, kiosk01",
          "45.44.0.0/23         | vpn01, mail01, kiosk01",
          "45.44.0.0/22         | vpn01, mail01, vpn02.contoso-corp.com, kiosk01",
          "45.44.0.0/20         | vpn01, mail01, vpn02.contoso-corp.com, kiosk01",
          "45.44.0.0/16         | vpn01, mail01, vpn02.contoso-corp.com, kiosk01",
          "45.44.0.0/28         | vpn01",
          "45.44.0.0/30         | ''",
          "45.44.2.0/24         | ''",
          "45.0.0.0/8           | edge-other, vpn01, mail01, vpn02.contoso-corp.com, kiosk01",
          "2a02:cf40::/32       | api01",
          "2a02:cf40:1::/64     | api01",
          "2a02:cf40:2::/48     | ''",
          // *.domain: every asset whose FQDN or dotted name is under it, not the domain itself
          "*.contoso-corp.com   | api01, vpn01, vpn02.contoso-corp.com, kiosk01",
          "*.CONTOSO-CORP.com.  | api01, vpn01, vpn02.contoso-corp.com, kiosk01",
          "*.corp.com           | ''",
          "*.contoso-corp.net   | far01",
          "*.com                | api01, edge-other, vpn01, vpn02.contoso-corp.com, kiosk01"
        })
    void aContainmentKeyFindsWhatABlockWouldCutOff(String key, String expected) {
      AssetMatch match = provider().lookupAssets(List.of(key)).get(0);

      assertThat(String.join(", ", names(match))).isEqualTo(expected);
      assertThat(match.key()).isEqualTo(key);
    }

    @Test
    void exactKeysAreAnsweredAsBeforeBesideContainmentKeys() {
      List<AssetMatch> matches =
          provider()
              .lookupAssets(
                  List.of("45.44.0.10", "45.44.0.0/24", "vpn01.contoso-corp.com", "45.44.0"));

      assertThat(names(matches.get(0))).containsExactly("vpn01");
      assertThat(names(matches.get(1))).containsExactly("vpn01", "kiosk01");
      assertThat(names(matches.get(2))).containsExactly("vpn01");
      assertThat(matches.get(3).found()).isFalse();
    }

    @Test
    void theGuardrailRefusesANetworkOrAParentDomainOfACriticalAsset() {
      CriticalAssets batch =
          batch(
              "45.44.0.0/24",
              "contoso-corp.com",
              "vpn01.contoso-corp.com",
              "https://contoso-corp.com/login",
              "45.44.2.0/24",
              "45.44.0.200",
              "notcontoso-corp.com",
              "2a02:cf40::/32");

      assertThat(batch.find(indicator("45.44.0.0/24")))
          .contains(new CriticalAsset("vpn01", "the CMDB marks it critical", "45.44.0.10"));
      assertThat(batch.find(indicator("contoso-corp.com")))
          .get()
          .extracting(CriticalAsset::name, CriticalAsset::covered)
          .containsExactly("api01", "api01.contoso-corp.com");
      assertThat(batch.find(indicator("vpn01.contoso-corp.com")))
          .contains(new CriticalAsset("vpn01", "the CMDB marks it critical"));
      assertThat(batch.find(indicator("2a02:cf40::/32")))
          .contains(new CriticalAsset("api01", "the CMDB marks it critical", "2a02:cf40:1::10"));
      assertThat(batch.find(indicator("notcontoso-corp.com")))
          .contains(
              new CriticalAsset("edge-other", "the CMDB marks it critical and a high-value asset"));
      // A URL blocks its own host only; kiosk01 is not critical; nothing is in 45.44.2.0/24.
      assertThat(batch.find(indicator("https://contoso-corp.com/login"))).isEmpty();
      assertThat(batch.find(indicator("45.44.0.200"))).isEmpty();
      assertThat(batch.find(indicator("45.44.2.0/24"))).isEmpty();
    }

    @Test
    void theGuardrailsRefuseTheNetworkUntilAJustifiedOverrideWithinTheCeiling() {
      Guardrails guardrails =
          new Guardrails(
              ProtectedIndicators.NONE, AllowList.NONE, batch("45.44.0.0/24", "45.44.0.0/16"));
      GuardrailOverride justified = GuardrailOverride.justifiedBy("INC-7: the range is the C2's");

      Verdict refused = guardrails.check(indicator("45.44.0.0/24"), GuardrailOverride.NONE);
      Verdict lifted = guardrails.check(indicator("45.44.0.0/24"), justified);
      Verdict broad = guardrails.check(indicator("45.44.0.0/16"), justified);

      assertThat(refused)
          .isInstanceOfSatisfying(
              Verdict.Refused.class,
              r ->
                  assertThat(r.message())
                      .contains(
                          "blocking 45.44.0.0/24 would also block the critical asset vpn01"
                              + " (45.44.0.10)"));
      assertThat(lifted)
          .isInstanceOfSatisfying(
              Verdict.Allowed.class,
              a -> assertThat(a.lifted()).extracting(Verdict.Lifted::check).hasSize(1));
      assertThat(broad)
          .isInstanceOfSatisfying(
              Verdict.Allowed.class,
              a ->
                  assertThat(a.lifted())
                      .extracting(l -> l.check().wireName())
                      .containsExactly("too_broad", "critical_asset"));
    }
  }

  @Nested
  class Builtin extends Questions {
    private CsvCmdb cmdb;

    @BeforeEach
    void load(@TempDir Path dir) throws IOException {
      StringBuilder csv = new StringBuilder("name,fqdn,ip_addresses,criticality,is_hva\n");
      for (List<String> ci : CIS) {
        csv.append(String.join(",", ci)).append('\n');
      }
      Path assets = Files.writeString(dir.resolve("assets.csv"), csv);
      cmdb = CmdbModule.csv(Settings.of(Map.of(CsvCmdb.ASSETS_SETTING, assets.toString())), CLOCK);
    }

    @Override
    CmdbProvider provider() {
      return cmdb;
    }

    @Test
    void theSampleCmdbRefusesBlocksAroundItsVpnGateway() {
      CriticalAssets sample =
          TestKit.cmdb(Settings.of(Map.of()), CLOCK)
              .criticalAssets()
              .forBatch(
                  List.of(
                      indicator("45.44.0.0/24"),
                      indicator("contoso-corp.com"),
                      indicator("contoso.com"),
                      indicator("185.220.101.0/24")));

      assertThat(sample.find(indicator("45.44.0.0/24")))
          .get()
          .extracting(CriticalAsset::name, CriticalAsset::covered)
          .containsExactly("vpn01", "45.44.0.10");
      assertThat(sample.find(indicator("contoso-corp.com")))
          .get()
          .extracting(CriticalAsset::name, CriticalAsset::covered)
          .containsExactly("vpn01", "vpn01.contoso-corp.com");
      assertThat(sample.find(indicator("contoso.com"))).isPresent();
      assertThat(sample.find(indicator("185.220.101.0/24"))).isEmpty();
    }
  }

  @Nested
  class ServiceNow extends Questions {
    private FakeServiceNow fake;
    private ServiceNowCmdb cmdb;

    @BeforeEach
    void start() throws IOException {
      fake = FakeServiceNow.start("soc.integration", "Pa55-never-shown");
      for (List<String> ci : CIS) {
        fake.add(
            "cmdb_ci_server",
            Map.of(
                "name", ci.get(0),
                "fqdn", ci.get(1),
                "ip_address", ci.get(2),
                "busines_criticality", criticality(ci.get(3)),
                "u_hva", ci.get(4)));
      }
      cmdb =
          TestKit.serviceNowCmdb(
              Settings.of(
                  Map.of(
                      "SERVICENOW_URL", fake.url(),
                      "SERVICENOW_USER", "soc.integration",
                      "SERVICENOW_PASSWORD", "Pa55-never-shown")),
              CLOCK,
              wait -> {});
    }

    @AfterEach
    void stop() {
      fake.close();
    }

    private static String criticality(String word) {
      return switch (word) {
        case "critical" -> "1 - most critical";
        case "high" -> "2 - somewhat critical";
        case "medium" -> "3 - less critical";
        default -> "4 - not critical";
      };
    }

    @Override
    CmdbProvider provider() {
      return cmdb;
    }

    private String lastQuery() {
      List<RecordedRequest> requests = fake.requests();
      return requests.get(requests.size() - 1).getUrl().queryParameter("sysparm_query");
    }

    @Test
    void networksAskTheirOctetAlignedPrefixesAndDomainsTheirSuffix() {
      cmdb.lookupAssets(List.of("45.44.0.0/24"));
      assertThat(lastQuery()).isEqualTo("ip_addressSTARTSWITH45.44.0.");

      cmdb.lookupAssets(List.of("45.44.0.0/23"));
      assertThat(lastQuery())
          .isEqualTo("ip_addressSTARTSWITH45.44.0.^ORip_addressSTARTSWITH45.44.1.");

      cmdb.lookupAssets(List.of("*.contoso-corp.com"));
      assertThat(lastQuery())
          .isEqualTo("fqdnENDSWITH.contoso-corp.com^ORnameENDSWITH.contoso-corp.com");
    }

    @Test
    void aWholeGuardrailBatchIsOneQuery() {
      CriticalAssets batch =
          batch(
              "45.44.0.0/24",
              "45.44.0.0/22",
              "contoso-corp.com",
              "8.8.8.8",
              "https://www.fabrikam.com/x",
              "2a02:cf40::/32");

      assertThat(fake.tableCalls()).isEqualTo(1);
      assertThat(lastQuery())
          .contains(
              "ip_addressINcontoso-corp.com,contoso-corp,8.8.8.8,www.fabrikam.com,www^OR",
              "^ORip_addressSTARTSWITH45.44.0.^ORip_addressSTARTSWITH45.44.1.",
              "^ORip_addressSTARTSWITH45.44.3.",
              "^ORfqdnENDSWITH.contoso-corp.com^ORnameENDSWITH.contoso-corp.com",
              "^ORip_addressSTARTSWITH2a02:cf40:");
      // 45.44.0.0/24 and /22 share a prefix: it is asked once.
      assertThat(lastQuery().split("45\\.44\\.0\\.", -1)).hasSize(2);
      assertThat(batch.find(indicator("45.44.0.0/22")))
          .get()
          .extracting(CriticalAsset::name)
          .isEqualTo("vpn01");
      assertThat(batch.find(indicator("8.8.8.8"))).isEmpty();
    }

    @Test
    void hostileContainmentKeysMatchNothing() {
      List<AssetMatch> matches =
          cmdb.lookupAssets(
              List.of(
                  "*.x^ORsys_idISNOTEMPTY", "*.javascript:gs.getUserID()", "*.", "45.44.0.0/99"));

      assertThat(matches).noneMatch(AssetMatch::found);
      assertThat(fake.tableCalls()).isLessThanOrEqualTo(1);
    }

    @Test
    void aBatchTooLongForOneUrlIsSplitAndEveryQueryFitsTheLimit() {
      List<String> keys =
          IntStream.range(0, 40)
              .mapToObj(i -> "*.subsidiary-" + i + "-" + "x".repeat(180) + ".contoso-corp.com")
              .toList();

      List<AssetMatch> matches = cmdb.lookupAssets(keys);

      assertThat(matches).hasSize(40).noneMatch(AssetMatch::found);
      assertThat(fake.tableCalls()).isGreaterThan(1);
      assertThat(fake.requests())
          .allSatisfy(
              request ->
                  assertThat(request.getUrl().encodedQuery().length())
                      .isLessThan(ServiceNowCmdb.DEFAULT_MAX_QUERY_LENGTH + 500));
    }

    @Test
    void aKeyThatMatchesMoreThanOnePageIsAnsweredIncompleteWithoutFailingItsNeighbours() {
      for (int i = 0; i <= ServiceNowCmdb.DEFAULT_MAX_ROWS_PER_QUERY; i++) {
        fake.add(
            "cmdb_ci_computer",
            Map.of("name", "wks" + i, "ip_address", "45.45." + (i / 250) + "." + (i % 250 + 1)));
      }

      List<AssetMatch> matches =
          cmdb.lookupAssets(List.of("45.44.0.10", "45.45.0.0/16", "*.contoso-corp.com", "8.8.8.8"));
      int calls = fake.tableCalls();
      Optional<CriticalAsset> verdict = batch("45.45.0.0/16").find(indicator("45.45.0.0/16"));

      // The full page is asked again in halves, and those halves again, until only the
      // network's own query is too big.
      assertThat(calls).isEqualTo(5);
      assertThat(matches.get(1).error()).contains("may be incomplete");
      assertThat(matches.get(1).found()).isTrue();
      assertThat(matches.get(0).error()).isNull();
      assertThat(names(matches.get(0))).containsExactly("vpn01");
      assertThat(matches.get(2).error()).isNull();
      assertThat(names(matches.get(2))).contains("vpn01", "api01");
      assertThat(matches.get(3).error()).isNull();
      assertThat(verdict)
          .get()
          .extracting(CriticalAsset::why)
          .asString()
          .contains("could not answer for it in full");
    }

    @Test
    void aPublicSuffixOrAnInternalNameIsNotAskedForItsSubdomains() {
      batch("com", "co.uk", "corp.local", "contoso-corp.com");

      assertThat(lastQuery())
          .doesNotContain("ENDSWITH.com^", "ENDSWITH.co.uk", "ENDSWITH.corp.local")
          .contains("fqdnENDSWITH.contoso-corp.com");
    }
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "45.44.0.0/24      | 45.44.0.",
        "45.44.0.128/25    | 45.44.0.",
        "45.44.0.4/30      | 45.44.0.",
        "45.44.0.0/23      | 45.44.0. 45.44.1.",
        "45.44.4.0/22      | 45.44.4. 45.44.5. 45.44.6. 45.44.7.",
        "45.44.8.0/21      | 45.44.8. 45.44.9. 45.44.10. 45.44.11. 45.44.12. 45.44.13. 45.44.14."
            + " 45.44.15.",
        "45.44.16.0/20     | 45.44.",
        "45.44.0.0/17      | 45.44.",
        "45.44.0.0/16      | 45.44.",
        "45.44.0.0/15      | 45.44. 45.45.",
        "45.0.0.0/8        | 45.",
        "44.0.0.0/7        | 44. 45.",
        "40.0.0.0/5        | 40. 41. 42. 43. 44. 45. 46. 47.",
        "32.0.0.0/4        | ''",
        "0.0.0.0/0         | ''",
        "2a02:cf40::/32    | 2a02:cf40:",
        "2a02:cf40:1::/48  | 2a02:cf40:1:",
        "2a02:cf40:1::/56  | 2a02:cf40:1:",
        "2a02:cf40:0:1::/64 | 2a02:cf40:",
        "2a02:c000::/20    | 2a02:",
        "2001::/32         | 2001:",
        "::/0              | ''"
      })
  void aNetworkIsAskedAsTheOctetOrHextetPrefixesThatCoverIt(String network, String prefixes) {
    Cidr cidr = Cidr.parse(network).orElseThrow();

    assertThat(String.join(" ", ServiceNowCmdb.addressPrefixes(cidr))).isEqualTo(prefixes);
  }
}
