package com.socactions.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.socactions.openapi.ConnectorRules.Violation;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link ConnectorRules} against small definitions built to break one rule each, so a rule that
 * stopped seeing its violation fails here rather than passing silently on the real definition.
 */
class ConnectorRulesTest {

  /** A one-operation definition that follows every rule; the tests below break it one way each. */
  private static final String GOOD =
      """
      {
        "swagger": "2.0",
        "info": {"title": "T", "version": "1.0.0"},
        "paths": {
          "/v1/things": {
            "post": {
              "operationId": "EnrichThings",
              "summary": "Enrich things with IP data",
              "description": "Enriches the things it is given.",
              "parameters": [
                {"name": "body", "in": "body", "required": true, "x-ms-summary": "Request",
                 "schema": {"$ref": "#/definitions/Request"}},
                {"$ref": "#/parameters/Mode"}
              ],
              "responses": {
                "200": {"description": "OK", "schema": {"$ref": "#/definitions/Answer"}},
                "400": {"description": "Bad"}
              }
            }
          }
        },
        "parameters": {
          "Mode": {"name": "mode", "in": "query", "type": "string", "required": true,
                   "x-ms-visibility": "internal", "default": "fast", "x-ms-summary": "Mode"}
        },
        "definitions": {
          "Request": {"type": "object", "required": ["things"], "properties": {
            "things": {"type": "array", "x-ms-summary": "Things", "items": {"type": "string"}}}},
          "Answer": {"type": "object", "properties": {
            "results": {"type": "array", "x-ms-summary": "Results", "items": {"$ref": "#/definitions/Result"}},
            "where": {"$ref": "#/definitions/Place"}}},
          "Result": {"type": "object", "properties": {
            "value": {"type": "string", "x-ms-summary": "Value"},
            "nested": {"type": "object", "x-ms-summary": "Nested", "properties": {
              "depth": {"type": "integer", "x-ms-summary": "Depth"}}}}},
          "Place": {"type": "object", "x-ms-summary": "Place", "properties": {
            "city": {"type": "string", "x-ms-summary": "City"}}}
        }
      }
      """;

  @Test
  void theGoodMiniDefinitionHasNoViolations() {
    assertThat(ConnectorRules.of(GOOD).all()).isEmpty();
  }

  @Test
  void anOperationIdWithAnUnderscoreIsReported() {
    List<Violation> found =
        rulesFor(GOOD.replace("\"EnrichThings\"", "\"enrich_things\"")).operationIdsArePascalCase();

    assertThat(found)
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.path()).isEqualTo("$.paths['/v1/things'].post.operationId");
              assertThat(v.message()).contains("enrich_things");
            });
  }

  @Test
  void aTitleCaseLongOrPunctuatedSummaryIsReportedForEachFault() {
    String summary = "Enrich Things with data " + "x".repeat(80) + ".";
    List<Violation> found =
        rulesFor(GOOD.replace("Enrich things with IP data", summary))
            .summariesAreSentenceCaseShortAndUnpunctuated();

    assertThat(found)
        .extracting(Violation::message)
        .hasSize(3)
        .anySatisfy(m -> assertThat(m).contains("more than 80"))
        .anySatisfy(m -> assertThat(m).contains("ends with punctuation"))
        .anySatisfy(m -> assertThat(m).contains("not sentence case: 'Things'"));
    assertThat(found)
        .extracting(Violation::path)
        .containsOnly("$.paths['/v1/things'].post.summary");
  }

  @Test
  void acronymsAndProperNounsAreAllowedInASentenceCaseSummary() {
    ConnectorRules rules =
        rulesFor(
            GOOD.replace(
                "Enrich things with IP data",
                "Look up ASN, GeoIP and WhoIs in Microsoft Sentinel"));

    assertThat(rules.summariesAreSentenceCaseShortAndUnpunctuated()).isEmpty();
  }

  @Test
  void aDescriptionWithoutAPeriodIsReported() {
    List<Violation> found =
        rulesFor(GOOD.replace("Enriches the things it is given.", "Enriches the things"))
            .descriptionsAreFullSentences();

    assertThat(found).singleElement().satisfies(v -> assertThat(v.message()).contains("period"));
  }

  @Test
  void missingSummariesAreReportedAtEveryDepthWithTheirDefinitionPath() {
    String broken =
        GOOD.replace(
                "\"x-ms-summary\": \"Depth\"",
                "\"title\": \"Depth\"") // nested object in array items
            .replace("\"x-ms-summary\": \"Things\", ", "") // request body property
            .replace("\"x-ms-summary\": \"Mode\"", "\"description\": \"Mode\"") // shared parameter
            .replace(
                "\"type\": \"object\", \"x-ms-summary\": \"Place\",",
                "\"type\": \"object\","); // $ref'd property

    List<Violation> found = rulesFor(broken).parametersAndPropertiesHaveXmsSummary();

    assertThat(found)
        .extracting(Violation::path)
        .containsExactlyInAnyOrder(
            "$.definitions.Result.properties.nested.properties.depth",
            "$.definitions.Request.properties.things",
            "$.parameters.Mode",
            "$.definitions.Answer.properties.where");
  }

  @Test
  void aPropertyBehindAnUnresolvableRefIsReported() {
    List<Violation> found =
        rulesFor(GOOD.replace("#/definitions/Result", "#/definitions/Missing"))
            .parametersAndPropertiesHaveXmsSummary();

    assertThat(found)
        .singleElement()
        .satisfies(v -> assertThat(v.message()).contains("unresolvable $ref"));
  }

  @Test
  void aSchemalessOkResponseIsReported() {
    List<Violation> found =
        rulesFor(
                GOOD.replace(
                    "\"200\": {\"description\": \"OK\", \"schema\": {\"$ref\":"
                        + " \"#/definitions/Answer\"}}",
                    "\"200\": {\"description\": \"OK\"}"))
            .okResponsesHaveSchemas();

    assertThat(found)
        .singleElement()
        .satisfies(
            v -> assertThat(v.path()).isEqualTo("$.paths['/v1/things'].post.responses['200']"));
  }

  @Test
  void aDefaultResponseWithASchemaIsReported() {
    List<Violation> found =
        rulesFor(
                GOOD.replace(
                    "\"400\": {\"description\": \"Bad\"}",
                    "\"default\": {\"description\": \"Bad\", \"schema\": {\"type\": \"object\"}}"))
            .defaultResponsesHaveNoSchema();

    assertThat(found)
        .singleElement()
        .satisfies(v -> assertThat(v.path()).endsWith(".responses['default'].schema"));
  }

  @Test
  void anInternalRequiredParameterWithoutDefaultIsReported() {
    List<Violation> found =
        rulesFor(GOOD.replace(", \"default\": \"fast\"", ""))
            .internalRequiredParametersHaveDefaults();

    assertThat(found)
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.path()).isEqualTo("$.parameters.Mode");
              assertThat(v.message()).contains("'mode'");
            });
  }

  @Test
  void anInternalRequiredBodyPropertyWithoutDefaultIsReported() {
    List<Violation> found =
        rulesFor(
                GOOD.replace(
                    "\"things\": {\"type\": \"array\",",
                    "\"things\": {\"type\": \"array\", \"x-ms-visibility\": \"internal\","))
            .internalRequiredParametersHaveDefaults();

    assertThat(found)
        .extracting(Violation::path)
        .containsExactly("$.definitions.Request.properties.things");
  }

  private static ConnectorRules rulesFor(String definition) {
    ConnectorRules rules = ConnectorRules.of(definition);
    assertThat(rules.operations()).as("the mutation kept the definition readable").hasSize(1);
    return rules;
  }
}
