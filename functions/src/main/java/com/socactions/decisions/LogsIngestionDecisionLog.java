package com.socactions.decisions;

import com.socactions.platform.RequestLog;
import com.socactions.platform.TableLease;
import com.socactions.platform.UpstreamException;
import com.socactions.providers.Readiness;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.logging.Level;

/**
 * The {@link DecisionLog} that writes to Log Analytics through the Logs Ingestion API, off the
 * request path and without losing what it was given.
 *
 * <ul>
 *   <li><b>Buffer.</b> {@link #record} puts rows in a bounded in-process buffer ({@value
 *       #DEFAULT_BUFFER_CAPACITY} rows) and returns. A background thread sends them every {@link
 *       #DEFAULT_FLUSH_INTERVAL}, or as soon as {@value #DEFAULT_BATCH_SIZE} are waiting.
 *   <li><b>Spill.</b> What Log Analytics does not take (429, 503, no answer, a refusal such as a
 *       missing role) goes to the {@link DecisionSpill} table; so does what is still buffered when
 *       the process stops ({@link #close}). While Log Analytics asks to wait ({@code Retry-After},
 *       else {@link #DEFAULT_BACKOFF}), new batches go straight to the spill table.
 *   <li><b>Replay.</b> Every {@link #DEFAULT_REPLAY_INTERVAL} one instance (a {@link TableLease})
 *       sends the spilled rows again, oldest first, and deletes what was taken. Delivery is at
 *       least once: a row whose acceptance was lost in transit may arrive twice, with the same
 *       {@code DecisionId}.
 *   <li><b>Never fails the caller.</b> {@link #record} does no I/O unless the buffer is full (then
 *       the caller writes its rows to the spill table itself: back-pressure rather than loss) and
 *       throws nothing. Rows are dropped only when the buffer is full and the spill table fails
 *       too; each dropped row is then written to the application log.
 * </ul>
 */
public final class LogsIngestionDecisionLog implements DecisionLog, AutoCloseable {
  public static final int DEFAULT_BUFFER_CAPACITY = 10_000;
  public static final int DEFAULT_BATCH_SIZE = 500;
  public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(5);
  public static final Duration DEFAULT_REPLAY_INTERVAL = Duration.ofMinutes(1);

  /** How long to leave Log Analytics alone after a 429/503 without {@code Retry-After}. */
  public static final Duration DEFAULT_BACKOFF = Duration.ofSeconds(30);

  /** After a refusal that a retry cannot mend at once (401, 403, 404, 400): a setting to fix. */
  public static final Duration REFUSAL_BACKOFF = Duration.ofMinutes(5);

  /** The longest {@code Retry-After} honoured. */
  public static final Duration MAX_BACKOFF = Duration.ofMinutes(15);

  /** Rows sent again per replay run at most (twenty calls), so a run ends in reasonable time. */
  public static final int MAX_REPLAY_ROWS = 20 * DEFAULT_BATCH_SIZE;

  /** Spill-table rows health counts at most. */
  static final int BACKLOG_CAP = 1000;

  static final String REPLAY_LEASE_KEY = "decision-replay";

  private static final RequestLog LOG = RequestLog.of(LogsIngestionDecisionLog.class);

  private final LogsIngestionUploader uploader;
  private final DecisionSpill spill;
  private final Supplier<TableLease> replayLease;
  private final Clock clock;
  private final int batchSize;
  private final LinkedBlockingDeque<Map<String, Object>> buffer;
  private final Object sending = new Object();
  private final AtomicBoolean flushRequested = new AtomicBoolean();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong spilled = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private volatile ScheduledExecutorService scheduler;
  private volatile Instant pausedUntil = Instant.MIN;
  private volatile Instant lastSentAt;
  private volatile Instant lastFailureAt;
  private volatile LogsIngestionUploader.Failure lastFailure;

  /**
   * @param replayLease one replay at a time across instances; null when there is one instance
   */
  LogsIngestionDecisionLog(
      LogsIngestionUploader uploader,
      DecisionSpill spill,
      Supplier<TableLease> replayLease,
      Clock clock,
      int bufferCapacity,
      int batchSize) {
    this.uploader = uploader;
    this.spill = spill;
    this.replayLease = replayLease;
    this.clock = clock;
    this.batchSize = batchSize;
    this.buffer = new LinkedBlockingDeque<>(bufferCapacity);
  }

