package com.socactions.decisions;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link DecisionLog} that keeps each recorded batch, for tests of the services' hooks. */
public final class RecordingDecisionLog implements DecisionLog {
  private final List<List<Decision>> batches = new CopyOnWriteArrayList<>();

  @Override
  public void record(List<Decision> decisions) {
    batches.add(List.copyOf(decisions));
  }

  /** Each {@link #record} call's decisions, in order. */
  public List<List<Decision>> batches() {
    return List.copyOf(batches);
  }

  /** Every decision recorded, in order. */
  public List<Decision> all() {
    return batches.stream().flatMap(List::stream).toList();
  }
}
