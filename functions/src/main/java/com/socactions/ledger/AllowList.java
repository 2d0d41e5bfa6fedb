package com.socactions.ledger;

import com.socactions.indicators.Indicator;

/**
 * Indicators an analyst has allowed (AllowIndicators), which no block may override. The ledger
 * implements it; implementations decide what "covers" means (an allowed network covers the
 * addresses in it) and must answer from memory or a cheap read, since it is asked per indicator.
 */
public interface AllowList {
  /** An allow list with no entries. */
  AllowList NONE = indicator -> false;

  boolean covers(Indicator indicator);
}
