package com.socactions.platform;

import java.time.Duration;

/**
 * Permission to call one operation of an upstream under the limit its vendor publishes (Defender's
 * 30 imports a minute, Graph's one Conditional Access request a second). Every attempt of a call
 * takes one permit, right before it is sent.
 *
 * <p>Failure mode: when the next permit is further away than the caller may wait, {@link #acquire}
 * throws an {@link UpstreamException} of kind {@link UpstreamFailure#THROTTLED} with a {@code
 * Retry-After} saying when a permit will be free, so the caller answers its items {@code failed}
 * with that hint instead of dropping them or waiting past its own deadline.
 */
public interface CallBudget {
  /** No limit: every call may start at once (upstreams that publish none). */
  CallBudget UNLIMITED =
      new CallBudget() {
        @Override
        public void acquire(Duration maxWait) {}

        @Override
        public void throttled(Duration wait) {}
      };

  /**
   * Waits until one call may start and books it; the call must start as soon as this returns.
   *
   * @param maxWait the longest this caller waits for its turn
   * @throws UpstreamException {@link UpstreamFailure#THROTTLED} with {@code Retry-After} when the
   *     turn is further away
   */
  void acquire(Duration maxWait);

  /**
   * Books up to {@code calls} calls whose turns come within {@code within}, in one go, for a caller
   * that knows how many it is about to make: the following {@link #acquire}s of this process use
   * them. Booking costs one write however many calls it books; a turn not used when it comes is
   * lost. Never throws: what it could not book, {@link #acquire} books (or refuses) call by call.
   */
  default void reserve(int calls, Duration within) {}

  /**
   * The upstream answered 429: no call starts before {@code wait} has passed, in this process or
   * (for a shared budget) in any other instance.
   */
  void throttled(Duration wait);
}
