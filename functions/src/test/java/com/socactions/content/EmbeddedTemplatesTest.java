package com.socactions.content;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code arm/functionapp.json} carries {@code arm/logs-ingestion.json} inline as its nested
 * deployment {@code soc-actions-logs-ingestion} (so the Function App template, deployed alone, from
 * {@code arm/azuredeploy.json} or from Content Hub, makes the decisions' table, rule and role), and
 * the copy cannot drift from the file people edit and deploy alone. To regenerate: {@code mvn -pl
 * functions test -Dtest=EmbeddedTemplatesTest -Dsoc.content.regenerate=true} (run before the other
 * generators: {@code scripts/regenerate-content}).
 */
class EmbeddedTemplatesTest {
  private static final Path ROOT = ContentLinterTest.REPOSITORY;
  private static final Path FUNCTION_APP = ROOT.resolve("arm").resolve("functionapp.json");
  private static final Path LOGS_INGESTION = ROOT.resolve("arm").resolve("logs-ingestion.json");
  static final String DEPLOYMENT = "soc-actions-logs-ingestion";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void theFunctionAppCarriesTheLogsIngestionTemplateAsItIs() throws IOException {
    JsonNode functionApp = MAPPER.readTree(Files.readString(FUNCTION_APP));
    ObjectNode deployment = nestedDeployment(functionApp);
    ((ObjectNode) deployment.get("properties"))
        .set("template", MAPPER.readTree(Files.readString(LOGS_INGESTION)));
    String generated = ConnectorTemplate.render(functionApp);
    if (Boolean.getBoolean("soc.content.regenerate")) {
      Files.writeString(FUNCTION_APP, generated);
    }
    assertThat(Files.readString(FUNCTION_APP))
        .as(
            "%s drifted from %s: regenerate it (see this test's Javadoc)",
            FUNCTION_APP, LOGS_INGESTION)
        .isEqualTo(generated);
  }

  @Test
  void theFunctionAppPassesTheLogsIngestionTemplateExactlyTheParametersItTakes()
      throws IOException {
    ObjectNode deployment = nestedDeployment(MAPPER.readTree(Files.readString(FUNCTION_APP)));
    JsonNode taken = MAPPER.readTree(Files.readString(LOGS_INGESTION)).path("parameters");
    JsonNode passed = deployment.at("/properties/parameters");
    java.util.List<String> names = new java.util.ArrayList<>();
    passed.fieldNames().forEachRemaining(names::add);
    for (String name : names) {
      assertThat(taken.has(name)).as("logs-ingestion.json takes %s", name).isTrue();
    }
    taken
        .fields()
        .forEachRemaining(
            e -> {
              if (!e.getValue().has("defaultValue")) {
                assertThat(names).as("required parameter passed").contains(e.getKey());
              }
            });
    // Off unless a workspace is named: the template deployed alone sends nothing anywhere.
    assertThat(deployment.path("condition").asText())
        .isEqualTo("[not(empty(parameters('SentinelWorkspaceName')))]");
    assertThat(passed.has("functionAppName")).isTrue();
  }

  private static ObjectNode nestedDeployment(JsonNode template) {
    for (JsonNode resource : template.path("resources")) {
      if (resource.path("type").asText().equals("Microsoft.Resources/deployments")
          && resource.path("name").asText().equals(DEPLOYMENT)) {
        return (ObjectNode) resource;
      }
    }
    throw new AssertionError("arm/functionapp.json has no deployment " + DEPLOYMENT);
  }
}
