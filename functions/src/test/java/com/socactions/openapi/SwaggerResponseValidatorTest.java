package com.socactions.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.socactions.api.Problem;
import com.socactions.enrichment.AutonomousSystem;
import com.socactions.enrichment.BatchSummary;
import com.socactions.enrichment.DatabaseInfo;
import com.socactions.enrichment.DomainEnrichment;
import com.socactions.enrichment.DomainEnrichmentResponse;
import com.socactions.enrichment.GeoLocation;
import com.socactions.enrichment.IpEnrichment;
import com.socactions.enrichment.IpEnrichmentResponse;
import com.socactions.enrichment.LookupStatus;
import com.socactions.enrichment.WhoisNetwork;
import com.socactions.health.ComponentHealth;
import com.socactions.health.HealthReport;
import com.socactions.health.ProviderInfo;
import com.socactions.health.ProviderList;
import com.socactions.openapi.ConnectorRules.Violation;
import com.socactions.platform.FieldError;
import com.socactions.platform.Json;
import com.socactions.providers.Capability;
import com.socactions.providers.Readiness;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * {@link SwaggerResponseValidator} against a small definition and answers broken one way each, so a
 * check that stopped seeing its violation fails here; then the real definition against the records
 * as the app's {@link Json#MAPPER} writes them, nulls included.
 */
class SwaggerResponseValidatorTest {

  private static final String DEFINITION =
      """
      {
        "swagger": "2.0",
        "paths": {"/v1/things": {"get": {"operationId": "GetThings", "responses": {
          "200": {"description": "OK", "schema": {"$ref": "#/definitions/Answer"},
                  "headers": {"x-correlation-id": {"type": "string"}}},
          "401": {"description": "No key"},
          "503": {"description": "Down", "schema": {"$ref": "#/definitions/Problem"},
                  "headers": {"Retry-After": {"type": "integer", "format": "int32"}}}}}}},
        "definitions": {
          "Problem": {"type": "object", "required": ["title", "status"], "properties": {
            "title": {"type": "string"}, "status": {"type": "integer", "format": "int32"}}},
          "Answer": {"type": "object", "required": ["items"], "properties": {
            "items": {"type": "array", "items": {"$ref": "#/definitions/Item"}},
            "checked_at": {"type": "string", "format": "date-time"},
            "count": {"type": "integer", "format": "int32"},
            "total": {"type": "integer", "format": "int64"},
            "ratio": {"type": "number", "format": "double"},
            "ok": {"type": "boolean"},
            "place": {"$ref": "#/definitions/Place", "x-nullable": true},
            "owner": {"$ref": "#/definitions/Owner"}}},
          "Item": {"type": "object", "properties": {
            "status": {"type": "string", "enum": ["ok", "failed"]},
            "note": {"type": "string", "x-nullable": true}}},
          "Place": {"type": "object", "properties": {"city": {"type": "string"}}},
          "Owner": {"type": "object", "x-nullable": true, "properties": {"name": {"type": "string"}}}
        }
      }
      """;

  private static final String GOOD =
      """
      {"items": [{"status": "ok", "note": null}, {"status": "failed", "note": "why"}],
       "checked_at": "2024-01-02T03:04:05.123Z", "count": 3, "total": 5000000000, "ratio": 0.5, "ok": true,
       "place": {"city": "London"}, "owner": {"name": "SOC"}}
      """;

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final SwaggerResponseValidator validator =
      SwaggerResponseValidator.of(ConnectorRules.of(DEFINITION));

  @Test
  void aConformingAnswerHasNoViolations() {
    assertThat(ok(GOOD)).isEmpty();
    assertThat(validator.operationIds()).containsExactly("GetThings");
    assertThat(validator.documentedStatuses("GetThings")).containsExactly("200", "401", "503");
  }

  @Test
  void aValueOfTheWrongTypeIsReportedAtItsPath() {
    List<Violation> found =
        ok(with(GOOD, "count", "\"3\"", "ok", "\"yes\"", "ratio", "\"half\"", "items", "{}"));

    assertThat(paths(found)).containsExactlyInAnyOrder("$.count", "$.ok", "$.ratio", "$.items");
    assertThat(found).allSatisfy(v -> assertThat(v.rule()).isEqualTo("schema"));
  }

