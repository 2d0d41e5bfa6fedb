package com.socactions.graph;

import com.socactions.platform.AzureCredentials;
import com.socactions.platform.ConfigurationException;
import com.socactions.platform.Ticker;
import com.socactions.platform.UpstreamException;
import com.socactions.providers.Capability;
import com.socactions.providers.Provider;
import com.socactions.providers.Readiness;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Microsoft Graph as health sees it (provider {@value #ID}): the identity response operations and
 * the {@code entra-named-location} block provider call it. Its capability set is empty, like {@code
 * sentinel}'s: identity response is no {@code ListProviders} capability, and the block provider is
 * listed under its own id.
 *
 * <p>Configured when the settings name an Azure identity ({@link AzureCredentials#isConfigured}).
 * Ready when a Graph token comes within {@link #READINESS_TOKEN_WAIT} and, when {@value
 * GraphNamedLocations#LOCATION_SETTING} is set, Graph holds that IP named location. The answer is
 * kept for {@link #DEFAULT_READINESS_TTL}, because the block provider reports the same check and
 * named-location calls are paced to one a second: health asks Graph once.
 */
public final class GraphProvider implements Provider {
  public static final String ID = "graph";

  /** How long {@link #readiness()} waits for a token: health answers in seconds. */
  static final Duration READINESS_TOKEN_WAIT = Duration.ofSeconds(3);

  /** How long one readiness answer is reused. */
  static final Duration DEFAULT_READINESS_TTL = Duration.ofSeconds(10);

  private final AzureCredentials credentials;
  private final Supplier<GraphClient> client;
  private final Supplier<Optional<String>> locationId;
  private final Supplier<GraphNamedLocations> locations;
  private final Ticker ticker;
  private Readiness last;
  private long lastAt;

  /**
   * Cheap: the suppliers read the settings and build on first use.
   *
   * @param locationId the named location's id ({@value GraphNamedLocations#LOCATION_SETTING}),
   *     empty when unset; throws {@link ConfigurationException} when malformed
   */
  public GraphProvider(
      AzureCredentials credentials,
      Supplier<GraphClient> client,
      Supplier<Optional<String>> locationId,
      Supplier<GraphNamedLocations> locations,
      Ticker ticker) {
    this.credentials = Objects.requireNonNull(credentials, "'credentials' cannot be null.");
    this.client = Objects.requireNonNull(client, "'client' cannot be null.");
    this.locationId = Objects.requireNonNull(locationId, "'locationId' cannot be null.");
    this.locations = Objects.requireNonNull(locations, "'locations' cannot be null.");
    this.ticker = Objects.requireNonNull(ticker, "'ticker' cannot be null.");
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String displayName() {
    return "Microsoft Graph (Entra ID)";
  }

  @Override
  public Set<Capability> capabilities() {
    return Set.of();
  }

  @Override
  public String description() {
    return "Disables, enables and revokes Entra ID accounts, confirms them compromised in Identity"
        + " Protection and writes the Conditional Access named location, with the app's"
        + " Azure identity; "
        + GraphClient.URL_SETTING
        + " for a sovereign cloud";
  }

  @Override
  public boolean isConfigured() {
    return credentials.isConfigured();
  }

  /** Never throws; concurrent callers share one check. */
  @Override
  public synchronized Readiness readiness() {
    if (last != null && ticker.read() - lastAt < DEFAULT_READINESS_TTL.toNanos()) {
      return last;
    }
    last = check();
    lastAt = ticker.read();
    return last;
  }

  private Readiness check() {
    if (!isConfigured()) {
      return Readiness.notConfigured(AzureCredentials.MISSING_IDENTITY);
    }
    GraphClient graph;
    Optional<String> locationId;
    try {
      graph = client.get();
      locationId = this.locationId.get();
    } catch (ConfigurationException e) {
      return Readiness.error(e.getMessage());
    }
    try {
      graph.checkToken(READINESS_TOKEN_WAIT);
    } catch (UpstreamException e) {
      // Slow is a passing state of the identity endpoint; a refusal needs someone to fix the
      // identity.
      return e.getCause() instanceof TimeoutException
          ? Readiness.degraded(e.getMessage())
          : Readiness.error("No Azure token for " + graph.base() + ": " + e.getMessage());
    }
    String tokens = "The app's Azure identity gets tokens for " + graph.base();
    if (locationId.isEmpty()) {
      return Readiness.ok(
          tokens + "; no named location (" + GraphNamedLocations.LOCATION_SETTING + " unset)");
    }
    try {
      return locations
          .get()
          .get(locationId.get())
          .map(
              found ->
                  Readiness.ok(
                      tokens
                          + "; named location '"
                          + found.displayName()
                          + "' holds "
                          + found.ipRanges().size()
                          + " of at most "
                          + GraphNamedLocations.DEFAULT_MAX_IP_RANGES
                          + " ranges"))
          .orElseGet(
              () ->
                  Readiness.error(
                      "Microsoft Graph holds no named location "
                          + locationId.get()
                          + ": set "
                          + GraphNamedLocations.LOCATION_SETTING
                          + " to the id of an IP named location"));
    } catch (ConfigurationException e) {
      return Readiness.error(e.getMessage());
    } catch (UpstreamException e) {
      return e.failure().isRefusedIdentity()
          ? Readiness.error(e.getMessage())
          : Readiness.degraded(
              tokens + ", but the named location could not be read: " + e.getMessage());
    } catch (RuntimeException e) {
      return Readiness.error("Microsoft Graph check failed: " + e.getClass().getSimpleName());
    }
  }
}
