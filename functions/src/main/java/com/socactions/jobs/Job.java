package com.socactions.jobs;

import java.time.Instant;

/**
 * One job as its row holds it.
 *
 * @param id the job's id (a random UUID), its partition in the jobs table
 * @param operation the operationId whose work it is
 * @param state queued, running or done
 * @param total items of the request
 * @param done items whose chunk has been checkpointed
 * @param chunks chunks of the plan
 * @param nextChunk the checkpoint: chunks before it are done and stored
 * @param createdAt when the request came
 * @param updatedAt the row's last change (a worker's progress, a retry's error)
 * @param expiresAt when the job and its answer are deleted; {@code GET} answers 404 from then on
 * @param lastError what the last failed attempt at {@code nextChunk} threw, for the failure answer
 * @param failures failed attempts at {@code nextChunk}
 * @param keyHash the idempotency key row that points at this job, or null
 * @param answerStatus the stored answer's status once done
 * @param etag the row's ETag: every change is conditional on it
 */
public record Job(
    String id,
    String operation,
    JobState state,
    int total,
    int done,
    int chunks,
    int nextChunk,
    Instant createdAt,
    Instant updatedAt,
    Instant expiresAt,
    String lastError,
    int failures,
    String keyHash,
    Integer answerStatus,
    String etag) {

  public boolean isDone() {
    return state == JobState.DONE;
  }

  Job withProgress(int nextChunk, int done, Instant now) {
    return with(JobState.RUNNING, done, nextChunk, now, null, 0, answerStatus);
  }

  Job withFailure(String error, Instant now) {
    return with(state, done, nextChunk, now, error, failures + 1, answerStatus);
  }

  Job finished(int status, Instant now) {
    return with(JobState.DONE, done, chunks, now, lastError, failures, status);
  }

  Job touched(Instant now) {
    return with(state, done, nextChunk, now, lastError, failures, answerStatus);
  }

  Job withEtag(String newEtag) {
    return new Job(
        id,
        operation,
        state,
        total,
        done,
        chunks,
        nextChunk,
        createdAt,
        updatedAt,
        expiresAt,
        lastError,
        failures,
        keyHash,
        answerStatus,
        newEtag);
  }

  private Job with(
      JobState newState,
      int newDone,
      int newNextChunk,
      Instant now,
      String error,
      int newFailures,
      Integer status) {
    return new Job(
        id,
        operation,
        newState,
        total,
        newDone,
        chunks,
        newNextChunk,
        createdAt,
        now,
        expiresAt,
        error,
        newFailures,
        keyHash,
        status,
        etag);
  }
}
