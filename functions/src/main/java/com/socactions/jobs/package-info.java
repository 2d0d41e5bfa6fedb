/**
 * Long work off the request: the asynchronous request-reply pattern Logic Apps follows. An
 * operation whose work cannot finish well inside Logic Apps' 120 s (decided up front from the batch
 * size, the providers and their observed rates, and again between chunks while it runs) is stored
 * as a job in Table Storage, put on an Azure Storage queue, and answered {@code 202 Accepted} with
 * {@code Location: .../api/v1/jobs/{id}}; a queue-triggered worker runs it in chunks with
 * checkpoints in the job row, each chunk one call of the same service method the synchronous path
 * calls, and {@code GET /v1/jobs/{id}} answers the status and body the synchronous call would have
 * given.
 *
 * <p>Public types: {@link com.socactions.jobs.Jobs} (submit, run inline, read, work, fail, expire),
 * {@link com.socactions.jobs.JobWork} and its two shapes {@link com.socactions.jobs.BatchWork} and
 * {@link com.socactions.jobs.WholeWork}, {@link com.socactions.jobs.JobsModule} (wiring).
 */
package com.socactions.jobs;
