package com.socactions.blocking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.socactions.cmdb.CriticalAssets;
import com.socactions.indicators.Indicator;
import com.socactions.indicators.Indicators;
import com.socactions.indicators.IpAddresses;
import com.socactions.indicators.ParseResult;
import com.socactions.ledger.AllowList;
import com.socactions.openapi.ConnectorRules;
import com.socactions.platform.ConfigurationException;
import com.socactions.platform.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GuardrailsTest {
  private static final String SHA256_PROTECTED =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  private static final String SHA256_ALLOWED =
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
  private static final String DC01 = "81.2.70.10";

  /** The reasons only identity response gives (its own operations list them). */
  private static final Set<RefusalReason> ACCOUNT_REASONS =
      Set.of(
          RefusalReason.SELF,
          RefusalReason.PRIVILEGED_ROLE,
          RefusalReason.VIP,
          RefusalReason.PRIVILEGED_ROLE_UNKNOWN,
          RefusalReason.VIP_UNKNOWN,
          RefusalReason.NOT_DISABLED_BY_CONNECTOR);

  /** The ledger's allow list, as the guardrails see it: exact normalised values. */
  private static final AllowList ALLOWED =
      indicator ->
          Set.of("1.1.1.1", "allowed.example.org", SHA256_ALLOWED).contains(indicator.value());

  /** A CMDB with one domain controller and one HVA web front end. */
  private static final CriticalAssets CMDB =
      indicator -> {
        boolean holdsDc01 =
            indicator
                .addresses()
                .map(network -> network.contains(IpAddresses.parse(DC01).orElseThrow()))
                .orElse(false);
        if (holdsDc01) {
          return Optional.of(new CriticalAssets.CriticalAsset("dc01", "tier 0: domain controller"));
        }
        return indicator
            .host()
            .filter("hva.example.net"::equals)
            .map(host -> new CriticalAssets.CriticalAsset("payments-web", "HVA"));
      };

  private static final Settings SETTINGS =
      Settings.of(
          Map.of(
              ProtectedIndicators.SETTING,
              "81.2.69.0/24, 2a02:cf40:1::/48;contoso.com\nportal.fabrikam.com  "
                  + SHA256_PROTECTED));

  private final Guardrails guardrails =
      new Guardrails(BlockingModule.protectedIndicators(SETTINGS), ALLOWED, CMDB);

  private static Indicator indicator(String input) {
    return ((ParseResult.Parsed) Indicators.parse(input)).indicator();
  }

  private static GuardrailOverride override(String kind) {
    return switch (kind) {
      case "none" -> GuardrailOverride.NONE;
      case "justified" ->
          GuardrailOverride.justifiedBy("INC-42: confirmed C2, approved by the SOC lead");
      case "unjustified" -> new GuardrailOverride(true, "  ");
      default -> throw new IllegalArgumentException(kind);
    };
  }

  /** Expected: {@code allowed}, {@code allowed+lifted_reason...}, or a refusal reason. */
  @ParameterizedTest(name = "{0} with override {1}: {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        // public addresses and networks, breadth at the edges
        "8.8.8.8              | none        | allowed",
        "2a02:cf41::1         | none        | allowed",
        "8.8.8.0/24           | none        | allowed",
        "8.8.8.0/23           | none        | too_broad",
        "8.8.8.0/23           | justified   | allowed+too_broad",
        "8.8.8.0/23           | unjustified | justification_required",
        // a justified override lifts breadth down to /16 and /32, never further
        "8.8.0.0/16           | justified   | allowed+too_broad",
        "8.8.0.0/15           | justified   | too_broad_to_override",
        "8.0.0.0/8            | justified   | too_broad_to_override",
        "64.0.0.0/3           | justified   | too_broad_to_override",
        "64.0.0.0/3           | none        | too_broad_to_override",
        "2a04:c000::/32       | justified   | allowed+too_broad",
        "2a04:c000::/31       | justified   | too_broad_to_override",
        "2a02:cf41::/48       | none        | allowed",
        "2a02:cf41::/47       | none        | too_broad",
        "2a02:cf40::/47       | justified   | protected",
        "2a02:cf42::/47       | justified   | allowed+too_broad",
        "2a02:cf42::/47       | unjustified | justification_required",
        // private and special ranges: never, override or not
        "10.1.2.3             | none        | private_range",
        "10.1.2.3             | justified   | private_range",
        "10.1.2.3             | unjustified | private_range",
        "172.16.0.1           | none        | private_range",
        "192.168.1.0/24       | none        | private_range",
        "127.0.0.1            | none        | private_range",
        "169.254.169.254      | none        | private_range",
        "100.64.0.1           | none        | private_range",
        "224.0.0.251          | none        | private_range",
        "192.0.2.10           | none        | private_range",
        "240.0.0.1            | none        | private_range",
        "0.0.0.0              | none        | private_range",
        "172.0.0.0/8          | justified   | private_range",
        "100.0.0.0/8          | justified   | private_range",
        "0.0.0.0/0            | justified   | private_range",
        "::1                  | none        | private_range",
        "fd12:3456::1         | none        | private_range",
        "fe80::1              | none        | private_range",
        "ff02::1              | none        | private_range",
        "2001:db8::1          | none        | private_range",
        "fd00::/48            | none        | private_range",
        "2000::/3             | justified   | private_range",
        "::/0                 | justified   | private_range",
        "http://10.0.0.1/x    | none        | private_range",
        "http://[fd00::1]/x   | justified   | private_range",
        "http://8.8.8.8/x     | none        | allowed",
        // private space inside IPv6 transition addresses: 6to4, Teredo (server, client), NAT64
        "2002:a00:1::1        | justified   | private_range",
        "2002:c0a8:101::/48   | justified   | private_range",
        "2002:a00::/24        | justified   | private_range",
        "2002::/16            | justified   | private_range",
        "2002:808:808::1      | none        | allowed",
        "2002:2d2c::/48       | none        | allowed",
        "2001:0:4136:e378:8000:63bf:3fff:fdd2 | justified | private_range",
        "2001:0:a00:1:8000:63bf:d2d3:fff5 | justified | private_range",
        "2001:0:4136:e378:8000:63bf:d2d3:fff5 | none | allowed",
        "64:ff9b::a00:1       | justified   | private_range",
        "64:ff9b::808:808     | none        | private_range",
        "http://[2002:a00:1::1]/x | justified | private_range",
        // internal and special-use names, also as a URL's host: never, override or not
        "corp.local           | justified   | internal_name",
        "dc01.corp.local      | justified   | internal_name",
        "printer.home.arpa    | justified   | internal_name",
        "home.arpa            | justified   | internal_name",
        "intranet.internal    | justified   | internal_name",
        "internal             | none        | internal_name",
        "db.localhost         | justified   | internal_name",
        "localhost            | none        | internal_name",
        "nas.lan              | justified   | internal_name",
        "x.test               | justified   | internal_name",
        "test                 | none        | internal_name",
        "y.invalid            | justified   | internal_name",
        "invalid              | none        | internal_name",
        "printer.local        | none        | internal_name",
        "local                | none        | internal_name",
        "fs01.corp            | none        | internal_name",
        "router.home          | none        | internal_name",
        "wiki.alt             | none        | internal_name",
        "10.in-addr.arpa      | justified   | internal_name",
        "1.0.0.10.in-addr.arpa | none       | internal_name",
        "ipv4only.arpa        | none        | internal_name",
        "arpa                 | none        | internal_name",
        "https://intranet.corp/x | justified | internal_name",
        "http://localhost:8080/admin | justified | internal_name",
        "http://printer.home.arpa/ | none   | internal_name",
        // documentation names (RFC 6761 6.5) and onion services stand for outside names
        "evil.example         | none        | allowed",
        "https://evil.example/x | none      | allowed",
        "example.com          | none        | allowed",
        "abcdefghijklmnop.onion | none      | allowed",
        "onion                | none        | public_suffix",
        // public suffixes, domains and URLs alike
        "evil.example.com     | none        | allowed",
        "com                  | none        | public_suffix",
        "com                  | justified   | public_suffix",
        "co.uk                | none        | public_suffix",
        "github.io            | none        | public_suffix",
        "attacker.github.io   | none        | allowed",
        "https://co.uk/x      | justified   | public_suffix",
        "https://evil.co.uk/x | none        | allowed",
        // protected: networks, overlaps, domains with their subdomains and parents
        "81.2.69.142          | none        | protected",
        "81.2.69.142          | justified   | protected",
        "81.2.69.128/25       | none        | protected",
        "81.2.68.0/23         | justified   | protected",
        "81.2.68.1            | none        | allowed",
        "2a02:cf40:1::5       | none        | protected",
        "http://81.2.69.1/x   | none        | protected",
        "contoso.com          | none        | protected",
        "login.contoso.com    | justified   | protected",
        "https://a.b.contoso.com/x | none   | protected",
        "notcontoso.com       | none        | allowed",
        "fabrikam.com         | none        | protected",
        "www.fabrikam.com     | none        | allowed",
        // Unicode full stops are read as dots before any comparison
        "contoso.com\u3002    | none        | protected",
        "login.contoso.com\uFF0E | justified | protected",
        "login\uFF61contoso\uFF61com | none   | protected",
        "https://portal.fabrikam.com\uFF61/x | none | protected",
        "81\u30022\u300269\u30027 | justified | protected",
        // allow list
        "1.1.1.1              | none        | allow_listed",
        "allowed.example.org  | justified   | allow_listed",
        "allowed.example.org\u3002 | justified | allow_listed",
        "allowed\uFF0Eexample\uFF0Eorg\uFF61 | none | allow_listed",
        // CMDB
        "81.2.70.10           | none        | critical_asset",
        "81.2.70.10           | justified   | allowed+critical_asset",
        "81.2.70.10           | unjustified | justification_required",
        "81.2.70.0/24         | none        | critical_asset",
        "81.2.70.0/23         | justified   | allowed+too_broad+critical_asset",
        "81.2.70.0/23         | none        | too_broad",
        "hva.example.net      | none        | critical_asset",
        "https://hva.example.net/pay | justified | allowed+critical_asset",
        // hashes: only protected, allow list and the justification rule
        "d41d8cd98f00b204e9800998ecf8427e | none | allowed",
        "d41d8cd98f00b204e9800998ecf8427e | justified | allowed",
        "d41d8cd98f00b204e9800998ecf8427e | unjustified | justification_required",
        SHA256_PROTECTED + "  | justified   | protected",
        SHA256_ALLOWED + "    | none        | allow_listed"
      })
  void theGuardrailMatrix(String input, String overrideKind, String expected) {
    Verdict verdict = guardrails.check(indicator(input), override(overrideKind));

    assertThat(describe(verdict)).isEqualTo(expected);
  }

  /**
   * Allows: the broad values of the issue, each refused or needing a justification, and what an
   * allow does not check (protected, allow list, CMDB).
   */
  @ParameterizedTest(name = "allow {0} with override {1}: {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        // everything, never
        "0.0.0.0/0            | none        | private_range",
        "0.0.0.0/0            | justified   | private_range",
        "::/0                 | justified   | private_range",
        "2000::/3             | justified   | private_range",
        "0.0.0.0/1            | justified   | private_range",
        "128.0.0.0/1          | justified   | private_range",
        // networks: /16 and /32 freely, /8 and /16 with a justification, broader never
        "1.0.0.0/8            | none        | too_broad",
        "1.0.0.0/8            | unjustified | justification_required",
        "1.0.0.0/8            | justified   | allowed+too_broad",
        "2.0.0.0/7            | justified   | too_broad_to_override",
        "4.0.0.0/6            | justified   | too_broad_to_override",
        "64.0.0.0/3           | justified   | too_broad_to_override",
        "8.8.0.0/16           | none        | allowed",
        "8.8.0.0/15           | none        | too_broad",
        "8.8.0.0/15           | justified   | allowed+too_broad",
        "2a02:cf40::/32       | none        | allowed",
        "2a02:cf40::/31       | none        | too_broad",
        "2a02::/16            | justified   | allowed+too_broad",
        "2a00::/15            | justified   | too_broad_to_override",
        "2a00::/8             | justified   | too_broad_to_override",
        // suffixes and TLDs, never
        "com                  | none        | public_suffix",
        "com                  | justified   | public_suffix",
        "co.uk                | justified   | public_suffix",
        "github.io            | none        | public_suffix",
        "https://co.uk/x      | none        | public_suffix",
        // internal names and private addresses: nothing to allow, never
        "corp.local           | justified   | internal_name",
        "printer.home.arpa    | none        | internal_name",
        "http://localhost/x   | none        | internal_name",
        "10.1.2.3             | justified   | private_range",
        "192.168.0.0/16       | none        | private_range",
        "2002:a00:1::1        | none        | private_range",
        // ordinary allows
        "8.8.8.8              | none        | allowed",
        "2a02:cf41::1         | none        | allowed",
        "login.microsoftonline.com | none   | allowed",
        "https://updates.example.com/x | none | allowed",
        "evil.example         | none        | allowed",
        "d41d8cd98f00b204e9800998ecf8427e | none | allowed",
        "d41d8cd98f00b204e9800998ecf8427e | unjustified | justification_required",
        // what blocks check and allows do not: protected, already allowed, critical
        "contoso.com          | none        | allowed",
        "1.1.1.1              | none        | allowed",
        "81.2.70.10           | none        | allowed"
      })
  void theAllowMatrix(String input, String overrideKind, String expected) {
    Verdict verdict = Guardrails.checkAllow(indicator(input), override(overrideKind));

    assertThat(describe(verdict)).isEqualTo(expected);
  }

  @Test
  void anAllowRefusalSaysWhyInAllowWords() {
    Verdict.Refused broad =
        (Verdict.Refused) Guardrails.checkAllow(indicator("64.0.0.0/3"), override("justified"));
    Verdict.Refused needsJustification =
        (Verdict.Refused) Guardrails.checkAllow(indicator("1.0.0.0/8"), GuardrailOverride.NONE);
    Verdict.Refused suffix =
        (Verdict.Refused) Guardrails.checkAllow(indicator("co.uk"), GuardrailOverride.NONE);
    Verdict.Refused internal =
        (Verdict.Refused) Guardrails.checkAllow(indicator("corp.local"), GuardrailOverride.NONE);

    assertThat(broad.message())
        .contains("broader than /8")
        .contains("536870912 addresses")
        .contains("no override allows");
    assertThat(needsJustification.message())
        .contains("broader than /16")
        .contains("allow a narrower network, or override with a justification (down to /8)");
    assertThat(suffix.message()).contains("allowing it would allow every domain");
    assertThat(internal.message()).contains("nothing to allow").contains("no override");
  }

  @Test
  void theOverrideCeilingRefusalSaysNoOverrideLiftsIt() {
    Verdict.Refused refused =
        (Verdict.Refused) guardrails.check(indicator("64.0.0.0/3"), override("justified"));

    assertThat(refused.reason().isOverridable()).isFalse();
    assertThat(refused.message())
        .contains("64.0.0.0/3 is broader than /16")
        .contains("no override blocks a network this broad");
  }

  @Test
  void anInternalNameRefusalSaysWhichReservationAndThatNoOverrideHelps() {
    Verdict.Refused local =
        (Verdict.Refused) guardrails.check(indicator("dc01.corp.local"), override("justified"));
    Verdict.Refused lan =
        (Verdict.Refused)
            guardrails.check(indicator("https://nas.lan/share"), GuardrailOverride.NONE);

    assertThat(local.message())
        .contains("dc01.corp.local is an internal or special-use name")
        .contains("RFC 6762")
        .contains("no override");
    assertThat(lan.message()).contains("the URL's host nas.lan").contains("under no public suffix");
  }

  @Test
  void aTransitionAddressRefusalNamesTheEmbeddedAddress() {
    Verdict.Refused refused =
        (Verdict.Refused) guardrails.check(indicator("2002:a00:1::1"), GuardrailOverride.NONE);

    assertThat(refused.message()).contains("is a private address (6to4 of 10.0.0.1)");
  }

  @Test
  void aContainedCriticalAssetIsNamedWithItsAddressOrName() {
    CriticalAssets contained =
        indicator ->
            Optional.of(
                new CriticalAssets.CriticalAsset(
                    "vpn01", "the CMDB marks it critical", "45.44.0.10"));
    Guardrails withCmdb = new Guardrails(ProtectedIndicators.NONE, AllowList.NONE, contained);

    Verdict.Refused refused =
        (Verdict.Refused) withCmdb.check(indicator("45.44.0.0/24"), GuardrailOverride.NONE);

    assertThat(refused.reason()).isEqualTo(RefusalReason.CRITICAL_ASSET);
    assertThat(refused.message())
        .contains("blocking 45.44.0.0/24 would also block the critical asset vpn01 (45.44.0.10)")
        .contains("override with a justification");
  }

  @Test
  void aRefusalTellsTheAnalystWhatTheIndicatorIsAndThatNoOverrideHelps() {
    Verdict.Refused refused =
        (Verdict.Refused) guardrails.check(indicator("http://[fd00::1]/x"), GuardrailOverride.NONE);

    assertThat(refused.message())
        .contains("the URL's host fd00::1 is a private address")
        .contains("no override");
  }

  @Test
  void aBreadthRefusalSaysHowBroadAndThatAJustifiedOverrideHelps() {
    Verdict.Refused refused =
        (Verdict.Refused) guardrails.check(indicator("8.8.8.0/23"), GuardrailOverride.NONE);

    assertThat(refused.message())
        .contains("broader than /24")
        .contains("512 addresses")
        .contains("justification");
  }

  @Test
  void aProtectedRefusalNamesTheSettingAndTheEntry() {
    Verdict.Refused refused =
        (Verdict.Refused)
            guardrails.check(indicator("https://Login.Contoso.com/x"), GuardrailOverride.NONE);

    assertThat(refused.message()).contains("PROTECTED_INDICATORS").contains("contoso.com");
  }

  @Test
  void aLiftedCheckKeepsItsSentenceForTheLedger() {
    Verdict.Allowed allowed =
        (Verdict.Allowed) guardrails.check(indicator(DC01), override("justified"));

    assertThat(allowed.lifted())
        .singleElement()
        .satisfies(
            lifted -> {
              assertThat(lifted.check()).isEqualTo(RefusalReason.CRITICAL_ASSET);
              assertThat(lifted.message()).contains("dc01").contains("tier 0: domain controller");
            });
  }

  @Test
  void internalNamesAndTheOverrideCeilingAreNeverOverridable() {
    assertThat(RefusalReason.INTERNAL_NAME.isOverridable()).isFalse();
    assertThat(RefusalReason.TOO_BROAD_TO_OVERRIDE.isOverridable()).isFalse();
    assertThat(RefusalReason.INTERNAL_NAME.wireName()).isEqualTo("internal_name");
    assertThat(RefusalReason.TOO_BROAD_TO_OVERRIDE.wireName()).isEqualTo("too_broad_to_override");
  }

  @Test
  void theConnectorDefinitionListsEveryIndicatorRefusalReason() {
    JsonNode reasons =
        ConnectorRules.forTheConnector()
            .root()
            .at("/definitions/IndicatorResult/properties/reason/enum");
    List<String> listed = new ArrayList<>();
    reasons.forEach(reason -> listed.add(reason.asText()));

    assertThat(listed)
        .containsExactlyInAnyOrder(
            Stream.of(RefusalReason.values())
                .filter(reason -> !ACCOUNT_REASONS.contains(reason))
                .map(RefusalReason::wireName)
                .toArray(String[]::new));
  }

  @Test
  void onlyBreadthTheCmdbAndTheOverridableAccountChecksCanBeOverridden() {
    assertThat(RefusalReason.values())
        .filteredOn(RefusalReason::isOverridable)
        .containsExactlyInAnyOrder(
            RefusalReason.TOO_BROAD,
            RefusalReason.CRITICAL_ASSET,
            RefusalReason.PRIVILEGED_ROLE,
            RefusalReason.VIP,
            RefusalReason.NOT_DISABLED_BY_CONNECTOR);
  }

  @Test
  void withoutSettingsOrCollaboratorsOnlyTheBuiltInChecksApply() {
    Guardrails bare = new Guardrails(ProtectedIndicators.NONE, AllowList.NONE, CriticalAssets.NONE);

    assertThat(bare.check(indicator("81.2.69.142"), GuardrailOverride.NONE).isAllowed()).isTrue();
    assertThat(bare.check(indicator("contoso.com"), GuardrailOverride.NONE).isAllowed()).isTrue();
    assertThat(bare.check(indicator("10.0.0.1"), GuardrailOverride.NONE).isAllowed()).isFalse();
  }

  @Test
  void aHashIsNeverAskedAboutInTheCmdb() {
    CriticalAssets everything =
        indicator -> Optional.of(new CriticalAssets.CriticalAsset("everything", "HVA"));
    Guardrails strict = new Guardrails(ProtectedIndicators.NONE, AllowList.NONE, everything);

    assertThat(
            strict
                .check(indicator("d41d8cd98f00b204e9800998ecf8427e"), GuardrailOverride.NONE)
                .isAllowed())
        .isTrue();
    assertThat(strict.check(indicator("8.8.8.8"), GuardrailOverride.NONE).isAllowed()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "10.0.0.0/8, not a thing!",
        "8.8.8.8/33",
        "contoso.com,http://",
        "corp.example.com:443"
      })
  void aMalformedProtectedEntryIsAConfigurationErrorNamingTheSetting(String value) {
    Settings settings = Settings.of(Map.of(ProtectedIndicators.SETTING, value));

    assertThatThrownBy(() -> BlockingModule.protectedIndicators(settings))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(ProtectedIndicators.SETTING)
        .satisfies(
            e ->
                assertThat(((ConfigurationException) e).setting())
                    .contains(ProtectedIndicators.SETTING));
  }

  @Test
  void protectedEntriesAreNormalisedLikeIndicators() {
    ProtectedIndicators entries =
        BlockingModule.protectedIndicators(
            Settings.of(
                Map.of(
                    ProtectedIndicators.SETTING, "Contoso.COM. ,81.2.69.7/24 ::ffff:81.2.71.1")));

    assertThat(entries.protecting(indicator("www.contoso.com"))).contains("contoso.com");
    assertThat(entries.protecting(indicator("81.2.69.200"))).contains("81.2.69.0/24");
    assertThat(entries.protecting(indicator("81.2.71.1"))).contains("81.2.71.1");
  }

  private static String describe(Verdict verdict) {
    if (verdict instanceof Verdict.Refused refused) {
      return refused.reason().wireName();
    }
    return "allowed"
        + ((Verdict.Allowed) verdict)
            .lifted().stream()
                .map(lifted -> "+" + lifted.check().wireName())
                .reduce("", String::concat);
  }
}
