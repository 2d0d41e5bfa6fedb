package com.socactions.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.socactions.openapi.ConnectorRules.Operation;
import com.socactions.openapi.ConnectorRules.Violation;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Checks an HTTP answer against what a Swagger 2.0 definition documents for that operation and
 * status, so the definition cannot drift from the JSON the app writes.
 *
 * <p>What it checks: the status is documented; a documented schema means a body of the right media
 * type ({@code application/problem+json} for the {@link #PROBLEM} schema, else {@code
 * application/json}); no schema means an empty body; every documented header is present and of its
 * type; the body against the schema: {@code type}, {@code format} ({@code date-time}, {@code
 * int32}, {@code int64}), {@code properties}, {@code required}, {@code items}, {@code enum}, {@code
 * x-nullable} (on the schema, or beside a {@code $ref} to it) and {@code $ref} into {@code
 * #/definitions}. A property the body has but the schema does not document is a violation (unless
 * the schema allows {@code additionalProperties}), so undocumented fields cannot creep in.
 *
 * <p>Like {@link ConnectorRules}, it returns every violation with its JSON path and never throws on
 * a malformed definition or body: those are violations too.
 */
public final class SwaggerResponseValidator {
  /** Errors use this schema, and only they are {@code application/problem+json}. */
  public static final String PROBLEM = "#/definitions/Problem";

  static final String JSON_MEDIA_TYPE = "application/json";
  static final String PROBLEM_MEDIA_TYPE = "application/problem+json";
  static final String TEXT_MEDIA_TYPE = "text/plain";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final JsonNode root;
  private final Map<String, Operation> operations;

  private SwaggerResponseValidator(ConnectorRules rules) {
    this.root = rules.root();
    this.operations = new LinkedHashMap<>();
    rules.operations().forEach(op -> operations.putIfAbsent(op.operationId(), op));
  }

  /** A validator for the definition the rules read. */
  public static SwaggerResponseValidator of(ConnectorRules rules) {
    return new SwaggerResponseValidator(Objects.requireNonNull(rules, "'rules' cannot be null."));
  }

  /** The operationIds of the definition, in file order. */
  public Set<String> operationIds() {
    return operations.keySet();
  }

  /**
   * The statuses an operation documents ({@code "200"}, {@code "400"}, ...); empty for an unknown
   * operation.
   */
  public Set<String> documentedStatuses(String operationId) {
    Set<String> statuses = new LinkedHashSet<>();
    Optional.ofNullable(operations.get(operationId))
        .ifPresent(op -> op.node().path("responses").fieldNames().forEachRemaining(statuses::add));
    return statuses;
  }

  /**
   * Every way an answer breaks what the definition documents for it.
   *
   * @param header the answer's header by (case-insensitive) name
   * @param body the answer's body as text, empty when it had none
   */
  public List<Violation> validateResponse(
      String operationId, int status, Function<String, Optional<String>> header, String body) {
    List<Violation> found = new ArrayList<>();
    Operation op = operations.get(operationId);
    if (op == null) {
      found.add(
          new Violation("operation", "$", "no operation '" + operationId + "' in the definition"));
      return found;
    }
    String at = op.jsonPath() + ".responses['" + status + "']";
    JsonNode response = op.node().path("responses").path(Integer.toString(status));
    if (response.isMissingNode()) {
      found.add(
          new Violation(
              "status", at, operationId + " answered " + status + ", which it does not document"));
      return found;
    }
    for (Map.Entry<String, JsonNode> declared : response.path("headers").properties()) {
      Optional<String> value = header.apply(declared.getKey());
      String here = at + ".headers['" + declared.getKey() + "']";
      if (value.isEmpty()) {
        found.add(new Violation("header", here, "documented, but not sent"));
      } else {
        validateValue(
            declared.getValue(), MAPPER.getNodeFactory().textNode(value.get()), here, found, true);
      }
    }
    String text = body == null ? "" : body;
    if (!response.has("schema")) {
      if (!text.isEmpty()) {
        found.add(
            new Violation(
                "body",
                at,
                "no schema is documented, so no body may be sent; got: " + excerpt(text)));
      }
      return found;
    }
    JsonNode schema = response.get("schema");
    // An operation that produces text/plain answers a string schema as plain text (the firewall
    // feeds).
    boolean plainText =
        schema.path("type").asText().equals("string")
            && op.node().path("produces").toString().contains("\"" + TEXT_MEDIA_TYPE + "\"");
    String expectedType =
        PROBLEM.equals(schema.path("$ref").asText())
            ? PROBLEM_MEDIA_TYPE
            : plainText ? TEXT_MEDIA_TYPE : JSON_MEDIA_TYPE;
    String contentType = header.apply("Content-Type").orElse("");
    String mediaType = contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
    if (!mediaType.equals(expectedType)) {
      found.add(
          new Violation(
              "content-type", at, "Content-Type is '" + contentType + "', not " + expectedType));
    }
    if (plainText) {
      return found;
    }
    JsonNode value;
    try {
      value = MAPPER.readTree(text);
    } catch (IOException e) {
      found.add(new Violation("body", at, "not JSON: " + excerpt(text)));
      return found;
    }
    if (value == null || value.isMissingNode()) {
      found.add(new Violation("body", at, "empty, but a schema is documented"));
      return found;
    }
    found.addAll(validate(schema, value));
    return found;
  }

