package com.socactions.content;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Solutions/SOC Actions/} is generated from its data file and the project's components and
 * cannot drift from them, and its package has the shape of the packages Azure-Sentinel's packaging
 * tool (V3) produces. To regenerate: {@code mvn -pl functions test -Dtest=SolutionPackageTest
 * -Dsoc.content.regenerate=true}.
 *
 * <p>The shape facts below were read from published packages (Azure-Sentinel {@code
 * Solutions/AbuseIPDB/Package/mainTemplate.json}, a V3 package with a custom connector and
 * playbooks; the tool's {@code common/templating/baseMainTemplate.json}, {@code
 * contentPackages.json}, {@code baseCreateUiDefinition.json} and {@code commonFunctions.ps1}).
 */
class SolutionPackageTest {
  private static final Path ROOT = ContentLinterTest.REPOSITORY;
  private static final Path SOLUTION = ROOT.resolve(SolutionPackage.DIR);
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** The properties of a contentTemplates resource in a published V3 package. */
  private static final Set<String> CONTENT_TEMPLATE_PROPERTIES =
      Set.of(
          "description",
          "mainTemplate",
          "packageKind",
          "packageVersion",
          "packageName",
          "packageId",
          "contentSchemaVersion",
          "contentId",
          "contentKind",
          "displayName",
          "contentProductId",
          "id",
          "version");

  /** The properties of the contentPackages resource in a published V3 package (at least). */
  private static final Set<String> CONTENT_PACKAGE_PROPERTIES =
      Set.of(
          "version",
          "kind",
          "contentSchemaVersion",
          "displayName",
          "publisherDisplayName",
          "descriptionHtml",
          "contentKind",
          "contentProductId",
          "id",
          "icon",
          "contentId",
          "parentId",
          "source",
          "author",
          "support",
          "dependencies",
          "firstPublishDate",
          "providers",
          "categories");

  /** Azure-Sentinel's .script/SolutionValidations/ValidDomainsVerticals.json, domains. */
  private static final Set<String> VALID_DOMAINS =
      Set.of(
          "Application",
          "Cloud Provider",
          "Compliance",
          "DevOps",
          "Identity",
          "Internet of Things (IoT)",
          "IT Operations",
          "Migration",
          "Networking",
          "Platform",
          "Security - Others",
          "Security - Threat Intelligence",
          "Security - Threat Protection",
          "Security - 0-day Vulnerability",
          "Security - Automation (SOAR)",
          "Security - Cloud Security",
          "Security - Information Protection",
          "Security - Insider Threat",
          "Security - Network",
          "Security - Vulnerability Management",
          "Storage",
          "Training and Tutorials",
          "User Behavior (UEBA)");

  /**
   * The README sections Azure-Sentinel's playbook instructions require (title and description,
   * prerequisites, deployment, post-deployment, usage, troubleshooting), as this project names
   * them.
   */
  static final List<String> README_SECTIONS =
      List.of(
          "## Prerequisites", "## Deploy", "## After deployment", "## Use", "## Troubleshooting");

  @Test
  void theCommittedSolutionIsTheOneGeneratedFromItsSources() throws IOException {
    Map<String, String> generated = SolutionPackage.generate(ROOT);
    List<String> drifted = new ArrayList<>();
    for (Map.Entry<String, String> file : generated.entrySet()) {
      Path path = SOLUTION.resolve(file.getKey());
      if (Boolean.getBoolean("soc.content.regenerate")) {
        Files.createDirectories(path.getParent());
        Files.writeString(path, file.getValue());
      }
      if (!Files.isRegularFile(path) || !Files.readString(path).equals(file.getValue())) {
        drifted.add(file.getKey());
      }
    }
    assertThat(drifted).as("drifted from their sources: regenerate (see Javadoc)").isEmpty();
  }

