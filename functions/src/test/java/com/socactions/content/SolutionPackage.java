package com.socactions.content;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Generates the Microsoft Sentinel Content Hub solution under {@code Solutions/SOC Actions/}, in
 * the layout of Azure-Sentinel's {@code Solutions/} folder and the format its packaging tool (V3)
 * produces, from the solution's own sources ({@code Data/Solution_SOCActions.json}, {@code
 * SolutionMetadata.json}) and the project's components:
 *
 * <ul>
 *   <li>copies of the components in the solution's layout: {@code
 *       Playbooks/FunctionAppConnector/SOCActionsFunctionApp/azuredeploy.json} ({@code
 *       arm/functionapp.json}), {@code Playbooks/CustomConnector/SOCActionsCustomConnector/}
 *       ({@code arm/connector.json}) and {@code Playbooks/<name>/} ({@code playbooks/<name>/},
 *       template and README);
 *   <li>{@code Package/mainTemplate.json}: one template with {@code workspace} and {@code
 *       workspace-location} parameters, a {@code contentTemplates} resource per content item (its
 *       template inside, escaped for the inner deployment, with the {@code metadata} resource the
 *       tool writes), and the {@code contentPackages} resource listing them all;
 *   <li>{@code Package/createUiDefinition.json}: the tool's form, one step per kind of content.
 * </ul>
 *
 * <p>Content kinds are {@link Kind}s: playbooks, the custom connector and the Function App are
 * listed under {@code Playbooks} in the data file; workbooks ({@code Workbooks/*.json}), analytic
 * rules ({@code Analytic Rules/*.yaml}) and hunting queries ({@code Hunting Queries/*.yaml}) are
 * picked up from their folders when they exist, and must be listed in the data file too. A new kind
 * is a new {@link Kind}.
 *
 * <p>Generated, never edited: {@code SolutionPackageTest} fails when a committed file differs from
 * what this class makes; regenerate with {@code mvn -pl functions test -Dtest=SolutionPackageTest
 * -Dsoc.content.regenerate=true}.
 */
final class SolutionPackage {
  /** The solution, relative to the repository root. */
  static final Path DIR = Path.of("Solutions", "SOC Actions");

  static final String DATA = "Data/Solution_SOCActions.json";
  static final String METADATA = "SolutionMetadata.json";
  static final String MAIN_TEMPLATE = "Package/mainTemplate.json";
  static final String FORM = "Package/createUiDefinition.json";

  static final String FUNCTION_APP = "Playbooks/FunctionAppConnector/SOCActionsFunctionApp/";
  static final String CUSTOM_CONNECTOR = "Playbooks/CustomConnector/SOCActionsCustomConnector/";

  private static final String CONTENT_API =
      ApiVersions.of("Microsoft.OperationalInsights/workspaces/providers/contentTemplates")
          .orElseThrow()
          .version();
  private static final String METADATA_API =
      ApiVersions.of("Microsoft.OperationalInsights/workspaces/providers/metadata")
          .orElseThrow()
          .version();

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final YAMLMapper YAML = new YAMLMapper();

  /**
   * A kind of content: its metadata kind, the short code of its template name, the variable prefix
   * and counter group the packaging tool uses, the data file key and the folder it lives in.
   */
  enum Kind {
    AZURE_FUNCTION("AzureFunction", "fa", "playbook", "Playbooks", null),
    CUSTOM_CONNECTOR("LogicAppsCustomConnector", "lc", "playbook", "Playbooks", null),
    PLAYBOOK("Playbook", "pl", "playbook", "Playbooks", null),
    WORKBOOK("Workbook", "wb", "workbook", "Workbooks", "Workbooks"),
    ANALYTICS_RULE("AnalyticsRule", "ar", "analyticRule", "Analytic Rules", "Analytic Rules"),
    HUNTING_QUERY("HuntingQuery", "hq", "huntingQuery", "Hunting Queries", "Hunting Queries");

    final String metadataKind;
    final String shortCode;
    final String prefix;
    final String dataKey;
    final String folder;

    Kind(String metadataKind, String shortCode, String prefix, String dataKey, String folder) {
      this.metadataKind = metadataKind;
      this.shortCode = shortCode;
      this.prefix = prefix;
      this.dataKey = dataKey;
      this.folder = folder;
    }

    static Kind ofPlaybookEntry(String path) {
      if (path.contains("/Playbooks/FunctionAppConnector/")) {
        return AZURE_FUNCTION;
      }
      if (path.contains("/Playbooks/CustomConnector/")) {
        return CUSTOM_CONNECTOR;
      }
      return PLAYBOOK;
    }
  }

  /**
   * One content item: its kind, path in the solution, content id, version, display name, its source
   * document and its number among the items sharing its variable prefix.
   */
  record Item(
      Kind kind,
      String path,
      String contentId,
      String version,
      String displayName,
      JsonNode source,
      int number) {
    String var(String name) {
      return kind.prefix + name + number;
    }
  }

  private SolutionPackage() {}

  /**
   * The copies of the components in the solution's layout: path in the solution to the file it is
   * copied from, relative to the repository root.
   */
  static Map<String, Path> copies(Path root) {
    Map<String, Path> copies = new LinkedHashMap<>();
    copies.put(FUNCTION_APP + "azuredeploy.json", Path.of("arm", "functionapp.json"));
    copies.put(CUSTOM_CONNECTOR + "azuredeploy.json", Path.of("arm", "connector.json"));
    try (Stream<Path> dirs = Files.list(root.resolve("playbooks"))) {
      for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
        String name = dir.getFileName().toString();
        copies.put(
            "Playbooks/" + name + "/azuredeploy.json",
            Path.of("playbooks", name, "azuredeploy.json"));
        copies.put("Playbooks/" + name + "/README.md", Path.of("playbooks", name, "README.md"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return copies;
  }

  /** Every generated file of the solution (path in the solution to its text). */
  static Map<String, String> generate(Path root) {
    Map<String, String> files = new LinkedHashMap<>();
    copies(root).forEach((to, from) -> files.put(to, readText(root.resolve(from))));
    List<Item> items = items(root);
    JsonNode data = read(root.resolve(DIR).resolve(DATA));
    JsonNode metadata = read(root.resolve(DIR).resolve(METADATA));
    files.put(MAIN_TEMPLATE, ConnectorTemplate.render(mainTemplate(data, metadata, items)));
    files.put(FORM, ConnectorTemplate.render(form(data, items)));
    return files;
  }

  /** The content items, in the data file's order; sources read from what the copies copy. */
  static List<Item> items(Path root) {
    Path dir = root.resolve(DIR);
    JsonNode data = read(dir.resolve(DATA));
    Map<String, Path> copies = copies(root);
    Map<String, Integer> counters = new LinkedHashMap<>();
    List<Item> items = new ArrayList<>();
    for (JsonNode entry : data.path("Playbooks")) {
      String inSolution = solutionPath(entry.asText());
      Kind kind = Kind.ofPlaybookEntry("/" + inSolution);
      Path from = copies.get(inSolution);
      JsonNode source = read(from != null ? root.resolve(from) : dir.resolve(inSolution));
      String folder = Path.of(inSolution).getParent().getFileName().toString();
      String version =
          kind == Kind.PLAYBOOK
              ? workflowTag(source, "hidden-SentinelTemplateVersion", "1.0")
              : "1.0";
      items.add(item(kind, inSolution, folder, version, folder, source, counters));
    }
    for (Kind kind : List.of(Kind.WORKBOOK, Kind.ANALYTICS_RULE, Kind.HUNTING_QUERY)) {
      for (JsonNode entry : data.path(kind.dataKey)) {
        String inSolution = solutionPath(entry.asText());
        Path file = dir.resolve(inSolution);
        JsonNode source = kind == Kind.WORKBOOK ? read(file) : readYaml(file);
        String name = file.getFileName().toString().replaceFirst("\\.[^.]+$", "");
        String id = kind == Kind.WORKBOOK ? name : source.path("id").asText(name);
        String display = kind == Kind.WORKBOOK ? name : source.path("name").asText(name);
        String version = kind == Kind.WORKBOOK ? "1.0" : source.path("version").asText("1.0.0");
        items.add(item(kind, inSolution, id, version, display, source, counters));
      }
    }
    return items;
  }

  /** The files in the content folders a kind picks up, relative to the solution. */
  static List<String> folderContent(Path root) {
    List<String> found = new ArrayList<>();
    for (Kind kind : Kind.values()) {
      if (kind.folder == null) {
        continue;
      }
      Path folder = root.resolve(DIR).resolve(kind.folder);
      if (!Files.isDirectory(folder)) {
        continue;
      }
      try (Stream<Path> files = Files.walk(folder)) {
        files
            .filter(Files::isRegularFile)
            .filter(f -> f.toString().endsWith(".json") || f.toString().endsWith(".yaml"))
            .sorted()
            .forEach(f -> found.add(root.resolve(DIR).relativize(f).toString().replace('\\', '/')));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return found;
  }

  private static Item item(
      Kind kind,
      String path,
      String contentId,
      String version,
      String displayName,
      JsonNode source,
      Map<String, Integer> counters) {
    int number = counters.merge(kind.prefix, 1, Integer::sum);
    return new Item(kind, path, contentId, version, displayName, source, number);
  }

  // "Solutions/SOC Actions/Playbooks/X/azuredeploy.json" -> "Playbooks/X/azuredeploy.json"
  private static String solutionPath(String entry) {
    String prefix = DIR.toString().replace('\\', '/') + "/";
    return entry.startsWith(prefix) ? entry.substring(prefix.length()) : entry;
  }

  static ObjectNode mainTemplate(JsonNode data, JsonNode metadata, List<Item> items) {
    ObjectNode template = JSON.objectNode();
    template.put(
        "$schema",
        "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#");
    template.put("contentVersion", "1.0.0.0");
    ObjectNode meta = template.putObject("metadata");
    meta.put("author", data.path("Author").asText());
    meta.put("comments", "Solution template for " + data.path("Name").asText());
    meta.put(
        "generator",
        "GENERATED from Solutions/SOC Actions/Data and the SOC Actions components by"
            + " SolutionPackageTest; do not edit: change the sources and regenerate.");
    ObjectNode parameters = template.putObject("parameters");
    parameters
        .putObject("location")
        .put("type", "string")
        .put("minLength", 1)
        .put("defaultValue", "[resourceGroup().location]")
        .putObject("metadata")
        .put(
            "description",
            "Not used, but needed to pass arm-ttk test `Location-Should-Not-Be-Hardcoded`.  We"
                + " instead use the `workspace-location` which is derived from the LA workspace");
    parameters
        .putObject("workspace-location")
        .put("type", "string")
        .put("defaultValue", "")
        .putObject("metadata")
        .put(
            "description",
            "[concat('Region to deploy solution resources -- separate from location"
                + " selection',parameters('location'))]");
    parameters
        .putObject("workspace")
        .put("defaultValue", "")
        .put("type", "string")
        .putObject("metadata")
        .put("description", "Workspace name for Log Analytics where Microsoft Sentinel is setup");

    String author = data.path("Author").asText();
    String authorName =
        author.contains(" - ") ? author.substring(0, author.indexOf(" - ")) : author;
    String email = author.contains(" - ") ? author.substring(author.indexOf(" - ") + 3) : "";
    ObjectNode variables = template.putObject("variables");
    variables.put("email", email);
    variables.put("_email", "[variables('email')]");
    variables.put("_solutionName", data.path("Name").asText());
    variables.put("_solutionVersion", data.path("Version").asText());
    variables.put(
        "solutionId",
        metadata.path("publisherId").asText() + "." + metadata.path("offerId").asText());
    variables.put("_solutionId", "[variables('solutionId')]");
    variables.put(
        "workspaceResourceId",
        "[resourceId('microsoft.OperationalInsights/Workspaces', parameters('workspace'))]");

    ObjectNode support = JSON.objectNode();
    metadata.path("support").fields().forEachRemaining(e -> support.set(e.getKey(), e.getValue()));
    ObjectNode authorNode = JSON.objectNode().put("name", authorName);
    if (!email.isEmpty()) {
      authorNode.put("email", "[variables('_email')]");
    }

    ArrayNode resources = template.putArray("resources");
    for (Item item : items) {
      variables.put(item.contentId(), item.contentId());
      variables.put("_" + item.contentId(), "[variables('" + item.contentId() + "')]");
      variables.put(item.var("Version"), item.version());
      variables.put(item.var("ContentId"), item.contentId());
      variables.put("_" + item.var("ContentId"), "[variables('" + item.var("ContentId") + "')]");
      if (item.kind() == Kind.PLAYBOOK) {
        variables.put(
            item.var("Id"),
            "[resourceId('Microsoft.Logic/workflows', variables('"
                + item.var("ContentId")
                + "'))]");
      }
      variables.put(
          item.var("TemplateSpecName"),
          "[concat(parameters('workspace'),'/Microsoft.SecurityInsights/',concat(parameters('workspace'),'-"
              + item.kind().shortCode
              + "-',uniquestring(variables('_"
              + item.var("ContentId")
              + "'))))]");
      variables.put(
          "_" + item.kind().prefix + "contentProductId" + item.number(),
          "[concat(take(variables('_solutionId'),50),'-','"
              + item.kind().shortCode
              + "','-', uniqueString(concat(variables('_solutionId'),'-','"
              + item.kind().metadataKind
              + "','-',variables('_"
              + item.var("ContentId")
              + "'),'-', variables('"
              + item.var("Version")
              + "'))))]");
      resources.add(contentTemplate(data, item, items, authorNode, support));
    }
    variables.put(
        "_solutioncontentProductId",
        "[concat(take(variables('_solutionId'),50),'-','sl','-',"
            + " uniqueString(concat(variables('_solutionId'),'-','Solution','-',variables('_solutionId'),'-',"
            + " variables('_solutionVersion'))))]");
    resources.add(contentPackage(data, metadata, items, authorNode, support));
    template.putObject("outputs");
    return template;
  }

  private static ObjectNode contentTemplate(
      JsonNode data, Item item, List<Item> items, ObjectNode author, ObjectNode support) {
    ObjectNode resource = JSON.objectNode();
    resource.put("type", "Microsoft.OperationalInsights/workspaces/providers/contentTemplates");
    resource.put("apiVersion", CONTENT_API);
    resource.put("name", "[variables('" + item.var("TemplateSpecName") + "')]");
    resource.put("location", "[parameters('workspace-location')]");
    resource
        .putArray("dependsOn")
        .add(
            "[extensionResourceId(resourceId('Microsoft.OperationalInsights/workspaces',"
                + " parameters('workspace')), 'Microsoft.SecurityInsights/contentPackages',"
                + " variables('_solutionId'))]");
    ObjectNode properties = resource.putObject("properties");
    properties.put(
        "description",
        item.displayName()
            + " "
            + item.kind().metadataKind
            + " with template version "
            + data.path("Version").asText());
    properties.set("mainTemplate", innerTemplate(data, item, items, author, support));
    properties.put("packageKind", "Solution");
    properties.put("packageVersion", "[variables('_solutionVersion')]");
    properties.put("packageName", "[variables('_solutionName')]");
    properties.put("packageId", "[variables('_solutionId')]");
    properties.put("contentSchemaVersion", "3.0.0");
    properties.put("contentId", "[variables('_" + item.var("ContentId") + "')]");
    properties.put("contentKind", item.kind().metadataKind);
    properties.put("displayName", item.displayName());
    String productId =
        "[variables('_" + item.kind().prefix + "contentProductId" + item.number() + "')]";
    properties.put("contentProductId", productId);
    properties.put("id", productId);
    properties.put("version", "[variables('" + item.var("Version") + "')]");
    return resource;
  }

  // The item's own template, escaped for the deployment Content Hub makes of it, with the
  // metadata resource that ties what it deploys to the solution.
  private static ObjectNode innerTemplate(
      JsonNode data, Item item, List<Item> items, ObjectNode author, ObjectNode support) {
    ObjectNode inner = JSON.objectNode();
    inner.put(
        "$schema",
        "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#");
    inner.put("contentVersion", "[variables('" + item.var("Version") + "')]");
    ObjectNode variables;
    ArrayNode resources;
    String parentId;
    switch (item.kind()) {
      case AZURE_FUNCTION, CUSTOM_CONNECTOR, PLAYBOOK -> {
        JsonNode source = item.source();
        inner.set("parameters", escape(objectOrEmpty(source, "parameters"), false));
        variables = (ObjectNode) escape(objectOrEmpty(source, "variables"), false);
        resources = (ArrayNode) escape(source.path("resources").deepCopy(), true);
        if (item.kind() == Kind.PLAYBOOK) {
          for (JsonNode resource : resources) {
            if (resource.path("type").asText().equals("Microsoft.Logic/workflows")) {
              ((ObjectNode) resource.with("tags"))
                  .put("hidden-SentinelWorkspaceId", "[[variables('workspaceResourceId')]");
            }
          }
          parentId = "[variables('" + item.var("Id") + "')]";
        } else {
          variables.put(
              item.var("Id"),
              item.kind() == Kind.AZURE_FUNCTION
                  ? "[[resourceId('Microsoft.Web/sites', variables('functionAppName'))]"
                  : "[[resourceId('Microsoft.Web/customApis', parameters('CustomConnectorName'))]");
          parentId = "[[variables('" + item.var("Id") + "')]";
        }
      }
      case WORKBOOK -> {
        inner.putObject("parameters");
        variables = JSON.objectNode();
        variables.put(
            "workbookId" + item.number(),
            "[[guid(variables('workspaceResourceId'), '" + item.contentId() + "')]");
        resources = JSON.arrayNode();
        ObjectNode workbook = resources.addObject();
        workbook.put("type", "Microsoft.Insights/workbooks");
        workbook.put("name", "[[variables('workbookId" + item.number() + "')]");
        workbook.put("location", "[parameters('workspace-location')]");
        workbook.put("kind", "shared");
        workbook.put("apiVersion", "2023-06-01");
        ObjectNode props = workbook.putObject("properties");
        props.put("displayName", item.displayName());
        props.put("serializedData", escapeText(item.source().toString()));
        props.put("version", "1.0");
        props.put("sourceId", "[[variables('workspaceResourceId')]");
        props.put("category", "sentinel");
        parentId =
            "[[resourceId('Microsoft.Insights/workbooks', variables('workbookId"
                + item.number()
                + "'))]";
      }
      case ANALYTICS_RULE -> {
        inner.putObject("parameters");
        variables = JSON.objectNode();
        resources = JSON.arrayNode();
        ObjectNode rule = resources.addObject();
        rule.put("type", "Microsoft.SecurityInsights/AlertRuleTemplates");
        rule.put("name", item.contentId());
        rule.put("apiVersion", CONTENT_API);
        rule.put("kind", item.source().path("kind").asText("Scheduled"));
        rule.put("location", "[parameters('workspace-location')]");
        ObjectNode props = rule.putObject("properties");
        for (String field :
            List.of(
                "description",
                "severity",
                "requiredDataConnectors",
                "queryFrequency",
                "queryPeriod",
                "triggerOperator",
                "triggerThreshold",
                "tactics",
                "relevantTechniques",
                "query",
                "entityMappings",
                "customDetails",
                "alertDetailsOverride",
                "eventGroupingSettings")) {
          if (item.source().has(field)) {
            props.set(field, escape(item.source().get(field).deepCopy(), false));
          }
        }
        props.put("displayName", item.displayName());
        props.put("enabled", false);
        parentId =
            "[[resourceId('Microsoft.SecurityInsights/AlertRuleTemplates', '"
                + item.contentId()
                + "')]";
      }
      case HUNTING_QUERY -> {
        inner.putObject("parameters");
        variables = JSON.objectNode();
        resources = JSON.arrayNode();
        ObjectNode search = resources.addObject();
        search.put("type", "Microsoft.OperationalInsights/savedSearches");
        search.put("apiVersion", "2025-02-01");
        search.put("name", "[[concat(variables('workspace-name'), '/" + item.contentId() + "')]");
        search.put("location", "[parameters('workspace-location')]");
        ObjectNode props = search.putObject("properties");
        props.put("eTag", "*");
        props.put("displayName", item.displayName());
        props.put("category", "Hunting Queries");
        props.put("query", escapeText(item.source().path("query").asText()));
        props.put("version", 2);
        ArrayNode tags = props.putArray("tags");
        tags.addObject()
            .put("name", "description")
            .put("value", escapeText(item.source().path("description").asText()));
        parentId =
            "[[resourceId('Microsoft.OperationalInsights/savedSearches',"
                + " variables('workspace-name'), '"
                + item.contentId()
                + "')]";
      }
      default -> throw new IllegalStateException(item.kind().toString());
    }
    variables.put("workspace-location-inline", "[concat('[resourceGroup().locatio', 'n]')]");
    variables.put("workspace-name", "[parameters('workspace')]");
    variables.put(
        "workspaceResourceId",
        "[[resourceId('microsoft.OperationalInsights/Workspaces', variables('workspace-name'))]");
    inner.set("variables", variables);

    ObjectNode metadata = resources.addObject();
    metadata.put("type", "Microsoft.OperationalInsights/workspaces/providers/metadata");
    metadata.put("apiVersion", METADATA_API);
    boolean innerName = item.kind() != Kind.PLAYBOOK;
    String idVar = item.kind() == Kind.PLAYBOOK ? item.var("Id") : null;
    metadata.put(
        "name",
        innerName
            ? "[[concat(variables('workspace-name'),'/Microsoft.SecurityInsights/',concat('"
                + item.kind().metadataKind
                + "-', last(split("
                + parentId.substring(2, parentId.length() - 1)
                + ",'/'))))]"
            : "[concat(parameters('workspace'),'/Microsoft.SecurityInsights/',concat('Playbook-',"
                + " last(split(variables('"
                + idVar
                + "'),'/'))))]");
    ObjectNode properties = metadata.putObject("properties");
    properties.put("parentId", parentId);
    properties.put("contentId", "[variables('_" + item.var("ContentId") + "')]");
    properties.put("kind", item.kind().metadataKind);
    properties.put("version", "[variables('" + item.var("Version") + "')]");
    properties
        .putObject("source")
        .put("kind", "Solution")
        .put("name", data.path("Name").asText())
        .put("sourceId", "[variables('_solutionId')]");
    properties.set("author", author.deepCopy());
    properties.set("support", support.deepCopy());
    if (item.kind() == Kind.PLAYBOOK) {
      ArrayNode criteria = properties.putObject("dependencies").putArray("criteria");
      for (Item other : items) {
        if (other.kind() == Kind.CUSTOM_CONNECTOR || other.kind() == Kind.AZURE_FUNCTION) {
          criteria
              .addObject()
              .put("kind", other.kind().metadataKind)
              .put("contentId", "[variables('_" + other.contentId() + "')]")
              .put("version", "[variables('" + other.var("Version") + "')]");
        }
      }
    }
    inner.set("resources", resources);
    if (item.source().has("metadata") && item.kind() == Kind.PLAYBOOK) {
      inner.set("metadata", escape(item.source().get("metadata").deepCopy(), false));
    }
    return inner;
  }

  private static ObjectNode contentPackage(
      JsonNode data, JsonNode metadata, List<Item> items, ObjectNode author, ObjectNode support) {
    ObjectNode resource = JSON.objectNode();
    resource.put("type", "Microsoft.OperationalInsights/workspaces/providers/contentPackages");
    resource.put("apiVersion", CONTENT_API);
    resource.put("location", "[parameters('workspace-location')]");
    ObjectNode properties = resource.putObject("properties");
    properties.put("version", data.path("Version").asText());
    properties.put("kind", "Solution");
    properties.put("contentSchemaVersion", "3.0.0");
    properties.put("displayName", data.path("Name").asText());
    properties.put("publisherDisplayName", metadata.at("/support/name").asText());
    properties.put("descriptionHtml", descriptionHtml(data, items));
    properties.put("contentKind", "Solution");
    properties.put("contentProductId", "[variables('_solutioncontentProductId')]");
    properties.put("id", "[variables('_solutioncontentProductId')]");
    properties.put("icon", data.path("Logo").asText());
    properties.put("contentId", "[variables('_solutionId')]");
    properties.put("parentId", "[variables('_solutionId')]");
    properties
        .putObject("source")
        .put("kind", "Solution")
        .put("name", data.path("Name").asText())
        .put("sourceId", "[variables('_solutionId')]");
    properties.set("author", author.deepCopy());
    properties.set("support", support.deepCopy());
    ObjectNode dependencies = properties.putObject("dependencies");
    dependencies.put("operator", "AND");
    ArrayNode criteria = dependencies.putArray("criteria");
    for (Item item : items) {
      criteria
          .addObject()
          .put("kind", item.kind().metadataKind)
          .put("contentId", "[variables('_" + item.contentId() + "')]")
          .put("version", "[variables('" + item.var("Version") + "')]");
    }
    properties.put("firstPublishDate", metadata.path("firstPublishDate").asText());
    properties.put("lastPublishDate", metadata.path("lastPublishDate").asText());
    properties.set("providers", metadata.path("providers").deepCopy());
    ObjectNode categories = properties.putObject("categories");
    categories.set("domains", metadata.at("/categories/domains").deepCopy());
    if (metadata.at("/categories/verticals").size() > 0) {
      categories.set("verticals", metadata.at("/categories/verticals").deepCopy());
    }
    resource.put(
        "name",
        "[concat(parameters('workspace'),'/Microsoft.SecurityInsights/',"
            + " variables('_solutionId'))]");
    return resource;
  }

  static ObjectNode form(JsonNode data, List<Item> items) {
    ObjectNode form = JSON.objectNode();
    form.put(
        "$schema",
        "https://schema.management.azure.com/schemas/0.1.2-preview/CreateUIDefinition.MultiVm.json#");
    form.put("handler", "Microsoft.Azure.CreateUIDef");
    form.put("version", "0.1.2-preview");
    ObjectNode parameters = form.putObject("parameters");
    ObjectNode config = parameters.putObject("config");
    config.put("isWizard", false);
    ObjectNode basics = config.putObject("basics");
    basics.put(
        "description",
        data.path("Logo").asText()
            + "\n\n**Note:** Please refer to the following before installing the solution: \n\n•"
            + " Review the solution [Release Notes](ReleaseNotes.md)\n\n • There may be [known"
            + " issues](https://aka.ms/sentinelsolutionsknownissues) pertaining to this Solution,"
            + " please refer to them before installing.\n\n"
            + data.path("Description").asText()
            + "\n\n"
            + counts(items, "**", "**")
            + "\n\n[Learn more about Microsoft Sentinel](https://aka.ms/azuresentinel) | [Learn"
            + " more about Solutions](https://aka.ms/azuresentinelsolutionsdoc)");
    ArrayNode providers = basics.putObject("subscription").putArray("resourceProviders");
    providers.add("Microsoft.OperationsManagement/solutions");
    providers.add("Microsoft.OperationalInsights/workspaces/providers/alertRules");
    providers.add("Microsoft.Insights/workbooks");
    providers.add("Microsoft.Logic/workflows");
    ObjectNode location = basics.putObject("location");
    location
        .putObject("metadata")
        .put("hidden", "Hiding location, we get it from the log analytics workspace");
    location.put("visible", false);
    basics.putObject("resourceGroup").put("allowExisting", true);

    ArrayNode basicsElements = parameters.putArray("basics");
    ObjectNode lookup = basicsElements.addObject();
    lookup.put("name", "getLAWorkspace");
    lookup.put("type", "Microsoft.Solutions.ArmApiControl");
    lookup.put("toolTip", "This filters by workspaces that exist in the Resource Group selected");
    lookup.put("condition", "[greater(length(resourceGroup().name),0)]");
    lookup
        .putObject("request")
        .put("method", "GET")
        .put(
            "path",
            "[concat(subscription().id,'/providers/Microsoft.OperationalInsights/workspaces?api-version=2020-08-01')]");
    ObjectNode workspace = basicsElements.addObject();
    workspace.put("name", "workspace");
    workspace.put("type", "Microsoft.Common.DropDown");
    workspace.put("label", "Workspace");
    workspace.put("placeholder", "Select a workspace");
    workspace.put(
        "toolTip",
        "This dropdown will list only workspace that exists in the Resource Group selected");
    workspace
        .putObject("constraints")
        .put(
            "allowedValues",
            "[map(filter(basics('getLAWorkspace').value, (filter) => contains(toLower(filter.id),"
                + " toLower(resourceGroup().name))), (item) =>"
                + " parse(concat('{\"label\":\"', item.name, '\",\"value\":\"', item.name,"
                + " '\"}')))]")
        .put("required", true);
    workspace.put("visible", true);

    ArrayNode steps = parameters.putArray("steps");
    addStep(
        steps,
        items,
        List.of(Kind.WORKBOOK),
        "workbooks",
        "Workbooks",
        "Configure the workbooks",
        data.path("WorkbookBladeDescription")
            .asText(
                "This solution installs workbook(s) to help you gain insights into the telemetry"
                    + " collected in Microsoft Sentinel. After installing the solution, start"
                    + " using the workbook in Manage solution view."),
        "https://docs.microsoft.com/azure/sentinel/tutorial-monitor-your-data");
    addStep(
        steps,
        items,
        List.of(Kind.ANALYTICS_RULE),
        "analytics",
        "Analytics",
        "Configure the analytics",
        data.path("AnalyticalRuleBladeDescription")
            .asText(
                "This solution installs the following analytic rule templates. After installing"
                    + " the solution, create and enable analytic rules in Manage solution view."),
        "https://docs.microsoft.com/azure/sentinel/tutorial-detect-threats-custom");
    addStep(
        steps,
        items,
        List.of(Kind.HUNTING_QUERY),
        "huntingqueries",
        "Hunting Queries",
        "Configure the hunting queries",
        data.path("HuntingQueryBladeDescription")
            .asText(
                "This solution installs the following hunting queries. After installing the"
                    + " solution, run these hunting queries to hunt for threats in Manage solution"
                    + " view."),
        "https://docs.microsoft.com/azure/sentinel/hunting");
    addStep(
        steps,
        items,
        List.of(Kind.AZURE_FUNCTION, Kind.CUSTOM_CONNECTOR, Kind.PLAYBOOK),
        "playbooks",
        "Playbooks",
        "Configure the playbooks",
        data.path("PlaybooksBladeDescription")
            .asText(
                "This solution installs the Playbook templates to help implement your Security"
                    + " Orchestration, Automation and Response (SOAR) operations."),
        "https://docs.microsoft.com/azure/sentinel/tutorial-respond-threats-playbook?WT.mc_id=Portal-Microsoft_Azure_CreateUIDef");

    ObjectNode outputs = parameters.putObject("outputs");
    outputs.put(
        "workspace-location",
        "[first(map(filter(basics('getLAWorkspace').value, (filter) =>"
            + " and(contains(toLower(filter.id),"
            + " toLower(resourceGroup().name)),equals(filter.name,basics('workspace')))), (item)"
            + " => item.location))]");
    outputs.put("location", "[location()]");
    outputs.put("workspace", "[basics('workspace')]");
    return form;
  }

  private static void addStep(
      ArrayNode steps,
      List<Item> items,
      List<Kind> kinds,
      String name,
      String label,
      String preValidation,
      String text,
      String learnMore) {
    List<Item> ofKind = items.stream().filter(i -> kinds.contains(i.kind())).toList();
    if (ofKind.isEmpty()) {
      return;
    }
    ObjectNode step = steps.addObject();
    step.put("name", name);
    step.put("label", label);
    step.putObject("subLabel").put("preValidation", preValidation).put("postValidation", "Done");
    step.put("bladeTitle", label);
    ArrayNode elements = step.putArray("elements");
    elements
        .addObject()
        .put("name", name + "-text")
        .put("type", "Microsoft.Common.TextBlock")
        .putObject("options")
        .put("text", text);
    elements
        .addObject()
        .put("name", name + "-link")
        .put("type", "Microsoft.Common.TextBlock")
        .putObject("options")
        .putObject("link")
        .put("label", "Learn more")
        .put("uri", learnMore);
    for (Item item : ofKind) {
      ObjectNode section = elements.addObject();
      String id = item.kind().prefix + item.number();
      section.put("name", id);
      section.put("type", "Microsoft.Common.Section");
      section.put("label", item.displayName());
      section
          .putArray("elements")
          .addObject()
          .put("name", id + "-text")
          .put("type", "Microsoft.Common.TextBlock")
          .putObject("options")
          .put("text", describe(item));
    }
  }

  private static String describe(Item item) {
    return switch (item.kind()) {
      case PLAYBOOK -> item.source().at("/metadata/description").asText(item.displayName());
      case CUSTOM_CONNECTOR ->
          "The SOC Actions custom connector: every Function App operation as a Logic Apps action."
              + " Deploy it after the Function App, with the Function App's host name.";
      case AZURE_FUNCTION ->
          "The SOC Actions Function App with its code (from the package URL you give), storage,"
              + " Application Insights and Key Vault. Deploy it first.";
      default -> item.source().path("description").asText(item.displayName());
    };
  }

  private static String counts(List<Item> items, String open, String close) {
    List<String> parts = new ArrayList<>();
    Map<String, Long> labels = new LinkedHashMap<>();
    for (Item item : items) {
      String label =
          switch (item.kind()) {
            case WORKBOOK -> "Workbooks";
            case ANALYTICS_RULE -> "Analytic Rules";
            case HUNTING_QUERY -> "Hunting Queries";
            case CUSTOM_CONNECTOR -> "Custom Azure Logic Apps Connectors";
            case AZURE_FUNCTION -> "Function Apps";
            case PLAYBOOK -> "Playbooks";
          };
      labels.merge(label, 1L, Long::sum);
    }
    labels.forEach((label, count) -> parts.add(open + label + ":" + close + " " + count));
    return String.join(", ", parts);
  }

  private static String descriptionHtml(JsonNode data, List<Item> items) {
    StringBuilder html = new StringBuilder();
    html.append(
        "<p><strong>Note:</strong> <em>There may be <a"
            + " href=\"https://aka.ms/sentinelsolutionsknownissues\">known issues</a> pertaining"
            + " to this Solution, please refer to them before installing.</em></p>\n");
    for (String paragraph : data.path("Description").asText().split("\n\n")) {
      html.append("<p>").append(markdownToHtml(paragraph)).append("</p>\n");
    }
    html.append("<p>").append(counts(items, "<strong>", "</strong>")).append("</p>\n");
    html.append(
        "<p><a href=\"https://aka.ms/azuresentinel\">Learn more about Microsoft Sentinel</a> | <a"
            + " href=\"https://aka.ms/azuresentinelsolutionsdoc\">Learn more about"
            + " Solutions</a></p>\n");
    return html.toString();
  }

  // **bold** and [text](link), the markdown the description uses; the rest is escaped.
  private static String markdownToHtml(String markdown) {
    String html =
        markdown.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", " ");
    html = html.replaceAll("\\*\\*([^*]+)\\*\\*", "<strong>$1</strong>");
    html = html.replaceAll("\\[([^\\]]+)\\]\\(([^)]+)\\)", "<a href=\"$2\">$1</a>");
    return html.strip();
  }

  /**
   * {@code node} with every string an ARM expression would be taken for escaped with a second
   * {@code [}, so the solution's deployment leaves it for the deployment Content Hub makes from the
   * template; in resources, {@code resourceGroup().location} becomes the {@code
   * workspace-location-inline} variable as the packaging tool writes it.
   */
  static JsonNode escape(JsonNode node, boolean inResources) {
    if (node.isTextual()) {
      String text = node.asText();
      if (text.startsWith("[")) {
        if (inResources && Expressions.arm(text).isPresent()) {
          text = text.replace("resourceGroup().location", "variables('workspace-location-inline')");
        }
        return TextNode.valueOf("[" + text);
      }
      return node;
    }
    if (node.isObject()) {
      ObjectNode object = (ObjectNode) node;
      for (Map.Entry<String, JsonNode> e : object.properties()) {
        e.setValue(escape(e.getValue(), inResources));
      }
    } else if (node.isArray()) {
      ArrayNode array = (ArrayNode) node;
      for (int i = 0; i < array.size(); i++) {
        array.set(i, escape(array.get(i), inResources));
      }
    }
    return node;
  }

  private static ObjectNode objectOrEmpty(JsonNode source, String field) {
    return source.path(field).isObject()
        ? (ObjectNode) source.get(field).deepCopy()
        : JSON.objectNode();
  }

  private static String escapeText(String text) {
    return text.startsWith("[") ? "[" + text : text;
  }

  private static String workflowTag(JsonNode template, String tag, String fallback) {
    for (JsonNode resource : template.path("resources")) {
      if (resource
              .path("type")
              .asText()
              .toLowerCase(Locale.ROOT)
              .equals("microsoft.logic/workflows")
          && resource.path("tags").has(tag)) {
        return resource.path("tags").path(tag).asText();
      }
    }
    return fallback;
  }

  static JsonNode read(Path file) {
    try {
      return MAPPER.readTree(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode readYaml(Path file) {
    try {
      return YAML.readTree(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String readText(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
