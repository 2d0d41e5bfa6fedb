package com.socactions.content;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Checks each {@code ApiConnection} action on the SOC Actions custom connector against the
 * connector definition ({@code openapi/apiDefinition.swagger.json}): the method and path name an
 * operation (a path parameter may be any expression), the required query parameters and body fields
 * are there, and every query parameter and body field is one the schema knows.
 *
 * <p>Logic Apps sends {@code inputs.path} relative to the swagger's {@code basePath}, so paths are
 * compared with the keys of {@code paths}. A body given as one expression (not an object) can only
 * be checked at run time and is skipped.
 */
final class ConnectorActions {
  private static final String HOLE = "\u0000"; // stands for an @{...} in an action's path

  private final JsonNode swagger;
  private final Set<String> customConnections;

  ConnectorActions(JsonNode swagger, Set<String> customConnections) {
    this.swagger = swagger;
    this.customConnections = customConnections;
  }

  void check(String file, String path, JsonNode action, Consumer<Finding> sink) {
    if (!Expressions.apiConnection(action).filter(customConnections::contains).isPresent()) {
      return;
    }
    JsonNode inputs = action.path("inputs");
    String method = inputs.path("method").asText().toLowerCase(Locale.ROOT);
    String actionPath = holes(inputs.path("path").asText());
    JsonNode operation = null;
    String template = null;
    for (var p : iterable(swagger.path("paths").fieldNames())) {
      if (pathMatches(p, actionPath) && swagger.path("paths").path(p).has(method)) {
        operation = swagger.path("paths").path(p).path(method);
        template = p;
      }
    }
    if (operation == null) {
      sink.accept(
          new Finding(
              Rule.CONNECTOR_OPERATION,
              file,
              path + ".inputs",
              method.toUpperCase(Locale.ROOT)
                  + " "
                  + inputs.path("path").asText()
                  + " is no operation of the connector"));
      return;
    }
    String op = operation.path("operationId").asText() + " (" + template + ")";
    List<JsonNode> parameters = new ArrayList<>();
    swagger
        .path("paths")
        .path(template)
        .path("parameters")
        .forEach(p -> parameters.add(resolve(p)));
    operation.path("parameters").forEach(p -> parameters.add(resolve(p)));

    Set<String> knownQueries = new HashSet<>();
    for (JsonNode parameter : parameters) {
      String in = parameter.path("in").asText();
      String name = parameter.path("name").asText();
      boolean required = parameter.path("required").asBoolean(false);
      if (in.equals("query")) {
        knownQueries.add(name);
        if (required && !inputs.path("queries").has(name)) {
          sink.accept(
              new Finding(
                  Rule.CONNECTOR_OPERATION,
                  file,
                  path + ".inputs.queries",
                  op + " needs query parameter '" + name + "'"));
        }
      } else if (in.equals("body")) {
        if (!inputs.has("body")) {
          if (required) {
            sink.accept(
                new Finding(
                    Rule.CONNECTOR_OPERATION, file, path + ".inputs", op + " needs a body"));
          }
        } else {
          checkBody(
              inputs.get("body"),
              resolve(parameter.path("schema")),
              path + ".inputs.body",
              op,
              file,
              sink);
        }
      }
    }
    inputs
        .path("queries")
        .fieldNames()
        .forEachRemaining(
            q -> {
              if (!knownQueries.contains(q)) {
                sink.accept(
                    new Finding(
                        Rule.CONNECTOR_OPERATION,
                        file,
                        path + ".inputs.queries." + q,
                        op + " has no query parameter '" + q + "'"));
              }
            });
  }

  private void checkBody(
      JsonNode body, JsonNode schema, String path, String op, String file, Consumer<Finding> sink) {
    if (!body.isObject() || !schema.path("properties").isObject()) {
      return;
    }
    schema
        .path("required")
        .forEach(
            r -> {
              if (!body.has(r.asText())) {
                sink.accept(
                    new Finding(
                        Rule.CONNECTOR_OPERATION,
                        file,
                        path,
                        op + " needs body field '" + r.asText() + "'"));
              }
            });
    boolean open =
        schema.path("additionalProperties").isObject()
            || schema.path("additionalProperties").asBoolean(false);
    body.fields()
        .forEachRemaining(
            e -> {
              JsonNode field = schema.path("properties").path(e.getKey());
              if (field.isMissingNode()) {
                if (!open) {
                  sink.accept(
                      new Finding(
                          Rule.CONNECTOR_OPERATION,
                          file,
                          path + "." + e.getKey(),
                          op + " has no body field '" + e.getKey() + "'"));
                }
              } else {
                checkBody(e.getValue(), resolve(field), path + "." + e.getKey(), op, file, sink);
              }
            });
  }

  // Follows a local $ref (#/definitions/X, #/parameters/X) once; definitions do not chain refs
  // here.
  private JsonNode resolve(JsonNode node) {
    String ref = node.path("$ref").asText();
    return ref.startsWith("#/") ? swagger.at(ref.substring(1)) : node;
  }

  private static String holes(String path) {
    StringBuilder out = new StringBuilder();
    for (String part : path.split("(?=@\\{)")) {
      int close = part.startsWith("@{") ? part.indexOf('}') : -1;
      out.append(close < 0 ? part : HOLE + part.substring(close + 1));
    }
    return out.toString();
  }

  // '/v1/enrich/ips/{ip}' matches '/v1/enrich/ips/@{...}' and '/v1/enrich/ips/1.2.3.4', one segment
  // each.
  private static boolean pathMatches(String template, String actual) {
    String[] want = template.split("/", -1);
    String[] got = actual.split("/", -1);
    if (want.length != got.length) {
      return false;
    }
    for (int i = 0; i < want.length; i++) {
      boolean parameter = want[i].startsWith("{") && want[i].endsWith("}");
      if (parameter ? got[i].isEmpty() : !want[i].equals(got[i])) {
        return false;
      }
    }
    return true;
  }

  private static <T> Iterable<T> iterable(Iterator<T> iterator) {
    return () -> iterator;
  }
}
