package com.socactions.taxii;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.socactions.indicators.IndicatorType;
import com.socactions.ledger.BlockVersion;
import com.socactions.platform.Json;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The STIX objects, checked against the OASIS STIX 2.1 schemas rather than our own serializer. */
class StixObjectsTest {
  private static final Instant START = Instant.parse("2026-03-01T12:00:00Z");
  private static final String ARM_INCIDENT =
      "/subscriptions/0f8fad5b-d9cb-469f-a165-70867728950e/resourceGroups/soc-rg/providers/"
          + "Microsoft.OperationalInsights/workspaces/soc-ws/providers/Microsoft.SecurityInsights/"
          + "incidents/7c9e6679-7425-40de-944b-e07fc1f90ae7";

  @Test
  void everyKindOfBlockIsAValidStixIndicatorActiveAndRevoked() {
    List<BlockVersion> versions =
        List.of(
            version(IndicatorType.IP, "203.0.113.7", false, ARM_INCIDENT),
            version(IndicatorType.IP, "2001:db8::7", false, "42"),
            version(IndicatorType.CIDR, "198.51.100.0/24", true, null),
            version(IndicatorType.CIDR, "2001:db8::/32", false, null),
            version(IndicatorType.DOMAIN, "evil.example", true, ARM_INCIDENT),
            version(IndicatorType.URL, "https://x.example/a'b\\c?q=1", false, null),
            version(IndicatorType.SHA256, "a".repeat(64), false, null),
            version(IndicatorType.SHA1, "b".repeat(40), true, null),
            version(IndicatorType.MD5, "c".repeat(32), false, "inc-9"));
    for (BlockVersion version : versions) {
      JsonNode json = json(StixObjects.indicator(version));
      assertThat(StixSchemas.errors(json)).as(json.toString()).isEmpty();
      assertThat(json.path("id").asText()).isEqualTo("indicator--" + version.episodeId());
      assertThat(json.path("created_by_ref").asText()).isEqualTo(StixObjects.IDENTITY_ID);
      assertThat(json.path("revoked").asBoolean()).isEqualTo(version.revoked());
      assertThat(json.path("valid_until").asText().compareTo(json.path("valid_from").asText()))
          .isPositive();
      assertThat(json.path("modified").asText().compareTo(json.path("created").asText()))
          .isGreaterThanOrEqualTo(0);
    }
  }

  @Test
  void theIdentityIsAValidStixIdentity() {
    JsonNode identity = json(StixObjects.identity());

    assertThat(StixSchemas.errors(identity)).isEmpty();
    assertThat(identity.path("id").asText()).isEqualTo(StixObjects.IDENTITY_ID);
  }

  @Test
  void theSchemasRefuseWhatIsNotStixSoTheChecksAboveCanFail() {
    ObjectNode broken =
        (ObjectNode)
            json(StixObjects.indicator(version(IndicatorType.IP, "203.0.113.7", false, null)));
    broken.remove("pattern");
    broken.put("id", "indicator--not-a-uuid");
    broken.put("created", "2026-03-01T12:00:00Z"); // STIX wants milliseconds

    assertThat(StixSchemas.errors(broken)).hasSizeGreaterThanOrEqualTo(3);
  }

  @Test
  void patternsNameTheValueByItsTypeWithQuotesAndBackslashesEscaped() {
    assertThat(StixObjects.pattern(IndicatorType.IP, "203.0.113.7"))
        .isEqualTo("[ipv4-addr:value = '203.0.113.7']");
    assertThat(StixObjects.pattern(IndicatorType.CIDR, "2001:db8::/32"))
        .isEqualTo("[ipv6-addr:value = '2001:db8::/32']");
    assertThat(StixObjects.pattern(IndicatorType.DOMAIN, "evil.example"))
        .isEqualTo("[domain-name:value = 'evil.example']");
    assertThat(StixObjects.pattern(IndicatorType.URL, "https://x.example/a'b\\c"))
        .isEqualTo("[url:value = 'https://x.example/a\\'b\\\\c']");
    assertThat(StixObjects.pattern(IndicatorType.SHA256, "ab"))
        .isEqualTo("[file:hashes.'SHA-256' = 'ab']");
    assertThat(StixObjects.pattern(IndicatorType.SHA1, "ab"))
        .isEqualTo("[file:hashes.'SHA-1' = 'ab']");
    assertThat(StixObjects.pattern(IndicatorType.MD5, "ab")).isEqualTo("[file:hashes.MD5 = 'ab']");
  }

  @Test
  void anIndicatorSaysWhoBlockedItWhyAndForWhichIncidentAndLinksTheIncident() {
    JsonNode json =
        json(StixObjects.indicator(version(IndicatorType.IP, "203.0.113.7", true, ARM_INCIDENT)));

    assertThat(json.path("labels").toString())
        .contains("reason:C2 beacon", "incident:7c9e6679-7425-40de-944b-e07fc1f90ae7");
    assertThat(json.path("description").asText())
        .contains("alice@contoso.com", "C2 beacon", "7c9e6679-7425-40de-944b-e07fc1f90ae7")
        .contains("the block was lifted");
    JsonNode reference = json.path("external_references").get(0);
    assertThat(reference.path("source_name").asText()).isEqualTo("Microsoft Sentinel");
    assertThat(reference.path("external_id").asText())
        .isEqualTo("7c9e6679-7425-40de-944b-e07fc1f90ae7");
    assertThat(reference.path("url").asText())
        .startsWith(
            "https://portal.azure.com/#asset/Microsoft_Azure_Security_Insights/Incident/subscriptions/");
  }

  private static BlockVersion version(
      IndicatorType type, String value, boolean revoked, String incident) {
    Instant modified = revoked ? START.plusSeconds(3600).plusNanos(123_000) : START.plusSeconds(2);
    return new BlockVersion(
        BlockVersion.episodeIdOf("edl", type, value, START),
        "edl",
        type,
        value,
        START,
        revoked ? modified : START.plusSeconds(86_400),
        modified,
        revoked,
        revoked ? "lifted" : null,
        "C2 beacon",
        incident,
        "alice@contoso.com");
  }

  private static JsonNode json(Object value) {
    return Json.MAPPER.valueToTree(value);
  }
}
