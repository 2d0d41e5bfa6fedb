package com.socactions.cmdb;

import com.socactions.platform.Settings;
import com.socactions.platform.Sleeper;
import com.socactions.providers.Provider;
import java.time.Clock;
import java.util.List;

/**
 * The CMDB capability, wired from the settings: the built-in CSV CMDB ({@code builtin}) and
 * ServiceNow ({@code servicenow}), each behind its per-key cache, and the service. Nothing is read
 * before the first lookup.
 */
public final class CmdbModule {
  /** The provider a call without {@code provider} uses. */
  public static final String DEFAULT_PROVIDER_SETTING = "CMDB_DEFAULT_PROVIDER";

  private final List<CmdbProvider> providers;
  private final CmdbService service;

  public CmdbModule(Settings settings, Clock clock) {
    this.providers =
        List.of(
            cached(new CsvCmdb(settings, clock), clock),
            cached(new ServiceNowCmdb(settings, clock, Sleeper.SYSTEM), clock));
    this.service = new CmdbService(providers, settings.get(DEFAULT_PROVIDER_SETTING, CsvCmdb.ID));
  }

  private static CmdbProvider cached(CmdbProvider provider, Clock clock) {
    return new CachingCmdb(provider, CachingCmdb.DEFAULT_TTL, CachingCmdb.DEFAULT_MAX_KEYS, clock);
  }

  public CmdbService service() {
    return service;
  }

  /** What the block guardrail asks: assets the CMDB marks critical or high-value. */
  public CriticalAssets criticalAssets() {
    return service.criticalAssets();
  }

  public List<Provider> providers() {
    return List.copyOf(providers);
  }
}
