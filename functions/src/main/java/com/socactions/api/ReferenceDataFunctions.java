package com.socactions.api;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import com.socactions.enrichment.geoip.GeoIpDatabases;
import com.socactions.platform.ConfigurationException;
import java.util.List;
import java.util.logging.Level;

/**
 * Keeps reference data fresh without a restart: GeoIP files replaced by geoipupdate, the RDAP
 * bootstrap.
 */
public class ReferenceDataFunctions {
  private final AppServices services;

  public ReferenceDataFunctions(AppServices services) {
    this.services = services;
  }

  /** Daily at 03:17 UTC (an odd minute, to stay off the top-of-hour rush at IANA). */
  @FunctionName("RefreshReferenceData")
  public void refreshReferenceData(
      @TimerTrigger(name = "timer", schedule = "0 17 3 * * *") String timerInfo,
      ExecutionContext context) {
    try {
      GeoIpDatabases geoip = services.enrichment().geoip();
      boolean reloaded = geoip.reloadIfChanged();
      context
          .getLogger()
          .info("GeoIP databases " + (reloaded ? "reloaded from updated files" : "unchanged"));
      for (GeoIpDatabases.Slot slot : List.of(geoip.geo(), geoip.asn())) {
        slot.refreshProblem()
            .ifPresent(
                problem ->
                    context
                        .getLogger()
                        .log(
                            Level.WARNING,
                            "GeoIP "
                                + slot.role()
                                + " database: the file on disk could not be loaded; the loaded copy"
                                + " keeps serving: "
                                + problem));
      }
    } catch (ConfigurationException e) {
      context.getLogger().log(Level.WARNING, "GeoIP refresh skipped: " + e.getMessage());
    }
    try {
      services.enrichment().rdap().refreshBootstrap();
      context.getLogger().info("RDAP bootstrap refreshed");
    } catch (RuntimeException e) {
      // The old bootstrap stays in use; tomorrow's run tries again.
      context.getLogger().log(Level.WARNING, "RDAP bootstrap refresh failed: " + e.getMessage());
    }
  }
}
