package com.socactions.decisions;

import java.util.List;

/**
 * Where the services put every decision, after its outcome is known, for Log Analytics.
 *
 * <p>Contract for implementations: {@link #record} returns at once (no network call on the caller's
 * thread) and never throws: writing a decision down must never fail or slow the operation that made
 * it. What is recorded is delivered at least once, later.
 */
public interface DecisionLog {
  /** Nothing is written anywhere: the Logs Ingestion settings are absent. */
  DecisionLog OFF = decisions -> {};

  /** Records the decisions of one call (one batch). */
  void record(List<Decision> decisions);

  /** Records one decision. */
  default void record(Decision decision) {
    record(List.of(decision));
  }
}