  @Test
  void aMalformedDateTimeOrAnIntegerOutsideItsFormatIsReported() {
    List<Violation> found =
        ok(
            with(
                GOOD,
                "checked_at",
                "\"yesterday\"",
                "count",
                "3000000000",
                "total",
                "100000000000000000000000"));

    assertThat(found)
        .extracting(Violation::toString)
        .containsExactlyInAnyOrder(
            "$.checked_at: 'yesterday' is not an RFC 3339 date-time [schema]",
            "$.count: 3000000000 does not fit in int32 [schema]",
            "$.total: 100000000000000000000000 does not fit in int64 [schema]");
  }

  @Test
  void aPropertyWrittenButNotDocumentedIsReportedAtEveryDepth() {
    String body =
        GOOD.replace("\"note\": \"why\"", "\"note\": \"why\", \"secret\": 1")
            .replace("\"ok\": true", "\"ok\": true, \"extra\": []");

    assertThat(ok(body))
        .extracting(Violation::toString)
        .containsExactlyInAnyOrder(
            "$.items[1].secret: written, but not documented [schema]",
            "$.extra: written, but not documented [schema]");
  }

  @Test
  void aMissingRequiredPropertyIsReported() {
    assertThat(ok("{\"count\": 1}"))
        .extracting(Violation::toString)
        .containsExactly("$.items: required, but missing [schema]");
  }

  @Test
  void aValueOutsideTheEnumIsReported() {
    assertThat(ok(GOOD.replace("\"status\": \"failed\"", "\"status\": \"maybe\"")))
        .extracting(Violation::path)
        .containsExactly("$.items[1].status");
  }

  @Test
  void nullIsAcceptedOnlyWhereTheSchemaOrItsRefTargetIsXNullable() {
    String allowed = with(GOOD, "place", "null", "owner", "null");
    String refused =
        with(
            GOOD.replace("\"status\": \"ok\"", "\"status\": null"),
            "count",
            "null",
            "checked_at",
            "null");

    assertThat(ok(allowed))
        .as("note (inline), place (beside $ref), owner (on the definition)")
        .isEmpty();
    assertThat(ok(refused))
        .extracting(Violation::path)
        .containsExactlyInAnyOrder("$.count", "$.checked_at", "$.items[0].status")
        .hasSize(3);
    assertThat(ok(refused)).allSatisfy(v -> assertThat(v.message()).contains("not x-nullable"));
  }

  @Test
  void anUnresolvableRefIsReportedNotThrown() {
    SwaggerResponseValidator broken =
        SwaggerResponseValidator.of(
            ConnectorRules.of(DEFINITION.replace("#/definitions/Item", "#/definitions/Gone")));

    assertThat(
            broken.validateResponse(
                "GetThings",
                200,
                headers("Content-Type", "application/json", "x-correlation-id", "c1"),
                GOOD))
        .extracting(Violation::toString)
        .containsExactly(
            "$.items[0]: unresolvable $ref '#/definitions/Gone' [schema]",
            "$.items[1]: unresolvable $ref '#/definitions/Gone' [schema]");
  }

