package com.socactions.platform;

import com.azure.core.exception.HttpResponseException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * An upstream (RDAP server, ITSM, enforcement point, Table Storage) answered with an error or could
 * not be reached. Carries what a caller needs to decide and to explain: the upstream's name, the
 * {@link UpstreamFailure} kind (what callers decide on), a short excerpt of the body, the
 * upstream's {@code Retry-After} (or a wait of the connector's own) when there is one, and, as
 * diagnostic detail only, the HTTP status the upstream answered. Never carries credentials.
 */
public class UpstreamException extends RuntimeException {
  private static final int MAX_BODY_EXCERPT = 300;
  private static final int NO_STATUS = 0;

  private final String upstream;
  private final UpstreamFailure failure;
  private final int httpStatus;
  private final String bodyExcerpt;
  private final Duration retryAfter;

  /** A failure of the given kind that no HTTP answer stands for (a lease busy, a budget spent). */
  public UpstreamException(
      String upstream,
      UpstreamFailure failure,
      String message,
      Duration retryAfter,
      Throwable cause) {
    this(upstream, failure, NO_STATUS, message, null, retryAfter, cause);
  }

  /** A failure of the given kind, with the part of the upstream's answer worth quoting. */
  public UpstreamException(
      String upstream,
      UpstreamFailure failure,
      String message,
      String body,
      Duration retryAfter,
      Throwable cause) {
    this(upstream, failure, NO_STATUS, message, body, retryAfter, cause);
  }

  /** The upstream gave no answer at all (timeout, refused connection, DNS, interrupted wait). */
  public UpstreamException(String upstream, String message, Throwable cause) {
    this(upstream, UpstreamFailure.UNAVAILABLE, message, null, cause);
  }

  /**
   * For subclasses that name a kind of their own (a write conflict) and keep the upstream's answer.
   */
  protected UpstreamException(
      String upstream,
      UpstreamFailure failure,
      int httpStatus,
      String message,
      String body,
      Duration retryAfter,
      Throwable cause) {
    super(message, cause);
    this.upstream = upstream;
    this.failure = Objects.requireNonNull(failure, "'failure' cannot be null.");
    this.httpStatus = httpStatus;
    this.bodyExcerpt = excerpt(body);
    this.retryAfter = retryAfter;
  }

  /**
   * The upstream answered {@code httpStatus}, which is not the success the call needed; the kind is
   * {@link UpstreamFailure#ofHttpStatus}.
   */
  public static UpstreamException answered(
      String upstream, int httpStatus, String message, String body, Duration retryAfter) {
    return new UpstreamException(
        upstream,
        UpstreamFailure.ofHttpStatus(httpStatus),
        httpStatus,
        message,
        body,
        retryAfter,
        null);
  }

  /**
   * An Azure SDK call failed (Table Storage, queues): the kind from the service's answer, or
   * unavailable when there was none. The message is {@code what}, a colon and the first line of the
   * SDK's message. An {@code UpstreamException} is passed on as it is.
   */
  public static UpstreamException ofAzure(String upstream, String what, RuntimeException e) {
    if (e instanceof UpstreamException already) {
      return already;
    }
    String message =
        what
            + ": "
            + (e.getMessage() == null
                ? e.getClass().getSimpleName()
                : e.getMessage().lines().findFirst().orElse(""));
    if (e instanceof HttpResponseException http && http.getResponse() != null) {
      int status = http.getResponse().getStatusCode();
      return new UpstreamException(
          upstream, UpstreamFailure.ofHttpStatus(status), status, message, null, null, e);
    }
    return new UpstreamException(upstream, message, e);
  }

  /** The upstream answered with something this client cannot use (see {@link UpstreamFailure}). */
  public static UpstreamException badResponse(
      String upstream, String message, String body, Throwable cause) {
    return new UpstreamException(
        upstream, UpstreamFailure.BAD_RESPONSE, NO_STATUS, message, body, null, cause);
  }

  /** No answer worth quoting, but a wait after which trying again should help. */
  public static UpstreamException retryLater(String upstream, String message, Duration retryAfter) {
    return new UpstreamException(upstream, UpstreamFailure.UNAVAILABLE, message, retryAfter, null);
  }

  /**
   * A limit the connector keeps for the upstream is used up; the next call is free after a wait.
   */
  public static UpstreamException throttled(String upstream, String message, Duration retryAfter) {
    return new UpstreamException(upstream, UpstreamFailure.THROTTLED, message, retryAfter, null);
  }

  /**
   * The same failure (kind, status, body, wait) told better: a client's sentence in place of the
   * bare "answered HTTP n", with this exception as the cause.
   */
  public UpstreamException explained(String message) {
    return new UpstreamException(
        upstream, failure, httpStatus, message, bodyExcerpt, retryAfter, this);
  }

  /** As {@link #explained}, without the body excerpt (the body may echo a secret the call sent). */
  public UpstreamException explainedWithoutBody(String message) {
    return new UpstreamException(upstream, failure, httpStatus, message, null, null, this);
  }

  public String upstream() {
    return upstream;
  }

  /** What kind of failure this is: what callers decide on. */
  public UpstreamFailure failure() {
    return failure;
  }

  /**
   * The HTTP status the upstream answered, when this failure is an answer of its: diagnostic detail
   * for messages and logs; decide on {@link #failure()}.
   */
  public OptionalInt httpStatus() {
    return httpStatus == NO_STATUS ? OptionalInt.empty() : OptionalInt.of(httpStatus);
  }

  /** "HTTP 404", or "no answer" when there was no HTTP answer: for messages. */
  public String answerText() {
    return httpStatus == NO_STATUS ? "no answer" : "HTTP " + httpStatus;
  }

  public String bodyExcerpt() {
    return bodyExcerpt;
  }

  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /** Throttling, outages and unusable answers may succeed when tried again. */
  public boolean isRetryable() {
    return failure.isRetryable();
  }

  private static String excerpt(String body) {
    if (body == null) {
      return null;
    }
    String flat = body.replaceAll("\\s+", " ").trim();
    return flat.length() <= MAX_BODY_EXCERPT ? flat : flat.substring(0, MAX_BODY_EXCERPT) + "...";
  }
}
