package com.socactions.sentinel;

import com.google.common.base.Suppliers;
import com.socactions.platform.AzureCredentials;
import com.socactions.platform.ConfigurationException;
import com.socactions.platform.Settings;
import com.socactions.providers.Provider;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;

/**
 * The Sentinel REST API, wired from the settings: one {@link SentinelClient} per worker, built on
 * first use, and its health provider. Nothing is read before the first call.
 */
public final class SentinelModule {
  private final Supplier<SentinelClient> client;
  private final SentinelProvider provider;

  public SentinelModule(Settings settings, Clock clock, AzureCredentials credentials) {
    this.client = Suppliers.memoize(() -> new SentinelClient(settings, credentials, clock));
    this.provider = new SentinelProvider(settings, client);
  }

  /**
   * The client, built on first use.
   *
   * @throws ConfigurationException when {@code SENTINEL_MANAGEMENT_URL} is malformed (on every call
   *     until it is fixed: a failed build is not remembered)
   */
  public SentinelClient client() {
    return client.get();
  }

  public List<Provider> providers() {
    return List.of(provider);
  }
}
