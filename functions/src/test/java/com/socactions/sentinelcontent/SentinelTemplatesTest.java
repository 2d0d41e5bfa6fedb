package com.socactions.sentinelcontent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The analytic rules, hunting queries and workbook pass what Azure-Sentinel's validators check (see
 * {@link SentinelTemplateRules}; the workbook: {@code workbooksTemplateValidator} and the workbook
 * metadata checkers).
 */
class SentinelTemplatesTest {
  @Test
  void theRulesTheIssueAsksForAreShipped() {
    assertThat(SentinelContent.rules().values())
        .extracting(rule -> rule.path("name").asText())
        .anyMatch(name -> name.contains("seen again"))
        .anyMatch(name -> name.contains("override"))
        .anyMatch(name -> name.contains("failing upstream"));
    assertThat(SentinelContent.huntingQueries()).hasSizeGreaterThanOrEqualTo(3);
  }

  @Test
  void everyAnalyticRulePassesTheDetectionTemplateValidation() {
    Map<String, List<String>> problems = new LinkedHashMap<>();
    SentinelContent.rules()
        .forEach(
            (file, rule) -> {
              List<String> found = SentinelTemplateRules.scheduledRuleProblems(rule);
              if (!found.isEmpty()) {
                problems.put(file, found);
              }
            });
    assertThat(problems).isEmpty();
  }

  @Test
  void everyHuntingQueryPassesTheSameChecks() {
    Map<String, List<String>> problems = new LinkedHashMap<>();
    SentinelContent.huntingQueries()
        .forEach(
            (file, query) -> {
              List<String> found = SentinelTemplateRules.huntingQueryProblems(query);
              if (!found.isEmpty()) {
                problems.put(file, found);
              }
            });
    assertThat(problems).isEmpty();
  }

  @Test
  void noTwoTemplatesShareAnId() {
    List<String> ids = new ArrayList<>();
    SentinelContent.rules().values().forEach(rule -> ids.add(rule.path("id").asText()));
    SentinelContent.huntingQueries().values().forEach(query -> ids.add(query.path("id").asText()));
    assertThat(new HashSet<>(ids)).hasSameSizeAs(ids);
  }

  @Test
  void theChecksRejectWhatTheValidatorRejects() {
    ObjectNode rule = (ObjectNode) SentinelContent.rules().values().iterator().next().deepCopy();
    rule.put("queryFrequency", "2m");
    rule.put("severity", "Critical");
    ((ArrayNode) rule.withArray("relevantTechniques")).removeAll().add("T1531");
    ((ObjectNode) rule.path("entityMappings").get(0).path("fieldMappings").get(0))
        .put("identifier", "HostName");

    List<String> problems = SentinelTemplateRules.scheduledRuleProblems(rule);

    assertThat(problems)
        .anyMatch(p -> p.contains("2m"))
        .anyMatch(p -> p.contains("severity"))
        .anyMatch(p -> p.contains("T1531"))
        .anyMatch(p -> p.contains("identifier HostName"));
  }

  @Test
  void theWorkbookIsATemplateSentinelAccepts() {
    JsonNode workbook = SentinelContent.workbook();
    String text = SentinelContent.workbook().toString();

    assertThat(workbook.path("version").asText()).isEqualTo("Notebook/1.0");
    assertThat(workbook.path("$schema").asText())
        .isEqualTo(
            "https://github.com/Microsoft/Application-Insights-Workbooks/blob/master/schema/workbook.json");
    assertThat(workbook.path("fromTemplateId").asText())
        .isEqualTo("sentinel-SOCActions")
        .isNotEqualTo("sentinel-UserWorkbook");
    // containResourceInfoChecker: no subscriptions/<guid> anywhere in a template.
    assertThat(text).doesNotContainPattern("subscriptions/[0-9a-fA-F]{8}-");
    Set<String> parameters = new HashSet<>();
    workbook
        .path("items")
        .forEach(
            item ->
                item.path("content")
                    .path("parameters")
                    .forEach(parameter -> parameters.add(parameter.path("name").asText())));
    assertThat(parameters).contains("TimeRange", "Provider");
    workbook
        .path("items")
        .forEach(
            item -> {
              if (item.path("type").asInt() == 3) {
                assertThat(item.at("/content/version").asText()).isEqualTo("KqlItem/1.0");
                assertThat(item.at("/content/queryType").asInt()).isZero();
                assertThat(item.at("/content/resourceType").asText())
                    .isEqualTo("microsoft.operationalinsights/workspaces");
                assertThat(item.at("/content/title").asText()).isNotBlank();
              }
            });
  }

  @Test
  void theWorkbooksMetadataNamesTheTemplateAndADarkAndALightPreview() throws Exception {
    JsonNode entry = SentinelContent.read(SentinelContent.WORKBOOKS_METADATA).get(0);

    assertThat(entry.path("templateRelativePath").asText()).isEqualTo("SOCActions.json");
    assertThat(entry.path("dataTypesDependencies").toString()).contains("SOCActions_CL");
    List<String> previews = new ArrayList<>();
    entry.path("previewImagesFileNames").forEach(name -> previews.add(name.asText()));
    // previewImageChecker: PNG only, each naming Black/White (or Dark/Light), one of each.
    assertThat(previews).allMatch(name -> name.endsWith(".png"));
    assertThat(previews).anyMatch(name -> name.contains("Black"));
    assertThat(previews).anyMatch(name -> name.contains("White"));
    Path images =
        SentinelContent.SOLUTION.resolve("Workbooks").resolve("Images").resolve("Preview");
    for (String preview : previews) {
      byte[] png = Files.readAllBytes(images.resolve(preview));
      assertThat(png).startsWith(new byte[] {(byte) 0x89, 'P', 'N', 'G'});
    }
  }
}
