package com.socactions.content;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The one-click deployment holds together: every component {@code arm/main.json} (the source of
 * {@code arm/azuredeploy.json}) includes exists, gets only parameters it defines and every one it
 * requires, and the portal form ({@code arm/createUiDefinition.json}) fills only parameters the
 * template has and every one it requires. These are the breaks ARM reports only at deployment time.
 * Two more that ARM never reports: a Function App setting the one-click deployment cannot set (a
 * parameter not passed through or left off the form), and a setting written under a name the app
 * never reads.
 */
class LinkedTemplatesTest {
  private static final Path ARM = ContentLinterTest.REPOSITORY.resolve("arm");
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Path MAIN_SOURCES =
      ContentLinterTest.REPOSITORY.resolve("functions/src/main/java");

  /** Top-level parameters a deployer sets on the command line only, never on the portal form. */
  private static final Set<String> NOT_ON_THE_FORM =
      Set.of(
          "CustomConnectorName",
          "FlexMaximumInstances",
          "FlexInstanceMemoryMB",
          "ConnectorObjectId",
          "ConnectorKeySeed");

  /** App settings the Functions host reads, not the app: they appear nowhere in our sources. */
  private static final Set<String> HOST_SETTINGS =
      Set.of(
          "APPLICATIONINSIGHTS_CONNECTION_STRING",
          "FUNCTIONS_WORKER_RUNTIME",
          "FUNCTIONS_EXTENSION_VERSION",
          "WEBSITE_CONTENTSHARE",
          "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING",
          "DEPLOYMENT_STORAGE_CONNECTION_STRING");

  // A quoted all-capitals word in the app-settings expression is a setting name; parameter names
  // are PascalCase and the other literals hold lower case, '=', '-' or digits first.
  private static final Pattern SETTING_NAME = Pattern.compile("'([A-Z][A-Z0-9_]+)'");

