package com.socactions.content;

import com.fasterxml.jackson.databind.JsonNode;
import com.socactions.ledger.Action;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The rules inside one Logic Apps workflow definition ({@code properties.definition} of a {@code
 * Microsoft.Logic/workflows} resource): runAfter, action references, workflow parameters and
 * variables, connections, expression balance; custom connector actions are handed to {@link
 * ConnectorActions}, Sentinel connector actions to {@link SentinelActions}.
 *
 * <p>"Runs before" follows the workflow definition language: an action sees the actions its
 * runAfter reaches (transitively, whatever status it waits for, so a failure branch may read the
 * failed action), everything nested inside those, and the same for each scope that encloses it.
 */
final class WorkflowLinter {
  private static final Set<String> ACTION_OUTPUT_FUNCTIONS =
      Set.of("body", "outputs", "actions", "result", "actionbody", "actionoutputs");

  /** One action (or loop, condition, scope) and where it sits. */
  private record Action(String name, JsonNode node, String scopeId, Action parent, String path) {}

  private final String file;
  private final JsonNode definition;
  private final String definitionPath;
  private final Set<String> declaredConnections;
  private final ConnectorActions connector;
  private final SentinelActions sentinel;
  private final List<Finding> findings;

  private final Map<String, Action> actions = new LinkedHashMap<>();
  private final Map<String, Map<String, Action>> scopes = new LinkedHashMap<>();
  private final Set<String> variables = new HashSet<>();

  WorkflowLinter(
      String file,
      JsonNode definition,
      String definitionPath,
      Set<String> declaredConnections,
      ConnectorActions connector,
      SentinelActions sentinel,
      List<Finding> findings) {
    this.file = file;
    this.definition = definition;
    this.definitionPath = definitionPath;
    this.declaredConnections = declaredConnections;
    this.connector = connector;
    this.sentinel = sentinel;
    this.findings = findings;
  }

  void lint() {
    collect(definition.path("actions"), "", null, definitionPath + ".actions");
    checkRunAfter();
    JsonNode triggers = definition.path("triggers");
    triggers
        .fields()
        .forEachRemaining(
            t -> checkStrings(t.getValue(), definitionPath + ".triggers." + t.getKey(), null));
    for (Action action : actions.values()) {
      checkStrings(action.node(), action.path(), action);
      connector.check(file, action.path(), action.node(), this::add);
      sentinel.check(file, action.path(), action.node(), this::add);
    }
  }

  private void collect(JsonNode map, String scopeId, Action parent, String path) {
    if (!map.isObject()) {
      return;
    }
    Map<String, Action> scope = scopes.computeIfAbsent(scopeId, k -> new LinkedHashMap<>());
    map.fields()
        .forEachRemaining(
            e -> {
              Action action =
                  new Action(e.getKey(), e.getValue(), scopeId, parent, path + "." + e.getKey());
              scope.put(e.getKey(), action);
              actions.put(e.getKey(), action);
              if ("InitializeVariable".equalsIgnoreCase(e.getValue().path("type").asText())) {
                e.getValue()
                    .at("/inputs/variables")
                    .forEach(v -> variables.add(v.path("name").asText()));
              }
              forEachChildScope(
                  e.getValue(),
                  action.path(),
                  (childMap, childPath) -> collect(childMap, childPath, action, childPath));
            });
  }

  // Every nested action map of a Scope/Foreach/Until/If/Switch, with its JSON path (also its scope
  // id).
  private static void forEachChildScope(
      JsonNode node, String path, BiConsumer<JsonNode, String> visit) {
    if (node.has("actions")) {
      visit.accept(node.get("actions"), path + ".actions");
    }
    if (node.path("else").has("actions")) {
      visit.accept(node.get("else").get("actions"), path + ".else.actions");
    }
    node.path("cases")
        .fields()
        .forEachRemaining(
            c ->
                visit.accept(
                    c.getValue().path("actions"), path + ".cases." + c.getKey() + ".actions"));
    if (node.path("default").has("actions")) {
      visit.accept(node.get("default").get("actions"), path + ".default.actions");
    }
  }

  private void checkRunAfter() {
    for (Map<String, Action> scope : scopes.values()) {
      for (Action action : scope.values()) {
        action
            .node()
            .path("runAfter")
            .fieldNames()
            .forEachRemaining(
                before -> {
                  if (!scope.containsKey(before)) {
                    add(
                        Rule.RUN_AFTER_EXISTS,
                        action.path() + ".runAfter",
                        "'"
                            + before
                            + "' is not an action of this scope"
                            + (actions.containsKey(before) ? " (it is nested elsewhere)" : ""));
                  }
                });
      }
      for (Action action : scope.values()) {
        if (predecessors(action).contains(action.name())) {
          add(
              Rule.RUN_AFTER_ACYCLIC,
              action.path() + ".runAfter",
              "'" + action.name() + "' runs after itself through runAfter");
        }
      }
    }
  }

