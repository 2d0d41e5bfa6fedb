package com.socactions.blocking;

import com.socactions.indicators.Indicator;
import com.socactions.platform.UpstreamException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * {@link BlockLedger#allowList()}: a snapshot of the active allow entries, reloaded when older than
 * its maximum age or after this process wrote an allow, so guardrail checks of a thousand
 * indicators cost one storage query, not a thousand.
 */
final class LedgerAllowList implements AllowList {
  private final BlockLedger ledger;
  private final Clock clock;
  private final Duration maxAge;
  private List<Indicator> entries;
  private Instant loadedAt;

  LedgerAllowList(BlockLedger ledger, Clock clock, Duration maxAge) {
    this.ledger = ledger;
    this.clock = clock;
    this.maxAge = maxAge;
  }

  /**
   * {@inheritDoc}
   *
   * @throws UpstreamException when the snapshot is due and storage fails
   */
  @Override
  public boolean covers(Indicator indicator) {
    return current().stream().anyMatch(entry -> ProtectedIndicators.protects(entry, indicator));
  }

  synchronized void invalidate() {
    entries = null;
  }

  private synchronized List<Indicator> current() {
    Instant now = clock.instant();
    if (entries == null || !loadedAt.plus(maxAge).isAfter(now)) {
      entries = ledger.activeAllows();
      loadedAt = now;
    }
    return entries;
  }
}
