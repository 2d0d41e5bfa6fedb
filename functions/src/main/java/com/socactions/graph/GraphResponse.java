package com.socactions.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.socactions.platform.Json;
import com.socactions.platform.UpstreamException;
import com.socactions.platform.UpstreamFailure;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Graph's answer to one request, from a direct call or from an entry of a {@code $batch} response:
 * the status, headers (names matched without case) and the JSON body (missing when there was none,
 * e.g. a 204). A request that got no answer of its own (its whole batch failed, or the batch's
 * answer left it out) has no status but the kind of failure it shares ({@code unanswered}).
 */
public record GraphResponse(
    int status, Map<String, String> headers, JsonNode body, UpstreamFailure unanswered) {
  private static final int NO_STATUS = 0;

  /** A request's own answer. */
  public GraphResponse(int status, Map<String, String> headers, JsonNode body) {
    this(status, headers, body, null);
  }

  public GraphResponse {
    TreeMap<String, String> caseless = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    if (headers != null) {
      caseless.putAll(headers);
    }
    headers = Collections.unmodifiableMap(caseless);
    body = body == null || body.isNull() ? MissingNode.getInstance() : body;
  }

  /**
   * No answer of its own: {@code failure} is what befell the call it travelled in, {@code code} and
   * {@code message} say why as Graph's error object would.
   */
  static GraphResponse unanswered(UpstreamFailure failure, String code, String message) {
    ObjectNode body = Json.UPSTREAM.createObjectNode();
    body.putObject("error").put("code", code).put("message", message);
    return new GraphResponse(NO_STATUS, Map.of(), body, failure);
  }

  public boolean isSuccess() {
    return unanswered == null && status >= 200 && status < 300;
  }

  /** Why it failed, as a per-item reason; empty for a 2xx. */
  public Optional<GraphFailure> failure() {
    if (unanswered != null) {
      return Optional.of(GraphFailure.of(unanswered));
    }
    return isSuccess()
        ? Optional.empty()
        : Optional.of(GraphFailure.of(status, errorCode().orElse(null)));
  }

  /** The kind of failure, as every upstream's failures are told apart; empty for a 2xx. */
  public Optional<UpstreamFailure> kind() {
    if (unanswered != null) {
      return Optional.of(unanswered);
    }
    return isSuccess() ? Optional.empty() : Optional.of(UpstreamFailure.ofHttpStatus(status));
  }

  /**
   * This failed answer as the exception the caller throws, with {@code message}, Graph's body and
   * its {@code Retry-After}.
   *
   * @throws IllegalStateException for a 2xx
   */
  public UpstreamException toException(String message) {
    if (isSuccess()) {
      throw new IllegalStateException("a 2xx answer is not a failure");
    }
    Duration wait = retryAfter().orElse(null);
    if (unanswered != null) {
      return new UpstreamException(GraphClient.UPSTREAM, unanswered, message, wait, null);
    }
    return UpstreamException.answered(
        GraphClient.UPSTREAM, status, message, body.isMissingNode() ? null : body.toString(), wait);
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
    if (unanswered != null) {
      return errorCode().orElse("") + errorMessage().map(message -> ": " + message).orElse("");
    }
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
