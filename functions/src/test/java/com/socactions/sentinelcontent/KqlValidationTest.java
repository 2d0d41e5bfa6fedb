package com.socactions.sentinelcontent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every KQL query the solution ships (analytic rules, hunting queries, the workbook's queries and
 * parameters) parses and resolves with Microsoft's Kusto language service against the schemas of
 * the tables it reads: the standard tables as recorded in the shared fixtures, {@code
 * SOCActions_CL} as the shipped template creates it.
 */
class KqlValidationTest {
  private static Map<String, KustoLanguageService.Analysis> analyses;

  @BeforeAll
  static void analyzeEverything() {
    analyses = KustoLanguageService.analyze(SentinelContent.tables(), SentinelContent.allQueries());
  }

  @Test
  void everyShippedQueryParsesAndResolvesAgainstTheTablesSchemas() {
    Map<String, List<String>> errors = new LinkedHashMap<>();
    analyses.forEach(
        (id, analysis) -> {
          if (!analysis.errors().isEmpty()) {
            errors.put(
                id,
                analysis.errors().stream()
                    .map(d -> d.message() + " (at " + d.start() + ")")
                    .toList());
          }
        });
    assertThat(errors).isEmpty();
    assertThat(analyses).hasSizeGreaterThanOrEqualTo(3 + 4 + 9);
  }

  @Test
  void everyColumnARuleOrHuntingQueryMapsToAnEntityOrDetailIsInItsResult() {
    Map<String, Set<String>> missing = new LinkedHashMap<>();
    Map<String, JsonNode> templates = new LinkedHashMap<>();
    SentinelContent.rules().forEach((file, rule) -> templates.put("rule: " + file, rule));
    SentinelContent.huntingQueries()
        .forEach((file, query) -> templates.put("hunting: " + file, query));
    templates.forEach(
        (id, template) -> {
          Set<String> used = new TreeSet<>();
          template
              .path("entityMappings")
              .forEach(
                  mapping ->
                      mapping
                          .path("fieldMappings")
                          .forEach(field -> used.add(field.path("columnName").asText())));
          template.path("customDetails").forEach(value -> used.add(value.asText()));
          List<String> columns = analyses.get(id).columns();
          Set<String> absent = new TreeSet<>(used);
          absent.removeAll(columns);
          if (!absent.isEmpty()) {
            missing.put(id, absent);
          }
        });
    assertThat(missing).isEmpty();
  }

  @Test
  void theAlertTemplatesNameOnlyColumnsOfTheResult() {
    Map<String, List<String>> missing = new LinkedHashMap<>();
    SentinelContent.rules()
        .forEach(
            (file, rule) -> {
              List<String> absent = new ArrayList<>();
              rule.path("alertDetailsOverride")
                  .forEach(
                      format -> {
                        var matcher =
                            java.util.regex.Pattern.compile("\\{\\{([A-Za-z_]\\w*)\\}\\}")
                                .matcher(format.asText());
                        while (matcher.find()) {
                          if (!analyses.get("rule: " + file).columns().contains(matcher.group(1))) {
                            absent.add(matcher.group(1));
                          }
                        }
                      });
              if (!absent.isEmpty()) {
                missing.put(file, absent);
              }
            });
    assertThat(missing).isEmpty();
  }

  @Test
  void aQueryThatNamesAColumnTheTableLacksIsReported() {
    Map<String, KustoLanguageService.Analysis> broken =
        KustoLanguageService.analyze(
            SentinelContent.tables(),
            Map.of(
                "wrong column",
                "SOCActions_CL | where Indicatr == '203.0.113.7'",
                "wrong table",
                "SigninLog | take 1",
                "a real column of a standard table",
                "SigninLogs | where IPAddress == '203.0.113.7' | project UserPrincipalName"));

    assertThat(broken.get("wrong column").errors())
        .singleElement()
        .satisfies(error -> assertThat(error.message()).contains("Indicatr"));
    assertThat(broken.get("wrong table").errors()).isNotEmpty();
    assertThat(broken.get("a real column of a standard table").errors()).isEmpty();
  }

  @Test
  void aWorkbookParameterTheWorkbookDoesNotDeclareIsRefused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> SentinelContent.expand("SOCActions_CL | where Provider in ({Providers})"))
        .hasMessageContaining("{Providers}");
  }
}
