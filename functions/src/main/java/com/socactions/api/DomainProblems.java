package com.socactions.api;

import com.socactions.platform.ConfigurationException;
import com.socactions.platform.InputTooLargeException;
import com.socactions.platform.InvalidInputException;
import com.socactions.platform.PolicyRefusedException;
import com.socactions.platform.UpstreamException;
import com.socactions.platform.UpstreamFailure;
import java.time.Duration;

/**
 * The one translation of the services' domain exceptions into HTTP answers. Logic Apps retries 408,
 * 429 and 5xx by itself, so only what a retry can fix gets one of those:
 *
 * <ul>
 *   <li>{@link InvalidInputException}: 400, naming the fields; {@link InputTooLargeException}: 413,
 *       naming the field.
 *   <li>{@link PolicyRefusedException}: 422 with the guardrail's {@code reason}.
 *   <li>{@link ConfigurationException}: 422 naming the {@code setting}; retrying cannot help until
 *       an administrator fixes it, so no 5xx that Logic Apps would retry for minutes.
 *   <li>{@link UpstreamException}, by its {@link UpstreamFailure} kind: 429 when the upstream
 *       throttles ({@code THROTTLED}), 503 when it is down, its circuit is open, shared state is
 *       busy or its answer is unusable ({@code UNAVAILABLE}, {@code BAD_RESPONSE}; both with {@code
 *       Retry-After}); 422 when it refuses our credentials or permissions ({@code UNAUTHORIZED},
 *       {@code FORBIDDEN}: a configuration matter); 502 for the upstream's other refusals ({@code
 *       NOT_FOUND}, {@code CONFLICT}, {@code REJECTED}).
 * </ul>
 */
final class DomainProblems {
  /** Wait suggested when an upstream is down and said nothing about when to come back. */
  static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(30);

  private DomainProblems() {}

  /** The answer for an exception, or null when it is not a domain exception (a bug). */
  static ProblemException toProblem(RuntimeException e) {
    if (e instanceof ProblemException problem) {
      return problem;
    }
    if (e instanceof InputTooLargeException tooLarge) {
      return ProblemException.tooLarge(tooLarge.field(), tooLarge.reason());
    }
    if (e instanceof InvalidInputException invalid) {
      return ProblemException.invalid(invalid.getMessage(), invalid.errors());
    }
    if (e instanceof PolicyRefusedException refused) {
      return ProblemException.builder(
              422,
              ProblemException.TYPE_BASE + "policy-refused",
              "Refused by policy",
              refused.getMessage())
          .reason(refused.reason())
          .build();
    }
    if (e instanceof ConfigurationException configuration) {
      return ProblemException.builder(
              422,
              ProblemException.TYPE_BASE + "not-configured",
              "Not configured",
              configuration.getMessage())
          .setting(configuration.setting().orElse(null))
          .build();
    }
    if (e instanceof UpstreamException upstream) {
      return upstreamProblem(upstream);
    }
    return null;
  }

  private static ProblemException upstreamProblem(UpstreamException upstream) {
    Duration retryAfter = upstream.retryAfter().orElse(DEFAULT_RETRY_AFTER);
    String detail = upstream.getMessage();
    return switch (upstream.failure()) {
      case THROTTLED ->
          ProblemException.builder(
                  429,
                  ProblemException.TYPE_BASE + "upstream-throttled",
                  "Upstream throttled",
                  detail)
              .retryAfter(retryAfter)
              .build();
      case UNAVAILABLE, BAD_RESPONSE -> ProblemException.unavailable(detail, retryAfter);
      case UNAUTHORIZED, FORBIDDEN ->
          ProblemException.builder(
                  422,
                  ProblemException.TYPE_BASE + "upstream-refused-credentials",
                  "Upstream refused the connector's credentials",
                  detail)
              .build();
      case NOT_FOUND, CONFLICT, REJECTED ->
          ProblemException.builder(
                  502, ProblemException.TYPE_BASE + "upstream-error", "Upstream error", detail)
              .build();
    };
  }
}
