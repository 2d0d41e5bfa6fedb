package com.socactions.testing;

import com.socactions.cmdb.CmdbModule;
import com.socactions.cmdb.ServiceNowCmdb;
import com.socactions.graph.GraphClient;
import com.socactions.graph.GraphModule;
import com.socactions.platform.AzureCredentials;
import com.socactions.platform.HttpClients;
import com.socactions.platform.Settings;
import com.socactions.platform.Sleeper;
import com.socactions.platform.TableStorage;
import com.socactions.platform.UpstreamBudgets;
import com.socactions.platform.UpstreamClients;
import com.socactions.sentinel.SentinelClient;
import com.socactions.sentinel.SentinelModule;
import com.socactions.servicenow.ServiceNowModule;
import java.time.Clock;
import okhttp3.OkHttpClient;

/**
 * The upstream-client kit as tests use it: one OkHttp client (connection pool, dispatcher) for the
 * whole test run, as a worker has one, and kits on it with the test's own clock and sleeper.
 */
public final class TestKit {
  private static final OkHttpClient HTTP = HttpClients.create();
  private static final UpstreamClients SYSTEM = kit(Clock.systemUTC(), Sleeper.SYSTEM);

  private TestKit() {}

  /** The test run's one OkHttp client. */
  public static OkHttpClient http() {
    return HTTP;
  }

  /** A kit on the system clock that really waits between attempts. */
  public static UpstreamClients kit() {
    return SYSTEM;
  }

  /** A kit on {@code clock} whose policies wait with {@code sleeper} (a recording one). */
  public static UpstreamClients kit(Clock clock, Sleeper sleeper) {
    return new UpstreamClients(HTTP, clock, sleeper);
  }

  /** The process credential these settings describe, its token calls on the test kit. */
  public static AzureCredentials credentials(Settings settings) {
    return new AzureCredentials(settings, SYSTEM);
  }

  /** Table Storage as these settings describe it, with their own process credential. */
  public static TableStorage storage(Settings settings) {
    return new TableStorage(settings, credentials(settings), SYSTEM);
  }

  /** The ServiceNow instance these settings describe, its policies waiting with {@code sleeper}. */
  public static ServiceNowModule serviceNow(Settings settings, Clock clock, Sleeper sleeper) {
    return new ServiceNowModule(settings, kit(clock, sleeper));
  }

  /** The ServiceNow CMDB these settings describe, on its own instance module. */
  public static ServiceNowCmdb serviceNowCmdb(Settings settings, Clock clock, Sleeper sleeper) {
    return CmdbModule.serviceNow(settings, serviceNow(settings, clock, sleeper));
  }

  /** The CMDB capability as these settings wire it (ServiceNow on a module of its own). */
  public static CmdbModule cmdb(Settings settings, Clock clock) {
    return new CmdbModule(settings, clock, serviceNow(settings, clock, Sleeper.SYSTEM));
  }

  /** The Sentinel client these settings describe, signed with their process credential. */
  public static SentinelClient sentinel(Settings settings, Clock clock, Sleeper sleeper) {
    return SentinelClient.create(
        kit(clock, sleeper),
        SentinelModule.Options.from(settings).managementUrl(),
        credentials(settings));
  }

  /**
   * Graph at these settings' URL, signed with {@code credentials}, on {@code clock}; its paced
   * areas' turns booked in this process and waited with {@code sleeper}.
   */
  public static GraphClient graph(
      Settings settings, Clock clock, Sleeper sleeper, AzureCredentials credentials) {
    return GraphClient.create(
        kit(clock, sleeper),
        GraphModule.Options.from(settings).url(),
        credentials,
        UpstreamBudgets.local(clock, sleeper));
  }
}
