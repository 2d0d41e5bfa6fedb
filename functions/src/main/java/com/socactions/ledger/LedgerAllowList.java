package com.socactions.ledger;

import com.socactions.indicators.Coverage;
import com.socactions.platform.UpstreamException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * {@link BlockLedger#allowList()}: the active allow entries, kept in memory and read again only
 * when the allow list's version row says they changed (every instance writes that row when it
 * changes an allow), so a guardrail check of a thousand indicators costs one point read, and an
 * allow written by another instance takes effect on the next call.
 */
final class LedgerAllowList {
  private final LedgerIndexes indexes;
  private final Clock clock;
  private volatile Snapshot snapshot;

  private record Snapshot(String version, List<LedgerIndexes.Allowed> entries, Instant readAt) {}

  LedgerAllowList(LedgerIndexes indexes, Clock clock) {
    this.indexes = indexes;
    this.clock = clock;
  }

  /**
   * The allow list as it is now: one point read of the version row, and a read of the allow index
   * when it changed.
   *
   * @throws UpstreamException when storage fails
   */
  AllowList current() {
    String version = indexes.version(LedgerIndexes.ALLOW_VERSION);
    Snapshot held = snapshot;
    if (held == null || !Objects.equals(held.version(), version)) {
      Instant now = clock.instant();
      held = new Snapshot(version, indexes.allows(now), now);
      snapshot = held;
    }
    List<LedgerIndexes.Allowed> entries = held.entries();
    // Entries read earlier may have lapsed since: each is checked against the clock.
    return indicator -> {
      Instant now = clock.instant();
      return entries.stream()
          .filter(entry -> entry.expiresAt() == null || entry.expiresAt().isAfter(now))
          .anyMatch(entry -> Coverage.covers(entry.indicator(), indicator));
    };
  }
}
