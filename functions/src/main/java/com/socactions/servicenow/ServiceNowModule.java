package com.socactions.servicenow;

import com.google.common.base.Suppliers;
import com.socactions.platform.ConfigurationException;
import com.socactions.platform.Settings;
import com.socactions.platform.UpstreamClients;
import com.socactions.platform.UpstreamPolicy;
import java.util.function.Supplier;

/**
 * The ServiceNow instance, wired once for the capabilities that call it (the CMDB and ticket sync):
 * its {@link ServiceNowSettings}, parsed once, and one {@link ServiceNowTableClient} built by the
 * kit on first use. So one instance has one sign-in, one OAuth token cache and one circuit breaker,
 * whichever capability calls it. Nothing is read before the first call; a failed build (a malformed
 * setting) is not remembered.
 */
public final class ServiceNowModule {
  private final boolean configured;
  private final Supplier<ServiceNowSettings> settings;
  private final Supplier<ServiceNowTableClient> client;

  public ServiceNowModule(Settings settings, UpstreamClients kit) {
    this(settings, kit, UpstreamPolicy.Options.defaults());
  }

  /** With other policy knobs (tests: fewer attempts, a small breaker). */
  public ServiceNowModule(Settings settings, UpstreamClients kit, UpstreamPolicy.Options policy) {
    this.configured = ServiceNowSettings.isConfigured(settings);
    this.settings = Suppliers.memoize(() -> ServiceNowSettings.from(settings));
    this.client =
        Suppliers.memoize(
            () ->
                ServiceNowTableClient.create(
                    kit, this.settings.get(), policy, ServiceNowTableClient.DEFAULT_PAGE_SIZE));
  }

  /** Whether the instance and a sign-in are set, i.e. the {@code servicenow} providers exist. */
  public boolean isConfigured() {
    return configured;
  }

  /**
   * The instance and its sign-in.
   *
   * @throws ConfigurationException naming the setting that is missing, malformed or in conflict
   */
  public ServiceNowSettings settings() {
    return settings.get();
  }

  /**
   * The Table API client every capability shares.
   *
   * @throws ConfigurationException naming the setting to fix
   */
  public ServiceNowTableClient client() {
    return client.get();
  }
}
