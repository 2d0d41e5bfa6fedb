package com.socactions.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.socactions.jobs.JobAnswer;
import com.socactions.jobs.JobProgress;
import com.socactions.jobs.JobWork;
import com.socactions.jobs.Jobs;
import com.socactions.jobs.StoredRequest;
import com.socactions.platform.Json;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The HTTP side of the operations that may answer 202 (the asynchronous request-reply pattern Logic
 * Apps follows): the request read into its work, answered now when it fits the synchronous budget,
 * else {@code 202 Accepted} with {@code Location: <api>/v1/jobs/{id}} and {@code Retry-After}.
 *
 * <p>Headers it reads: {@code Idempotency-Key} (else Logic Apps' {@code x-ms-client-tracking-id}):
 * a retried request with the same key and body gets the same job; {@code Prefer: respond-async}
 * (RFC 7240): a job whatever the size.
 */
final class LongRequests {
  static final String IDEMPOTENCY_KEY = "idempotency-key";
  static final String TRACKING_ID = "x-ms-client-tracking-id";
  static final String RUN_ID = "x-ms-workflow-run-id";

  /** Longest idempotency key used; a longer header is cut (its hash is what is kept anyway). */
  static final int MAX_KEY_LENGTH = 512;

  /** The answers jobs keep: the synchronous call's, as this class writes them. */
  static final Jobs.AnswerWriter ANSWERS =
      new Jobs.AnswerWriter() {
        @Override
        public JobAnswer answered(Object response) {
          try {
            return new JobAnswer(
                200, JobAnswer.JSON, Json.MAPPER.writeValueAsBytes(response), null);
          } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write the answer", e);
          }
        }

        @Override
        public Optional<JobAnswer> refusal(RuntimeException failure, StoredRequest request) {
          return LongRequests.refusal(failure, request);
        }
      };

  private LongRequests() {}

  static HttpResponseMessage run(Invocation call, AppServices services, String operation) {
    JsonNode body = call.jsonObjectBody();
    String runId = call.header(RUN_ID).orElse(null);
    JobWork<?> work = services.longWork().work(operation, body, runId, false);
    StoredRequest request =
        new StoredRequest(
            operation,
            body.toString(),
            runId,
            call.correlationId(),
            call.request().getUri().getPath());
    String key =
        call.header(IDEMPOTENCY_KEY)
            .or(() -> call.header(TRACKING_ID))
            .map(String::strip)
            .filter(value -> !value.isEmpty())
            .map(
                value ->
                    value.length() > MAX_KEY_LENGTH ? value.substring(0, MAX_KEY_LENGTH) : value)
            .orElse(null);
    boolean preferAsync =
        call.header("prefer")
            .map(value -> value.toLowerCase(Locale.ROOT).contains("respond-async"))
            .orElse(false);
    Jobs.Outcome outcome = services.jobs().jobs().handle(request, work, key, preferAsync);
    if (outcome instanceof Jobs.Accepted accepted) {
      return accepted(call, accepted.progress(), accepted.retryAfter());
    }
    return call.ok(((Jobs.Answered) outcome).response());
  }

  /** 202 with the job's progress, where to poll and when. */
  static HttpResponseMessage accepted(Invocation call, JobProgress progress, Duration retryAfter) {
    try {
      return call.respondWithHeaders(
          202,
          JobAnswer.JSON,
          Json.MAPPER.writeValueAsBytes(progress),
          "Location",
          location(call, progress.jobId()),
          "Retry-After",
          Long.toString(Math.max(1, retryAfter.toSeconds())));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write a job's progress", e);
    }
  }

  /** A finished job's stored answer, as the synchronous call would have given it. */
  static HttpResponseMessage answer(Invocation call, JobAnswer answer) {
    if (answer.retryAfter() != null) {
      return call.respondWithHeaders(
          answer.status(),
          answer.contentType(),
          answer.body(),
          "Retry-After",
          Long.toString(answer.retryAfter()));
    }
    return call.respondWithHeaders(answer.status(), answer.contentType(), answer.body());
  }

  static String location(Invocation call, String jobId) {
    return call.apiBase() + "v1/jobs/" + jobId;
  }

  /**
   * A refusal of the request as a whole (4xx but 429): the answer the synchronous call would have
   * given. Empty for anything a retry may mend (throttling, an upstream down) and for bugs.
   */
  static Optional<JobAnswer> refusal(RuntimeException failure, StoredRequest request) {
    ProblemException problem = DomainProblems.toProblem(failure);
    if (problem == null
        || problem.status() < 400
        || problem.status() >= 500
        || problem.status() == 429) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new JobAnswer(
              problem.status(),
              Problem.MEDIA_TYPE,
              Json.MAPPER.writeValueAsBytes(
                  problem.toProblem(request.path(), request.correlationId())),
              problem.retryAfter() == null ? null : Math.max(1, problem.retryAfter().toSeconds())));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write a problem", e);
    }
  }
}
