package com.socactions.platform;

import java.time.Duration;
import java.util.List;

/**
 * Stops a request with a problem+json answer. Thrown by the HTTP layer for malformed requests
 * and by services for whole-request refusals; one place ({@code api.Invocation}) turns it into
 * the response. Per-item failures never use this: they go into the item's result.
 */
public class ProblemException extends RuntimeException {
  // A URN, not a URL: there is no page to fetch, and no domain we do not own gets named.
  private static final String TYPE_BASE = "urn:soc-actions:problem:";

  private final int status;
  private final String title;
  private final String type;
  private final List<FieldError> errors;
  private final Duration retryAfter;

  public ProblemException(int status, String type, String title, String detail, List<FieldError> errors, Duration retryAfter) {
    super(detail);
    this.status = status;
    this.type = type;
    this.title = title;
    this.errors = errors == null ? List.of() : List.copyOf(errors);
    this.retryAfter = retryAfter;
  }

  /** 400 for a request that is malformed as a whole, naming the fields at fault. */
  public static ProblemException invalid(String detail, List<FieldError> errors) {
    return new ProblemException(400, TYPE_BASE + "invalid-request", "Invalid request", detail, errors, null);
  }

  public static ProblemException invalidField(String field, String message) {
    return invalid(field + ": " + message, List.of(new FieldError(field, message)));
  }

  /** 413 for a body or a batch over the limits. */
  public static ProblemException tooLarge(String field, String message) {
    return new ProblemException(413, TYPE_BASE + "too-large", "Request too large", message,
        field == null ? List.of() : List.of(new FieldError(field, message)), null);
  }

  public static ProblemException unsupportedMediaType(String detail) {
    return new ProblemException(415, TYPE_BASE + "unsupported-media-type", "Unsupported media type", detail, List.of(), null);
  }

  public static ProblemException notFound(String detail) {
    return new ProblemException(404, "about:blank", "Not Found", detail, List.of(), null);
  }

  public static ProblemException methodNotAllowed(String detail) {
    return new ProblemException(405, "about:blank", "Method Not Allowed", detail, List.of(), null);
  }

  /** 503 with {@code Retry-After}: an upstream or a dependency is down; trying later can help. */
  public static ProblemException unavailable(String detail, Duration retryAfter) {
    return new ProblemException(503, TYPE_BASE + "unavailable", "Service unavailable", detail, List.of(), retryAfter);
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  public String type() {
    return type;
  }

  public List<FieldError> errors() {
    return errors;
  }

  public Duration retryAfter() {
    return retryAfter;
  }

  public Problem toProblem(String instance, String correlationId) {
    return new Problem(type, title, status, getMessage(), instance, errors.isEmpty() ? null : errors, correlationId);
  }
}