  // The actions of the same scope that 'action' runs after, transitively.
  private Set<String> predecessors(Action action) {
    Map<String, Action> scope = scopes.get(action.scopeId());
    Set<String> seen = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>();
    action.node().path("runAfter").fieldNames().forEachRemaining(todo::add);
    while (!todo.isEmpty()) {
      String name = todo.pop();
      if (seen.add(name) && scope.containsKey(name)) {
        scope.get(name).node().path("runAfter").fieldNames().forEachRemaining(todo::add);
      }
    }
    return seen;
  }

  // What 'action' may read: the predecessors of it and of each enclosing scope, with their insides.
  private Set<String> visibleBefore(Action action) {
    Set<String> visible = new HashSet<>();
    for (Action a = action; a != null; a = a.parent()) {
      for (String name : predecessors(a)) {
        Action before = actions.get(name);
        if (before != null && before.scopeId().equals(a.scopeId())) {
          visible.add(name);
          addNested(before, visible);
        }
      }
    }
    return visible;
  }

  private void addNested(Action container, Set<String> into) {
    for (Action a : actions.values()) {
      for (Action p = a.parent(); p != null; p = p.parent()) {
        if (p == container) {
          into.add(a.name());
        }
      }
    }
  }

  // The strings of 'node' that belong to 'owner' (null: a trigger), not those of nested actions.
  private void checkStrings(JsonNode node, String path, Action owner) {
    Set<String> nested = owner == null ? Set.of() : Set.of("actions", "else", "cases", "default");
    walk(node, path, owner, nested, true);
  }

  private void walk(JsonNode node, String path, Action owner, Set<String> skip, boolean top) {
    if (node.isTextual()) {
      checkString(node.asText(), path, owner);
    } else if (node.isObject()) {
      node.fields()
          .forEachRemaining(
              e -> {
                if (!(top && skip.contains(e.getKey()))) {
                  walk(e.getValue(), path + "." + e.getKey(), owner, skip, false);
                }
              });
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        walk(node.get(i), path + "[" + i + "]", owner, skip, false);
      }
    }
  }

  private void checkString(String value, String path, Action owner) {
    if (Expressions.arm(value).isPresent()) {
      return; // ARM evaluates it at deployment; the template pass checks it
    }
    for (String expression : Expressions.workflow(value)) {
      Expressions.imbalance(expression)
          .ifPresent(
              why ->
                  add(
                      Rule.EXPRESSION_BALANCED,
                      path,
                      "workflow expression '" + expression + "': " + why));
      for (String connection : Expressions.connections(expression)) {
        if (!declaredConnections.contains(connection)) {
          add(
              Rule.CONNECTION_DECLARED,
              path,
              "connection '" + connection + "' is not in the workflow's $connections value");
        }
      }
      for (Expressions.NamedCall call : Expressions.namedCalls(expression)) {
        checkCall(call, path, owner);
      }
    }
  }

  private void checkCall(Expressions.NamedCall call, String path, Action owner) {
    String function = call.function().toLowerCase(Locale.ROOT);
    String name = call.name();
    if (function.equals("parameters")) {
      if (!definition.path("parameters").has(name)) {
        add(
            Rule.PARAMETER_DEFINED,
            path,
            "workflow parameter '" + name + "' is not defined in definition.parameters");
      }
    } else if (function.equals("variables")) {
      if (!variables.contains(name)) {
        add(
            Rule.VARIABLE_DEFINED,
            path,
            "workflow variable '" + name + "' is never initialised (InitializeVariable)");
      }
    } else if (function.equals("items")) {
      boolean enclosed = false;
      for (Action p = owner == null ? null : owner.parent(); p != null; p = p.parent()) {
        enclosed |=
            p.name().equals(name) && "Foreach".equalsIgnoreCase(p.node().path("type").asText());
      }
      if (!enclosed) {
        add(
            Rule.ACTION_REFERENCE,
            path,
            "items('" + name + "') outside a Foreach loop of that name");
      }
    } else if (ACTION_OUTPUT_FUNCTIONS.contains(function)) {
      if (!actions.containsKey(name)) {
        add(Rule.ACTION_REFERENCE, path, call.function() + "('" + name + "') names no action");
      } else if (owner == null || !visibleBefore(owner).contains(name)) {
        add(
            Rule.ACTION_REFERENCE,
            path,
            call.function()
                + "('"
                + name
                + "') does not run before "
                + (owner == null ? "the trigger" : "'" + owner.name() + "'"));
      }
    }
  }

  private void add(Rule rule, String path, String message) {
    findings.add(new Finding(rule, file, path, message));
  }

  private void add(Finding finding) {
    findings.add(finding);
  }
}
