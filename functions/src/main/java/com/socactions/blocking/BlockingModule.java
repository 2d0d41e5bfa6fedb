package com.socactions.blocking;

import com.google.common.base.Suppliers;
import com.socactions.cmdb.CriticalAssets;
import com.socactions.decisions.DecisionLog;
import com.socactions.graph.GraphModule;
import com.socactions.ledger.BlockLedger;
import com.socactions.platform.AzureCredentials;
import com.socactions.platform.ConfigurationException;
import com.socactions.platform.Settings;
import com.socactions.platform.Sleeper;
import com.socactions.platform.TableLease;
import com.socactions.platform.TableStorage;
import com.socactions.platform.Ticker;
import com.socactions.platform.UpstreamBudgets;
import com.socactions.providers.Provider;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
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
   * @param decisions where every decision is also written (Log Analytics)
   */
  public BlockingModule(
      Settings settings,
      Clock clock,
      OkHttpClient http,
      AzureCredentials credentials,
      Supplier<TableStorage> storage,
      CriticalAssets criticalAssets,
      GraphModule graph,
      DecisionLog decisions) {
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
    this.ledger =
        Suppliers.memoize(() -> new BlockLedger(storage.get(), clock, ledgerOptions(settings)));
    this.service =
        Suppliers.memoize(
            () ->
                new BlockingService(
                        points,
                        ledger,
                        Suppliers.memoize(() -> ProtectedIndicators.fromSettings(settings)),
                        criticalAssets,
                        clock)
                    .decisionLog(decisions));
    this.feeds =
        new DynamicListFeeds(
            ledger,
            Suppliers.memoize(() -> storage.get().table(DynamicListFeeds.TABLE)),
            settings,
            clock);
  }

  /**
   * The ledger's options from the settings: {@value BlockLedger#RETENTION_SETTING} (days, default
   * 365).
   *
   * @throws ConfigurationException naming the setting when it is not a whole number of days
   */
  static BlockLedger.Options ledgerOptions(Settings settings) {
    BlockLedger.Options options = BlockLedger.Options.defaults();
    Optional<String> days = settings.get(BlockLedger.RETENTION_SETTING);
    if (days.isEmpty()) {
      return options;
    }
    try {
      int value = Integer.parseInt(days.get().strip());
      if (value < 1) {
        throw new NumberFormatException("not positive");
      }
      return options.retention(Duration.ofDays(value));
    } catch (NumberFormatException e) {
      throw new ConfigurationException(
          BlockLedger.RETENTION_SETTING,
          "Setting "
              + BlockLedger.RETENTION_SETTING
              + " must be a whole number of days (1 or more), not '"
              + days.get()
              + "'");
    }
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
