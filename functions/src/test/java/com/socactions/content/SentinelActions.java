package com.socactions.content;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Checks each action on the Microsoft Sentinel managed connector ({@code
 * managedApis/azuresentinel}) against the operations the shipped playbooks use, as the
 * Azure-Sentinel repository's own playbooks call them: method, path, required body fields and, for
 * the incident operations, the body fields the connector knows. An operation not in the table is a
 * finding: adding one is a decision, made after reading a real playbook that uses it.
 *
 * <p>The entities operations take the trigger's {@code relatedEntities} as the whole body, one
 * expression; a body object there is the usual mistake (the connector reads a JSON array).
 */
final class SentinelActions {
  /**
   * One operation of the Sentinel connector: what a body must and may carry (null: any expression).
   */
  record Operation(String method, String path, Set<String> required, Set<String> known) {
    boolean takesObject() {
      return known != null;
    }
  }

  static final List<Operation> OPERATIONS =
      List.of(
          new Operation(
              "post",
              "/Incidents/Comment",
              Set.of("incidentArmId", "message"),
              Set.of("incidentArmId", "message")),
          // "Update incident (V3)"; tagsToAdd is {"TagsToAdd": [{"Tag": "x"}]}.
          new Operation(
              "put",
              "/Incidents",
              Set.of("incidentArmId"),
              Set.of(
                  "incidentArmId",
                  "severity",
                  "status",
                  "classification",
                  "title",
                  "description",
                  "tagsToAdd",
                  "tagsToRemove",
                  "assignAction",
                  "ownerAction",
                  "owner")),
          new Operation("post", "/entities/ip", Set.of(), null),
          new Operation("post", "/entities/url", Set.of(), null),
          new Operation("post", "/entities/filehash", Set.of(), null),
          new Operation("post", "/entities/host", Set.of(), null),
          new Operation("post", "/entities/account", Set.of(), null));

  private static final Pattern SENTINEL_API = Pattern.compile("(?i)/managedApis/azuresentinel\\b");

  private final Set<String> sentinelConnections;

  SentinelActions(Set<String> sentinelConnections) {
    this.sentinelConnections = sentinelConnections;
  }

  /**
   * Whether a {@code $connections} entry's managed API {@code id} is the Sentinel connector; the id
   * is usually an ARM expression ({@code [concat(..., '/managedApis/Azuresentinel')]}).
   */
  static boolean isSentinel(String apiId) {
    return SENTINEL_API.matcher(apiId).find();
  }

  void check(String file, String path, JsonNode action, Consumer<Finding> sink) {
    if (!Expressions.apiConnection(action).filter(sentinelConnections::contains).isPresent()) {
      return;
    }
    JsonNode inputs = action.path("inputs");
    String method = inputs.path("method").asText().toLowerCase(Locale.ROOT);
    String actionPath = inputs.path("path").asText();
    Operation operation =
        OPERATIONS.stream()
            .filter(o -> o.method().equals(method) && o.path().equals(actionPath))
            .findFirst()
            .orElse(null);
    if (operation == null) {
      sink.accept(
          new Finding(
              Rule.SENTINEL_OPERATION,
              file,
              path + ".inputs",
              method.toUpperCase(Locale.ROOT)
                  + " "
                  + actionPath
                  + " is no Sentinel connector operation the linter knows (SentinelActions)"));
      return;
    }
    String op = method.toUpperCase(Locale.ROOT) + " " + actionPath;
    JsonNode body = inputs.path("body");
    if (!operation.takesObject()) {
      if (!body.isTextual()) {
        sink.accept(
            new Finding(
                Rule.SENTINEL_OPERATION,
                file,
                path + ".inputs.body",
                op
                    + " takes the entities as one expression, e.g."
                    + " @triggerBody()?['object']?['properties']?['relatedEntities']"));
      }
      return;
    }
    if (!body.isObject()) {
      sink.accept(
          new Finding(
              Rule.SENTINEL_OPERATION, file, path + ".inputs", op + " needs a body object"));
      return;
    }
    for (String field : operation.required()) {
      if (!body.has(field)) {
        sink.accept(
            new Finding(
                Rule.SENTINEL_OPERATION,
                file,
                path + ".inputs.body",
                op + " needs body field '" + field + "'"));
      }
    }
    body.fieldNames()
        .forEachRemaining(
            field -> {
              if (!operation.known().contains(field)) {
                sink.accept(
                    new Finding(
                        Rule.SENTINEL_OPERATION,
                        file,
                        path + ".inputs.body." + field,
                        op + " has no body field '" + field + "'"));
              }
            });
  }
}