  @Test
  void anUndocumentedStatusOrOperationIsReported() {
    assertThat(
            validator.validateResponse(
                "GetThings", 500, headers("Content-Type", "application/problem+json"), "{}"))
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.rule()).isEqualTo("status");
              assertThat(v.path()).isEqualTo("$.paths['/v1/things'].get.responses['500']");
            });
    assertThat(validator.validateResponse("GetOthers", 200, headers(), ""))
        .extracting(Violation::rule)
        .containsExactly("operation");
  }

  @Test
  void aStatusWithoutASchemaMustHaveAnEmptyBody() {
    assertThat(validator.validateResponse("GetThings", 401, headers(), "")).isEmpty();
    assertThat(
            validator.validateResponse(
                "GetThings",
                401,
                headers("Content-Type", "application/problem+json"),
                "{\"title\": \"Unauthorized\"}"))
        .extracting(Violation::rule)
        .containsExactly("body");
  }

  @Test
  void theContentTypeFollowsTheSchemaProblemsAreProblemJson() {
    String problem = "{\"title\": \"Down\", \"status\": 503}";

    assertThat(
            validator.validateResponse(
                "GetThings",
                503,
                headers("Content-Type", "application/problem+json", "Retry-After", "30"),
                problem))
        .isEmpty();
    assertThat(
            validator.validateResponse(
                "GetThings",
                503,
                headers("Content-Type", "application/json", "Retry-After", "30"),
                problem))
        .extracting(Violation::rule)
        .containsExactly("content-type");
    assertThat(
            validator.validateResponse(
                "GetThings",
                200,
                headers("Content-Type", "application/problem+json", "x-correlation-id", "c1"),
                GOOD))
        .extracting(Violation::rule)
        .containsExactly("content-type");
    assertThat(
            validator.validateResponse(
                "GetThings",
                200,
                headers(
                    "Content-Type", "application/json; charset=utf-8", "x-correlation-id", "c1"),
                "not json"))
        .extracting(Violation::rule)
        .containsExactly("body");
  }

  @Test
  void aDocumentedHeaderMustBeSentAndHaveItsType() {
    String problem = "{\"title\": \"Down\", \"status\": 503}";

    assertThat(
            validator.validateResponse(
                "GetThings", 503, headers("Content-Type", "application/problem+json"), problem))
        .extracting(Violation::toString)
        .containsExactly(
            "$.paths['/v1/things'].get.responses['503'].headers['Retry-After']: documented, but not"
                + " sent [header]");
    assertThat(
            validator.validateResponse(
                "GetThings",
                503,
                headers("Content-Type", "application/problem+json", "retry-after", "soon"),
                problem))
        .extracting(Violation::message)
        .containsExactly("a string, not integer");
  }

  // --- the real definition against the records the app writes ------------------------------------

  private final ConnectorRules connector = ConnectorRules.forTheConnector();
  private final SwaggerResponseValidator real = SwaggerResponseValidator.of(connector);

  @Test
  void theDefinitionDescribesTheEnrichmentRecordsAsJacksonWritesThemNullsIncluded() {
    Instant when = Instant.parse("2019-07-30T12:00:00Z");
    IpEnrichment full =
        new IpEnrichment(
            "81.2.69.142",
            "81.2.69.142",
            LookupStatus.OK,
            "public",
            new GeoLocation(
                "GB",
                "United Kingdom",
                "Europe",
                "England",
                "London",
                51.5,
                -0.1,
                10,
                "Europe/London",
                "GB"),
            new AutonomousSystem(15169L, "Google LLC", "1.0.0.0/24"),
            new WhoisNetwork(
                "1.1.1.0/24",
                "APNIC-LABS",
                "1.1.1.0 - 1.1.1.255",
                "APNIC",
                "AU",
                "abuse@example.net",
                when,
                when,
                "https://rdap.apnic.net/ip/1.1.1.0/24"),
            List.of());
    IpEnrichment empty =
        new IpEnrichment(
            "nonsense",
            "nonsense",
            LookupStatus.INVALID,
            null,
            null,
            null,
            null,
            List.of("not an address"));
    IpEnrichment allNullInside =
        new IpEnrichment(
            "1.1.1.1",
            "1.1.1.1",
            LookupStatus.OK,
            "public",
            new GeoLocation(null, null, null, null, null, null, null, null, null, null),
            new AutonomousSystem(null, null, null),
            new WhoisNetwork(
                null,
                null,
                null,
                "APNIC",
                null,
                null,
                null,
                null,
                "https://rdap.apnic.net/ip/1.1.1.1"),
            List.of());
    IpEnrichmentResponse ips =
        new IpEnrichmentResponse(
            List.of(full, empty, allNullInside),
            new BatchSummary(3, 2, 0, 0, 1, 0),
            List.of(new DatabaseInfo("geo", "GeoIP2-City", when, 2000, true)),
            List.of("stale"),
            "<p>table</p>");
    DomainEnrichment found =
        new DomainEnrichment(
            "www.google.com",
            "www.google.com",
            "google.com",
            LookupStatus.OK,
            "MarkMonitor Inc.",
            when,
            when,
            when,
            9000L,
            false,
            List.of("client transfer prohibited"),
            List.of("ns1.google.com"),
            true,
            "abuse@markmonitor.com",
            "https://rdap.markmonitor.com/rdap/domain/GOOGLE.COM",
            List.of());
    DomainEnrichment invalid =
        new DomainEnrichment(
            null,
            "co.uk",
            null,
            LookupStatus.INVALID,
            null,
            null,
            null,
            null,
            null,
            null,
            List.of(),
            List.of(),
            null,
            null,
            null,
            List.of("a public suffix"));
    DomainEnrichmentResponse domains =
        new DomainEnrichmentResponse(
            List.of(found, invalid), new BatchSummary(2, 1, 0, 0, 1, 0), List.of(), "<p>table</p>");

    assertThat(real.validate(definition("IpEnrichmentResponse"), written(ips))).isEmpty();
    assertThat(real.validate(definition("DomainEnrichmentResponse"), written(domains))).isEmpty();
  }

  @Test
  void theDefinitionDescribesTheHealthProviderAndProblemRecordsAsJacksonWritesThem() {
    Instant when = Instant.parse("2019-07-30T12:00:00Z");
    ProviderInfo geoip =
        new ProviderInfo(
            "geoip",
            "GeoIP",
            List.of(Capability.ENRICH),
            true,
            "GeoIP databases",
            Readiness.Status.DEGRADED);
    HealthReport health =
        new HealthReport(
            HealthReport.Status.DEGRADED,
            "1.0.0",
            when,
            List.of(
                new ComponentHealth(
                    "storage", Readiness.Status.OK, "Table storage answers", null, null, null),
                new ComponentHealth(
                    "geoip", Readiness.Status.DEGRADED, "stale", "GeoIP2-City", when, 2000L),
                new ComponentHealth(
                    "asn", Readiness.Status.NOT_CONFIGURED, null, null, null, null)),
            List.of(geoip),
            List.of("geoip: stale"));
    ProviderList providers =
        new ProviderList(
            List.of(
                new ProviderInfo(
                    "asn", "ASN", List.of(Capability.ENRICH), false, "ASN database", null)));
    Problem problem =
        new Problem(
            "urn:soc-actions:problem:not-configured",
            "Not configured",
            422,
            "Fix it",
            "/api/v1/enrich/ips",
            List.of(new FieldError("ips[0]", "bad")),
            "private-range",
            "GEOIP_STALE_AFTER_DAYS",
            "c1");

    assertThat(real.validate(definition("HealthReport"), written(health))).isEmpty();
    assertThat(real.validate(definition("ProviderList"), written(providers))).isEmpty();
    assertThat(real.validate(definition("Problem"), written(problem))).isEmpty();
  }

  private JsonNode definition(String name) {
    return MAPPER.createObjectNode().put("$ref", "#/definitions/" + name);
  }

  private static JsonNode written(Object record) {
    try {
      return MAPPER.readTree(Json.MAPPER.writeValueAsString(record));
    } catch (JsonProcessingException e) {
      throw new AssertionError(e);
    }
  }

  private List<Violation> ok(String body) {
    return validator.validateResponse(
        "GetThings",
        200,
        headers("Content-Type", "application/json; charset=utf-8", "x-correlation-id", "c1"),
        body);
  }

  /** The body with some top-level fields replaced by raw JSON values (name, json, ...). */
  private static String with(String body, String... replacements) {
    try {
      ObjectNode node = (ObjectNode) MAPPER.readTree(body);
      for (int i = 0; i + 1 < replacements.length; i += 2) {
        node.set(replacements[i], MAPPER.readTree(replacements[i + 1]));
      }
      return node.toString();
    } catch (JsonProcessingException e) {
      throw new AssertionError(e);
    }
  }

  private static Function<String, Optional<String>> headers(String... namesAndValues) {
    Map<String, String> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
      byName.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return name -> Optional.ofNullable(byName.get(name.toLowerCase(Locale.ROOT)));
  }

  private static List<String> paths(List<Violation> found) {
    return found.stream().map(Violation::path).toList();
  }
}
