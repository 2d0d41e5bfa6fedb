package com.socactions.platform;

import java.time.Duration;

/**
 * An {@link UpstreamPolicy}'s circuit is open: the upstream failed often enough lately that calls
 * are not sent until {@link #retryAfter()} has passed. Of kind {@link UpstreamFailure#UNAVAILABLE},
 * as the upstream's own unavailability would be, so callers and the problem mapping treat it alike;
 * the type tells it apart from a 503 the upstream sent.
 */
public final class CircuitOpenException extends UpstreamException {
  CircuitOpenException(String upstream, Duration untilHalfOpen) {
    super(
        upstream,
        UpstreamFailure.UNAVAILABLE,
        upstream + " is failing; its circuit is open for now",
        untilHalfOpen,
        null);
  }
}
