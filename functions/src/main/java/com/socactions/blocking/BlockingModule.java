package com.socactions.blocking;

import com.google.common.base.Suppliers;
import com.socactions.blocking.PanOsEnforcementPoint.PanOsOptions;
import com.socactions.cmdb.CriticalAssets;
import com.socactions.decisions.DecisionLog;
import com.socactions.graph.GraphModule;
import com.socactions.graph.GraphNamedLocations;
import com.socactions.ledger.BlockLedger;
import com.socactions.platform.ApiBaseUrl;
import com.socactions.platform.AzureCredentials;
import com.socactions.platform.ConfigurationException;
import com.socactions.platform.Settings;
import com.socactions.platform.Sleeper;
import com.socactions.platform.TableLease;
import com.socactions.platform.TableStorage;
import com.socactions.platform.Ticker;
import com.socactions.platform.UpstreamBudgets;
import com.socactions.platform.UpstreamClients;
import com.socactions.platform.UpstreamPolicy;
import com.socactions.providers.Provider;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import okhttp3.HttpUrl;

/**
 * The block/allow capability, wired from the settings: its {@link Options}, its enforcement points
 * (registered as providers) with their upstream clients built by the kit, the ledger, the feeds and
 * the service. Everything is built on first use, and a malformed setting surfaces from the call
 * that needs it (and in health), never at start.
 */
public final class BlockingModule {
  /**
   * What the service and the ledger read from the settings, parsed once. Which points are in use
   * ({@value BlockProviders#SETTING}) and the feeds' secret are read when the module is built (they
   * cannot be malformed); the points' own settings ({@code DEFENDER_API_URL}, {@code PANOS_*}) on
   * their first use, so that one malformed point does not stop the others.
   *
   * @param ledger the ledger's options ({@value BlockLedger#RETENTION_SETTING} in days)
   * @param protectedIndicators {@value ProtectedIndicators#SETTING}: never blocked
   */
  public record Options(BlockLedger.Options ledger, ProtectedIndicators protectedIndicators) {
    /**
     * @throws ConfigurationException naming the setting that is malformed
     */
    public static Options from(Settings settings) {
      return new Options(ledgerOptions(settings), BlockingModule.protectedIndicators(settings));
    }
  }

  private final BlockProviders providers;
  private final Supplier<Options> options;
  private final List<EnforcementPoint> points;
  private final Supplier<BlockLedger> ledger;
  private final Supplier<BlockingService> service;
  private final DynamicListFeeds feeds;

  /**
   * @param criticalAssets what the guardrail asks the CMDB
   * @param graph Microsoft Graph, for the Conditional Access named location (provider {@code
   *     entra-named-location})
   * @param budgets the vendors' call limits shared by every instance (Defender's)
   * @param decisions where every decision is also written (Log Analytics)
   */
  public BlockingModule(
      Settings settings,
      UpstreamClients kit,
      AzureCredentials credentials,
      Supplier<TableStorage> storage,
      CriticalAssets criticalAssets,
      GraphModule graph,
      UpstreamBudgets budgets,
      DecisionLog decisions) {
    this.providers = BlockProviders.from(settings);
    Clock clock = kit.clock();
    this.options = Suppliers.memoize(() -> Options.from(settings));
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
            edl(settings),
            defender(
                settings,
                kit,
                credentials,
                UpstreamPolicy.Options.defaults(),
                DefenderSnapshot.DEFAULT_MAX_AGE,
                budgets),
            panOs(settings, kit, UpstreamPolicy.Options.defaults()),
            new EntraNamedLocationEnforcementPoint(
                settings.isSet(GraphNamedLocations.LOCATION_SETTING) && credentials.isConfigured(),
                () -> graph.options().namedLocationId(),
                graph::namedLocations,
                namedLocationLease,
                graph.provider()::readiness));
    this.ledger =
        Suppliers.memoize(() -> new BlockLedger(storage.get(), clock, options.get().ledger()));
    this.service =
        Suppliers.memoize(
            () ->
                new BlockingService(
                        points,
                        ledger,
                        () -> options.get().protectedIndicators(),
                        criticalAssets,
                        clock)
                    .decisionLog(decisions));
    this.feeds =
        new DynamicListFeeds(
            ledger,
            Suppliers.memoize(() -> storage.get().table(DynamicListFeeds.TABLE)),
            settings.get(DynamicListEnforcementPoint.FEED_TOKEN_SETTING),
            clock);
  }

  /** Provider {@code edl}: enabled when {@value BlockProviders#SETTING} lists it. */
  static DynamicListEnforcementPoint edl(Settings settings) {
    return new DynamicListEnforcementPoint(
        BlockProviders.from(settings).isEnabled(DynamicListEnforcementPoint.ID),
        settings.isSet(DynamicListEnforcementPoint.FEED_TOKEN_SETTING));
  }

  /**
   * Provider {@code defender}: enabled when {@value BlockProviders#SETTING} lists it; its client on
   * {@code DEFENDER_API_URL}, built by the kit on first use.
   */
  static DefenderEnforcementPoint defender(
      Settings settings,
      UpstreamClients kit,
      AzureCredentials credentials,
      UpstreamPolicy.Options policy,
      Duration snapshotMaxAge,
      UpstreamBudgets budgets) {
    return new DefenderEnforcementPoint(
        BlockProviders.from(settings).isEnabled(DefenderEnforcementPoint.ID),
        () ->
            DefenderIndicatorsClient.create(
                kit, defenderUrl(settings), credentials, policy, budgets),
        kit.clock(),
        snapshotMaxAge);
  }

  /**
   * Provider {@code panos}: configured by {@code PANOS_URL} and {@code PANOS_API_KEY}; its client
   * built by the kit on first use.
   */
  static PanOsEnforcementPoint panOs(
      Settings settings, UpstreamClients kit, UpstreamPolicy.Options policy) {
    return new PanOsEnforcementPoint(
        PanOsOptions.isConfigured(settings),
        () -> PanOsOptions.from(settings),
        panOs -> PanOsUserIdClient.create(kit, panOs.url(), panOs.apiKey(), policy),
        kit.clock(),
        PanOsEnforcementPoint.DEFAULT_READINESS_TIMEOUT);
  }

  /**
   * {@code DEFENDER_API_URL}, default the commercial API.
   *
   * @throws ConfigurationException naming the setting when it is not an https base URL
   */
  static HttpUrl defenderUrl(Settings settings) {
    return ApiBaseUrl.fromSetting(
        settings,
        DefenderIndicatorsClient.API_URL_SETTING,
        DefenderIndicatorsClient.DEFAULT_API_URL);
  }

  /**
   * {@value ProtectedIndicators#SETTING}; absent means nothing protected.
   *
   * @throws ConfigurationException naming the setting and the entry, when an entry is not an
   *     indicator
   */
  static ProtectedIndicators protectedIndicators(Settings settings) {
    return settings
        .get(ProtectedIndicators.SETTING)
        .map(ProtectedIndicators::parse)
        .orElse(ProtectedIndicators.NONE);
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

  /**
   * What the settings say, parsed on first use.
   *
   * @throws ConfigurationException naming a malformed setting
   */
  public Options options() {
    return options.get();
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
    return providers.defaultProvider();
  }

  /** edl, defender, panos, entra-named-location. */
  public List<Provider> providers() {
    return List.copyOf(points);
  }
}
