package com.socactions.blocking;

import com.socactions.indicators.Indicator;
import java.time.Duration;

/**
 * What an enforcement point did with one request.
 *
 * @param providerRef the upstream's id for the entry (Defender's indicator id), when it has one
 * @param detail why it failed or was unsupported, as a sentence for the analyst; null otherwise
 * @param retryAfter for {@code FAILED}: how long the upstream asked to wait, when a retry can help
 * @param heldBy for {@code NOT_OURS} and {@code CONFLICT}: who made the provider's entry, when the
 *     provider says
 */
public record EnforcementOutcome(
    Indicator indicator,
    Status status,
    String providerRef,
    String detail,
    Duration retryAfter,
    String heldBy) {

  public EnforcementOutcome(
      Indicator indicator, Status status, String providerRef, String detail, Duration retryAfter) {
    this(indicator, status, providerRef, detail, retryAfter, null);
  }

  public enum Status {
    /** Now enforced (apply) or lifted (remove); what apply put there is the connector's. */
    DONE,
    /**
     * apply: the provider holds the connector's own entry with the same action already (under its
     * tag, with its marker, or an extension that needed no call or that was carried).
     */
    ALREADY_OURS,
    /**
     * The provider holds an entry with the same action that the connector did not create (apply),
     * or only such an entry (remove): left exactly as it is. {@code heldBy} says whose.
     */
    NOT_OURS,
    /**
     * apply: the provider holds an entry with the other action (an allow where a block was asked)
     * that the connector did not create: left as it is, nothing applied.
     */
    CONFLICT,
    /** remove: it was not there. */
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

  public static EnforcementOutcome alreadyOurs(Indicator indicator, String providerRef) {
    return new EnforcementOutcome(indicator, Status.ALREADY_OURS, providerRef, null, null);
  }

  /** Someone else's entry, left as it is. */
  public static EnforcementOutcome notOurs(
      Indicator indicator, String providerRef, String heldBy, String detail) {
    return new EnforcementOutcome(indicator, Status.NOT_OURS, providerRef, detail, null, heldBy);
  }

  public static EnforcementOutcome unsupported(Indicator indicator, String detail) {
    return new EnforcementOutcome(indicator, Status.UNSUPPORTED, null, detail, null);
  }
}
