package com.socactions.content;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Lints the deployable content, every JSON file under {@code arm/} and {@code playbooks/}, against
 * the {@link Rule}s: ARM templates (parameters, variables, expressions, secrets, API versions), the
 * Logic Apps workflows inside them ({@link WorkflowLinter}), their custom connector actions against
 * the connector definition ({@link ConnectorActions}), their Sentinel connector actions against the
 * operations the playbooks use ({@link SentinelActions}) and, for playbooks, the Azure-Sentinel
 * conventions (metadata block, {@code PlaybookName}).
 *
 * <p>Every check reports all its findings and never throws on malformed content: what is missing or
 * of the wrong type is itself a finding. A file is a playbook when it is an {@code
 * azuredeploy.json} under {@code playbooks/}; only ARM deployment templates (their {@code $schema}
 * says so) get the template rules, other JSON (createUiDefinition, parameter files) only has to
 * parse.
 */
public final class ContentLinter {
  /** Where the content lives, relative to the repository root. */
  public static final List<String> CONTENT_DIRECTORIES = List.of("arm", "playbooks", "Solutions");

  /**
   * The entity types Azure-Sentinel's playbook validator accepts in a playbook's metadata (compared
   * without case), as its {@code PlaybookMetadataSupportedEntityTypes} lists them.
   */
  static final Set<String> PLAYBOOK_ENTITY_TYPES =
      Set.of(
          "account",
          "host",
          "ip",
          "url",
          "azureresource",
          "cloudapplication",
          "dnsresolution",
          "file",
          "filehash",
          "hostlogonsession",
          "iotdevice",
          "malware",
          "networkconnection",
          "process",
          "registrykey",
          "registryvalue",
          "securitygroup",
          "mailbox",
          "mailcluster",
          "mailmessage",
          "submissionmail");

  // list(), listKeys(), listSecrets() ... of the Functions host or its keys.
  private static final Pattern HOST_LIST =
      Pattern.compile(
          "(?is)\\blist\\w*\\s*\\((?:(?!\\blist\\w*\\s*\\().)*?(Microsoft\\.Web/sites/host|/host/default|functionKeys)");

  // An actions map or a $connections value chosen by a deployment parameter:
  // [if(parameters('X'), variables('Y'), json('{}'))] and [union(variables('A'), if(...,
  // variables('B'), json('{}')))]
  private static final Pattern VARIABLE_REF = Pattern.compile("variables\\('([^']+)'\\)");

  /** The metadata fields an Azure-Sentinel playbook carries. */
  static final List<String> PLAYBOOK_METADATA =
      List.of(
          "title",
          "description",
          "prerequisites",
          "postDeployment",
          "lastUpdateTime",
          "entities",
          "tags",
          "support",
          "author",
          "releaseNotes");

  // Parameter names that hold secrets whatever their type says.
  private static final Pattern SECRET_NAME =
      Pattern.compile("(?i).*(password|secret|token|apikey|api_key|functionkey|credential).*");
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final JsonNode swagger;

  /**
   * A linter that checks custom connector actions against {@code swagger} (the connector definition
   * as JSON).
   */
  public ContentLinter(JsonNode swagger) {
    this.swagger = swagger;
  }