  @Test
  void theDataFileListsTheFunctionAppTheConnectorAndEveryPlaybookInTheToolsOrder() {
    JsonNode data = SolutionPackage.read(SOLUTION.resolve(SolutionPackage.DATA));
    List<String> listed = new ArrayList<>();
    data.path("Playbooks").forEach(p -> listed.add(p.asText()));
    List<String> expected = new ArrayList<>();
    expected.add("Solutions/SOC Actions/" + SolutionPackage.FUNCTION_APP + "azuredeploy.json");
    expected.add("Solutions/SOC Actions/" + SolutionPackage.CUSTOM_CONNECTOR + "azuredeploy.json");
    SolutionPackage.copies(ROOT).keySet().stream()
        .filter(p -> p.endsWith("/azuredeploy.json") && !p.contains("Connector/"))
        .forEach(p -> expected.add("Solutions/SOC Actions/" + p));
    assertThat(listed).containsExactlyElementsOf(expected);
  }

  @Test
  void everyFileInAContentFolderIsListedInTheDataFile() {
    JsonNode data = SolutionPackage.read(SOLUTION.resolve(SolutionPackage.DATA));
    Set<String> listed = new TreeSet<>();
    for (SolutionPackage.Kind kind : SolutionPackage.Kind.values()) {
      data.path(kind.dataKey)
          .forEach(p -> listed.add(p.asText().replace("Solutions/SOC Actions/", "")));
    }
    assertThat(listed).containsAll(SolutionPackage.folderContent(ROOT));
  }

  @Test
  void thePackageHasTheShapeOfAPublishedV3Package() {
    JsonNode template = SolutionPackage.read(SOLUTION.resolve(SolutionPackage.MAIN_TEMPLATE));
    assertThat(template.path("parameters").has("workspace")).isTrue();
    assertThat(template.path("parameters").has("workspace-location")).isTrue();
    assertThat(template.path("parameters").has("location")).isTrue();
    List<SolutionPackage.Item> items = SolutionPackage.items(ROOT);
    assertThat(items).hasSize(7);

    JsonNode resources = template.path("resources");
    assertThat(resources.size()).isEqualTo(items.size() + 1);
    for (int i = 0; i < items.size(); i++) {
      JsonNode content = resources.get(i);
      assertThat(content.path("type").asText())
          .isEqualTo("Microsoft.OperationalInsights/workspaces/providers/contentTemplates");
      assertThat(names(content.path("properties"))).isEqualTo(CONTENT_TEMPLATE_PROPERTIES);
      assertThat(content.path("dependsOn").toString())
          .contains("Microsoft.SecurityInsights/contentPackages");
      assertThat(content.at("/properties/contentKind").asText())
          .isEqualTo(items.get(i).kind().metadataKind);
      JsonNode inner = content.at("/properties/mainTemplate/resources");
      JsonNode metadata = inner.get(inner.size() - 1);
      assertThat(metadata.path("type").asText())
          .isEqualTo("Microsoft.OperationalInsights/workspaces/providers/metadata");
      assertThat(metadata.at("/properties/kind").asText())
          .isEqualTo(items.get(i).kind().metadataKind);
      JsonNode support = metadata.at("/properties/support");
      assertThat(support.path("name").asText()).isNotBlank();
      assertThat(support.path("link").asText()).matches("https?://\\S+");
    }
    JsonNode pack = resources.get(items.size());
    assertThat(pack.path("type").asText())
        .isEqualTo("Microsoft.OperationalInsights/workspaces/providers/contentPackages");
    assertThat(names(pack.path("properties"))).containsAll(CONTENT_PACKAGE_PROPERTIES);
    assertThat(pack.at("/properties/dependencies/criteria").size()).isEqualTo(items.size());
    pack.at("/properties/categories/domains")
        .forEach(d -> assertThat(VALID_DOMAINS).contains(d.asText()));
    assertThat(pack.path("name").asText())
        .isEqualTo(
            "[concat(parameters('workspace'),'/Microsoft.SecurityInsights/',"
                + " variables('_solutionId'))]");
  }

