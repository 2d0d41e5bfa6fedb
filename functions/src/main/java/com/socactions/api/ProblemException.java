package com.socactions.api;

import com.socactions.platform.FieldError;
import java.time.Duration;
import java.util.List;

/**
 * An HTTP answer other than success, as problem+json. Only the HTTP layer creates these: for
 * requests malformed at the HTTP level, and in {@link Invocation}, which translates the domain
 * exceptions of the services. Per-item failures never use this: they go into the item's result.
 */
final class ProblemException extends RuntimeException {
  // A URN, not a URL: there is no page to fetch, and no domain we do not own gets named.
  static final String TYPE_BASE = "urn:soc-actions:problem:";

  private final int status;
  private final String title;
  private final String type;
  private final List<FieldError> errors;
  private final Duration retryAfter;
  private final String reason;
  private final String setting;

  private ProblemException(Builder builder) {
    super(builder.detail);
    this.status = builder.status;
    this.type = builder.type;
    this.title = builder.title;
    this.errors = List.copyOf(builder.errors);
    this.retryAfter = builder.retryAfter;
    this.reason = builder.reason;
    this.setting = builder.setting;
  }

  static Builder builder(int status, String type, String title, String detail) {
    return new Builder(status, type, title, detail);
  }

  /** 400 for a request that is malformed as a whole, naming the fields at fault. */
  static ProblemException invalid(String detail, List<FieldError> errors) {
    return builder(400, TYPE_BASE + "invalid-request", "Invalid request", detail)
        .errors(errors)
        .build();
  }

  static ProblemException invalidField(String field, String message) {
    return invalid(field + ": " + message, List.of(new FieldError(field, message)));
  }

  /** 413 for a body or a batch over the limits. */
  static ProblemException tooLarge(String field, String message) {
    return builder(413, TYPE_BASE + "too-large", "Request too large", message)
        .errors(field == null ? List.of() : List.of(new FieldError(field, message)))
        .build();
  }

  static ProblemException unsupportedMediaType(String detail) {
    return builder(415, TYPE_BASE + "unsupported-media-type", "Unsupported media type", detail)
        .build();
  }

  static ProblemException notFound(String detail) {
    return builder(404, "about:blank", "Not Found", detail).build();
  }

  static ProblemException methodNotAllowed(String detail) {
    return builder(405, "about:blank", "Method Not Allowed", detail).build();
  }

  /** 503 with {@code Retry-After}: a dependency is down; trying later can help. */
  static ProblemException unavailable(String detail, Duration retryAfter) {
    return builder(503, TYPE_BASE + "unavailable", "Service unavailable", detail)
        .retryAfter(retryAfter)
        .build();
  }

  int status() {
    return status;
  }

  Duration retryAfter() {
    return retryAfter;
  }

  Problem toProblem(String instance, String correlationId) {
    return new Problem(
        type,
        title,
        status,
        getMessage(),
        instance,
        errors.isEmpty() ? null : errors,
        reason,
        setting,
        correlationId);
  }

  static final class Builder {
    private final int status;
    private final String type;
    private final String title;
    private final String detail;
    private List<FieldError> errors = List.of();
    private Duration retryAfter;
    private String reason;
    private String setting;

    private Builder(int status, String type, String title, String detail) {
      this.status = status;
      this.type = type;
      this.title = title;
      this.detail = detail;
    }

    Builder errors(List<FieldError> errors) {
      this.errors = errors;
      return this;
    }

    Builder retryAfter(Duration retryAfter) {
      this.retryAfter = retryAfter;
      return this;
    }

    Builder reason(String reason) {
      this.reason = reason;
      return this;
    }

    Builder setting(String setting) {
      this.setting = setting;
      return this;
    }

    ProblemException build() {
      return new ProblemException(this);
    }
  }
}
