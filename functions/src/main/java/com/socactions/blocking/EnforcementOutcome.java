package com.socactions.blocking;

import com.socactions.indicators.Indicator;
import java.time.Duration;

/**
 * What an enforcement point did with one request.
 *
 * @param providerRef the upstream's id for the entry (Defender's indicator id), when it has one
 * @param detail why it failed or was unsupported, as a sentence for the analyst; null otherwise
 * @param retryAfter for {@code FAILED}: how long the upstream asked to wait, when a retry can help
 */
public record EnforcementOutcome(
    Indicator indicator, Status status, String providerRef, String detail, Duration retryAfter) {

  public enum Status {
    /** Now enforced (apply) or lifted (remove). */
    DONE,
    /** apply: already there with the same action; remove: was not there. */
    ALREADY_PRESENT,
    NOT_FOUND,
    /** This enforcement point cannot take this indicator type. */
    UNSUPPORTED,
    /** The upstream refused it or failed after retries. */
    FAILED
  }

  public static EnforcementOutcome done(Indicator indicator, String providerRef) {
    return new EnforcementOutcome(indicator, Status.DONE, providerRef, null, null);
  }

  public static EnforcementOutcome failed(Indicator indicator, String detail, Duration retryAfter) {
    return new EnforcementOutcome(indicator, Status.FAILED, null, detail, retryAfter);
  }

  public static EnforcementOutcome unsupported(Indicator indicator, String detail) {
    return new EnforcementOutcome(indicator, Status.UNSUPPORTED, null, detail, null);
  }
}
