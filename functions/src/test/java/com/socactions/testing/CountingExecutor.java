package com.socactions.testing;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs tasks on another executor and counts those that finished, so a test can act once a number of
 * them have (e.g. let a deadline pass once every lookup that can answer has answered) instead of
 * guessing with the wall clock. A task counts once it has returned or thrown; a {@code
 * CompletableFuture} it completes is complete by then.
 */
public final class CountingExecutor implements Executor {
  private final Executor delegate;
  private final AtomicInteger finished = new AtomicInteger();
  private final Map<Integer, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();

  public CountingExecutor(Executor delegate) {
    this.delegate = delegate;
  }

  @Override
  public void execute(Runnable task) {
    delegate.execute(
        () -> {
          try {
            task.run();
          } finally {
            int count = finished.incrementAndGet();
            waiting.forEach(
                (n, future) -> {
                  if (count >= n) {
                    future.complete(null);
                  }
                });
          }
        });
  }

  /** Completes once {@code n} tasks have finished. */
  public CompletableFuture<Void> whenFinished(int n) {
    CompletableFuture<Void> future = waiting.computeIfAbsent(n, k -> new CompletableFuture<>());
    if (finished.get() >= n) {
      future.complete(null);
    }
    return future;
  }
}
