package com.socactions.api;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import com.socactions.enrichment.ReferenceData;
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
    ReferenceData.Refresh refresh = services.enrichment().referenceData().refresh();
    refresh.done().forEach(line -> context.getLogger().info(line));
    refresh.problems().forEach(line -> context.getLogger().log(Level.WARNING, line));
  }
}
