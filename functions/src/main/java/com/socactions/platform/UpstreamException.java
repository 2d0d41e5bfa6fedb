package com.socactions.platform;

import java.time.Duration;
import java.util.Optional;

/**
 * An upstream (RDAP server, ITSM, enforcement point) answered with an error or could not be
 * reached. Carries what a caller needs to decide and to explain: the upstream's name, the HTTP
 * status (0 when there was no answer), a short excerpt of the body, and the upstream's {@code
 * Retry-After} when it sent one. Never carries credentials.
 */
public class UpstreamException extends RuntimeException {
  private static final int MAX_BODY_EXCERPT = 300;

  private final String upstream;
  private final int status;
  private final String bodyExcerpt;
  private final Duration retryAfter;

  public UpstreamException(
      String upstream,
      int status,
      String message,
      String body,
      Duration retryAfter,
      Throwable cause) {
    super(message, cause);
    this.upstream = upstream;
    this.status = status;
    this.bodyExcerpt = excerpt(body);
    this.retryAfter = retryAfter;
  }

  public UpstreamException(String upstream, String message, Throwable cause) {
    this(upstream, 0, message, null, null, cause);
  }

  /** No answer worth quoting, but a wait after which trying again should help. */
  public static UpstreamException retryLater(String upstream, String message, Duration retryAfter) {
    return new UpstreamException(upstream, 0, message, null, retryAfter, null);
  }

  public String upstream() {
    return upstream;
  }

  /** The HTTP status, or 0 when the upstream gave no answer (timeout, refused, DNS). */
  public int status() {
    return status;
  }

  public String bodyExcerpt() {
    return bodyExcerpt;
  }

  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /** 408, 429 and 5xx, and no answer at all, may succeed when tried again. */
  public boolean isRetryable() {
    return status == 0 || status == 408 || status == 429 || status >= 500;
  }

  private static String excerpt(String body) {
    if (body == null) {
      return null;
    }
    String flat = body.replaceAll("\\s+", " ").trim();
    return flat.length() <= MAX_BODY_EXCERPT ? flat : flat.substring(0, MAX_BODY_EXCERPT) + "...";
  }
}
