package com.socactions.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.socactions.api.AppServices;
import com.socactions.decisions.DecisionsModule;
import com.socactions.openapi.ConnectorRules;
import com.socactions.platform.Settings;
import com.socactions.providers.Provider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A newcomer finds any operation, health failure and error in the docs: every operation of the
 * connector definition has its section in {@code docs/operations.md} and its row in the README,
 * every per-item status and refusal reason the definition names is explained, every component
 * health reports has its section in {@code docs/runbook.md}, and so has every problem type the app
 * answers with.
 */
class DocsCoverageTest {
  private static final Path DOCS = SettingsReferenceTest.REPOSITORY.resolve("docs");
  private static final Pattern PROBLEM_TYPE =
      Pattern.compile(
          "(?:TYPE_BASE\\s*\\+\\s*\"|\"urn:soc-actions:problem:)([a-z]+(?:-[a-z]+)*)\"");

  private final JsonNode swagger = ConnectorRules.readJson(ConnectorRules.DEFINITION);

  @Test
  void everyOperationHasItsSectionAndItsRowInTheReadme() {
    List<String> operations = operationIds();
    List<String> headings = DocsLinksTest.markdown(DOCS.resolve("operations.md")).headings();
    String readme = read(SettingsReferenceTest.REPOSITORY.resolve("README.md"));

    assertThat(operations).hasSizeGreaterThan(20);
    assertThat(headings).as("sections of docs/operations.md").containsAll(operations);
    for (String operation : operations) {
      assertThat(readme)
          .as("the README's operations table links %s", operation)
          .contains("[" + operation + "](docs/operations.md#" + Markdown.slug(operation) + ")");
    }
  }

  @Test
  void theQuickStartIsOneBlockOfTwoCommandsAndCiRunsTheSecondVerbatim() {
    String readme = read(SettingsReferenceTest.REPOSITORY.resolve("README.md"));
    String section = readme.substring(readme.indexOf("\n## Quick start\n") + 1);
    section = section.substring(0, section.indexOf("\n## ", 1));
    List<String> ci =
        read(SettingsReferenceTest.REPOSITORY.resolve(".ci/run"))
            .lines()
            .map(String::strip)
            .toList();

    String[] blocks = section.split("```", -1);
    assertThat(blocks).as("code fences of the quick start").hasSize(3);
    List<String> commands =
        blocks[1].lines().skip(1).map(String::strip).filter(line -> !line.isEmpty()).toList();
    assertThat(commands).containsExactly("scripts/run-local", "mvn -B verify");
    assertThat(ci).contains(commands.get(1));
  }

  @Test
  void everyStatusAndRefusalReasonTheDefinitionNamesIsExplained() {
    String operations = read(DOCS.resolve("operations.md"));
    String guardrails = read(DOCS.resolve("guardrails.md"));
    JsonNode definitions = swagger.path("definitions");

    assertThat(operations)
        .contains(quoted(enumOf(definitions.at("/IndicatorResult/properties/status"))))
        .contains(quoted(enumOf(definitions.at("/IdentityAccountResult/properties/status"))))
        .contains(quoted(enumOf(definitions.at("/IpEnrichment/properties/lookup_status"))))
        .contains(quoted(enumOf(definitions.at("/LedgerEntry/properties/state"))));
    assertThat(guardrails)
        .contains(quoted(enumOf(definitions.at("/IndicatorResult/properties/reason"))));
  }

  @Test
  void everyComponentHealthReportsHasARunbookSection() {
    Set<String> components = new TreeSet<>();
    components.add("storage"); // HealthService's own first component
    components.add(DecisionsModule.HEALTH_COMPONENT);
    new AppServices(Settings.of(Map.of()), Clock.systemUTC())
        .providers().all().stream().map(Provider::id).forEach(components::add);
    List<String> headings = DocsLinksTest.markdown(DOCS.resolve("runbook.md")).headings();

    assertThat(components).contains("geoip", "defender", "servicenow");
    for (String component : components) {
      assertThat(headings).as("runbook sections").contains("`" + component + "`");
    }
  }

  @Test
  void everyProblemTypeTheAppAnswersWithHasARunbookEntry() {
    Set<String> types = new TreeSet<>();
    try (Stream<Path> files =
        Files.walk(SettingsReferenceTest.REPOSITORY.resolve("functions/src/main/java"))) {
      for (Path file : files.filter(path -> path.toString().endsWith(".java")).toList()) {
        Matcher type = PROBLEM_TYPE.matcher(read(file));
        while (type.find()) {
          types.add(type.group(1));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String runbook = read(DOCS.resolve("runbook.md"));

    assertThat(types).as("problem types found in the code").contains("invalid-request");
    for (String type : types) {
      assertThat(runbook).contains("`urn:soc-actions:problem:" + type + "`");
    }
  }

  private List<String> operationIds() {
    List<String> ids = new ArrayList<>();
    swagger
        .path("paths")
        .forEach(
            path ->
                path.fields()
                    .forEachRemaining(
                        operation -> {
                          if (operation.getValue().has("operationId")) {
                            ids.add(operation.getValue().path("operationId").asText());
                          }
                        }));
    return ids;
  }

  private static List<String> enumOf(JsonNode property) {
    List<String> values = new ArrayList<>();
    property.path("enum").forEach(value -> values.add(value.asText()));
    assertThat(values).as("enum of %s", property).isNotEmpty();
    return values;
  }

  private static String[] quoted(List<String> values) {
    return values.stream().map(value -> "`" + value + "`").toArray(String[]::new);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
