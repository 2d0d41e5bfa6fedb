package com.socactions.content;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The expressions inside JSON string values, ARM ({@code "[concat(...)]"}) and workflow ({@code
 * "@body('X')"} or {@code "text @{body('X')} text"}), and the names they refer to.
 *
 * <p>Both languages quote with single quotes and escape one by doubling it; neither has other
 * escapes, so a character scan is enough to tell code from string literals.
 */
final class Expressions {
  /**
   * A call {@code fn('name')} with one string literal argument; group 1 the function, 2 the name.
   */
  private static final Pattern NAMED_CALL =
      Pattern.compile("\\b([A-Za-z]+)\\(\\s*'((?:[^']|'')*)'\\s*\\)");

  private static final Pattern CONNECTION =
      Pattern.compile("parameters\\(\\s*'\\$connections'\\s*\\)\\s*\\[\\s*'((?:[^']|'')*)'\\s*\\]");

  /** A function called with a literal name: {@code body('Enrich_incident')}. */
  record NamedCall(String function, String name) {}

  private Expressions() {}

  /**
   * The ARM expression in {@code value} (without its brackets), if it is one: ARM escapes a leading
   * {@code [[}.
   */
  static Optional<String> arm(String value) {
    if (value.length() >= 2
        && value.startsWith("[")
        && !value.startsWith("[[")
        && value.endsWith("]")) {
      return Optional.of(value.substring(1, value.length() - 1));
    }
    return Optional.empty();
  }

  /**
   * The workflow expressions in {@code value}: the whole string after a leading {@code @}, or the
   * content of each {@code @{...}} interpolation ({@code @@} escapes). An interpolation that never
   * closes is returned as everything after its {@code @{} so that the balance check reports it.
   */
  static List<String> workflow(String value) {
    List<String> found = new ArrayList<>();
    if (value.startsWith("@") && !value.startsWith("@@") && !value.startsWith("@{")) {
      found.add(value.substring(1));
      return found;
    }
    int i = 0;
    while ((i = value.indexOf('@', i)) >= 0) {
      if (value.startsWith("@@", i)) {
        i += 2;
        continue;
      }
      if (!value.startsWith("@{", i)) {
        i++;
        continue;
      }
      int close = closingBrace(value, i + 2);
      if (close < 0) {
        found.add(value.substring(i + 2) + "{");
        break;
      }
      found.add(value.substring(i + 2, close));
      i = close + 1;
    }
    return found;
  }

  // The index of the '}' that closes an interpolation opened just before 'from', skipping literals.
  private static int closingBrace(String value, int from) {
    boolean quoted = false;
    int depth = 0;
    for (int i = from; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\'') {
        quoted = !quoted;
      } else if (!quoted && c == '{') {
        depth++;
      } else if (!quoted && c == '}') {
        if (depth == 0) {
          return i;
        }
        depth--;
      }
    }
    return -1;
  }

  /**
   * Why {@code expression} does not balance (brackets, parentheses, braces, quotes), or empty if it
   * does.
   */
  static Optional<String> imbalance(String expression) {
    Deque<Character> open = new ArrayDeque<>();
    boolean quoted = false;
    for (int i = 0; i < expression.length(); i++) {
      char c = expression.charAt(i);
      if (c == '\'') {
        quoted = !quoted; // a doubled quote toggles twice: still a literal
        continue;
      }
      if (quoted) {
        continue;
      }
      switch (c) {
        case '(', '[', '{' -> open.push(c);
        case ')', ']', '}' -> {
          char expected = c == ')' ? '(' : c == ']' ? '[' : '{';
          if (open.isEmpty() || open.pop() != expected) {
            return Optional.of("'" + c + "' at " + i + " closes nothing it opened");
          }
        }
        default -> {}
      }
    }
    if (quoted) {
      return Optional.of("a string literal is not closed");
    }
    if (!open.isEmpty()) {
      return Optional.of("'" + open.peek() + "' is not closed");
    }
    return Optional.empty();
  }

  /** Every {@code fn('name')} call in {@code expression}, names unescaped. */
  static List<NamedCall> namedCalls(String expression) {
    List<NamedCall> calls = new ArrayList<>();
    Matcher m = NAMED_CALL.matcher(expression);
    while (m.find()) {
      calls.add(new NamedCall(m.group(1), m.group(2).replace("''", "'")));
    }
    return calls;
  }

  /** The connection names of {@code parameters('$connections')['name']} in {@code expression}. */
  static List<String> connections(String expression) {
    List<String> names = new ArrayList<>();
    Matcher m = CONNECTION.matcher(expression);
    while (m.find()) {
      names.add(m.group(1).replace("''", "'"));
    }
    return names;
  }

  /**
   * The connection an {@code ApiConnection} action calls ({@code inputs.host.connection.name}), if
   * it is one; empty for every other action type.
   */
  static Optional<String> apiConnection(JsonNode action) {
    if (!"ApiConnection".equalsIgnoreCase(action.path("type").asText())) {
      return Optional.empty();
    }
    return connections(action.at("/inputs/host/connection/name").asText()).stream().findFirst();
  }
}
