package com.socactions.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.socactions.blocking.GuardrailOverride;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads the optional scalar fields of a request body, each checked for its type and bounds, so a
 * wrong one is a 400 naming it rather than a silent default.
 */
final class BodyFields {
  /** Longest free text kept (reasons, justifications, names): enough for a sentence or two. */
  static final int MAX_TEXT = 1_000;

  private BodyFields() {}

  /** A string field; absent, null or blank is empty. */
  static Optional<String> text(JsonNode body, String field) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    if (!node.isTextual()) {
      throw ProblemException.invalidField(field, "must be a string");
    }
    String text = node.asText().strip();
    if (text.length() > MAX_TEXT) {
      throw ProblemException.invalidField(
          field, "is " + text.length() + " characters long; at most " + MAX_TEXT);
    }
    if (text.chars()
        .anyMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t')) {
      throw ProblemException.invalidField(field, "must not hold control characters");
    }
    return text.isEmpty() ? Optional.empty() : Optional.of(text);
  }

  /**
   * A boolean field (JSON true/false, or the strings "true"/"false" that designers produce); absent
   * is false.
   */
  static boolean flag(JsonNode body, String field) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      return false;
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (node.isTextual()
        && (node.asText().equalsIgnoreCase("true") || node.asText().equalsIgnoreCase("false"))) {
      return Boolean.parseBoolean(node.asText());
    }
    throw ProblemException.invalidField(field, "must be true or false");
  }

  /**
   * {@code override_guardrails} with its {@code justification}, as every guarded write takes them
   * (whether the justification suffices is the service's call, so it can refuse with its reason).
   */
  static GuardrailOverride override(JsonNode body) {
    return flag(body, "override_guardrails")
        ? new GuardrailOverride(true, text(body, "justification").orElse(null))
        : GuardrailOverride.NONE;
  }

  /**
   * An ISO-8601 duration such as {@code PT24H} or {@code P7D}, within bounds; absent is the
   * default.
   */
  static Duration duration(
      JsonNode body, String field, Duration defaultValue, Duration min, Duration max) {
    Optional<String> text = text(body, field);
    if (text.isEmpty()) {
      return defaultValue;
    }
    Duration duration;
    try {
      duration = Duration.parse(text.get().toUpperCase(Locale.ROOT));
    } catch (DateTimeParseException e) {
      throw ProblemException.invalidField(
          field, "'" + text.get() + "' is not an ISO-8601 duration such as PT24H or P7D");
    }
    if (duration.compareTo(min) < 0 || duration.compareTo(max) > 0) {
      throw ProblemException.invalidField(
          field, "must be between " + min + " and " + max + ", not " + duration);
    }
    return duration;
  }
}
