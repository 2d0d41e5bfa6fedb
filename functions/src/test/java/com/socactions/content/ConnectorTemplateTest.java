package com.socactions.content;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.socactions.openapi.ConnectorRules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code arm/connector.json} is generated from {@code openapi/} and cannot drift from it. To
 * regenerate after changing the definition: {@code mvn -pl functions test
 * -Dtest=ConnectorTemplateTest -Dsoc.content.regenerate=true}.
 */
class ConnectorTemplateTest {
  private static final Path COMMITTED =
      ContentLinterTest.REPOSITORY.resolve(ConnectorTemplate.FILE);

  private final JsonNode swagger = ConnectorRules.readJson(ConnectorRules.DEFINITION);
  private final JsonNode apiProperties = ConnectorRules.readJson(ConnectorRules.PROPERTIES);

  @Test
  void theCommittedConnectorTemplateIsTheOneGeneratedFromTheDefinition() throws IOException {
    String generated = ConnectorTemplate.render(ConnectorTemplate.generate(swagger, apiProperties));
    if (Boolean.getBoolean("soc.content.regenerate")) {
      Files.writeString(COMMITTED, generated);
    }
    assertThat(Files.readString(COMMITTED))
        .as(
            "%s drifted from openapi/: regenerate it (see this test's Javadoc)",
            ConnectorTemplate.FILE)
        .isEqualTo(generated);
  }

  @Test
  void theEmbeddedSwaggerIsTheDefinitionWithTheFunctionAppAsHost() {
    JsonNode embedded =
        ConnectorTemplate.generate(swagger, apiProperties).at("/resources/0/properties/swagger");

    assertThat(embedded.path("host").asText()).isEqualTo("[parameters('FunctionAppHostName')]");
    assertThat(embedded.path("paths")).isEqualTo(swagger.path("paths"));
    assertThat(embedded.path("definitions")).isEqualTo(swagger.path("definitions"));
  }

  @Test
  void theFunctionKeyIsASecureConnectionParameter() {
    JsonNode properties =
        ConnectorTemplate.generate(swagger, apiProperties).at("/resources/0/properties");

    assertThat(properties.at("/connectionParameters/api_key/type").asText())
        .isEqualTo("securestring");
    assertThat(properties.at("/backendService/serviceUrl").asText())
        .isEqualTo("[concat('https://', parameters('FunctionAppHostName'), '/api')]");
  }

  @Test
  void swaggerStringsThatLookLikeArmExpressionsAreEscaped() {
    JsonNode tricky = swagger.deepCopy();
    ((ObjectNode) tricky.path("info")).put("description", "[beta] SOC Actions");

    JsonNode embedded =
        ConnectorTemplate.generate(tricky, apiProperties).at("/resources/0/properties/swagger");

    assertThat(embedded.at("/info/description").asText()).isEqualTo("[[beta] SOC Actions");
  }
}
