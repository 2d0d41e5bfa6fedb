package com.socactions.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Graph's answer to one request, from a direct call or from an entry of a {@code $batch} response:
 * the status, headers (names matched without case) and the JSON body (missing when there was none,
 * e.g. a 204).
 */
public record GraphResponse(int status, Map<String, String> headers, JsonNode body) {
  public GraphResponse {
    TreeMap<String, String> caseless = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    if (headers != null) {
      caseless.putAll(headers);
    }
    headers = Collections.unmodifiableMap(caseless);
    body = body == null || body.isNull() ? MissingNode.getInstance() : body;
  }

  public boolean isSuccess() {
    return status >= 200 && status < 300;
  }

  /** Why it failed; empty for a 2xx. */
  public Optional<GraphFailure> failure() {
    return isSuccess()
        ? Optional.empty()
        : Optional.of(GraphFailure.of(status, errorCode().orElse(null)));
  }

  /** Graph's {@code error.code}, when the body is an error object. */
  public Optional<String> errorCode() {
    return text(body.path("error").path("code"));
  }

  /** Graph's {@code error.message}, when the body is an error object. */
  public Optional<String> errorMessage() {
    return text(body.path("error").path("message"));
  }

  /**
   * A short reason for a per-item result: {@code HTTP 404 Request_ResourceNotFound: Resource ...}.
   * Graph's messages name the object asked for, never the token.
   */
  public String reason() {
    StringBuilder reason = new StringBuilder("HTTP ").append(status);
    errorCode().ifPresent(code -> reason.append(' ').append(code));
    errorMessage().ifPresent(message -> reason.append(": ").append(message));
    return reason.toString();
  }

  /** The {@code Retry-After} of this answer (seconds, fractions allowed, as Graph sends them). */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(GraphClient.retryAfterSeconds(headers.get("Retry-After")));
  }

  private static Optional<String> text(JsonNode node) {
    return node.isTextual() && !node.asText().isBlank()
        ? Optional.of(node.asText())
        : Optional.empty();
  }
}