  /**
   * Every way a JSON value breaks a schema of this definition (paths from {@code $}, the value's
   * root).
   */
  public List<Violation> validate(JsonNode schema, JsonNode value) {
    List<Violation> found = new ArrayList<>();
    validateValue(schema, value, "$", found, false);
    return found;
  }

  private void validateValue(
      JsonNode schema, JsonNode value, String at, List<Violation> found, boolean fromText) {
    boolean nullable = schema.path("x-nullable").asBoolean(false);
    JsonNode resolved = schema;
    Set<String> seen = new HashSet<>();
    while (resolved.has("$ref")) {
      String ref = resolved.get("$ref").asText();
      JsonNode target = ref.startsWith("#/definitions/") ? root.at(ref.substring(1)) : null;
      if (target == null || target.isMissingNode() || !seen.add(ref)) {
        found.add(new Violation("schema", at, "unresolvable $ref '" + ref + "'"));
        return;
      }
      resolved = target;
      nullable |= resolved.path("x-nullable").asBoolean(false);
    }
    if (value.isNull()) {
      if (!nullable) {
        found.add(new Violation("schema", at, "null, but the schema is not x-nullable"));
      }
      return;
    }
    String type = resolved.path("type").asText(resolved.has("properties") ? "object" : "");
    if (!typeMatches(type, value, fromText)) {
      found.add(
          new Violation(
              "schema", at, "a " + kind(value) + ", not " + (type.isEmpty() ? "(no type)" : type)));
      return;
    }
    checkFormat(resolved.path("format").asText(""), value, at, found);
    if (resolved.has("enum") && !inEnum(resolved.get("enum"), value, fromText)) {
      found.add(new Violation("schema", at, value + " is not one of " + resolved.get("enum")));
    }
    if (type.equals("object")) {
      validateObject(resolved, value, at, found);
    } else if (type.equals("array")) {
      JsonNode items = resolved.path("items");
      if (items.isMissingNode()) {
        found.add(new Violation("schema", at, "an array schema without items"));
        return;
      }
      for (int i = 0; i < value.size(); i++) {
        validateValue(items, value.get(i), at + "[" + i + "]", found, false);
      }
    }
  }

  private void validateObject(JsonNode schema, JsonNode value, String at, List<Violation> found) {
    JsonNode properties = schema.path("properties");
    for (JsonNode name : schema.path("required")) {
      if (!value.has(name.asText())) {
        found.add(new Violation("schema", at + "." + name.asText(), "required, but missing"));
      }
    }
    JsonNode additional = schema.path("additionalProperties");
    for (Map.Entry<String, JsonNode> field : value.properties()) {
      String here = at + "." + field.getKey();
      if (properties.has(field.getKey())) {
        validateValue(properties.get(field.getKey()), field.getValue(), here, found, false);
      } else if (additional.isObject()) {
        validateValue(additional, field.getValue(), here, found, false);
      } else if (!additional.asBoolean(false)) {
        found.add(new Violation("schema", here, "written, but not documented"));
      }
    }
  }

  /**
   * Whether the value has the schema's type. Header values are text, so for them a number or
   * boolean type means text that parses as one.
   */
  private static boolean typeMatches(String type, JsonNode value, boolean fromText) {
    if (fromText && value.isTextual() && !type.equals("string")) {
      return switch (type) {
        case "integer" -> value.asText().matches("-?\\d+");
        case "number" -> value.asText().matches("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?");
        case "boolean" -> value.asText().matches("true|false");
        default -> false;
      };
    }
    return switch (type) {
      case "object" -> value.isObject();
      case "array" -> value.isArray();
      case "string" -> value.isTextual();
      case "integer" -> value.isIntegralNumber();
      case "number" -> value.isNumber();
      case "boolean" -> value.isBoolean();
      default -> false;
    };
  }

  private static void checkFormat(String format, JsonNode value, String at, List<Violation> found) {
    switch (format) {
      case "date-time" -> {
        try {
          OffsetDateTime.parse(value.asText());
        } catch (DateTimeParseException e) {
          found.add(
              new Violation("schema", at, "'" + value.asText() + "' is not an RFC 3339 date-time"));
        }
      }
      case "int32" -> {
        if (!fitsIn(value, Integer.MIN_VALUE, Integer.MAX_VALUE)) {
          found.add(new Violation("schema", at, value.asText() + " does not fit in int32"));
        }
      }
      case "int64" -> {
        if (!fitsIn(value, Long.MIN_VALUE, Long.MAX_VALUE)) {
          found.add(new Violation("schema", at, value.asText() + " does not fit in int64"));
        }
      }
      default -> {
        // Other formats (double, uri, ...) carry no check the type has not made.
      }
    }
  }

  private static boolean fitsIn(JsonNode value, long min, long max) {
    try {
      long number =
          value.isNumber()
              ? value.bigIntegerValue().longValueExact()
              : Long.parseLong(value.asText());
      return number >= min && number <= max;
    } catch (ArithmeticException | NumberFormatException e) {
      return false;
    }
  }

  private static boolean inEnum(JsonNode allowed, JsonNode value, boolean fromText) {
    for (JsonNode candidate : allowed) {
      if (candidate.equals(value) || (fromText && candidate.asText().equals(value.asText()))) {
        return true;
      }
    }
    return false;
  }

  private static String kind(JsonNode value) {
    return value.getNodeType().name().toLowerCase(Locale.ROOT);
  }

  private static String excerpt(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "...";
  }
}
