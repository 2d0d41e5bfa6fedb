package com.socactions.platform;

import com.azure.core.credential.TokenCredential;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.FixedDelayOptions;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.core.http.policy.RetryOptions;
import com.azure.core.util.Context;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableServiceClient;
import com.azure.data.tables.TableServiceClientBuilder;
import com.azure.data.tables.models.ListTablesOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The state store: Azure Table Storage in the Function App's storage account (Azurite locally and
 * in tests), reached through the connection {@link StorageConnection} reads from the settings
 * (connection string or identity-based), on the shared OkHttp client rather than Netty.
 *
 * <p>Two clients, tuned per use: {@link #probe()} answers health within about {@link
 * #PROBE_TIMEOUT} (one attempt, no retry, token wait capped as well), and {@link #table} serves
 * data with normal timeouts and exponential retries that honour {@code Retry-After}.
 *
 * <p>Construction never throws for bad settings: the problem is {@link #probe()}'s answer and a
 * {@link ConfigurationException} from {@link #table}.
 */
public final class TableStorage {
  public static final String CONNECTION_SETTING = StorageConnection.STATE_PREFIX;
  public static final String FUNCTIONS_STORAGE_SETTING = StorageConnection.FUNCTIONS_PREFIX;
  public static final String DEVELOPMENT_STORAGE = StorageConnection.DEVELOPMENT_STORAGE;
  static final String UPSTREAM = "Table storage";

  /** Health must answer fast even when storage is down. */
  public static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);

  public static final Duration DEFAULT_DATA_READ_TIMEOUT = Duration.ofSeconds(10);

  /** One attempt of a data call, entity-group transactions (up to 100 entities) included. */
  public static final Duration DEFAULT_DATA_CALL_TIMEOUT = Duration.ofSeconds(30);

  public static final int DEFAULT_DATA_MAX_RETRIES = 4;
  public static final Duration DEFAULT_DATA_RETRY_BASE_DELAY = Duration.ofMillis(800);
  public static final Duration DEFAULT_DATA_RETRY_MAX_DELAY = Duration.ofSeconds(10);

  /** Azure table names: a letter, then letters and digits, 3 to 63 characters. */
  private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9]{2,62}");

  /**
   * What the health probe found. {@link #detail()} says which connection is in use, without
   * secrets.
   */
  public record Probe(Status status, String endpoint, String detail) {
    public enum Status {
      OK,
      UNREACHABLE,
      MISCONFIGURED
    }

    /** Empty when the table service answers; otherwise why not, in one line. */
    public Optional<String> problem() {
      return status == Status.OK ? Optional.empty() : Optional.of(detail);
    }
  }

  private final StorageConnection connection;
  private final ConfigurationException failure;
  private final TableServiceClient probeService;
  private final TableServiceClient dataService;
  private final String endpoint;
  private final Map<String, TableClient> tables = new ConcurrentHashMap<>();

  /**
   * Identity-based connections without {@code __credential} use {@code credentials}, the process
   * credential; the SDK clients run on the kit's connection pool.
   */
  public TableStorage(Settings settings, AzureCredentials credentials, UpstreamClients kit) {
    this(settings, credentials, kit, PROBE_TIMEOUT, List.of());
  }

  /**
   * With extra pipeline policies on the data client: benchmarks and tests count the storage calls
   * an operation makes with one.
   */
  public TableStorage(
      Settings settings,
      AzureCredentials credentials,
      UpstreamClients kit,
      List<HttpPipelinePolicy> policies) {
    this(settings, credentials, kit, PROBE_TIMEOUT, policies);
  }

  /** For tests: another probe timeout. */
  TableStorage(
      Settings settings, AzureCredentials credentials, UpstreamClients kit, Duration probeTimeout) {
    this(settings, credentials, kit, probeTimeout, List.of());
  }

  private TableStorage(
      Settings settings,
      AzureCredentials credentials,
      UpstreamClients kit,
      Duration probeTimeout,
      List<HttpPipelinePolicy> policies) {
    this.connection = StorageConnection.resolve(settings);
    ConfigurationException problem = connection.problem().orElse(null);
    TableServiceClient probe = null;
    TableServiceClient data = null;
    if (problem == null) {
      try {
        AzureCredentials identity =
            connection.managedIdentity()
                ? AzureCredentials.managedIdentity(
                    settings, connection.clientId(), connection.resourceId(), kit)
                : credentials;
        probe =
            builder(identity.capped(probeTimeout))
                .httpClient(kit.azureHttpClient(http -> http.callTimeout(probeTimeout)))
                .retryOptions(new RetryOptions(new FixedDelayOptions(0, Duration.ZERO)))
                .buildClient();
        TableServiceClientBuilder dataBuilder =
            builder(identity.capped(AzureCredentials.DEFAULT_MAX_TOKEN_WAIT));
        policies.forEach(dataBuilder::addPolicy);
        data =
            dataBuilder
                .httpClient(
                    kit.azureHttpClient(
                        http ->
                            http.readTimeout(DEFAULT_DATA_READ_TIMEOUT)
                                .callTimeout(DEFAULT_DATA_CALL_TIMEOUT)))
                // azure-core's retry policy waits as long as Retry-After (or x-ms-retry-after-ms)
                // says.
                .retryOptions(
                    new RetryOptions(
                        new ExponentialBackoffOptions()
                            .setMaxRetries(DEFAULT_DATA_MAX_RETRIES)
                            .setBaseDelay(DEFAULT_DATA_RETRY_BASE_DELAY)
                            .setMaxDelay(DEFAULT_DATA_RETRY_MAX_DELAY)))
                .buildClient();
      } catch (RuntimeException e) {
        // The SDK's message may quote the connection string; name the setting only.
        String setting = connection.setting().orElse(FUNCTIONS_STORAGE_SETTING);
        problem =
            new ConfigurationException(
                setting,
                "Setting "
                    + setting
                    + " is not a usable storage connection ("
                    + e.getClass().getSimpleName()
                    + "; the value is not shown)");
        probe = null;
        data = null;
      }
    }
    this.failure = problem;
    this.probeService = probe;
    this.dataService = data;
    this.endpoint = data == null ? "(not configured)" : data.getServiceEndpoint();
  }

  private TableServiceClientBuilder builder(TokenCredential credential) {
    TableServiceClientBuilder builder = new TableServiceClientBuilder();
    return switch (connection.kind()) {
      case IDENTITY ->
          builder.endpoint(connection.tableEndpoint().orElseThrow()).credential(credential);
      case CONNECTION_STRING, DEVELOPMENT_STORAGE ->
          builder.connectionString(connection.connectionString().orElseThrow());
      case MISCONFIGURED ->
          throw new IllegalStateException("no client for a misconfigured connection");
    };
  }

  /** The connection in use (or why there is none). */
  public StorageConnection connection() {
    return connection;
  }

  /** The table endpoint, without credentials: safe to show in health. */
  public String endpoint() {
    return endpoint;
  }

  /**
   * Whether the table service answers, within about {@link #PROBE_TIMEOUT}, one attempt. Never
   * throws; the detail names the connection in use (e.g. the local storage emulator) or the setting
   * to fix.
   */
  public Probe probe() {
    if (failure != null) {
      return new Probe(Probe.Status.MISCONFIGURED, endpoint, failure.getMessage());
    }
    String using = " (" + connection.describe() + ")";
    try {
      probeService
          .listTables(new ListTablesOptions().setTop(1), null, Context.NONE)
          .iterator()
          .hasNext();
      return new Probe(Probe.Status.OK, endpoint, "Table storage answers at " + endpoint + using);
    } catch (RuntimeException e) {
      return new Probe(
          Probe.Status.UNREACHABLE,
          endpoint,
          "Table storage at " + endpoint + " does not answer: " + firstLine(e) + using);
    }
  }

  /** Empty when the table service answers; otherwise why not, in one line without secrets. */
  public Optional<String> problem() {
    return probe().problem();
  }

  /**
   * The client of one table for data (normal timeouts, retries), created in the service if missing
   * on first use and then kept. Entity-group transactions are retried as a whole after a lost
   * answer, so a retried insert may see 409: use upserts or ETags where that matters.
   *
   * @throws ConfigurationException when the storage settings name nothing usable
   * @throws UpstreamException when the table cannot be created or checked
   * @throws IllegalArgumentException for a name Azure Tables does not accept
   */
  public TableClient table(String name) {
    if (failure != null) {
      throw failure;
    }
    if (!TABLE_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "Not an Azure table name (a letter, then letters and digits, 3-63): " + name);
    }
    return tables.computeIfAbsent(name, this::createIfMissing);
  }

  private TableClient createIfMissing(String name) {
    try {
      dataService.createTableIfNotExists(name);
      return dataService.getTableClient(name);
    } catch (HttpResponseException e) {
      throw UpstreamException.ofAzure(UPSTREAM, "Table storage could not create table " + name, e);
    } catch (UpstreamException | ConfigurationException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new UpstreamException(
          UPSTREAM, "Table storage at " + endpoint + " does not answer: " + firstLine(e), e);
    }
  }

  private static String firstLine(Throwable e) {
    return e.getMessage() == null
        ? e.getClass().getSimpleName()
        : e.getMessage().lines().findFirst().orElse("");
  }
}
