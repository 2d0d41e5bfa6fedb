package com.socactions.taxii;

import com.socactions.ledger.BlockLedger;
import com.socactions.platform.Settings;
import com.socactions.providers.Provider;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The TAXII server, wired from the settings: on when {@value TaxiiAccess#USER_SETTING} and {@value
 * TaxiiAccess#PASSWORD_SETTING} are set; one collection per enforcement point. Building it touches
 * no storage: the ledger is asked for on the first page served.
 */
public final class TaxiiModule {
  private final TaxiiServer server;

  /**
   * @param ledger the block ledger, built on first use
   * @param enforcementPoints the providers that block indicators, one collection each
   */
  public TaxiiModule(
      Settings settings,
      Clock clock,
      Supplier<BlockLedger> ledger,
      List<? extends Provider> enforcementPoints) {
    Map<String, String> providers = new LinkedHashMap<>();
    enforcementPoints.forEach(point -> providers.put(point.id(), point.displayName()));
    this.server =
        new TaxiiServer(
            TaxiiAccess.fromSettings(settings), new TaxiiCollections(providers), ledger, clock);
  }

  public TaxiiServer server() {
    return server;
  }
}
