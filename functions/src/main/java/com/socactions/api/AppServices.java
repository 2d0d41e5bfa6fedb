package com.socactions.api;

import com.socactions.enrichment.EnrichmentService;
import com.socactions.enrichment.geoip.GeoIpDatabases;
import com.socactions.enrichment.rdap.RdapClient;
import com.socactions.health.HealthService;
import com.socactions.health.ProviderCatalog;
import com.socactions.platform.HttpClients;
import com.socactions.platform.Settings;
import com.socactions.platform.TableStorage;
import com.google.common.base.Suppliers;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * The composition root: reads the settings once and builds every service and upstream client of
 * the worker process, lazily on first use (the Functions worker creates function classes with
 * no-argument constructors, so this is where they get their services).
 */
public final class AppServices {
  private static volatile AppServices instance;

  private final Settings settings;
  private final GeoIpDatabases geoip;
  private final Supplier<RdapClient> rdap;
  private final EnrichmentService enrichment;
  private final ProviderCatalog providers;
  private final HealthService health;

  AppServices(Settings settings, Clock clock) {
    this.settings = settings;
    this.geoip = new GeoIpDatabases(settings, clock);
    // The RDAP client (OkHttp, thread pool, Resilience4j) and the Azure Tables client take about
    // 0.4 and 0.5 s to build; a cold instance's first call builds only what it uses.
    this.rdap = Suppliers.memoize(() -> new RdapClient(settings, HttpClients.shared(), clock));
    Supplier<TableStorage> storage = Suppliers.memoize(() -> new TableStorage(settings));
    this.enrichment = new EnrichmentService(geoip, rdap, clock,
        settings.getDuration("ENRICH_WHOIS_BUDGET", EnrichmentService.DEFAULT_WHOIS_BUDGET));
    this.providers = new ProviderCatalog(geoip);
    this.health = new HealthService(storage, geoip, rdap, providers, clock);
  }

  /** The services of this process, built from the current settings on first call. */
  public static AppServices get() {
    AppServices current = instance;
    if (current == null) {
      synchronized (AppServices.class) {
        current = instance;
        if (current == null) {
          current = new AppServices(Settings.fromProcess(), Clock.systemUTC());
          instance = current;
        }
      }
    }
    return current;
  }

  /**
   * Drops the services so the next {@link #get()} rebuilds them from the settings as they are
   * then. For tests and the local host, which change settings inside one process.
   */
  public static synchronized void reset() {
    instance = null;
  }

  public Settings settings() {
    return settings;
  }

  public GeoIpDatabases geoip() {
    return geoip;
  }

  public RdapClient rdap() {
    return rdap.get();
  }

  public EnrichmentService enrichment() {
    return enrichment;
  }

  public ProviderCatalog providers() {
    return providers;
  }

  public HealthService health() {
    return health;
  }
}
