package com.socactions.graph;

import com.google.common.base.Suppliers;
import com.socactions.platform.AzureCredentials;
import com.socactions.platform.ConfigurationException;
import com.socactions.platform.Settings;
import com.socactions.platform.Sleeper;
import com.socactions.platform.Ticker;
import com.socactions.platform.UpstreamBudgets;
import com.socactions.providers.Provider;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;

/**
 * Microsoft Graph, wired from the settings: one {@link GraphClient} per worker and one of each area
 * class on it, each built on first use. Nothing is read before the first call, and a failed build
 * (a malformed {@code GRAPH_URL}) is not remembered.
 */
public final class GraphModule {
  private final Supplier<GraphClient> client;
  private final Supplier<GraphUsers> users;
  private final Supplier<GraphDirectoryRoles> directoryRoles;
  private final Supplier<GraphIdentityProtection> identityProtection;
  private final Supplier<GraphNamedLocations> namedLocations;
  private final GraphProvider provider;

  public GraphModule(Settings settings, Clock clock, AzureCredentials credentials) {
    this(settings, clock, credentials, Sleeper.SYSTEM, Ticker.SYSTEM);
  }

  /**
   * As the other constructor, waiting with {@code sleeper} and timing with {@code ticker} (tests).
   */
  public GraphModule(
      Settings settings,
      Clock clock,
      AzureCredentials credentials,
      Sleeper sleeper,
      Ticker ticker) {
    this(settings, clock, credentials, sleeper, ticker, UpstreamBudgets.local(clock, sleeper));
  }

  /**
   * As the other constructors, the paced areas' turns (Identity Protection, Conditional Access)
   * booked in {@code budgets}: shared by every instance of the app when they live in storage.
   */
  public GraphModule(
      Settings settings,
      Clock clock,
      AzureCredentials credentials,
      Sleeper sleeper,
      Ticker ticker,
      UpstreamBudgets budgets) {
    this.client =
        Suppliers.memoize(
            () -> new GraphClient(settings, credentials, clock, sleeper, ticker, budgets));
    this.users = Suppliers.memoize(() -> new GraphUsers(client.get()));
    this.directoryRoles =
        Suppliers.memoize(
            () ->
                new GraphDirectoryRoles(
                    client.get(),
                    GraphDirectoryRoles.roleNames(settings),
                    GraphDirectoryRoles.DEFAULT_CACHE_TTL,
                    ticker));
    this.identityProtection = Suppliers.memoize(() -> new GraphIdentityProtection(client.get()));
    this.namedLocations = Suppliers.memoize(() -> new GraphNamedLocations(client.get()));
    this.provider = new GraphProvider(settings, client, namedLocations, ticker);
  }

  /**
   * The transport, built on first use.
   *
   * @throws ConfigurationException when {@code GRAPH_URL} is malformed
   */
  public GraphClient client() {
    return client.get();
  }

  /**
   * @throws ConfigurationException when {@code GRAPH_URL} is malformed
   */
  public GraphUsers users() {
    return users.get();
  }

  /**
   * @throws ConfigurationException when {@code GRAPH_URL} or {@code GRAPH_PRIVILEGED_ROLES} is
   *     malformed
   */
  public GraphDirectoryRoles directoryRoles() {
    return directoryRoles.get();
  }

  /**
   * @throws ConfigurationException when {@code GRAPH_URL} is malformed
   */
  public GraphIdentityProtection identityProtection() {
    return identityProtection.get();
  }

  /**
   * @throws ConfigurationException when {@code GRAPH_URL} is malformed
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