  /**
   * Starts the background thread: a flush every {@code flushEvery}, a replay every {@code
   * replayEvery}.
   */
  synchronized LogsIngestionDecisionLog start(Duration flushEvery, Duration replayEvery) {
    if (scheduler != null) {
      return this;
    }
    ScheduledExecutorService thread =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread t = new Thread(runnable, "decision-log");
              // A worker that is stopping must not wait for Log Analytics; close() spills.
              t.setDaemon(true);
              return t;
            });
    thread.scheduleWithFixedDelay(
        this::flushQuietly, flushEvery.toMillis(), flushEvery.toMillis(), TimeUnit.MILLISECONDS);
    thread.scheduleWithFixedDelay(
        this::replayQuietly, replayEvery.toMillis(), replayEvery.toMillis(), TimeUnit.MILLISECONDS);
    scheduler = thread;
    return this;
  }

  @Override
  public void record(List<Decision> decisions) {
    try {
      List<Map<String, Object>> overflow = new ArrayList<>();
      for (Decision decision : decisions) {
        Map<String, Object> row = decision.toRow();
        if (!buffer.offerLast(row)) {
          overflow.add(row);
        }
      }
      if (!overflow.isEmpty()) {
        // The background thread is behind (Log Analytics and storage slow): keep them anyway.
        keep(overflow);
      }
      if (buffer.size() >= batchSize) {
        requestFlush();
      }
    } catch (RuntimeException e) {
      // Writing decisions down must never fail the operation that made them.
      LOG.log(Level.WARNING, "Could not record " + decisions.size() + " decision(s)", e);
    }
  }

  private void requestFlush() {
    ScheduledExecutorService thread = scheduler;
    if (thread != null && flushRequested.compareAndSet(false, true)) {
      try {
        thread.execute(
            () -> {
              flushRequested.set(false);
              flushQuietly();
            });
      } catch (RuntimeException e) {
        flushRequested.set(false);
      }
    }
  }

  /**
   * Sends everything buffered now, in batches; what Log Analytics does not take goes to the spill
   * table. Called by the background thread (tests call it directly).
   *
   * @return how many rows Log Analytics took
   */
  int flush() {
    synchronized (sending) {
      int taken = 0;
      // Only what is buffered now: rows that come back (the spill table failing) wait for the
      // next flush instead of going round in this one.
      int budget = buffer.size();
      while (budget > 0) {
        List<Map<String, Object>> batch = new ArrayList<>(batchSize);
        buffer.drainTo(batch, Math.min(batchSize, budget));
        if (batch.isEmpty()) {
          return taken;
        }
        budget -= batch.size();
        if (isPaused()) {
          keep(batch);
        } else {
          taken += send(batch, this::keep);
        }
      }
      return taken;
    }
  }

  /**
   * Sends spilled rows again, oldest first, deleting what Log Analytics took; stops at the first
   * failure (the rest waits for the next run). Holds the replay lease, so one instance replays at a
   * time; another instance's replay in progress makes this one a no-op.
   *
   * @return how many spilled rows Log Analytics took
   */
  int replay() {
    // An empty spill table (the usual case) costs one read, not a lease row written and deleted
    // by every instance every minute.
    if (isPaused() || spill.oldest(1).isEmpty()) {
      return 0;
    }
    if (replayLease == null) {
      return replayHeld();
    }
    try {
      return replayLease.get().run(REPLAY_LEASE_KEY, this::replayHeld);
    } catch (UpstreamException e) {
      // Another instance is replaying (or storage is down): the next run tries again.
      LOG.fine(() -> "No replay this time: " + e.getMessage());
      return 0;
    }
  }

  private int replayHeld() {
    synchronized (sending) {
      int taken = 0;
      while (taken < MAX_REPLAY_ROWS && !isPaused()) {
        List<DecisionSpill.Spilled> page = spill.oldest(batchSize);
        if (page.isEmpty()) {
          break;
        }
        List<Map<String, Object>> rows = page.stream().map(DecisionSpill.Spilled::row).toList();
        Set<Object> notTaken = new HashSet<>();
        int ok = send(rows, failed -> failed.forEach(row -> notTaken.add(id(row))));
        List<DecisionSpill.Spilled> delivered =
            page.stream().filter(row -> !notTaken.contains(id(row.row()))).toList();
        if (!delivered.isEmpty()) {
          spill.delete(delivered);
        }
        taken += ok;
        if (!notTaken.isEmpty()) {
          break;
        }
      }
      return taken;
    }
  }

  private static Object id(Map<String, Object> row) {
    return row.get(DecisionColumn.DECISION_ID.columnName());
  }

  /**
   * One upload; a too-large call is halved and each half sent again; what fails goes to {@code
   * notTaken} and sets the pause.
   */
  private int send(
      List<Map<String, Object>> rows,
      java.util.function.Consumer<List<Map<String, Object>>> notTaken) {
    List<LogsIngestionUploader.Failure> failures = uploader.upload(rows);
    int failedRows = 0;
    for (LogsIngestionUploader.Failure failure : failures) {
      failedRows += failure.rows().size();
    }
    int taken = rows.size() - failedRows;
    if (taken > 0) {
      sent.addAndGet(taken);
      lastSentAt = clock.instant();
    }
    for (LogsIngestionUploader.Failure failure : failures) {
      if (failure.isTooLarge() && failure.rows().size() > 1) {
        int half = failure.rows().size() / 2;
        taken += send(failure.rows().subList(0, half), notTaken);
        taken += send(failure.rows().subList(half, failure.rows().size()), notTaken);
        continue;
      }
      lastFailure = failure;
      lastFailureAt = clock.instant();
      pause(failure);
      LOG.warning(
          () ->
              "Log Analytics did not take "
                  + failure.rows().size()
                  + " decision(s) ("
                  + failure.answer()
                  + ": "
                  + failure.message()
                  + "); kept for later");
      notTaken.accept(failure.rows());
    }
    return taken;
  }

  private void pause(LogsIngestionUploader.Failure failure) {
    Duration wait;
    if (failure.isRetryable()) {
      wait = failure.retryAfter() != null ? failure.retryAfter() : DEFAULT_BACKOFF;
    } else {
      wait = REFUSAL_BACKOFF;
    }
    if (wait.compareTo(MAX_BACKOFF) > 0) {
      wait = MAX_BACKOFF;
    }
    Instant until = clock.instant().plus(wait);
    if (until.isAfter(pausedUntil)) {
      pausedUntil = until;
    }
  }

  private boolean isPaused() {
    return clock.instant().isBefore(pausedUntil);
  }

  /**
   * Puts rows in the spill table; when storage fails too, back at the head of the buffer; what does
   * not fit there is written to the application log and counted as dropped.
   */
  private void keep(List<Map<String, Object>> rows) {
    try {
      spill.save(rows);
      spilled.addAndGet(rows.size());
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING, "Could not keep " + rows.size() + " decision(s) in the spill table", e);
      for (int i = rows.size() - 1; i >= 0; i--) {
        if (!buffer.offerFirst(rows.get(i))) {
          dropped.incrementAndGet();
          LOG.log(
              Level.SEVERE, "Decision dropped (buffer full, spill table failing): " + rows.get(i));
        }
      }
    }
  }

  private void flushQuietly() {
    try {
      flush();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Decision flush failed", e);
    }
  }

  private void replayQuietly() {
    try {
      replay();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Decision replay failed", e);
    }
  }

  /**
   * Stops the background thread and keeps what is still buffered in the spill table (not sent: a
   * stopping process has little time, and a table write is quick and sure); a later replay, of this
   * or another instance, sends it.
   */
  @Override
  public void close() {
    ScheduledExecutorService thread = scheduler;
    scheduler = null;
    if (thread != null) {
      thread.shutdownNow();
      try {
        thread.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    synchronized (sending) {
      List<Map<String, Object>> rest = new ArrayList<>();
      buffer.drainTo(rest);
      if (!rest.isEmpty()) {
        keep(rest);
      }
    }
  }

  /** Rows waiting in memory now. */
  int buffered() {
    return buffer.size();
  }

  /** Rows Log Analytics took, from this process. */
  long sentCount() {
    return sent.get();
  }

  /**
   * What health shows as {@code logs-ingestion}: where decisions go, the last upload, and the
   * backlog (buffered here, waiting in the spill table). {@code error} when Log Analytics refused
   * the last upload for a reason a retry cannot mend (a missing role, a wrong rule or stream),
   * {@code degraded} when it was throttled or unreachable, or rows were dropped.
   */
  Readiness readiness() {
    String backlog;
    try {
      int waiting = spill.backlog(BACKLOG_CAP);
      backlog =
          buffer.size()
              + " buffered, "
              + (waiting >= BACKLOG_CAP ? BACKLOG_CAP + " or more" : waiting)
              + " waiting in table "
              + DecisionSpill.TABLE;
    } catch (RuntimeException e) {
      backlog = buffer.size() + " buffered; the spill table cannot be read: " + firstLine(e);
    }
    String where = "Decisions go to " + uploader.describe();
    LogsIngestionUploader.Failure failure = lastFailure;
    Instant failedAt = lastFailureAt;
    Instant okAt = lastSentAt;
    if (failure != null && (okAt == null || failedAt.isAfter(okAt))) {
      String what = failure.answer() + " at " + failedAt + ": " + failure.message();
      if (!failure.isRetryable() && !failure.isTooLarge()) {
        return Readiness.error(
            where
                + "; Log Analytics refused the last upload ("
                + what
                + "): check that the app's identity has Monitoring Metrics Publisher on the data"
                + " collection rule and that LOGS_INGESTION_RULE_ID and LOGS_INGESTION_STREAM name"
                + " it; "
                + backlog);
      }
      return Readiness.degraded(
          where
              + "; the last upload did not go through ("
              + what
              + "), sent again after "
              + pausedUntil
              + "; "
              + backlog);
    }
    if (dropped.get() > 0) {
      return Readiness.degraded(
          where
              + "; "
              + dropped.get()
              + " decision(s) dropped (buffer full while the spill table failed); "
              + backlog);
    }
    return Readiness.ok(
        where
            + (okAt == null ? "; nothing sent yet" : "; last upload at " + okAt)
            + "; "
            + backlog);
  }

  private static String firstLine(Throwable e) {
    return e.getMessage() == null
        ? e.getClass().getSimpleName()
        : e.getMessage().lines().findFirst().orElse("");
  }
}
