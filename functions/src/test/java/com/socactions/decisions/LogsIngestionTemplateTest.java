package com.socactions.decisions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The template that makes Log Analytics ready for the decisions ({@code arm/logs-ingestion.json})
 * creates exactly the table and stream the connector writes, a rule of kind Direct that sends the
 * stream to it unchanged, and the role the app needs.
 */
class LogsIngestionTemplateTest {
  private static JsonNode template;

  @BeforeAll
  static void read() throws Exception {
    template = new ObjectMapper().readTree(Files.readString(FakeLogsIngestionApi.TEMPLATE));
  }

  private static JsonNode resource(String type) {
    for (JsonNode resource : template.path("resources")) {
      if (resource.path("type").asText().equals(type)) {
        return resource;
      }
    }
    throw new AssertionError("no " + type);
  }

  private static List<String> columns(JsonNode columns) {
    List<String> found = new ArrayList<>();
    columns.forEach(c -> found.add(c.path("name").asText() + ":" + c.path("type").asText()));
    return found;
  }

  @Test
  void theTableAndTheStreamHaveTheDecisionsColumnsWithTheirTypes() {
    List<String> expected =
        Arrays.stream(DecisionColumn.values())
            .map(c -> c.columnName() + ":" + c.type().wireName())
            .toList();

    assertThat(columns(template.at("/variables/columns"))).containsExactlyElementsOf(expected);
    assertThat(columns(template.at("/variables/streamColumns")))
        .containsExactlyElementsOf(expected);
    template
        .at("/variables/columns")
        .forEach(column -> assertThat(column.path("description").asText()).isNotBlank());
    JsonNode table = resource("Microsoft.OperationalInsights/workspaces/tables");
    assertThat(table.path("name").asText()).contains("variables('tableName')");
    assertThat(template.at("/variables/tableName").asText()).isEqualTo("SOCActions_CL");
    assertThat(table.at("/properties/schema/columns").asText()).isEqualTo("[variables('columns')]");
  }

  @Test
  void theRuleIsDirectAndSendsTheStreamUnchangedToTheTable() {
    JsonNode rule = resource("Microsoft.Insights/dataCollectionRules");

    assertThat(rule.path("kind").asText()).isEqualTo("Direct");
    assertThat(rule.at("/properties/streamDeclarations").has(LogsIngestionSettings.DEFAULT_STREAM))
        .isTrue();
    JsonNode flow = rule.at("/properties/dataFlows/0");
    assertThat(template.at("/variables/streamName").asText())
        .isEqualTo(LogsIngestionSettings.DEFAULT_STREAM);
    assertThat(flow.path("transformKql").asText()).isEqualTo("source");
    assertThat(flow.path("outputStream").asText()).isEqualTo("[variables('streamName')]");
    assertThat(flow.at("/destinations/0").asText())
        .isEqualTo(rule.at("/properties/destinations/logAnalytics/0/name").asText());
    assertThat(rule.path("dependsOn").toString()).contains("workspaces/tables");
  }

  @Test
  void theAppsIdentityGetsMonitoringMetricsPublisherOnTheRuleAndTheOutputsAreItsSettings() {
    JsonNode role = resource("Microsoft.Authorization/roleAssignments");

    assertThat(role.path("scope").asText()).contains("Microsoft.Insights/dataCollectionRules/");
    assertThat(template.at("/variables/monitoringMetricsPublisher").asText())
        .isEqualTo("3913510d-42f4-4e42-8a64-420c390055eb");
    // The identity given, or else the named Function App's.
    assertThat(role.at("/properties/principalId").asText())
        .startsWith("[if(empty(parameters('principalId')), reference(variables('appId')")
        .endsWith("identity.principalId, parameters('principalId'))]");
    assertThat(role.at("/properties/principalType").asText()).isEqualTo("ServicePrincipal");
    assertThat(template.path("outputs").has(LogsIngestionSettings.ENDPOINT)).isTrue();
    assertThat(template.path("outputs").has(LogsIngestionSettings.RULE_ID)).isTrue();
    assertThat(template.path("outputs").has(LogsIngestionSettings.STREAM)).isTrue();
    assertThat(template.at("/outputs/LOGS_INGESTION_ENDPOINT/value").asText())
        .contains("endpoints.logsIngestion");
    assertThat(template.at("/outputs/LOGS_INGESTION_RULE_ID/value").asText())
        .contains("immutableId");
  }

  @Test
  void givenTheFunctionAppItMergesTheThreeSettingsIntoTheAppsOwnAfterTheRole() {
    JsonNode settings = resource("Microsoft.Resources/deployments");

    assertThat(settings.path("condition").asText())
        .isEqualTo("[not(empty(parameters('functionAppName')))]");
    assertThat(settings.path("resourceGroup").asText())
        .isEqualTo("[parameters('functionAppResourceGroup')]");
    assertThat(settings.path("dependsOn").toString()).contains("roleAssignments");
    JsonNode config = settings.at("/properties/template/resources/0");
    assertThat(config.path("type").asText()).isEqualTo("Microsoft.Web/sites/config");
    String merged = config.at("/properties").asText();
    // The app's other settings stay: the new ones are a union with what the app has.
    assertThat(merged).startsWith("[union(list(resourceId('Microsoft.Web/sites/config'");
    assertThat(merged)
        .contains("'" + LogsIngestionSettings.ENDPOINT + "', parameters('endpoint')")
        .contains("'" + LogsIngestionSettings.RULE_ID + "', parameters('ruleImmutableId')")
        .contains("'" + LogsIngestionSettings.STREAM + "', parameters('stream')");
    assertThat(settings.at("/properties/parameters/endpoint/value").asText())
        .contains("endpoints.logsIngestion");
    assertThat(settings.at("/properties/parameters/ruleImmutableId/value").asText())
        .contains("immutableId");
  }
}
