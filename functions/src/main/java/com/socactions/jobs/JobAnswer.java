package com.socactions.jobs;

import java.util.Arrays;
import java.util.Objects;

/**
 * A finished job's answer: exactly the status, media type and body the synchronous call would have
 * given, kept until the job expires.
 *
 * @param status the HTTP status, as the HTTP side chose it ({@link Jobs.AnswerWriter}): success for
 *     work done, 4xx for a request the service refused as a whole
 * @param contentType {@code application/json; charset=utf-8} or {@code application/problem+json}
 * @param body the body's bytes
 * @param retryAfter seconds for a {@code Retry-After} header, or null
 */
public record JobAnswer(int status, String contentType, byte[] body, Long retryAfter) {
  public static final String JSON = "application/json; charset=utf-8";

  public JobAnswer {
    Objects.requireNonNull(contentType, "'contentType' cannot be null.");
    Objects.requireNonNull(body, "'body' cannot be null.");
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof JobAnswer that
        && status == that.status
        && contentType.equals(that.contentType)
        && Arrays.equals(body, that.body)
        && Objects.equals(retryAfter, that.retryAfter);
  }

  @Override
  public int hashCode() {
    return Objects.hash(status, contentType, Arrays.hashCode(body), retryAfter);
  }

  @Override
  public String toString() {
    return "JobAnswer[" + status + ", " + contentType + ", " + body.length + " bytes]";
  }
}
