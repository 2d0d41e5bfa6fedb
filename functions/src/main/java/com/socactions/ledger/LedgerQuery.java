package com.socactions.ledger;

import com.socactions.indicators.Indicators;
import com.socactions.indicators.ParseResult;
import java.util.EnumSet;
import java.util.Set;

/**
 * Filters of {@code ListIndicators}: every non-null filter must match. Values are compared exactly
 * (normalise an indicator first; its {@code value}).
 *
 * @param states the states to list; empty (or null) lists all
 * @param provider one provider id, or null for all
 * @param incidentId rows last touched for this incident, or null
 * @param value one normalised indicator value, or null
 * @param pageSize at most this many entries a page (1 to {@link BlockLedger#MAX_PAGE_SIZE})
 * @param continuationToken from the previous {@link LedgerPage}, or null for the first page
 */
public record LedgerQuery(
    Set<LedgerState> states,
    String provider,
    String incidentId,
    String value,
    int pageSize,
    String continuationToken) {
  public static final int DEFAULT_PAGE_SIZE = 100;

  public LedgerQuery {
    states = states == null || states.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(states));
    if (pageSize < 1 || pageSize > BlockLedger.MAX_PAGE_SIZE) {
      throw new IllegalArgumentException(
          "'pageSize' must be 1 to " + BlockLedger.MAX_PAGE_SIZE + ", not " + pageSize);
    }
  }

  /** Everything, newest first, {@value #DEFAULT_PAGE_SIZE} a page. */
  public static LedgerQuery all() {
    return new LedgerQuery(Set.of(), null, null, null, DEFAULT_PAGE_SIZE, null);
  }

  public LedgerQuery withStates(Set<LedgerState> states) {
    return new LedgerQuery(states, provider, incidentId, value, pageSize, continuationToken);
  }

  public LedgerQuery withProvider(String provider) {
    return new LedgerQuery(states, provider, incidentId, value, pageSize, continuationToken);
  }

  public LedgerQuery withIncidentId(String incidentId) {
    return new LedgerQuery(states, provider, incidentId, value, pageSize, continuationToken);
  }

  public LedgerQuery withValue(String value) {
    return new LedgerQuery(states, provider, incidentId, value, pageSize, continuationToken);
  }

  /**
   * Rows of one indicator as a caller sent it, looked up the way the ledger stores it: normalised
   * as a block normalises it, or as sent when it is no indicator (and then matches nothing).
   */
  public LedgerQuery withIndicator(String input) {
    return withValue(
        Indicators.parse(input) instanceof ParseResult.Parsed parsed
            ? parsed.indicator().value()
            : input);
  }

  public LedgerQuery withPage(int pageSize, String continuationToken) {
    return new LedgerQuery(states, provider, incidentId, value, pageSize, continuationToken);
  }
}
