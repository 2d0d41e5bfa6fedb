package com.socactions.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.socactions.platform.Digests;
import com.socactions.platform.Json;
import com.socactions.platform.Ticker;
import com.socactions.platform.UpstreamException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Runs requests that may take longer than a synchronous call can wait, and keeps their answers.
 *
 * <ul>
 *   <li>{@link #handle}: the synchronous path. Decides up front ({@link SyncBudget}) whether the
 *       request goes to a job; if not, runs its chunks here, and hands the rest to a job as soon as
 *       the remaining work at this call's pace would pass the budget, or a chunk after the first
 *       fails in a way a retry can mend. A job is stored (with the chunks done so far as its
 *       checkpoint), queued, and answered {@link Accepted}.
 *   <li>{@link #work}: the queue-triggered worker. Runs a job's chunks from its checkpoint, storing
 *       each chunk's answer and then moving the checkpoint under the job row's ETag, so a worker
 *       that dies costs at most the chunk it was in; after {@link #DEFAULT_WORKER_SLICE} it queues
 *       the job again and returns, so no invocation runs near the host's time limit. A chunk that
 *       fails is recorded and rethrown (the host retries the message); a refusal of the request as
 *       a whole ends the job with that answer.
 *   <li>{@link #fail}: the poison-queue handler. Ends the job with the chunks that ran and the
 *       others answered as failed items naming what failed: never a silent loss.
 *   <li>{@link #find}: what {@code GET /v1/jobs/{id}} answers: progress, or the stored answer;
 *       empty for an unknown or expired job. A job that has not moved for {@link #STALLED_AFTER}
 *       (its message lost) is queued again.
 *   <li>{@link #expire}: deletes expired jobs through the expiry index.
 * </ul>
 *
 * <p>Idempotency: a request with a key ({@code Idempotency-Key}, else {@code
 * x-ms-client-tracking-id}) that made a job answers that job again while it is kept: the key row is
 * the hash of the operation, the key and the body.
 */
public final class Jobs {
  private static final Logger LOG = Logger.getLogger(Jobs.class.getName());

  /** The form of the ids jobs get: a random UUID, lower case. */
  private static final Pattern JOB_ID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  /** Whether {@code text} has the form of a job's id; anything else names no job. */
  public static boolean isJobId(String text) {
    return text != null && JOB_ID.matcher(text).matches();
  }

  /** How long a job and its answer are kept after its request. */
  public static final Duration DEFAULT_RETENTION = Duration.ofHours(24);

  /** How long one worker invocation runs chunks before it queues the rest. */
  public static final Duration DEFAULT_WORKER_SLICE = Duration.ofMinutes(4);

  /**
   * A job not finished and not changed for this long lost its message (or its worker, past the
   * queue's 10-minute visibility): a poll queues it again.
   */
  public static final Duration STALLED_AFTER = Duration.ofMinutes(15);

  /** Bounds of the {@code Retry-After} of a 202. */
  static final Duration MIN_RETRY_AFTER = Duration.ofSeconds(5);

  static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(60);

  /** The work of a stored request, rebuilt by the operation that made it. */
  @FunctionalInterface
  public interface Rebuild {
    /**
     * @throws IllegalArgumentException for an operation that does not run as a job
     */
    JobWork<?> work(StoredRequest request);
  }

  /**
   * The answers a job keeps, exactly as the synchronous call would have given them: the HTTP side
   * writes them (statuses are its to choose), this class stores and serves them.
   */
  public interface AnswerWriter {
    /** The answer of work done: {@code response} as the synchronous call answers it. */
    JobAnswer answered(Object response);

    /**
     * The answer for a refusal of the request as a whole (one that retrying cannot change), or
     * empty when {@code failure} is one a retry may mend.
     */
    Optional<JobAnswer> refusal(RuntimeException failure, StoredRequest request);
  }

  /** What {@link #handle} did with a request. */
  public sealed interface Outcome permits Answered, Accepted {}

  /** Done within the call: the response, exactly as the service gives it. */
  public record Answered(Object response) implements Outcome {}

  /** Left to a job: answer 202 with its progress and {@code Retry-After}. */
  public record Accepted(JobProgress progress, Duration retryAfter) implements Outcome {}

  /** What a job has to say when polled. */
  public sealed interface View permits Running, Finished {}

  public record Running(JobProgress progress, Duration retryAfter) implements View {}

  public record Finished(JobAnswer answer) implements View {}

  private final JobStore store;
  private final JobQueue queue;
  private final SyncBudget budget;
  private final WorkRates rates;
  private final Rebuild rebuild;
  private final AnswerWriter answerWriter;
  private final Clock clock;
  private final Ticker ticker;
  private final Duration retention;
  private final Duration workerSlice;

  Jobs(
      JobStore store,
      JobQueue queue,
      SyncBudget budget,
      WorkRates rates,
      Rebuild rebuild,
      AnswerWriter answerWriter,
      Clock clock,
      Ticker ticker,
      Duration retention,
      Duration workerSlice) {
    this.store = store;
    this.queue = queue;
    this.budget = budget;
    this.rates = rates;
    this.rebuild = rebuild;
    this.answerWriter = answerWriter;
    this.clock = clock;
    this.ticker = ticker;
    this.retention = retention;
    this.workerSlice = workerSlice;
  }

  public SyncBudget budget() {
    return budget;
  }

  public Duration retention() {
    return retention;
  }

  /**
   * Answers a request now or leaves it to a job.
   *
   * @param idempotencyKey the caller's key for the request, or null
   * @param preferAsync the caller asked for a job ({@code Prefer: respond-async})
   * @throws RuntimeException whatever the service throws for the first chunk (as the synchronous
   *     call always has), and refusals of the request as a whole from any chunk
   */
  public Outcome handle(
      StoredRequest request, JobWork<?> work, String idempotencyKey, boolean preferAsync) {
    String keyHash = idempotencyKey == null ? null : keyHash(request, idempotencyKey);
    boolean upFront = budget.asyncUpFront(work, preferAsync);
    // A request of one chunk that fits the budget never made a job: no storage read for it.
    if (keyHash != null && (upFront || work.chunkCount() > 1)) {
      Optional<Job> earlier = earlierJob(keyHash);
      if (earlier.isPresent()) {
        return accepted(earlier.get(), null);
      }
    }
    return handleTyped(request, work, keyHash, upFront);
  }

  private Optional<Job> earlierJob(String keyHash) {
    try {
      return store.keyOwner(keyHash, clock.instant()).flatMap(store::find).filter(this::kept);
    } catch (UpstreamException e) {
      // Storage is down: the request runs as if it were new (the ledger keeps re-runs single).
      LOG.warning("Could not read an idempotency key: " + e.getMessage());
      return Optional.empty();
    }
  }

  private <C> Outcome handleTyped(
      StoredRequest request, JobWork<C> work, String keyHash, boolean upFront) {
    List<C> answers = new ArrayList<>(Collections.nCopies(work.chunkCount(), null));
    if (upFront) {
      return submit(request, work, keyHash, answers, 0, 0, null);
    }
    long start = ticker.read();
    int done = 0;
    for (int chunk = 0; chunk < work.chunkCount(); chunk++) {
      if (chunk > 0 && budget.handOff(since(start), done, work.total() - done)) {
        return submit(request, work, keyHash, answers, chunk, done, null);
      }
      long chunkStart = ticker.read();
      try {
        answers.set(chunk, work.run(chunk));
      } catch (RuntimeException e) {
        if (chunk == 0 || answerWriter.refusal(e, request).isPresent()) {
          throw e;
        }
        // Part of the request is done: the rest goes to a worker, which retries it.
        LOG.log(Level.INFO, "Chunk " + chunk + " of " + work.operation() + " failed; queued", e);
        return submit(request, work, keyHash, answers, chunk, done, describe(e));
      }
      rates.observe(work.kind(), work.chunkItems(chunk), since(chunkStart));
      done += work.chunkItems(chunk);
    }
    return new Answered(work.answer(answers, null));
  }

  private <C> Outcome submit(
      StoredRequest request,
      JobWork<C> work,
      String keyHash,
      List<C> answers,
      int nextChunk,
      int done,
      String lastError) {
    Instant now = clock.instant();
    Map<Integer, byte[]> checkpointed = new LinkedHashMap<>();
    for (int chunk = 0; chunk < nextChunk; chunk++) {
      checkpointed.put(chunk, work.write(answers.get(chunk)));
    }
    Job job =
        store.create(
            new Job(
                UUID.randomUUID().toString(),
                work.operation(),
                nextChunk == 0 ? JobState.QUEUED : JobState.RUNNING,
                work.total(),
                done,
                work.chunkCount(),
                nextChunk,
                now,
                now,
                now.plus(retention),
                lastError,
                lastError == null ? 0 : 1,
                keyHash,
                null,
                null),
            write(request),
            checkpointed);
    if (keyHash != null) {
      Optional<Job> first =
          store.claimKey(keyHash, job.id(), job.expiresAt(), now).flatMap(store::find);
      if (first.isPresent()) {
        // An identical request made its job first: this one's rows are never queued and expire.
        return accepted(first.get(), null);
      }
    }
    queue.send(job.id(), Duration.ZERO);
    LOG.info(
        () ->
            work.operation()
                + " of "
                + work.total()
                + " items queued as job "
                + job.id()
                + (nextChunk == 0 ? "" : " after " + nextChunk + " chunks done in the request"));
    return accepted(job, budget.estimate(work, work.total() - done));
  }

  private Accepted accepted(Job job, Duration estimate) {
    return new Accepted(JobProgress.of(job), retryAfter(job, estimate));
  }

  /**
   * The job's progress, or its answer once done; empty when there is no such job, it expired, or
   * {@code id} is not a job's id at all.
   */
  public Optional<View> find(String id) {
    if (!isJobId(id)) {
      return Optional.empty();
    }
    Optional<Job> found = store.find(id).filter(this::kept);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    Job job = found.get();
    if (job.isDone()) {
      Optional<JobAnswer> answer = store.answer(id);
      if (answer.isPresent()) {
        return Optional.of(new Finished(answer.get()));
      }
    }
    Instant now = clock.instant();
    if (!job.isDone() && job.updatedAt().plus(STALLED_AFTER).isBefore(now)) {
      try {
        job = store.replace(job.touched(now));
        queue.send(id, Duration.ZERO);
        LOG.warning("Job " + id + " had not moved since " + job.updatedAt() + ": queued again");
      } catch (JobStore.Conflict movedMeanwhile) {
        // A worker moved it: it is not stalled.
      }
    }
    return Optional.of(new Running(JobProgress.of(job), retryAfter(job, null)));
  }

  /**
   * Runs a job from its checkpoint (the queue trigger). Returns when the job is done, or when this
   * invocation's slice is used up (the job is then queued again).
   *
   * @throws RuntimeException what a chunk threw that a retry may mend, after recording it in the
   *     job row (the host then retries the message, and poisons it after its dequeue limit)
   */
  public void work(String id) {
    Optional<Job> found = store.find(id).filter(this::kept);
    if (found.isEmpty() || found.get().isDone()) {
      return;
    }
    StoredRequest request = read(store.request(id));
    runChunks(found.get(), request, rebuild.work(request));
  }

  private <C> void runChunks(Job job, StoredRequest request, JobWork<C> work) {
    if (work.chunkCount() != job.chunks()) {
      List<C> none = new ArrayList<>(Collections.nCopies(work.chunkCount(), null));
      finish(
          job,
          answerWriter.answered(
              work.answer(
                  none,
                  "the job was planned by another version of the app and cannot be resumed: run"
                      + " the action again")));
      return;
    }
    long sliceStart = ticker.read();
    while (job.nextChunk() < job.chunks()) {
      int chunk = job.nextChunk();
      Duration used = since(sliceStart);
      if (used.compareTo(Duration.ZERO) > 0
          && used.plus(budget.estimate(work, work.chunkItems(chunk))).compareTo(workerSlice) > 0) {
        queue.send(job.id(), Duration.ZERO);
        return;
      }
      long chunkStart = ticker.read();
      C answer;
      try {
        answer = work.run(chunk);
      } catch (RuntimeException e) {
        Optional<JobAnswer> refused = answerWriter.refusal(e, request);
        if (refused.isPresent()) {
          finish(job, refused.get());
          return;
        }
        try {
          store.replace(job.withFailure(describe(e), clock.instant()));
        } catch (JobStore.Conflict movedMeanwhile) {
          // Another worker is on it; the host retries this message all the same.
        }
        throw e;
      }
      rates.observe(work.kind(), work.chunkItems(chunk), since(chunkStart));
      store.putChunk(job.id(), chunk, work.write(answer));
      try {
        job =
            store.replace(
                job.withProgress(chunk + 1, job.done() + work.chunkItems(chunk), clock.instant()));
      } catch (JobStore.Conflict movedMeanwhile) {
        // Another worker checkpointed first (this chunk or later): carry on from its checkpoint.
        Optional<Job> now = store.find(job.id());
        if (now.isEmpty() || now.get().isDone()) {
          return;
        }
        job = now.get();
      }
    }
    List<C> answers = new ArrayList<>();
    for (int chunk = 0; chunk < job.chunks(); chunk++) {
      int index = chunk;
      answers.add(
          work.read(
              store
                  .chunk(job.id(), chunk)
                  .orElseThrow(
                      () ->
                          new IllegalStateException(
                              "job " + request.operation() + " lost chunk " + index))));
    }
    finish(job, answerWriter.answered(work.answer(answers, null)));
  }

  /**
   * Ends a job whose message was poisoned: the chunks that ran keep their answers, the others
   * answer failed, naming what failed (the last error the worker recorded, or that the worker
   * stopped without one: killed or past its time limit).
   */
  public void fail(String id) {
    Optional<Job> found = store.find(id).filter(this::kept);
    if (found.isEmpty() || found.get().isDone()) {
      return;
    }
    StoredRequest request = read(store.request(id));
    failTyped(found.get(), rebuild.work(request));
  }

  private <C> void failTyped(Job job, JobWork<C> work) {
    List<C> answers = new ArrayList<>();
    boolean samePlan = work.chunkCount() == job.chunks();
    for (int chunk = 0; chunk < work.chunkCount(); chunk++) {
      answers.add(
          samePlan && chunk < job.nextChunk()
              ? store.chunk(job.id(), chunk).map(work::read).orElse(null)
              : null);
    }
    String why =
        job.lastError() == null
            ? "its worker stopped without finishing it (stopped, or past its time limit)"
            : job.lastError();
    String failure =
        "not done: the background job gave up on this part of the request after repeated"
            + " attempts ("
            + why
            + "); nothing more is reported done for it: run the action again for it";
    LOG.warning("Job " + job.id() + " (" + job.operation() + ") failed: " + why);
    finish(job, answerWriter.answered(work.answer(answers, failure)));
  }

  /**
   * Deletes the jobs whose retention has passed (their rows, keys and index rows), by the expiry
   * index: what expired since the last run, never a scan.
   *
   * @return jobs deleted
   */
  public int expire() {
    return store.sweep(clock.instant(), retention.plusDays(7));
  }

  private void finish(Job job, JobAnswer answer) {
    store.putAnswer(job.id(), answer);
    try {
      store.replace(job.finished(answer.status(), clock.instant()));
    } catch (JobStore.Conflict movedMeanwhile) {
      Optional<Job> now = store.find(job.id());
      if (now.isPresent() && !now.get().isDone()) {
        store.replace(now.get().finished(answer.status(), clock.instant()));
      }
    }
  }

  private boolean kept(Job job) {
    return job.expiresAt().isAfter(clock.instant());
  }

  private Duration retryAfter(Job job, Duration estimate) {
    Duration wait = estimate;
    if (wait == null) {
      Duration elapsed = Duration.between(job.createdAt(), clock.instant());
      wait =
          job.done() > 0
              ? elapsed.dividedBy(job.done()).multipliedBy(Math.max(0, job.total() - job.done()))
              : Duration.ofSeconds(10);
    }
    if (wait.compareTo(MIN_RETRY_AFTER) < 0) {
      return MIN_RETRY_AFTER;
    }
    return wait.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : wait;
  }

  private Duration since(long start) {
    return Duration.ofNanos(ticker.read() - start);
  }

  static String keyHash(StoredRequest request, String key) {
    return Digests.sha256Hex(request.operation() + "\n" + key + "\n" + request.body());
  }

  private static String describe(RuntimeException e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return message.lines().findFirst().orElse(message);
  }

  private static byte[] write(StoredRequest request) {
    try {
      return Json.MAPPER.writeValueAsString(request).getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write the request", e);
    }
  }

  private static StoredRequest read(byte[] bytes) {
    try {
      return Json.MAPPER.readValue(bytes, StoredRequest.class);
    } catch (IOException e) {
      throw new UncheckedIOException("a stored request is damaged", e);
    }
  }
}
