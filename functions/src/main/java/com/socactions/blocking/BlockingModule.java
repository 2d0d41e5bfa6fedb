package com.socactions.blocking;

import com.google.common.base.Suppliers;
import com.socactions.graph.GraphModule;
import com.socactions.platform.AzureCredentials;
import com.socactions.platform.Settings;
import com.socactions.platform.Sleeper;
import com.socactions.platform.TableLease;
import com.socactions.platform.TableStorage;
import com.socactions.platform.Ticker;
import com.socactions.platform.UpstreamBudgets;
import com.socactions.providers.Provider;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;
import okhttp3.OkHttpClient;

/**
 * The block/allow capability, wired from the settings: its enforcement points (registered as
 * providers), the ledger, the feeds and the service. Everything is built on first use, and a
 * malformed setting surfaces from the call that needs it (and in health), never at start.
 */
public final class BlockingModule {
  private final Settings settings;
  private final List<EnforcementPoint> points;
  private final Supplier<BlockLedger> ledger;
  private final Supplier<BlockingService> service;
  private final DynamicListFeeds feeds;

  /**
   * @param graph Microsoft Graph, for the Conditional Access named location (provider {@code
   *     entra-named-location})
   */
  public BlockingModule(
      Settings settings,
      Clock clock,
      OkHttpClient http,
      AzureCredentials credentials,
      Supplier<TableStorage> storage,
      CriticalAssets criticalAssets,
      GraphModule graph) {
    this.settings = settings;
    Supplier<TableLease> namedLocationLease =
        Suppliers.memoize(
            () ->
                new TableLease(
                    storage.get().table(EntraNamedLocationEnforcementPoint.LEASE_TABLE),
                    clock,
                    Ticker.SYSTEM,
                    Sleeper.SYSTEM));
    this.points =
        List.of(
            new DynamicListEnforcementPoint(settings),
            new DefenderEnforcementPoint(
                settings,
                credentials,
                http,
                clock,
                Sleeper.SYSTEM,
                new UpstreamBudgets(storage, clock, Sleeper.SYSTEM)),
            new PanOsEnforcementPoint(settings, clock),
            new EntraNamedLocationEnforcementPoint(
                settings, graph::namedLocations, namedLocationLease, graph.provider()::readiness));
    this.ledger = Suppliers.memoize(() -> new BlockLedger(storage.get(), clock));
    this.service =
        Suppliers.memoize(
            () ->
                new BlockingService(
                    points,
                    ledger,
                    Suppliers.memoize(() -> ProtectedIndicators.fromSettings(settings)),
                    criticalAssets,
                    clock));
    this.feeds = new DynamicListFeeds(ledger, settings, clock);
  }

  public BlockingService service() {
    return service.get();
  }

  public BlockLedger ledger() {
    return ledger.get();
  }

  public DynamicListFeeds feeds() {
    return feeds;
  }

  /**
   * The provider a call without {@code provider} uses ({@code BLOCK_DEFAULT_PROVIDER}, else {@code
   * edl}).
   */
  public String defaultProvider() {
    return BlockProviders.defaultProvider(settings);
  }

  /** edl, defender, panos, entra-named-location. */
  public List<Provider> providers() {
    return List.copyOf(points);
  }
}