  /** Lints every {@code *.json} under the content directories of {@code repositoryRoot}. */
  public List<Finding> lintRepository(Path repositoryRoot) {
    List<Finding> findings = new ArrayList<>();
    for (Path file : contentFiles(repositoryRoot)) {
      String name = repositoryRoot.relativize(file).toString().replace('\\', '/');
      try {
        findings.addAll(lint(name, Files.readString(file)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return findings;
  }

  /** The JSON files the repository ships as content, sorted. */
  public static List<Path> contentFiles(Path repositoryRoot) {
    List<Path> files = new ArrayList<>();
    for (String directory : CONTENT_DIRECTORIES) {
      Path dir = repositoryRoot.resolve(directory);
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> walk = Files.walk(dir)) {
        walk.filter(p -> p.toString().endsWith(".json")).sorted().forEach(files::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return files;
  }

  /**
   * Lints one file given by its repository-relative {@code name} (which decides whether it is a
   * playbook) and its text.
   */
  public List<Finding> lint(String name, String text) {
    List<Finding> findings = new ArrayList<>();
    JsonNode root;
    try {
      root = MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      findings.add(
          new Finding(
              Rule.JSON_PARSES,
              name,
              "$",
              "not JSON: " + e.getOriginalMessage() + " at line " + e.getLocation().getLineNr()));
      return findings;
    }
    if (root == null || !root.path("$schema").asText().contains("deploymentTemplate")) {
      return findings;
    }
    if (root.findParent(DeployTemplate.INCLUDE) != null) {
      return findings; // a composition source: its generated template is the one linted
    }
    checkNothingLinked(name, root, "$", findings);
    lintTemplate(name, root, "$", findings);
    if (isPlaybook(name)) {
      lintPlaybook(name, root, findings);
    }
    return findings;
  }

  /**
   * A playbook: an {@code azuredeploy.json} under {@code playbooks/}, or under a solution's {@code
   * Playbooks/} but not its custom connector or Function App.
   */
  static boolean isPlaybook(String name) {
    if (!name.endsWith("/azuredeploy.json")) {
      return false;
    }
    return name.startsWith("playbooks/")
        || (name.startsWith("Solutions/")
            && name.contains("/Playbooks/")
            && !name.contains("/Playbooks/CustomConnector/")
            && !name.contains("/Playbooks/FunctionAppConnector/"));
  }

  private static void checkNothingLinked(
      String file, JsonNode node, String path, List<Finding> findings) {
    if (node.isObject()) {
      node.fields()
          .forEachRemaining(
              e -> {
                if (e.getKey().equals("templateLink") || e.getKey().equals("relativePath")) {
                  findings.add(
                      new Finding(
                          Rule.NO_TEMPLATE_LINK,
                          file,
                          path + "." + e.getKey(),
                          "a linked template: put the template inline (properties.template)"));
                } else {
                  checkNothingLinked(file, e.getValue(), path + "." + e.getKey(), findings);
                }
              });
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        checkNothingLinked(file, node.get(i), path + "[" + i + "]", findings);
      }
    }
  }

  private void lintTemplate(String file, JsonNode template, String path, List<Finding> findings) {
    Set<String> parameters = names(template.path("parameters"));
    Set<String> variables = names(template.path("variables"));
    template
        .path("parameters")
        .fields()
        .forEachRemaining(
            p ->
                checkSecret(
                    file, path + ".parameters." + p.getKey(), p.getKey(), p.getValue(), findings));
    checkArmStrings(file, template, path, parameters, variables, findings);
    JsonNode resources = template.path("resources");
    for (int i = 0; i < resources.size(); i++) {
      lintResource(
          file,
          resources.get(i),
          "",
          path + ".resources[" + i + "]",
          template.path("variables"),
          findings);
    }
  }

  private void lintResource(
      String file,
      JsonNode resource,
      String parentType,
      String path,
      JsonNode variables,
      List<Finding> findings) {
    String type =
        parentType.isEmpty()
            ? resource.path("type").asText()
            : parentType + "/" + resource.path("type").asText();
    String apiVersion = resource.path("apiVersion").asText();
    if (!ApiVersions.isKnown(type, apiVersion)) {
      findings.add(
          new Finding(
              Rule.API_VERSION_KNOWN,
              file,
              path + ".apiVersion",
              type
                  + "@"
                  + apiVersion
                  + " is not the version the linter's list (ApiVersions) keeps"
                  + ApiVersions.of(type).map(v -> " (" + v.version() + ")").orElse("")));
    }
    if (type.equalsIgnoreCase("Microsoft.Logic/workflows")
        && resource.at("/properties/definition").isObject()) {
      lintWorkflow(file, withChosenParts(resource, variables), path, findings);
    }
    JsonNode nested = resource.at("/properties/template");
    if (type.equalsIgnoreCase("Microsoft.Resources/deployments")
        && nested.isObject()
        && resource
            .at("/properties/expressionEvaluationOptions/scope")
            .asText()
            .equalsIgnoreCase("inner")) {
      lintTemplate(file, nested, path + ".properties.template", findings);
    }
    JsonNode children = resource.path("resources");
    for (int i = 0; i < children.size(); i++) {
      lintResource(
          file, children.get(i), type, path + ".resources[" + i + "]", variables, findings);
    }
  }

  private void lintWorkflow(String file, JsonNode workflow, String path, List<Finding> findings) {
    JsonNode connections = workflow.at("/properties/parameters/$connections/value");
    Set<String> declared = names(connections);
    Set<String> custom = new HashSet<>();
    Set<String> sentinel = new HashSet<>();
    connections
        .fields()
        .forEachRemaining(
            c -> {
              String apiId = c.getValue().path("id").asText();
              if (apiId.toLowerCase(Locale.ROOT).contains("microsoft.web/customapis")) {
                custom.add(c.getKey());
              } else if (SentinelActions.isSentinel(apiId)) {
                sentinel.add(c.getKey());
              }
            });
    new WorkflowLinter(
            file,
            workflow.at("/properties/definition"),
            path + ".properties.definition",
            declared,
            new ConnectorActions(swagger, custom),
            new SentinelActions(sentinel),
            findings)
        .lint();
  }

  // Every ARM expression in the template, except inside nested templates of their own (inner
  // scope).
  private void checkArmStrings(
      String file,
      JsonNode node,
      String path,
      Set<String> parameters,
      Set<String> variables,
      List<Finding> findings) {
    if (node.isTextual()) {
      if (HOST_LIST.matcher(node.asText()).find()) {
        findings.add(
            new Finding(
                Rule.NO_HOST_LIST_KEYS,
                file,
                path,
                "reads a key from the Functions host, which answers only once code runs: create"
                    + " the key (Microsoft.Web/sites/host/functionKeys) with a value the template"
                    + " knows"));
      }
      Expressions.arm(node.asText())
          .ifPresent(
              expression -> {
                Expressions.imbalance(expression)
                    .ifPresent(
                        why ->
                            findings.add(
                                new Finding(
                                    Rule.EXPRESSION_BALANCED,
                                    file,
                                    path,
                                    "ARM expression '" + expression + "': " + why)));
                for (Expressions.NamedCall call : Expressions.namedCalls(expression)) {
                  String function = call.function().toLowerCase(Locale.ROOT);
                  if (function.equals("parameters") && !parameters.contains(call.name())) {
                    findings.add(
                        new Finding(
                            Rule.PARAMETER_DEFINED,
                            file,
                            path,
                            "template parameter '" + call.name() + "' is not defined"));
                  } else if (function.equals("variables") && !variables.contains(call.name())) {
                    findings.add(
                        new Finding(
                            Rule.VARIABLE_DEFINED,
                            file,
                            path,
                            "template variable '" + call.name() + "' is not defined"));
                  }
                }
              });
    } else if (node.isObject()) {
      boolean ownScope =
          node.at("/expressionEvaluationOptions/scope").asText().equalsIgnoreCase("inner");
      node.fields()
          .forEachRemaining(
              e -> {
                if (!(ownScope && e.getKey().equals("template"))) {
                  checkArmStrings(
                      file, e.getValue(), path + "." + e.getKey(), parameters, variables, findings);
                }
              });
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        checkArmStrings(file, node.get(i), path + "[" + i + "]", parameters, variables, findings);
      }
    }
  }

  private static void checkSecret(
      String file, String path, String name, JsonNode parameter, List<Finding> findings) {
    String type = parameter.path("type").asText().toLowerCase(Locale.ROOT);
    boolean secure = type.equals("securestring") || type.equals("secureobject");
    // An empty default only makes the secret optional (as arm-ttk allows); any other is a secret in
    // the repo.
    String defaultValue = parameter.path("defaultValue").asText();
    boolean hasDefault =
        parameter.has("defaultValue")
            && !defaultValue.isEmpty()
            && !defaultValue.replace(" ", "").equalsIgnoreCase("[newGuid()]");
    if (secure && hasDefault) {
      findings.add(
          new Finding(
              Rule.SECURE_PARAMETER,
              file,
              path + ".defaultValue",
              "a secure parameter has no default but an empty one: the secret would sit in the"
                  + " template"));
    } else if (!secure && SECRET_NAME.matcher(name).matches()) {
      findings.add(
          new Finding(
              Rule.SECURE_PARAMETER,
              file,
              path + ".type",
              "'" + name + "' looks like a secret: make it a securestring"));
    }
  }

  private static void lintPlaybook(String file, JsonNode root, List<Finding> findings) {
    JsonNode metadata = root.path("metadata");
    for (String field : PLAYBOOK_METADATA) {
      JsonNode value = metadata.path(field);
      boolean empty =
          value.isMissingNode()
              || value.isNull()
              || (value.isTextual() && value.asText().isBlank())
              || (value.isContainerNode() && value.isEmpty() && !field.equals("entities"));
      if (empty) {
        findings.add(
            new Finding(
                Rule.METADATA_COMPLETE,
                file,
                "$.metadata." + field,
                "playbook metadata lacks '" + field + "'"));
      }
    }
    JsonNode entities = metadata.path("entities");
    for (int i = 0; i < entities.size(); i++) {
      String entity = entities.get(i).asText();
      if (!PLAYBOOK_ENTITY_TYPES.contains(entity.toLowerCase(Locale.ROOT))) {
        findings.add(
            new Finding(
                Rule.ENTITY_TYPE,
                file,
                "$.metadata.entities[" + i + "]",
                "'"
                    + entity
                    + "' is no entity type Azure-Sentinel's playbook validator accepts (e.g."
                    + " DnsResolution, not DNS)"));
      }
    }
    JsonNode resources = root.path("resources");
    for (int i = 0; i < resources.size(); i++) {
      JsonNode resource = resources.get(i);
      if (!resource.path("type").asText().equalsIgnoreCase("Microsoft.Logic/workflows")) {
        continue;
      }
      if (!resource.at("/tags/LogicAppsCategory").asText().equals("security")) {
        findings.add(
            new Finding(
                Rule.PLAYBOOK_TAGS,
                file,
                "$.resources[" + i + "].tags",
                "a playbook's Logic App is tagged LogicAppsCategory: security"));
      }
      checkFailureFilters(
          file,
          withChosenParts(resource, root.path("variables")).at("/properties/definition/actions"),
          "$.resources[" + i + "].properties.definition.actions",
          findings);
    }
    if (!root.path("parameters").has("PlaybookName")) {
      findings.add(
          new Finding(
              Rule.PLAYBOOK_NAME_PARAMETER,
              file,
              "$.parameters",
              "a playbook takes its Logic App name as the 'PlaybookName' parameter"));
    }
  }

  // Every Query over result('X') keeps TimedOut as well as Failed.
  private static void checkFailureFilters(
      String file, JsonNode actions, String path, List<Finding> findings) {
    actions
        .fields()
        .forEachRemaining(
            e -> {
              JsonNode action = e.getValue();
              String here = path + "." + e.getKey();
              if ("Query".equalsIgnoreCase(action.path("type").asText())
                  && action.at("/inputs/from").asText().contains("result(")
                  && !action.at("/inputs/where").asText().contains("'TimedOut'")) {
                findings.add(
                    new Finding(
                        Rule.FAILURE_FILTER,
                        file,
                        here + ".inputs.where",
                        "the failure branch runs on TimedOut too: keep 'TimedOut' results as well"
                            + " as 'Failed' ones"));
              }
              for (String nested : List.of("actions")) {
                if (action.path(nested).isObject()) {
                  checkFailureFilters(file, action.path(nested), here + "." + nested, findings);
                }
              }
              if (action.at("/else/actions").isObject()) {
                checkFailureFilters(
                    file, action.at("/else/actions"), here + ".else.actions", findings);
              }
            });
  }

  /**
   * The workflow resource with its parameter-chosen parts filled in from the template's variables,
   * so that the workflow rules see every action and connection any deployment can have: an actions
   * map {@code [if(parameters('X'), variables('Y'), json('{}'))]} becomes variable Y, a {@code
   * $connections} value {@code [union(variables('A'), if(..., variables('B'), json('{}')))]} the
   * union of A and B.
   */
  static JsonNode withChosenParts(JsonNode workflow, JsonNode variables) {
    JsonNode copy = workflow.deepCopy();
    fillChosen(copy, variables);
    return copy;
  }

  private static void fillChosen(JsonNode node, JsonNode variables) {
    if (node.isObject()) {
      ObjectNode object = (ObjectNode) node;
      List<String> keys = new ArrayList<>();
      object.fieldNames().forEachRemaining(keys::add);
      for (String key : keys) {
        JsonNode value = object.get(key);
        if ((key.equals("actions") || key.equals("value"))
            && value.isTextual()
            && Expressions.arm(value.asText()).isPresent()) {
          ObjectNode merged = MAPPER.createObjectNode();
          java.util.regex.Matcher m = VARIABLE_REF.matcher(value.asText());
          while (m.find()) {
            JsonNode part = variables.path(m.group(1));
            if (part.isObject()) {
              merged.setAll((ObjectNode) part.deepCopy());
            }
          }
          if (!merged.isEmpty()) {
            object.set(key, merged);
          }
        } else {
          fillChosen(value, variables);
        }
      }
    } else if (node.isArray()) {
      node.forEach(child -> fillChosen(child, variables));
    }
  }

  private static Set<String> names(JsonNode object) {
    Set<String> names = new HashSet<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
