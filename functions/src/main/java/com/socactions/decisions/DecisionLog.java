package com.socactions.decisions;

import com.socactions.platform.RequestLog;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Level;

/**
 * Where the services put every decision, after its outcome is known, for Log Analytics.
 *
 * <p>Contract for implementations: {@link #record} returns at once (no network call on the caller's
 * thread) and never throws: writing a decision down must never fail or slow the operation that made
 * it. What is recorded is delivered at least once, later.
 */
public interface DecisionLog {
  /** For {@link #recordLazily}'s warning. */
  RequestLog LOG = RequestLog.of(DecisionLog.class);

  /** Nothing is written anywhere: the Logs Ingestion settings are absent. */
  DecisionLog OFF = decisions -> {};

  /** Records the decisions of one call (one batch). */
  void record(List<Decision> decisions);

  /** Records one decision. */
  default void record(Decision decision) {
    record(List.of(decision));
  }

  /**
   * Records the decisions {@code batch} makes from an outcome. When making or recording them fails
   * (a bug in a mapping, an implementation that breaks its contract), nothing is thrown: a copy for
   * Log Analytics is never the reason an operation fails.
   */
  default void recordLazily(Supplier<List<Decision>> batch) {
    try {
      record(batch.get());
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Could not record the decisions of a call", e);
    }
  }
}
