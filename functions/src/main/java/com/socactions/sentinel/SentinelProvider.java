package com.socactions.sentinel;

import com.socactions.platform.AzureCredentials;
import com.socactions.platform.ConfigurationException;
import com.socactions.platform.UpstreamException;
import com.socactions.providers.Capability;
import com.socactions.providers.Provider;
import com.socactions.providers.Readiness;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The Sentinel REST API as health sees it (provider {@code sentinel}). It serves no playbook
 * capability of its own (ticket sync, identity response and content call the client), so its
 * capability set is empty and {@code ListProviders?capability=} never lists it.
 *
 * <p>Configured when the settings name an Azure identity ({@link AzureCredentials#isConfigured}):
 * always in Azure once the app has a managed identity; locally when the token endpoint or service
 * principal settings are present. Ready when a token for the management API comes: health knows no
 * workspace to call, since incident ids arrive with each call.
 */
public final class SentinelProvider implements Provider {
  public static final String ID = "sentinel";

  /** How long {@link #readiness()} waits for a token: health answers in seconds. */
  static final Duration READINESS_TOKEN_WAIT = Duration.ofSeconds(3);

  private final AzureCredentials credentials;
  private final Supplier<SentinelClient> client;

  /** Cheap: {@code client} is built on first use. */
  public SentinelProvider(AzureCredentials credentials, Supplier<SentinelClient> client) {
    this.credentials = Objects.requireNonNull(credentials, "'credentials' cannot be null.");
    this.client = Objects.requireNonNull(client, "'client' cannot be null.");
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String displayName() {
    return "Microsoft Sentinel incidents";
  }

  @Override
  public Set<Capability> capabilities() {
    return Set.of();
  }

  @Override
  public String description() {
    return "Reads and updates Sentinel incidents, their comments and entities with the app's Azure"
        + " identity (Microsoft Sentinel Responder on the workspace); "
        + SentinelClient.MANAGEMENT_URL_SETTING
        + " for a sovereign cloud";
  }

  @Override
  public boolean isConfigured() {
    return credentials.isConfigured();
  }

  @Override
  public Readiness readiness() {
    if (!isConfigured()) {
      return Readiness.notConfigured(AzureCredentials.MISSING_IDENTITY);
    }
    SentinelClient sentinel;
    try {
      sentinel = client.get();
    } catch (ConfigurationException e) {
      return Readiness.error(e.getMessage());
    }
    try {
      sentinel.checkToken(READINESS_TOKEN_WAIT);
    } catch (UpstreamException e) {
      // Slow is a passing state of the identity endpoint; a refusal needs someone to fix the
      // identity.
      return e.getCause() instanceof TimeoutException
          ? Readiness.degraded(e.getMessage())
          : Readiness.error("No Azure token for " + sentinel.base() + ": " + e.getMessage());
    }
    if (sentinel.policy().circuitState() == CircuitBreaker.State.OPEN) {
      return Readiness.degraded(
          "The app's Azure identity gets tokens for "
              + sentinel.base()
              + ", but recent Sentinel calls failed and its circuit is open");
    }
    return Readiness.ok("The app's Azure identity gets tokens for " + sentinel.base());
  }
}
