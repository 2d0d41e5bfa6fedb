package com.socactions.jobs;

import java.time.Duration;
import java.util.List;

/**
 * One request's work, split into chunks, each chunk one call of the service method the synchronous
 * path calls (so a job applies the same guardrails, writes the same ledger and answers the same per
 * item). The chunks are a function of the request alone, so a worker that resumes a job rebuilds
 * the same plan and carries on from the job row's checkpoint.
 *
 * <p>Failure modes of {@link #run}: whatever the service throws. {@link Jobs} asks its {@link
 * Jobs.AnswerWriter} whether that is an answer to the request as a whole (a provider that is not
 * configured: the job ends with the answer the synchronous call would have given); anything else is
 * a chunk that may succeed later (the queue message is retried, then poisoned: {@link #answer} is
 * then given the chunks that never ran, and answers their items as failed, naming the failure).
 *
 * @param <C> what one chunk answers (the service's response to the chunk's items)
 */
public interface JobWork<C> {
  /** The operation, as the connector definition names it ({@code BlockIndicators}). */
  String operation();

  /**
   * What rates are observed by: the operation and what makes its cost differ (the provider, the
   * lookups), e.g. {@code BlockIndicators/defender}.
   */
  String kind();

  /** Items of the request (1 for work that is not a list of items). */
  int total();

  /** Chunks of the plan, at least one. */
  int chunkCount();

  /** Items in chunk {@code chunk}. */
  int chunkItems(int chunk);

  /**
   * The cost of {@code items} items before any has been observed: what the upstreams' documented
   * limits and usual latencies make it (see each operation's model).
   */
  Duration modelCost(int items);

  /** Runs one chunk through the service. */
  C run(int chunk);

  /** A chunk's answer as bytes for its checkpoint row. */
  byte[] write(C chunkAnswer);

  /** A checkpointed chunk answer back. */
  C read(byte[] bytes);

  /**
   * The response to the whole request: the chunks' answers merged in request order, summary and
   * comment computed over every item. With one chunk, its answer as the service gave it.
   *
   * @param chunks each chunk's answer by chunk index; null for a chunk that never ran
   * @param failure why the null chunks never ran (their items answer failed, naming it); null when
   *     every chunk ran
   */
  Object answer(List<C> chunks, String failure);
}
