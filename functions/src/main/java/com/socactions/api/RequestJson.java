package com.socactions.api;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.socactions.platform.Json;
import java.util.Iterator;
import java.util.Map;

/**
 * Parses request bodies that anyone may have written: every way a body can be malformed, hostile
 * ones included, ends as a 400 naming {@code body}, never as a 500.
 *
 * <ul>
 *   <li>Limits tighter than Jackson's defaults: no contract field nests deeper than a few levels,
 *       and no number we read has more than a handful of digits.
 *   <li>Trailing content after the object and duplicate keys are refused: {@code {"dry_run": false,
 *       "dry_run": true}} must not mean whatever the last parser to read it decides.
 *   <li>Unpaired UTF-16 surrogates (legal in JSON escapes, but not text) are replaced with U+FFFD,
 *       so an item echoed back can always be written as UTF-8.
 * </ul>
 */
final class RequestJson {
  /**
   * Incident trigger bodies nest entities a few levels deep; nothing legitimate comes near this.
   */
  static final int MAX_NESTING_DEPTH = 64;

  /** Digits in one number: durations, counts and ids fit in far fewer. */
  static final int MAX_NUMBER_LENGTH = 100;

  private static final ObjectReader READER =
      Json.MAPPER
          .reader()
          .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .with(
              Json.MAPPER
                  .getFactory()
                  .copy()
                  .setStreamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxNestingDepth(MAX_NESTING_DEPTH)
                          .maxNumberLength(MAX_NUMBER_LENGTH)
                          .maxStringLength(Invocation.MAX_BODY_BYTES)
                          .build()))
          .forType(JsonNode.class);

  private RequestJson() {}

  /**
   * The body as a tree.
   *
   * @throws ProblemException 400 naming {@code body}, saying what is wrong and where
   */
  static JsonNode parse(String text) {
    JsonNode node;
    try {
      node = READER.readValue(text);
    } catch (JsonProcessingException e) {
      throw ProblemException.invalidField("body", "not valid JSON: " + describe(e));
    }
    return hasSurrogates(text) ? withoutLoneSurrogates(node) : node;
  }

  private static String describe(JsonProcessingException e) {
    String message =
        e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
    // Jackson's messages end with a "[Source: ...]" locator or a hint for developers ("from
    // `StreamReadConstraints...`"); the line and column say it better.
    String reason =
        message
            .replaceAll("\\s*\\(?(start marker )?at \\[Source.*$", "")
            .replaceAll(",? from `[^`]*`", "")
            .replaceAll("\\s*\\(bound as `[^`]*`\\)", "")
            .replaceAll(":? not allowed as per `[^`]*`", "")
            .replaceAll(
                "\\s*\\(not recognized as one since Feature '[A-Z_]+' not enabled for parser\\)",
                "")
            .lines()
            .findFirst()
            .orElse("")
            .trim();
    if (e instanceof StreamConstraintsException) {
      reason = "too deeply nested or too long (" + reason + ")";
    }
    JsonLocation location = e.getLocation();
    if (location != null && location.getLineNr() > 0) {
      reason += " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }
    return reason.length() <= 300 ? reason : reason.substring(0, 300) + "...";
  }

  /** True when the text may decode to surrogates: a raw one, or a {@code \\u} escape. */
  private static boolean hasSurrogates(String text) {
    if (text.contains("\\u") || text.contains("\\U")) {
      return true;
    }
    for (int i = 0; i < text.length(); i++) {
      if (Character.isSurrogate(text.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  private static JsonNode withoutLoneSurrogates(JsonNode node) {
    if (node instanceof TextNode text) {
      String fixed = fixSurrogates(text.textValue());
      return fixed == null ? node : TextNode.valueOf(fixed);
    }
    if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        array.set(i, withoutLoneSurrogates(array.get(i)));
      }
    } else if (node instanceof ObjectNode object) {
      Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        field.setValue(withoutLoneSurrogates(field.getValue()));
      }
    }
    return node;
  }

  /** The text with unpaired surrogates replaced, or null when it has none. */
  static String fixSurrogates(String text) {
    StringBuilder fixed = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean paired =
          Character.isHighSurrogate(c)
              && i + 1 < text.length()
              && Character.isLowSurrogate(text.charAt(i + 1));
      if (paired) {
        if (fixed != null) {
          fixed.append(c).append(text.charAt(i + 1));
        }
        i++;
        continue;
      }
      if (Character.isSurrogate(c)) {
        if (fixed == null) {
          fixed = new StringBuilder(text.length()).append(text, 0, i);
        }
        fixed.append('\uFFFD');
      } else if (fixed != null) {
        fixed.append(c);
      }
    }
    return fixed == null ? null : fixed.toString();
  }
}
