package com.socactions.sentinel;

import com.google.common.base.Suppliers;
import com.socactions.platform.ApiBaseUrl;
import com.socactions.platform.AzureCredentials;
import com.socactions.platform.ConfigurationException;
import com.socactions.platform.Settings;
import com.socactions.platform.UpstreamClients;
import com.socactions.providers.Provider;
import java.util.List;
import java.util.function.Supplier;
import okhttp3.HttpUrl;

/**
 * The Sentinel REST API, wired from the settings: one {@link SentinelClient} per worker, built by
 * the kit on first use, and its health provider. Nothing is read before the first call.
 */
public final class SentinelModule {
  /**
   * What the module reads from the settings.
   *
   * @param managementUrl {@value SentinelClient#MANAGEMENT_URL_SETTING}, default {@value
   *     SentinelClient#DEFAULT_MANAGEMENT_URL} (another for a sovereign cloud)
   */
  public record Options(HttpUrl managementUrl) {
    /**
     * @throws ConfigurationException naming the setting when it is not an https base URL
     */
    public static Options from(Settings settings) {
      return new Options(
          ApiBaseUrl.fromSetting(
              settings,
              SentinelClient.MANAGEMENT_URL_SETTING,
              SentinelClient.DEFAULT_MANAGEMENT_URL));
    }
  }

  private final Supplier<SentinelClient> client;
  private final SentinelProvider provider;

  public SentinelModule(Settings settings, UpstreamClients kit, AzureCredentials credentials) {
    this.client =
        Suppliers.memoize(
            () -> SentinelClient.create(kit, Options.from(settings).managementUrl(), credentials));
    this.provider = new SentinelProvider(credentials, client);
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
