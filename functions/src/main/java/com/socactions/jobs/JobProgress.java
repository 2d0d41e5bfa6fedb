package com.socactions.jobs;

import java.time.Instant;

/**
 * The body of a {@code 202 Accepted}: which job, how far it is.
 *
 * @param jobId the job's id, the last segment of its {@code Location}
 * @param operation the operation whose work it is
 * @param status queued or running
 * @param done items done
 * @param total items of the request
 * @param createdAt when the request came
 * @param expiresAt when the job and its answer are deleted
 */
public record JobProgress(
    String jobId,
    String operation,
    JobState status,
    int done,
    int total,
    Instant createdAt,
    Instant expiresAt) {

  static JobProgress of(Job job) {
    return new JobProgress(
        job.id(),
        job.operation(),
        // Done but its answer not readable yet: still running, as far as a poll can tell.
        job.state() == JobState.DONE ? JobState.RUNNING : job.state(),
        job.done(),
        job.total(),
        job.createdAt(),
        job.expiresAt());
  }
}
