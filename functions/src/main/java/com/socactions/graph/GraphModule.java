package com.socactions.graph;

import com.google.common.base.Suppliers;
import com.socactions.platform.ApiBaseUrl;
import com.socactions.platform.AzureCredentials;
import com.socactions.platform.ConfigurationException;
import com.socactions.platform.Settings;
import com.socactions.platform.Ticker;
import com.socactions.platform.UpstreamBudgets;
import com.socactions.platform.UpstreamClients;
import com.socactions.providers.Provider;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import okhttp3.HttpUrl;

/**
 * Microsoft Graph, wired from the settings: its {@link Options}, one {@link GraphClient} per worker
 * built by the kit, and one of each area class on it, each built on first use. Nothing is read
 * before the first call, and a failed build (a malformed setting) is not remembered.
 */
public final class GraphModule {
  /**
   * What the module reads from the settings, parsed once.
   *
   * @param url {@value GraphClient#URL_SETTING}, default {@value GraphClient#DEFAULT_URL}
   * @param privilegedRoles {@value GraphDirectoryRoles#ROLES_SETTING}: directory role display names
   *     that count as privileged; {@link GraphDirectoryRoles#DEFAULT_ROLES} when unset
   * @param namedLocationId {@value GraphNamedLocations#LOCATION_SETTING}: the IP named location a
   *     Conditional Access policy blocks; empty when unset
   */
  public record Options(
      HttpUrl url, List<String> privilegedRoles, Optional<String> namedLocationId) {
    /**
     * @throws ConfigurationException naming the setting that is malformed
     */
    public static Options from(Settings settings) {
      return new Options(
          ApiBaseUrl.fromSetting(settings, GraphClient.URL_SETTING, GraphClient.DEFAULT_URL),
          roleNames(settings),
          locationId(settings));
    }

    private static List<String> roleNames(Settings settings) {
      String setting = GraphDirectoryRoles.ROLES_SETTING;
      return settings
          .get(setting)
          .map(
              value -> {
                List<String> names =
                    Arrays.stream(value.split(","))
                        .map(String::strip)
                        .filter(name -> !name.isEmpty())
                        .toList();
                if (names.isEmpty()) {
                  throw new ConfigurationException(
                      setting,
                      "Setting "
                          + setting
                          + " must list directory role names separated by commas, e.g. Global"
                          + " Administrator,Security Administrator");
                }
                return names;
              })
          .orElse(GraphDirectoryRoles.DEFAULT_ROLES);
    }

    private static Optional<String> locationId(Settings settings) {
      String setting = GraphNamedLocations.LOCATION_SETTING;
      Optional<String> id = settings.get(setting);
      if (id.isPresent() && !GraphPaths.isGuid(id.get())) {
        throw new ConfigurationException(
            setting,
            "Setting "
                + setting
                + " must be the id (a GUID) of an IP named location, not '"
                + id.get()
                + "'");
      }
      return id;
    }
  }

  private final Supplier<Options> options;
  private final Supplier<GraphClient> client;
  private final Supplier<GraphUsers> users;
  private final Supplier<GraphDirectoryRoles> directoryRoles;
  private final Supplier<GraphIdentityProtection> identityProtection;
  private final Supplier<GraphNamedLocations> namedLocations;
  private final GraphProvider provider;

  /**
   * @param ticker times the caches (directory roles, readiness)
   * @param budgets where the paced areas' turns (Identity Protection, Conditional Access) are
   *     booked: shared by every instance of the app when they live in storage
   */
  public GraphModule(
      Settings settings,
      UpstreamClients kit,
      AzureCredentials credentials,
      Ticker ticker,
      UpstreamBudgets budgets) {
    this.options = Suppliers.memoize(() -> Options.from(settings));
    this.client =
        Suppliers.memoize(() -> GraphClient.create(kit, options.get().url(), credentials, budgets));
    this.users = Suppliers.memoize(() -> new GraphUsers(client.get()));
    this.directoryRoles =
        Suppliers.memoize(
            () ->
                new GraphDirectoryRoles(
                    client.get(),
                    options.get().privilegedRoles(),
                    GraphDirectoryRoles.DEFAULT_CACHE_TTL,
                    ticker));
    this.identityProtection = Suppliers.memoize(() -> new GraphIdentityProtection(client.get()));
    this.namedLocations = Suppliers.memoize(() -> new GraphNamedLocations(client.get()));
    this.provider =
        new GraphProvider(
            credentials, client, () -> options.get().namedLocationId(), namedLocations, ticker);
  }

  /**
   * What the settings say, parsed on first use.
   *
   * @throws ConfigurationException naming a malformed setting
   */
  public Options options() {
    return options.get();
  }

  /**
   * The transport, built on first use.
   *
   * @throws ConfigurationException when a Graph setting is malformed
   */
  public GraphClient client() {
    return client.get();
  }

  /**
   * @throws ConfigurationException when a Graph setting is malformed
   */
  public GraphUsers users() {
    return users.get();
  }

  /**
   * @throws ConfigurationException when a Graph setting is malformed
   */
  public GraphDirectoryRoles directoryRoles() {
    return directoryRoles.get();
  }

  /**
   * @throws ConfigurationException when a Graph setting is malformed
   */
  public GraphIdentityProtection identityProtection() {
    return identityProtection.get();
  }

  /**
   * @throws ConfigurationException when a Graph setting is malformed
   */
  public GraphNamedLocations namedLocations() {
    return namedLocations.get();
  }

  /** Graph's readiness (token, the named location found), shared by the providers that call it. */
  public GraphProvider provider() {
    return provider;
  }

  /** {@code graph}. */
  public List<Provider> providers() {
    return List.of(provider);
  }
}