  /**
   * Inside a content template every expression of the component is escaped ({@code [[}), so the
   * solution's deployment leaves it for the deployment Content Hub makes; only the package's own
   * variables are evaluated by the solution's deployment.
   */
  @Test
  void theComponentsExpressionsAreLeftForTheirOwnDeployment() {
    JsonNode template = SolutionPackage.read(SOLUTION.resolve(SolutionPackage.MAIN_TEMPLATE));
    JsonNode functionApp = template.at("/resources/0/properties/mainTemplate");
    assertThat(functionApp.at("/parameters/PackageUri").isObject()).isTrue();
    for (JsonNode resource : functionApp.path("resources")) {
      if (resource.path("type").asText().equals("Microsoft.Web/sites")) {
        assertThat(resource.path("name").asText()).isEqualTo("[[variables('functionAppName')]");
        assertThat(resource.path("location").asText()).isEqualTo("[[parameters('location')]");
      }
    }
    JsonNode playbook = template.at("/resources/2/properties/mainTemplate");
    assertThat(playbook.at("/parameters/PlaybookName/defaultValue").asText())
        .isEqualTo("Block-Indicators");
    assertThat(playbook.at("/variables/workspace-location-inline").asText())
        .isEqualTo("[concat('[resourceGroup().locatio', 'n]')]");
  }

