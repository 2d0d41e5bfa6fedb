package com.socactions.content;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Generates {@code arm/azuredeploy.json}, the one self-contained template a deployer runs, from its
 * source {@code arm/main.json}: every object {@code {"$include": "path"}} there (a path from the
 * repository root) is replaced by the component template at that path, so each nested deployment
 * carries its template inline (with inner expression scope) and nothing is linked. The components
 * stay the files people edit and deploy alone ({@code arm/functionapp.json}, the playbooks, ...).
 *
 * <p>Generated, never edited: {@code DeployTemplateTest} fails when the committed file differs from
 * what this class makes; regenerate with {@code mvn -pl functions test -Dtest=DeployTemplateTest
 * -Dsoc.content.regenerate=true}.
 */
final class DeployTemplate {
  /** The source, relative to the repository root. */
  static final Path SOURCE = Path.of("arm", "main.json");

  /** The generated template, relative to the repository root. */
  static final Path FILE = Path.of("arm", "azuredeploy.json");

  static final String INCLUDE = "$include";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private DeployTemplate() {}

  /** The deployable template for the repository at {@code root}. */
  static ObjectNode generate(Path root) {
    ObjectNode source = (ObjectNode) read(root.resolve(SOURCE));
    ObjectNode template = (ObjectNode) resolve(source.deepCopy(), root);
    ObjectNode metadata = template.putObject("metadata");
    metadata.put(
        "description",
        "SOC Actions in one deployment: the Function App with its code (from PackageUri), the"
            + " custom connector, the playbooks Enrich-Incident, Block-Indicators, Unblock-IP and"
            + " Allow-IP, Contain-Account and (with a ticket system) Sync-Ticket, Microsoft"
            + " Sentinel Responder for every identity on the workspace, Automation Contributor for"
            + " Microsoft Sentinel, and the automation rules. Self-contained: az deployment group"
            + " create --template-file arm/azuredeploy.json, or a template spec. Microsoft Graph"
            + " and Defender application permissions are granted after it (README, Deploy).");
    metadata.put(
        "generator",
        "GENERATED from arm/main.json and the component templates it includes by"
            + " DeployTemplateTest; do not edit: change the sources and regenerate.");
    return template;
  }

  /** The components {@code arm/main.json} includes, in order, relative to the repository root. */
  static List<String> includes(Path root) {
    List<String> found = new ArrayList<>();
    collect(read(root.resolve(SOURCE)), found);
    return found;
  }

  // Replaces every {"$include": path} object, depth first; included templates are not searched
  // (components never include).
  private static JsonNode resolve(JsonNode node, Path root) {
    if (node.isObject()) {
      if (node.size() == 1 && node.has(INCLUDE)) {
        return read(root.resolve(node.get(INCLUDE).asText()));
      }
      ObjectNode object = (ObjectNode) node;
      for (Map.Entry<String, JsonNode> e : object.properties()) {
        e.setValue(resolve(e.getValue(), root));
      }
    } else if (node.isArray()) {
      ArrayNode array = (ArrayNode) node;
      for (int i = 0; i < array.size(); i++) {
        array.set(i, resolve(array.get(i), root));
      }
    }
    return node;
  }

  private static void collect(JsonNode node, List<String> found) {
    if (node.isObject() && node.size() == 1 && node.has(INCLUDE)) {
      found.add(node.get(INCLUDE).asText());
    } else if (node.isContainerNode()) {
      node.forEach(child -> collect(child, found));
    }
  }

  static JsonNode read(Path file) {
    try {
      return MAPPER.readTree(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
