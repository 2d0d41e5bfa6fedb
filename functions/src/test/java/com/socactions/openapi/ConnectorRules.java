package com.socactions.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The Logic Apps custom connector rules of {@code shared/design/CONNECTOR-API.md}, checked on a
 * Swagger 2.0 definition read as plain JSON (so every finding carries the JSON path to fix).
 *
 * <p>Each check returns <em>all</em> its violations, never stops at the first; an empty list means
 * the definition follows the rule. Checks never throw on a malformed definition: a missing or
 * wrongly typed node is itself reported as a violation. {@code $ref}s to {@code #/definitions/...}
 * and {@code #/parameters/...} are followed; a definition is reported once, at its own path,
 * however many places reach it.
 */
public final class ConnectorRules {

  /**
   * The connector definition, relative to the {@code functions} module (surefire's working dir).
   */
  public static final Path DEFINITION = Path.of("..", "openapi", "apiDefinition.swagger.json");

  /** The connection parameters, relative to the {@code functions} module. */
  public static final Path PROPERTIES = Path.of("..", "openapi", "apiProperties.json");

  static final int MAX_SUMMARY_LENGTH = 80; // Characters, the designer truncates beyond
  static final Set<String> HTTP_METHODS =
      Set.of("get", "put", "post", "delete", "options", "head", "patch");
  static final Set<String> OK_STATUSES = Set.of("200", "201");

  private static final Pattern PASCAL_CASE = Pattern.compile("[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)*");
  // A word in Title Case ("Enrich IP Addresses" -> "Addresses"); acronyms (IP, ASN) and camel-case
  // names (GeoIP, WhoIs, ServiceNow) are not Title Case and may stand anywhere.
  private static final Pattern TITLE_CASE_WORD = Pattern.compile("[A-Z][a-z]+");
  // Proper nouns that a sentence-case summary still capitalises.
  static final Set<String> PROPER_NOUNS =
      Set.of(
          "SOC",
          "Actions",
          "Sentinel",
          "Microsoft",
          "Azure",
          "Defender",
          "Jira",
          "Logic",
          "Apps",
          "Function",
          "Functions",
          "Entra",
          "Identity",
          "Protection");

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** One breach of a rule: where ({@code $.paths['/v1/x'].get.summary}) and what to fix. */
  public record Violation(String rule, String path, String message) {
    @Override
    public String toString() {
      return path + ": " + message + " [" + rule + "]";
    }
  }

  /** One operation of the definition. */
  public record Operation(
      String method, String path, String operationId, JsonNode node, String jsonPath) {}

  private final JsonNode root;

  private ConnectorRules(JsonNode root) {
    this.root = Objects.requireNonNull(root, "'root' cannot be null.");
  }

  /** Rules over a definition already parsed as JSON. */
  public static ConnectorRules of(JsonNode definition) {
    return new ConnectorRules(definition);
  }

  /**
   * Rules over a definition given as JSON text; throws {@link IllegalArgumentException} if it is
   * not JSON.
   */
  public static ConnectorRules of(String definitionJson) {
    try {
      return new ConnectorRules(MAPPER.readTree(definitionJson));
    } catch (IOException e) {
      throw new IllegalArgumentException("Not JSON: " + e.getMessage(), e);
    }
  }

  /** Reads a JSON file; throws {@link UncheckedIOException} if it cannot be read or parsed. */
  public static JsonNode readJson(Path file) {
    try {
      return MAPPER.readTree(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file.toAbsolutePath().normalize(), e);
    }
  }

  /** Rules over the committed {@link #DEFINITION}. */
  public static ConnectorRules forTheConnector() {
    return of(readJson(DEFINITION));
  }

  public JsonNode root() {
    return root;
  }

  /** Every operation under {@code paths}, in file order. */
  public List<Operation> operations() {
    List<Operation> operations = new ArrayList<>();
    for (Map.Entry<String, JsonNode> path : fields(root.path("paths"))) {
      for (Map.Entry<String, JsonNode> op : fields(path.getValue())) {
        if (HTTP_METHODS.contains(op.getKey())) {
          operations.add(
              new Operation(
                  op.getKey(),
                  path.getKey(),
                  op.getValue().path("operationId").asText(null),
                  op.getValue(),
                  pathOf(path.getKey()) + "." + op.getKey()));
        }
      }
    }
    return operations;
  }

  /** {@code operationId} -> {@code "METHOD /path"}, e.g. {@code GetHealth -> "GET /v1/health"}. */
  public Map<String, String> operationRoutes() {
    Map<String, String> routes = new LinkedHashMap<>();
    for (Operation op : operations()) {
      routes.put(op.operationId(), op.method().toUpperCase(Locale.ROOT) + " " + op.path());
    }
    return routes;
  }

  /** Every check below, together. */
  public List<Violation> all() {
    List<Violation> all = new ArrayList<>();
    all.addAll(operationIdsArePascalCase());
    all.addAll(summariesAreSentenceCaseShortAndUnpunctuated());
    all.addAll(descriptionsAreFullSentences());
    all.addAll(parametersAndPropertiesHaveXmsSummary());
    all.addAll(okResponsesHaveSchemas());
    all.addAll(defaultResponsesHaveNoSchema());
    all.addAll(internalRequiredParametersHaveDefaults());
    return all;
  }

  /** Every operation has an {@code operationId}: PascalCase, no {@code -}/{@code _}, unique. */
  public List<Violation> operationIdsArePascalCase() {
    String rule = "operationId";
    List<Violation> found = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Operation op : operations()) {
      String at = op.jsonPath() + ".operationId";
      String id = op.operationId();
      if (id == null || id.isBlank()) {
        found.add(new Violation(rule, at, "missing"));
      } else if (!PASCAL_CASE.matcher(id).matches()) {
        found.add(
            new Violation(
                rule, at, "'" + id + "' is not PascalCase (letters and digits, no '-' or '_')"));
      } else if (!seen.add(id)) {
        found.add(new Violation(rule, at, "'" + id + "' is used by another operation too"));
      }
    }
    return found;
  }

  /**
   * Every operation has a {@code summary}: sentence case (capital first letter, no Title Case words
   * after it except {@link #PROPER_NOUNS}), at most 80 characters, no trailing punctuation.
   */
  public List<Violation> summariesAreSentenceCaseShortAndUnpunctuated() {
    String rule = "summary";
    List<Violation> found = new ArrayList<>();
    for (Operation op : operations()) {
      String at = op.jsonPath() + ".summary";
      String summary = op.node().path("summary").asText("");
      if (summary.isBlank()) {
        found.add(new Violation(rule, at, "missing"));
        continue;
      }
      if (summary.length() > MAX_SUMMARY_LENGTH) {
        found.add(
            new Violation(
                rule, at, summary.length() + " characters, more than " + MAX_SUMMARY_LENGTH));
      }
      if (!summary.equals(summary.strip())) {
        found.add(new Violation(rule, at, "leading or trailing white space"));
      }
      if (!Character.isUpperCase(summary.codePointAt(0))) {
        found.add(
            new Violation(rule, at, "'" + summary + "' does not start with a capital letter"));
      }
      char last = summary.strip().charAt(summary.strip().length() - 1);
      if (".!?:;,".indexOf(last) >= 0) {
        found.add(
            new Violation(rule, at, "'" + summary + "' ends with punctuation '" + last + "'"));
      }
      String[] words = summary.strip().split("\\s+");
      for (int i = 1; i < words.length; i++) {
        String word = words[i].replaceAll("^\\p{Punct}+|\\p{Punct}+$", "");
        if (TITLE_CASE_WORD.matcher(word).matches() && !PROPER_NOUNS.contains(word)) {
          found.add(
              new Violation(rule, at, "'" + summary + "' is not sentence case: '" + word + "'"));
        }
      }
    }
    return found;
  }

  /**
   * Every operation has a {@code description}: a sentence of 3+ words, capital first, ending with a
   * period.
   */
  public List<Violation> descriptionsAreFullSentences() {
    String rule = "description";
    List<Violation> found = new ArrayList<>();
    for (Operation op : operations()) {
      String at = op.jsonPath() + ".description";
      String description = op.node().path("description").asText("").strip();
      if (description.isEmpty()) {
        found.add(new Violation(rule, at, "missing"));
        continue;
      }
      if (!Character.isUpperCase(description.codePointAt(0))) {
        found.add(new Violation(rule, at, "does not start with a capital letter"));
      }
      if (!description.endsWith(".")) {
        found.add(new Violation(rule, at, "does not end with a period"));
      }
      if (description.split("\\s+").length < 3) {
        found.add(new Violation(rule, at, "'" + description + "' is not a full sentence"));
      }
    }
    return found;
  }

  /**
   * Every parameter (path-level, operation-level, shared) and every property of every request body
   * and response schema has a non-blank {@code x-ms-summary}, recursively through nested objects,
   * array items and {@code $ref}s. A property that is a {@code $ref} may take its summary from the
   * referenced definition.
   */
  public List<Violation> parametersAndPropertiesHaveXmsSummary() {
    String rule = "x-ms-summary";
    List<Violation> found = new ArrayList<>();
    Set<String> visited = new HashSet<>();
    for (Map.Entry<String, JsonNode> path : fields(root.path("paths"))) {
      walkParameters(
          path.getValue().path("parameters"),
          pathOf(path.getKey()) + ".parameters",
          found,
          visited,
          rule);
    }
    for (Operation op : operations()) {
      walkParameters(
          op.node().path("parameters"), op.jsonPath() + ".parameters", found, visited, rule);
      for (Map.Entry<String, JsonNode> response : fields(op.node().path("responses"))) {
        JsonNode schema = response.getValue().path("schema");
        if (!schema.isMissingNode()) {
          walkSchema(
              schema,
              op.jsonPath() + ".responses['" + response.getKey() + "'].schema",
              found,
              visited,
              rule);
        }
      }
    }
    return found;
  }

  private void walkParameters(
      JsonNode parameters, String at, List<Violation> found, Set<String> visited, String rule) {
    int i = 0;
    for (JsonNode parameter : iterable(parameters)) {
      String here = at + "[" + i++ + "]";
      Resolved resolved = resolve(parameter, here);
      if (resolved == null) {
        found.add(
            new Violation(rule, here, "unresolvable $ref " + parameter.path("$ref").asText()));
        continue;
      }
      if (resolved.viaRef() && !visited.add(resolved.path())) {
        continue;
      }
      if (!hasText(resolved.node(), "x-ms-summary")) {
        found.add(
            new Violation(
                rule,
                resolved.path(),
                "parameter '" + resolved.node().path("name").asText() + "' has no x-ms-summary"));
      }
      if (resolved.node().has("schema")) {
        walkSchema(
            resolved.node().get("schema"), resolved.path() + ".schema", found, visited, rule);
      }
    }
  }

  private void walkSchema(
      JsonNode schema, String at, List<Violation> found, Set<String> visited, String rule) {
    Resolved resolved = resolve(schema, at);
    if (resolved == null) {
      found.add(new Violation(rule, at, "unresolvable $ref " + schema.path("$ref").asText()));
      return;
    }
    if (resolved.viaRef() && !visited.add(resolved.path())) {
      return;
    }
    JsonNode node = resolved.node();
    for (Map.Entry<String, JsonNode> property : fields(node.path("properties"))) {
      String here = resolved.path() + ".properties." + property.getKey();
      JsonNode value = property.getValue();
      boolean summarised = hasText(value, "x-ms-summary");
      if (!summarised && value.has("$ref")) {
        Resolved target = resolve(value, here);
        summarised = target != null && hasText(target.node(), "x-ms-summary");
      }
      if (!summarised) {
        found.add(new Violation(rule, here, "property has no x-ms-summary"));
      }
      walkSchema(value, here, found, visited, rule);
    }
    if (node.has("items")) {
      walkSchema(node.get("items"), resolved.path() + ".items", found, visited, rule);
    }
    if (node.path("additionalProperties").isObject()) {
      walkSchema(
          node.get("additionalProperties"),
          resolved.path() + ".additionalProperties",
          found,
          visited,
          rule);
    }
    int i = 0;
    for (JsonNode part : iterable(node.path("allOf"))) {
      walkSchema(part, resolved.path() + ".allOf[" + i++ + "]", found, visited, rule);
    }
  }

  /** Every 200/201 response has a schema with a type or a {@code $ref}, not an empty object. */
  public List<Violation> okResponsesHaveSchemas() {
    String rule = "ok-schema";
    List<Violation> found = new ArrayList<>();
    for (Operation op : operations()) {
      JsonNode responses = op.node().path("responses");
      boolean anyOk = false;
      for (String status : OK_STATUSES) {
        if (!responses.has(status)) {
          continue;
        }
        anyOk = true;
        String at = op.jsonPath() + ".responses['" + status + "']";
        JsonNode schema = responses.get(status).path("schema");
        if (schema.isMissingNode()) {
          found.add(new Violation(rule, at, "no schema"));
        } else if (!schema.has("$ref") && !schema.has("type")) {
          found.add(new Violation(rule, at + ".schema", "neither a $ref nor a type"));
        } else if (resolve(schema, at + ".schema") == null) {
          found.add(
              new Violation(
                  rule, at + ".schema", "unresolvable $ref " + schema.path("$ref").asText()));
        }
      }
      if (!anyOk) {
        found.add(new Violation(rule, op.jsonPath() + ".responses", "no 200 or 201 response"));
      }
    }
    return found;
  }

  /** No {@code default} response carries a schema (errors are declared per status). */
  public List<Violation> defaultResponsesHaveNoSchema() {
    String rule = "default-response";
    List<Violation> found = new ArrayList<>();
    for (Operation op : operations()) {
      JsonNode defaultResponse = op.node().path("responses").path("default");
      if (defaultResponse.has("schema")) {
        found.add(
            new Violation(
                rule,
                op.jsonPath() + ".responses['default'].schema",
                "a default response must not have a schema; declare each error status instead"));
      }
    }
    return found;
  }

  /**
   * Every parameter, and every request-body property, that is {@code x-ms-visibility: internal} and
   * required has a {@code default}: the designer hides it, so nobody else can fill it in.
   */
  public List<Violation> internalRequiredParametersHaveDefaults() {
    String rule = "internal-required-default";
    List<Violation> found = new ArrayList<>();
    Set<String> visited = new HashSet<>();
    List<Map.Entry<JsonNode, String>> parameterLists = new ArrayList<>();
    for (Map.Entry<String, JsonNode> path : fields(root.path("paths"))) {
      parameterLists.add(
          Map.entry(path.getValue().path("parameters"), pathOf(path.getKey()) + ".parameters"));
    }
    for (Operation op : operations()) {
      parameterLists.add(Map.entry(op.node().path("parameters"), op.jsonPath() + ".parameters"));
    }
    for (Map.Entry<JsonNode, String> list : parameterLists) {
      int i = 0;
      for (JsonNode parameter : iterable(list.getKey())) {
        Resolved resolved = resolve(parameter, list.getValue() + "[" + i++ + "]");
        if (resolved == null || !visited.add(resolved.path())) {
          continue;
        }
        JsonNode p = resolved.node();
        if (isInternal(p) && p.path("required").asBoolean(false) && !p.has("default")) {
          found.add(
              new Violation(
                  rule,
                  resolved.path(),
                  "internal, required parameter '" + p.path("name").asText() + "' has no default"));
        }
        if (p.has("schema")) {
          checkInternalRequiredProperties(
              p.get("schema"), resolved.path() + ".schema", found, visited, rule);
        }
      }
    }
    return found;
  }

  private void checkInternalRequiredProperties(
      JsonNode schema, String at, List<Violation> found, Set<String> visited, String rule) {
    Resolved resolved = resolve(schema, at);
    if (resolved == null || (resolved.viaRef() && !visited.add(resolved.path()))) {
      return;
    }
    JsonNode node = resolved.node();
    Set<String> required = new HashSet<>();
    iterable(node.path("required")).forEach(name -> required.add(name.asText()));
    for (Map.Entry<String, JsonNode> property : fields(node.path("properties"))) {
      String here = resolved.path() + ".properties." + property.getKey();
      JsonNode value = property.getValue();
      if (required.contains(property.getKey()) && isInternal(value) && !value.has("default")) {
        found.add(new Violation(rule, here, "internal, required property has no default"));
      }
      checkInternalRequiredProperties(value, here, found, visited, rule);
    }
    if (node.has("items")) {
      checkInternalRequiredProperties(
          node.get("items"), resolved.path() + ".items", found, visited, rule);
    }
  }

  // --- JSON helpers ------------------------------------------------------------------------------

  /** A node after following its {@code $ref} (if any), with the JSON path where it is defined. */
  private record Resolved(JsonNode node, String path, boolean viaRef) {}

  /** Null when the node is a {@code $ref} that does not point at a node of this document. */
  private Resolved resolve(JsonNode node, String at) {
    if (!node.has("$ref")) {
      return new Resolved(node, at, false);
    }
    String ref = node.get("$ref").asText();
    if (!ref.startsWith("#/")) {
      return null;
    }
    JsonNode target = root.at(ref.substring(1));
    if (target.isMissingNode()) {
      return null;
    }
    StringBuilder path = new StringBuilder("$");
    for (String token : ref.substring(2).split("/")) {
      path.append('.').append(token.replace("~1", "/").replace("~0", "~"));
    }
    return new Resolved(target, path.toString(), true);
  }

  private static boolean isInternal(JsonNode node) {
    return "internal".equals(node.path("x-ms-visibility").asText());
  }

  private static boolean hasText(JsonNode node, String field) {
    return node.path(field).isTextual() && !node.path(field).asText().isBlank();
  }

  private static String pathOf(String apiPath) {
    return "$.paths['" + apiPath + "']";
  }

  private static List<Map.Entry<String, JsonNode>> fields(JsonNode node) {
    return node.isObject() ? new ArrayList<>(node.properties()) : List.of();
  }

  private static Iterable<JsonNode> iterable(JsonNode node) {
    return node.isArray() ? node : List.of();
  }
}