  @Test
  void everyLinkedTemplateExistsAndGetsExactlyTheParametersItTakes() throws IOException {
    List<String> problems = new ArrayList<>();
    for (JsonNode resource : read(ARM.resolve("main.json")).path("resources")) {
      String relative = include(resource);
      if (relative.isEmpty()) {
        continue;
      }
      Path linked = ContentLinterTest.REPOSITORY.resolve(relative).normalize();
      if (!Files.isRegularFile(linked)) {
        problems.add(resource.path("name").asText() + ": " + relative + " does not exist");
        continue;
      }
      problems.addAll(
          mismatches(
              resource.path("name").asText(),
              read(linked).path("parameters"),
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
    JsonNode resources = read(ARM.resolve("main.json")).path("resources");
    JsonNode roles = null;
    for (JsonNode resource : resources) {
      if (include(resource).equals("arm/sentinel-roles.json")) {
        roles = resource;
      }
    }
    assertThat(roles).as("the deployment of sentinel-roles.json").isNotNull();
    String principals = roles.at("/properties/parameters/PrincipalIds/value").asText();
    String dependsOn = roles.path("dependsOn").toString();

    List<String> problems = new ArrayList<>();
    for (JsonNode resource : resources) {
      if (!include(resource).startsWith("playbooks/")) {
        continue;
      }
      String deployment = resource.path("name").asText();
      String playbook = resource.at("/properties/parameters/PlaybookName/value").asText();
      if (!principals.contains("'Microsoft.Logic/workflows', '" + playbook + "'")) {
        problems.add(
            deployment + ": playbook '" + playbook + "' is not among the Responder principals");
      }
      if (!dependsOn.contains("'" + deployment + "'")) {
        problems.add(deployment + ": the Responder deployment does not wait for it");
      }
    }
    assertThat(problems).isEmpty();
  }

  /**
   * A Function App parameter the top-level template does not pass keeps its default without a word:
   * its setting cannot be set from the one-click deployment, whatever the form offers.
   */
  @Test
  void theTopLevelTemplatePassesEveryParameterOfTheFunctionApp() throws IOException {
    JsonNode defined = read(ARM.resolve("functionapp.json")).path("parameters");
    JsonNode given = linkedDeployment("arm/functionapp.json").at("/properties/parameters");

    assertThat(names(given))
        .as("parameters passed to functionapp.json")
        .containsExactlyInAnyOrderElementsOf(names(defined));
  }

  /**
   * A misspelt setting name deploys fine and is never read, so every app setting {@code
   * functionapp.json} writes must be one the app reads (a string literal in its sources) or one the
   * Functions host reads.
   */
  @Test
  void theFunctionAppWritesOnlySettingsTheAppOrTheHostReads() throws IOException {
    String appSettings = null;
    for (JsonNode resource : read(ARM.resolve("functionapp.json")).path("resources")) {
      if (resource.path("type").asText().equals("Microsoft.Web/sites/config")
          && resource.path("name").asText().endsWith("/appsettings')]")) {
        appSettings = resource.path("properties").asText();
      }
    }
    assertThat(appSettings).as("the appsettings resource of functionapp.json").isNotNull();
    String sources = mainSources();

    Set<String> written = new TreeSet<>();
    Matcher setting = SETTING_NAME.matcher(appSettings);
    while (setting.find()) {
      written.add(setting.group(1));
    }
    assertThat(written).as("settings written").contains("PANOS_URL", "GEOIP_CITY_DB");
    assertThat(written)
        .filteredOn(name -> !HOST_SETTINGS.contains(name))
        .filteredOn(name -> !sources.contains('"' + name + '"'))
        .as("settings written that nothing reads")
        .isEmpty();
  }

  /**
   * A parameter added to the top-level template and forgotten on the form is unreachable from the
   * portal.
   */
  @Test
  void thePortalFormOffersEveryTopLevelParameterButTheCommandLineOnes() throws IOException {
    Set<String> parameters = names(read(ARM.resolve("main.json")).path("parameters"));
    Set<String> outputs =
        names(read(ARM.resolve("createUiDefinition.json")).at("/parameters/outputs"));

    assertThat(parameters).containsAll(NOT_ON_THE_FORM);
    assertThat(parameters)
        .filteredOn(name -> !NOT_ON_THE_FORM.contains(name))
        .as("top-level parameters the form does not fill")
        .isSubsetOf(outputs);
  }

  @Test
  void thePortalFormFillsExactlyTheParametersTheTopLevelTemplateTakes() throws IOException {
    JsonNode outputs = read(ARM.resolve("createUiDefinition.json")).at("/parameters/outputs");

    assertThat(
            mismatches(
                "createUiDefinition", read(ARM.resolve("main.json")).path("parameters"), outputs))
        .isEmpty();
  }

  // Names given that the template does not define, and parameters without a default not given.
  private static List<String> mismatches(String caller, JsonNode defined, JsonNode given) {
    List<String> problems = new ArrayList<>();
    given
        .fieldNames()
        .forEachRemaining(
            name -> {
              if (!defined.has(name)) {
                problems.add(caller + " passes '" + name + "', which the template does not define");
              }
            });
    defined
        .fields()
        .forEachRemaining(
            p -> {
              if (!p.getValue().has("defaultValue") && !given.has(p.getKey())) {
                problems.add(caller + " does not pass '" + p.getKey() + "', which has no default");
              }
            });
    return problems;
  }

  private static JsonNode linkedDeployment(String relativePath) throws IOException {
    for (JsonNode resource : read(ARM.resolve("main.json")).path("resources")) {
      if (include(resource).equals(relativePath)) {
        return resource;
      }
    }
    throw new AssertionError("main.json does not include " + relativePath);
  }

  // The component a nested deployment of main.json includes, from the repository root; "" for none.
  private static String include(JsonNode resource) {
    return resource.at("/properties/template/" + DeployTemplate.INCLUDE).asText();
  }

  private static Set<String> names(JsonNode object) {
    Set<String> names = new TreeSet<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static String mainSources() throws IOException {
    try (Stream<Path> files = Files.walk(MAIN_SOURCES)) {
      List<Path> java = files.filter(file -> file.toString().endsWith(".java")).toList();
      StringBuilder text = new StringBuilder();
      for (Path file : java) {
        text.append(Files.readString(file)).append('\n');
      }
      return text.toString();
    }
  }

  private static JsonNode read(Path file) throws IOException {
    return MAPPER.readTree(Files.readString(file));
  }
}
