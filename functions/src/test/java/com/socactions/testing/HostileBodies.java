package com.socactions.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * Request bodies that break parsers, limits and assumptions. Every operation with a body must
 * answer each with a 4xx problem (or, where the body is odd but valid, a 2xx), never a 5xx. The
 * end-to-end corpus test runs them against every body operation of the connector definition, so a
 * new operation is covered the day it is added; add a body here whenever a new way to break one is
 * found.
 *
 * <p>{@code FIELD} in a body stands for the operation's first required list field (e.g. {@code
 * ips}), so the hostile part reaches the operation's own parsing, not only the envelope.
 */
public final class HostileBodies {
  public static final String FIELD = "__FIELD__";

  /** One hostile body, named for the test report. */
  public record Body(String name, String json) {
    public String forField(String field) {
      return json.replace(FIELD, field);
    }
  }

  private HostileBodies() {}

  public static List<Body> corpus() {
    List<Body> bodies = new ArrayList<>();
    // Not an object at all.
    bodies.add(new Body("empty", ""));
    bodies.add(new Body("whitespace", " \r\n\t "));
    bodies.add(new Body("null literal", "null"));
    bodies.add(new Body("array", "[]"));
    bodies.add(new Body("string", "\"" + FIELD + "\""));
    bodies.add(new Body("number", "42"));
    bodies.add(new Body("NUL byte", "\u0000"));
    bodies.add(new Body("byte order mark", "\uFEFF{}"));
    // Broken syntax.
    bodies.add(new Body("unclosed object", "{"));
    bodies.add(new Body("unclosed array", "{\"" + FIELD + "\": [}"));
    bodies.add(new Body("single quotes", "{'" + FIELD + "': ['1.1.1.1']}"));
    bodies.add(new Body("trailing garbage", "{\"" + FIELD + "\": [\"x\"]} trailing"));
    bodies.add(new Body("two objects", "{\"" + FIELD + "\": [\"x\"]}{\"" + FIELD + "\": [\"y\"]}"));
    bodies.add(
        new Body("duplicate key", "{\"" + FIELD + "\": [\"x\"], \"" + FIELD + "\": [\"y\"]}"));
    bodies.add(new Body("comment", "{/* hi */ \"" + FIELD + "\": [\"x\"]}"));
    bodies.add(new Body("NaN", "{\"" + FIELD + "\": [NaN]}"));
    bodies.add(new Body("control character in string", "{\"" + FIELD + "\": [\"a\u0001b\"]}"));
    bodies.add(new Body("bad escape", "{\"" + FIELD + "\": [\"\\x41\"]}"));
    // Parser limits: nesting, number length, string length.
    bodies.add(new Body("deep arrays", "[".repeat(100_000)));
    bodies.add(new Body("deep objects", "{\"a\":".repeat(20_000) + "1" + "}".repeat(20_000)));
    bodies.add(
        new Body(
            "deep value in the list",
            "{\"" + FIELD + "\": " + "[".repeat(5_000) + "]".repeat(5_000) + "}"));
    bodies.add(new Body("very long number", "{\"" + FIELD + "\": [" + "9".repeat(50_000) + "]}"));
    bodies.add(new Body("huge exponent", "{\"" + FIELD + "\": [1e999999999, -1e-999999999]}"));
    bodies.add(new Body("very long key", "{\"" + "k".repeat(500_000) + "\": 1}"));
    bodies.add(
        new Body("very long item", "{\"" + FIELD + "\": [\"" + "a".repeat(900_000) + "\"]}"));
    bodies.add(
        new Body("over a mebibyte", "{\"" + FIELD + "\": [\"" + "a".repeat(1_100_000) + "\"]}"));
    // Text that is legal JSON but not valid Unicode, or surprising.
    bodies.add(new Body("lone high surrogate", "{\"" + FIELD + "\": [\"\\ud800\"]}"));
    bodies.add(new Body("lone low surrogate", "{\"" + FIELD + "\": [\"x\\udc00y\"]}"));
    bodies.add(new Body("raw lone surrogate", "{\"" + FIELD + "\": [\"\ud800\"]}"));
    bodies.add(new Body("escaped NUL", "{\"" + FIELD + "\": [\"1.1.1.1\\u0000\"]}"));
    bodies.add(new Body("right-to-left override", "{\"" + FIELD + "\": [\"\u202Egro.elpmaxe\"]}"));
    bodies.add(
        new Body(
            "html",
            "{\""
                + FIELD
                + "\": [\"<script>alert(1)</script>\", \"\\\"><img src=x onerror=alert(1)>\"]}"));
    bodies.add(new Body("newlines", "{\"" + FIELD + "\": [\"a\\r\\nb\", \"\\n\"]}"));
    // Wrong shapes.
    bodies.add(new Body("list is an object", "{\"" + FIELD + "\": {\"a\": 1}}"));
    bodies.add(new Body("list is a number", "{\"" + FIELD + "\": 1}"));
    bodies.add(new Body("list is true", "{\"" + FIELD + "\": true}"));
    bodies.add(new Body("list is empty", "{\"" + FIELD + "\": []}"));
    bodies.add(new Body("list is an empty string", "{\"" + FIELD + "\": \"\"}"));
    bodies.add(new Body("list of nulls", "{\"" + FIELD + "\": [null, null]}"));
    bodies.add(new Body("list of lists", "{\"" + FIELD + "\": [[[\"x\"]], {}]}"));
    bodies.add(new Body("list is null", "{\"" + FIELD + "\": null}"));
    bodies.add(new Body("field missing", "{\"something_else\": [\"x\"]}"));
    bodies.add(
        new Body(
            "every option wrong",
            "{\""
                + FIELD
                + "\": [\"x\"], \"lookups\": 5, \"provider\": [1], \"duration\": {}, \"dry_run\":"
                + " \"maybe\", \"override_guardrails\": [], \"incident\": 7, \"options\": \"x\"}"));
    bodies.add(
        new Body(
            "options are lists of junk",
            "{\"" + FIELD + "\": [\"x\"], \"lookups\": [null, {}, \"geo\", \"\\ud800\"]}"));
    bodies.add(
        new Body(
            "too many items",
            "{\"" + FIELD + "\": [" + "\"1.1.1.1\",".repeat(1_000) + "\"1.1.1.1\"]}"));
    bodies.add(
        new Body(
            "many commas in a string list",
            "{\"" + FIELD + "\": \"" + ",".repeat(100_000) + "\"}"));
    return bodies;
  }
}
