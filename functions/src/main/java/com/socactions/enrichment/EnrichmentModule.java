package com.socactions.enrichment;

import com.google.common.base.Suppliers;
import com.socactions.enrichment.geoip.GeoIpDatabases;
import com.socactions.enrichment.rdap.RdapClient;
import com.socactions.enrichment.rdap.RdapOptions;
import com.socactions.platform.Settings;
import com.socactions.platform.Ticker;
import com.socactions.platform.UpstreamBudgets;
import com.socactions.platform.UpstreamClients;
import com.socactions.providers.Provider;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;

/**
 * The enrichment capability, wired from the settings: its service, its reference data and its
 * providers. Everything is built on first use: a cold instance's first geo-only call does not pay
 * for the RDAP client (thread pool, Resilience4j: about 0.4 s), and a malformed setting surfaces as
 * a {@link com.socactions.platform.ConfigurationException} from the call that needs it (and in
 * health), never while the app starts.
 */
public final class EnrichmentModule {
  public static final String WHOIS_BUDGET_SETTING = "ENRICH_WHOIS_BUDGET";

  private final Supplier<GeoIpDatabases> geoip;
  private final Supplier<RdapClient> rdap;
  private final Supplier<EnrichmentService> service;
  private final List<Provider> providers;

  /**
   * @param kit builds the RDAP client's HTTP clients
   * @param budgets where each RDAP server's call budget lives (shared by every instance of the app
   *     when in storage)
   */
  public EnrichmentModule(Settings settings, UpstreamClients kit, UpstreamBudgets budgets) {
    Clock clock = kit.clock();
    this.geoip =
        Suppliers.memoize(() -> new GeoIpDatabases(GeoIpDatabases.Options.from(settings), clock));
    this.rdap =
        Suppliers.memoize(
            () -> new RdapClient(RdapOptions.fromSettings(settings), kit, Ticker.SYSTEM, budgets));
    this.service =
        Suppliers.memoize(
            () ->
                new EnrichmentService(
                    geoip.get(),
                    rdap,
                    clock,
                    settings.getDuration(
                        WHOIS_BUDGET_SETTING, EnrichmentService.DEFAULT_WHOIS_BUDGET)));
    this.providers =
        List.of(
            GeoIpProvider.location(geoip),
            GeoIpProvider.autonomousSystems(geoip),
            new RdapProvider(rdap));
  }

  public EnrichmentService service() {
    return service.get();
  }

  public GeoIpDatabases geoip() {
    return geoip.get();
  }

  public RdapClient rdap() {
    return rdap.get();
  }

  /** The refresh of the GeoIP files and the RDAP bootstrap, which the daily timer runs. */
  public ReferenceData referenceData() {
    return new ReferenceData(geoip, rdap);
  }

  /** geoip, asn, rdap. */
  public List<Provider> providers() {
    return providers;
  }
}
