package com.socactions.ledger;

import com.socactions.indicators.Indicator;
import java.time.Instant;

/**
 * One indicator a caller wants blocked or allowed on one provider, as the {@link BlockLedger}
 * records it.
 *
 * @param provider the provider id ({@code edl}, {@code defender}, ...)
 * @param indicator normalised ({@link Indicator#value()} is the ledger's key)
 * @param action block or allow
 * @param expiresAt when it should lapse
 * @param provenance who asked and why
 */
public record LedgerRequest(
    String provider, Indicator indicator, Action action, Instant expiresAt, Provenance provenance) {
  public LedgerRequest {
    if (provider == null
        || indicator == null
        || action == null
        || expiresAt == null
        || provenance == null) {
      throw new IllegalArgumentException(
          "'provider', 'indicator', 'action', 'expiresAt' and 'provenance' cannot be null.");
    }
    LedgerKeys.listKey(provider, indicator.type());
  }
}
