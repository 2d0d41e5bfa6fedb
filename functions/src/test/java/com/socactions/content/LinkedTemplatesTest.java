package com.socactions.content;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The one-click deployment holds together: every template {@code arm/azuredeploy.json} links by
 * {@code relativePath} exists, gets only parameters it defines and every one it requires, and the
 * portal form ({@code arm/createUiDefinition.json}) fills only parameters the template has and
 * every one it requires. These are the breaks ARM reports only at deployment time.
 */
class LinkedTemplatesTest {
  private static final Path ARM = ContentLinterTest.REPOSITORY.resolve("arm");
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void everyLinkedTemplateExistsAndGetsExactlyTheParametersItTakes() throws IOException {
    List<String> problems = new ArrayList<>();
    for (JsonNode resource : read(ARM.resolve("azuredeploy.json")).path("resources")) {
      String relative = resource.at("/properties/templateLink/relativePath").asText();
      if (relative.isEmpty()) {
        continue;
      }
      Path linked = ARM.resolve(relative).normalize();
      if (!Files.isRegularFile(linked)) {
        problems.add(resource.path("name").asText() + ": " + relative + " does not exist");
        continue;
      }
      problems.addAll(mismatches(resource.path("name").asText(), read(linked).path("parameters"),
          resource.at("/properties/parameters")));
    }
    assertThat(problems).isEmpty();
  }

  /**
   * A playbook whose identity lacks Microsoft Sentinel Responder deploys fine and fails on its
   * first comment, so each one the top-level template deploys must be in the role deployment's
   * principal list, and that deployment must wait for it (its identity exists only then).
   */
  @Test
  void everyPlaybookTheTopLevelTemplateDeploysGetsTheResponderRole() throws IOException {
    JsonNode resources = read(ARM.resolve("azuredeploy.json")).path("resources");
    JsonNode roles = null;
    for (JsonNode resource : resources) {
      if (resource.at("/properties/templateLink/relativePath").asText().equals("sentinel-roles.json")) {
        roles = resource;
      }
    }
    assertThat(roles).as("the deployment of sentinel-roles.json").isNotNull();
    String principals = roles.at("/properties/parameters/PrincipalIds/value").asText();
    String dependsOn = roles.path("dependsOn").toString();

    List<String> problems = new ArrayList<>();
    for (JsonNode resource : resources) {
      if (!resource.at("/properties/templateLink/relativePath").asText().startsWith("../playbooks/")) {
        continue;
      }
      String deployment = resource.path("name").asText();
      String playbook = resource.at("/properties/parameters/PlaybookName/value").asText();
      if (!principals.contains("'Microsoft.Logic/workflows', '" + playbook + "'")) {
        problems.add(deployment + ": playbook '" + playbook + "' is not among the Responder principals");
      }
      if (!dependsOn.contains("'" + deployment + "'")) {
        problems.add(deployment + ": the Responder deployment does not wait for it");
      }
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void thePortalFormFillsExactlyTheParametersTheTopLevelTemplateTakes() throws IOException {
    JsonNode outputs = read(ARM.resolve("createUiDefinition.json")).at("/parameters/outputs");

    assertThat(mismatches("createUiDefinition", read(ARM.resolve("azuredeploy.json")).path("parameters"), outputs))
        .isEmpty();
  }

  // Names given that the template does not define, and parameters without a default not given.
  private static List<String> mismatches(String caller, JsonNode defined, JsonNode given) {
    List<String> problems = new ArrayList<>();
    given.fieldNames().forEachRemaining(name -> {
      if (!defined.has(name)) {
        problems.add(caller + " passes '" + name + "', which the template does not define");
      }
    });
    defined.fields().forEachRemaining(p -> {
      if (!p.getValue().has("defaultValue") && !given.has(p.getKey())) {
        problems.add(caller + " does not pass '" + p.getKey() + "', which has no default");
      }
    });
    return problems;
  }

  private static JsonNode read(Path file) throws IOException {
    return MAPPER.readTree(Files.readString(file));
  }
}
