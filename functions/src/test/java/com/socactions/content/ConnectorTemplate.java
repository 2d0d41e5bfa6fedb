package com.socactions.content;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Generates {@code arm/connector.json}, the ARM template of the custom connector ({@code
 * Microsoft.Web/customApis}), from the connector definition in {@code openapi/}: the swagger
 * embedded whole, its host and the backend URL taken from the {@code FunctionAppHostName}
 * parameter, the {@code api_key} connection parameter from {@code apiProperties.json}.
 *
 * <p>The template is generated, never edited: {@code ConnectorTemplateTest} fails when the
 * committed file differs from what this class makes. Strings of the swagger that ARM would take for
 * an expression (they start with {@code [}) are escaped as {@code [[}.
 */
final class ConnectorTemplate {
  /** The generated template, relative to the repository root. */
  static final Path FILE = Path.of("arm", "connector.json");

  static final String DEFAULT_CONNECTOR_NAME = "SOC-Actions";

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ConnectorTemplate() {}

  /**
   * The template for {@code swagger} and {@code apiProperties} (both as read from {@code
   * openapi/}).
   */
  static ObjectNode generate(JsonNode swagger, JsonNode apiProperties) {
    ObjectNode template = JSON.objectNode();
    template.put(
        "$schema",
        "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#");
    template.put("contentVersion", "1.0.0.0");
    template
        .putObject("metadata")
        .put(
            "description",
            "GENERATED from openapi/apiDefinition.swagger.json and openapi/apiProperties.json by"
                + " ConnectorTemplateTest; do not edit: change openapi/ and regenerate.");

    ObjectNode parameters = template.putObject("parameters");
    parameter(
        parameters,
        "CustomConnectorName",
        DEFAULT_CONNECTOR_NAME,
        "Name of the custom connector resource; playbooks refer to it by this name.");
    parameter(
        parameters,
        "FunctionAppHostName",
        null,
        "Host name of the SOC Actions Function App, e.g. soc-actions-abc123.azurewebsites.net.");
    parameter(parameters, "location", "[resourceGroup().location]", "Region of the connector.");

    ObjectNode properties = JSON.objectNode();
    properties.put("displayName", "[parameters('CustomConnectorName')]");
    properties.set("description", swagger.at("/info/description"));
    properties.set("brandColor", apiProperties.at("/properties/iconBrandColor"));
    properties.put("apiType", "Rest");
    properties
        .putObject("backendService")
        .put(
            "serviceUrl",
            "[concat('https://', parameters('FunctionAppHostName'), '"
                + swagger.path("basePath").asText()
                + "')]");
    properties.set("connectionParameters", apiProperties.at("/properties/connectionParameters"));
    ObjectNode embedded = (ObjectNode) escapeArm(swagger.deepCopy());
    embedded.put("host", "[parameters('FunctionAppHostName')]");
    properties.set("swagger", embedded);
    properties.set("capabilities", apiProperties.at("/properties/capabilities"));

    ObjectNode resource = template.putArray("resources").addObject();
    resource.put("type", "Microsoft.Web/customApis");
    resource.put("apiVersion", "2016-06-01");
    resource.put("name", "[parameters('CustomConnectorName')]");
    resource.put("location", "[parameters('location')]");
    resource.set("properties", properties);

    ObjectNode outputs = template.putObject("outputs");
    outputs
        .putObject("customApiId")
        .put("type", "string")
        .put(
            "value", "[resourceId('Microsoft.Web/customApis', parameters('CustomConnectorName'))]");
    return template;
  }

  /**
   * The template as the committed file holds it: 2-space indentation, {@code "key": value}, final
   * newline.
   */
  static String render(JsonNode template) {
    DefaultPrettyPrinter printer =
        new DefaultPrettyPrinter(
                Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n"));
    try {
      return MAPPER.writer(printer).writeValueAsString(template) + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  // A string parameter; a null default makes it required.
  private static void parameter(
      ObjectNode parameters, String name, String defaultValue, String description) {
    ObjectNode parameter = parameters.putObject(name).put("type", "string");
    if (defaultValue != null) {
      parameter.put("defaultValue", defaultValue);
    }
    parameter.putObject("metadata").put("description", description);
  }

  private static JsonNode escapeArm(JsonNode node) {
    if (node.isTextual() && node.asText().startsWith("[")) {
      return TextNode.valueOf("[" + node.asText());
    }
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        e.setValue(escapeArm(e.getValue()));
      }
    } else if (node.isArray()) {
      ArrayNode array = (ArrayNode) node;
      for (int i = 0; i < array.size(); i++) {
        array.set(i, escapeArm(array.get(i)));
      }
    }
    return node;
  }
}
