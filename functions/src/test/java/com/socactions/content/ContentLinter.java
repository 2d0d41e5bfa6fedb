package com.socactions.content;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
  public static final List<String> CONTENT_DIRECTORIES = List.of("arm", "playbooks");

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
    lintTemplate(name, root, "$", findings);
    if (isPlaybook(name)) {
      lintPlaybook(name, root, findings);
    }
    return findings;
  }

  static boolean isPlaybook(String name) {
    return name.startsWith("playbooks/") && name.endsWith("/azuredeploy.json");
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
      lintResource(file, resources.get(i), "", path + ".resources[" + i + "]", findings);
    }
  }

  private void lintResource(
      String file, JsonNode resource, String parentType, String path, List<Finding> findings) {
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
              type + "@" + apiVersion + " is not in the linter's list (ApiVersions)"));
    }
    if (type.equalsIgnoreCase("Microsoft.Logic/workflows")
        && resource.at("/properties/definition").isObject()) {
      lintWorkflow(file, resource, path, findings);
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
      lintResource(file, children.get(i), type, path + ".resources[" + i + "]", findings);
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
    boolean hasDefault =
        parameter.has("defaultValue") && !parameter.get("defaultValue").asText().isEmpty();
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
    if (!root.path("parameters").has("PlaybookName")) {
      findings.add(
          new Finding(
              Rule.PLAYBOOK_NAME_PARAMETER,
              file,
              "$.parameters",
              "a playbook takes its Logic App name as the 'PlaybookName' parameter"));
    }
  }

  private static Set<String> names(JsonNode object) {
    Set<String> names = new HashSet<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