  @Test
  void everyPlaybookReadmeHasTheSectionsAzureSentinelAsksFor() throws IOException {
    List<String> missing = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(ROOT.resolve("playbooks"))) {
      for (Path dir : dirs.filter(Files::isDirectory).toList()) {
        String readme = Files.readString(dir.resolve("README.md"));
        assertThat(readme).startsWith("# ");
        for (String section : README_SECTIONS) {
          if (!readme.contains("\n" + section + "\n")) {
            missing.add(dir.getFileName() + ": " + section);
          }
        }
      }
    }
    for (String connector :
        List.of(SolutionPackage.FUNCTION_APP, SolutionPackage.CUSTOM_CONNECTOR)) {
      String readme = Files.readString(SOLUTION.resolve(connector).resolve("README.md"));
      for (String section : README_SECTIONS) {
        if (!readme.contains("\n" + section + "\n")) {
          missing.add(connector + ": " + section);
        }
      }
    }
    assertThat(missing).isEmpty();
  }

  /**
   * What Azure-Sentinel's playbook validator checks on every {@code azuredeploy.json} under {@code
   * Solutions/} that holds a Logic App (the metadata is the content linter's): one Logic App named
   * by {@code PlaybookName} at the resource group's location, a description for every parameter,
   * and API connections whose name and display name are template variables.
   */
  @Test
  void theSolutionsPlaybooksPassAzureSentinelsPlaybookValidator() throws IOException {
    List<String> problems = new ArrayList<>();
    for (String path : SolutionPackage.copies(ROOT).keySet()) {
      if (!path.endsWith("azuredeploy.json")) {
        continue;
      }
      JsonNode template = SolutionPackage.read(SOLUTION.resolve(path));
      List<JsonNode> workflows = new ArrayList<>();
      for (JsonNode resource : template.path("resources")) {
        if (resource.path("type").asText().equals("Microsoft.Logic/workflows")) {
          workflows.add(resource);
        }
      }
      if (workflows.isEmpty()) {
        continue;
      }
      assertThat(template.at("/parameters/PlaybookName").isObject()).as(path).isTrue();
      template
          .path("parameters")
          .fields()
          .forEachRemaining(
              p -> {
                if (p.getValue().at("/metadata/description").asText().isBlank()) {
                  problems.add(path + ": parameter " + p.getKey() + " has no description");
                }
              });
      List<JsonNode> main =
          workflows.stream()
              .filter(w -> w.path("name").asText().equals("[parameters('PlaybookName')]"))
              .toList();
      if (main.size() != 1) {
        problems.add(path + ": not exactly one Logic App named [parameters('PlaybookName')]");
      } else if (!main.get(0)
          .path("location")
          .asText()
          .equalsIgnoreCase("[resourceGroup().location]")) {
        problems.add(path + ": the Logic App's location is not [resourceGroup().location]");
      }
      for (JsonNode resource : template.path("resources")) {
        if (!resource.path("type").asText().equals("Microsoft.Web/connections")) {
          continue;
        }
        for (String value :
            List.of(
                resource.path("name").asText(), resource.at("/properties/displayName").asText())) {
          java.util.regex.Matcher variable =
              java.util.regex.Pattern.compile("^\\[variables\\('([^']+)'\\)\\]$").matcher(value);
          if (!variable.matches() || !template.path("variables").has(variable.group(1))) {
            problems.add(
                path + ": connection name/displayName " + value + " is not a template variable");
          }
        }
      }
    }
    assertThat(problems).isEmpty();
  }

  /** A workbook, an analytic rule and a hunting query in their folders become content too. */
  @Test
  void contentFoldersArePickedUp(@TempDir Path root) throws IOException {
    Path solution = root.resolve(SolutionPackage.DIR);
    for (String file : List.of("arm/functionapp.json", "arm/connector.json")) {
      Files.createDirectories(root.resolve(file).getParent());
      Files.copy(ROOT.resolve(file), root.resolve(file));
    }
    Files.createDirectories(root.resolve("playbooks"));
    Files.createDirectories(solution.resolve("Data"));
    Files.createDirectories(solution.resolve("Workbooks"));
    Files.createDirectories(solution.resolve("Analytic Rules"));
    Files.createDirectories(solution.resolve("Hunting Queries"));
    Files.copy(
        SOLUTION.resolve(SolutionPackage.METADATA), solution.resolve(SolutionPackage.METADATA));
    Files.writeString(
        solution.resolve("Workbooks/SOCActions.json"),
        "{\"version\": \"Notebook/1.0\", \"items\": []}");
    Files.writeString(
        solution.resolve("Analytic Rules/Blocked.yaml"),
        "id: 0b9d0f8c-1111-4b22-8c33-123456789abc\n"
            + "name: Blocked address signs in\n"
            + "kind: Scheduled\n"
            + "severity: Medium\n"
            + "query: SigninLogs | take 1\n"
            + "queryFrequency: 1h\n"
            + "queryPeriod: 1h\n"
            + "triggerOperator: gt\n"
            + "triggerThreshold: 0\n"
            + "version: 1.0.0\n");
    Files.writeString(
        solution.resolve("Hunting Queries/Ledger.yaml"),
        "id: 5e2a1c3d-2222-4b22-8c33-123456789abc\n"
            + "name: Blocks by analyst\n"
            + "description: Who blocked what\n"
            + "query: SOCActionsLedger_CL | take 10\n"
            + "version: 1.0.0\n");
    Files.writeString(
        solution.resolve(SolutionPackage.DATA),
        "{\"Name\": \"SOC Actions\", \"Author\": \"A - a@example.com\", \"Logo\": \"\","
            + " \"Description\": \"d\", \"Version\": \"3.0.0\", \"Playbooks\": [\"Solutions/SOC"
            + " Actions/"
            + SolutionPackage.FUNCTION_APP
            + "azuredeploy.json\"], \"Workbooks\": [\"Workbooks/SOCActions.json\"],"
            + " \"Analytic Rules\": [\"Analytic Rules/Blocked.yaml\"],"
            + " \"Hunting Queries\": [\"Hunting Queries/Ledger.yaml\"]}");

    Map<String, String> files = SolutionPackage.generate(root);
    JsonNode template = MAPPER.readTree(files.get(SolutionPackage.MAIN_TEMPLATE));
    List<String> kinds = new ArrayList<>();
    template.path("resources").forEach(r -> kinds.add(r.at("/properties/contentKind").asText()));
    assertThat(kinds)
        .containsExactly("AzureFunction", "Workbook", "AnalyticsRule", "HuntingQuery", "Solution");
    JsonNode form = MAPPER.readTree(files.get(SolutionPackage.FORM));
    List<String> steps = new ArrayList<>();
    form.at("/parameters/steps").forEach(s -> steps.add(s.path("name").asText()));
    assertThat(steps).containsExactly("workbooks", "analytics", "huntingqueries", "playbooks");
    assertThat(SolutionPackage.folderContent(root))
        .containsExactly(
            "Workbooks/SOCActions.json",
            "Analytic Rules/Blocked.yaml",
            "Hunting Queries/Ledger.yaml");
  }

  private static Set<String> names(JsonNode object) {
    Set<String> names = new TreeSet<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
