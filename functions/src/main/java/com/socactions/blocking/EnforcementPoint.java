package com.socactions.blocking;

import com.socactions.indicators.IndicatorType;
import com.socactions.providers.Provider;
import java.util.List;
import java.util.Set;

/**
 * A place that enforces blocks and allows: Defender for Endpoint indicators, a PAN-OS firewall, the
 * built-in External Dynamic List, a Conditional Access named location. One implementation per
 * upstream; the blocking service decides what to send (guardrails, ledger, idempotency) and an
 * enforcement point only applies it.
 *
 * <p>Calls take whole batches, so an implementation can stay at its upstream's floor of calls
 * (Defender's import endpoint takes 500 indicators a call; PAN-OS one {@code uid-message} per
 * batch). They never throw for the failure of an item: each request gets exactly one {@link
 * EnforcementOutcome}, in request order. When nothing could be sent at all (throttled, down,
 * circuit open), every outcome is {@code FAILED} with the same {@code retryAfter}, and the service
 * turns that into a 429/503 for the whole call.
 */
public interface EnforcementPoint extends Provider {
  /** Indicator types it can enforce; the others answer {@code unsupported} without a call. */
  Set<IndicatorType> supportedTypes();

  /** Whether it can hold allow entries (Defender's {@code Allowed} action, the EDL allow lists). */
  boolean supportsAllow();

  /**
   * Blocks or allows each indicator until its {@code expiresAt}. An indicator already present with
   * the same action is {@code ALREADY_OURS} when it is the connector's, {@code NOT_OURS} when
   * someone else made it, and {@code CONFLICT} when someone else holds it with the other action; an
   * entry someone else made is never changed.
   */
  List<EnforcementOutcome> apply(List<EnforcementRequest> requests);

  /**
   * Whether the provider takes {@code request}'s entry away by itself at its {@code expiresAt} (it
   * was given that expiry), so that the expiry timer need not call {@link #remove}. False by
   * default.
   */
  default boolean lapsesOnItsOwn(EnforcementRequest request) {
    return false;
  }

  /**
   * Lifts what {@link #apply} put there ({@code providerRef} from the ledger when known); never
   * anything the connector did not create ({@code NOT_OURS}, left as it is).
   */
  List<EnforcementOutcome> remove(List<EnforcementRequest> requests);
}
