package com.socactions.platform;

import com.azure.core.http.HttpClient;
import com.azure.core.http.okhttp.OkHttpAsyncHttpClientBuilder;
import com.azure.core.http.policy.FixedDelayOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.core.util.Context;
import com.azure.data.tables.TableServiceClient;
import com.azure.data.tables.TableServiceClientBuilder;
import com.azure.data.tables.models.ListTablesOptions;
import java.time.Duration;
import java.util.Optional;

/**
 * The state store: Azure Table Storage in the Function App's storage account (Azurite locally and
 * in tests). The connection string comes from {@code STATE_STORAGE_CONNECTION}, else
 * {@code AzureWebJobsStorage}, else Azurite's development storage. It runs on the shared OkHttp
 * client rather than Netty, which halves the deployed package.
 */
public final class TableStorage {
  public static final String CONNECTION_SETTING = "STATE_STORAGE_CONNECTION";
  public static final String FUNCTIONS_STORAGE_SETTING = "AzureWebJobsStorage";
  public static final String DEVELOPMENT_STORAGE = "UseDevelopmentStorage=true";
  /** Health must answer fast even when storage is down; the real calls have their own policies. */
  static final Duration HEALTH_CHECK_TIMEOUT = Duration.ofSeconds(3);

  private final TableServiceClient service;
  private final String endpoint;

  public TableStorage(Settings settings) {
    String connection = settings.get(CONNECTION_SETTING)
        .or(() -> settings.get(FUNCTIONS_STORAGE_SETTING))
        .orElse(DEVELOPMENT_STORAGE);
    HttpClient http = new OkHttpAsyncHttpClientBuilder(HttpClients.shared().newBuilder()
        .callTimeout(HEALTH_CHECK_TIMEOUT.multipliedBy(3))
        .build()).build();
    this.service = new TableServiceClientBuilder()
        .connectionString(connection)
        .httpClient(http)
        .retryOptions(new RetryOptions(new FixedDelayOptions(1, Duration.ofMillis(200))))
        .buildClient();
    this.endpoint = service.getServiceEndpoint();
  }

  public TableServiceClient service() {
    return service;
  }

  /** The table endpoint, without credentials: safe to show in health. */
  public String endpoint() {
    return endpoint;
  }

  /** Empty when the table service answers; otherwise why not, in one line without secrets. */
  public Optional<String> problem() {
    try {
      service.listTables(new ListTablesOptions().setTop(1), HEALTH_CHECK_TIMEOUT, Context.NONE).iterator().hasNext();
      return Optional.empty();
    } catch (RuntimeException e) {
      String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
      return Optional.of("Table storage at " + endpoint + " does not answer: " + message);
    }
  }
}
