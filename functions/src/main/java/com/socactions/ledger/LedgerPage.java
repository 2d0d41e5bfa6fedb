package com.socactions.ledger;

import java.util.List;

/**
 * One page of {@link BlockLedger#list}: newest first.
 *
 * @param continuationToken opaque; pass it back in {@link LedgerQuery#withPage} for the next page;
 *     null on the last page
 */
public record LedgerPage(List<LedgerEntry> entries, String continuationToken) {
  public LedgerPage {
    entries = List.copyOf(entries);
  }
}
