package com.socactions.platform;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Tells when a deadline has passed, as a future that completes then. Production uses {@link
 * #SYSTEM} (the wall clock); a test completes the future itself when its scenario says the time is
 * up, so no test waits for, or races against, real time.
 */
@FunctionalInterface
public interface DeadlineTimer {
  /** Completes {@code timeout} after the call, on the JDK's shared delay scheduler. */
  DeadlineTimer SYSTEM =
      timeout ->
          CompletableFuture.runAsync(
              () -> {}, CompletableFuture.delayedExecutor(timeout.toNanos(), TimeUnit.NANOSECONDS));

  /** A deadline that never passes: every wait lasts until what it waits for is done. */
  DeadlineTimer NEVER = timeout -> new CompletableFuture<Void>();

  /** A future that completes once {@code timeout} from now has passed; it never fails. */
  CompletableFuture<?> after(Duration timeout);
}
