package com.socactions.jobs;

import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueClientBuilder;
import com.azure.storage.queue.QueueMessageEncoding;
import com.azure.storage.queue.models.QueueStorageException;
import com.socactions.platform.AzureCredentials;
import com.socactions.platform.ConfigurationException;
import com.socactions.platform.Settings;
import com.socactions.platform.StorageConnection;
import com.socactions.platform.UpstreamClients;
import com.socactions.platform.UpstreamException;
import java.time.Duration;
import java.util.Optional;

/**
 * The job queue on Azure Storage: one message per job to run (its id), which the queue-triggered
 * worker picks up. Messages are base64, as the Functions host's queue trigger reads them by default
 * ({@code extensions.queues.messageEncoding}).
 *
 * <p>The queue lives where the trigger listens: the storage account of {@value #CONNECTION_SETTING}
 * (a connection string, or identity-based with {@code AzureWebJobsStorage__queueServiceUri} /
 * {@code __accountName}); without it, the state storage's connection string ({@code
 * STATE_STORAGE_CONNECTION}, as on a developer machine), else the local storage emulator. The
 * client is built on first use; a failure to send is an {@link UpstreamException} (retryable).
 */
public final class JobQueue {
  /** The queue the worker's trigger listens on. */
  public static final String QUEUE = "soc-actions-jobs";

  /** Where the Functions host moves a message that failed {@code maxDequeueCount} times. */
  public static final String POISON_QUEUE = QUEUE + "-poison";

  /** The trigger's {@code connection}: the app setting (or prefix) naming its storage. */
  public static final String CONNECTION_SETTING = "AzureWebJobsStorage";

  /**
   * Renames the queue (tests and side-by-side local apps sharing one storage emulator only; the
   * deployed trigger listens on {@value #QUEUE}).
   */
  public static final String QUEUE_SETTING = "JOBS_QUEUE";

  static final String UPSTREAM = "Queue storage";
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  /**
   * Where the queue is, parsed once from the settings, as the queue trigger reads them.
   *
   * @param name {@value #QUEUE_SETTING}, default {@value #QUEUE}
   * @param connectionString {@value #CONNECTION_SETTING} (or {@code STATE_STORAGE_CONNECTION}, or
   *     the storage emulator) when the queue is reached with a connection string; empty for an
   *     identity-based connection
   * @param endpoint the queue service of an identity-based connection ({@code
   *     AzureWebJobsStorage__queueServiceUri}, or the account's from {@code __accountName})
   */
  public record Options(String name, Optional<String> connectionString, String endpoint) {
    public static Options from(Settings settings) {
      return new Options(
          settings.get(QUEUE_SETTING, QUEUE),
          JobQueue.connectionString(settings),
          settings
              .get(CONNECTION_SETTING + "__queueServiceUri")
              .orElseGet(
                  () ->
                      "https://"
                          + settings.get(CONNECTION_SETTING + "__accountName", "")
                          + ".queue.core.windows.net"));
    }
  }

  private final Options options;
  private final AzureCredentials credentials;
  private final UpstreamClients kit;
  private volatile QueueClient client;

  /**
   * @param credentials signs an identity-based connection
   * @param kit the queue client runs on its connection pool
   */
  JobQueue(Options options, AzureCredentials credentials, UpstreamClients kit) {
    this.options = options;
    this.credentials = credentials;
    this.kit = kit;
  }

  /** The queue's name. */
  public String name() {
    return options.name();
  }

  /**
   * The connection string the queue is reached with, when it is one (the local host's queue trigger
   * uses the same); empty for identity-based connections.
   */
  public static Optional<String> connectionString(Settings settings) {
    Optional<String> own = settings.get(CONNECTION_SETTING).filter(value -> !value.isBlank());
    if (own.isPresent()) {
      return own;
    }
    if (settings.isSet(CONNECTION_SETTING + "__queueServiceUri")
        || settings.isSet(CONNECTION_SETTING + "__accountName")) {
      return Optional.empty();
    }
    return Optional.of(
        settings
            .get(StorageConnection.STATE_PREFIX)
            .filter(value -> !value.isBlank())
            .orElse(StorageConnection.DEVELOPMENT_STORAGE));
  }

  /**
   * Puts a message for {@code jobId}, visible after {@code delay}.
   *
   * @throws UpstreamException when the queue service fails
   */
  void send(String jobId, Duration delay) {
    try {
      client().sendMessageWithResponse(jobId, delay, null, TIMEOUT, null);
    } catch (QueueStorageException e) {
      throw UpstreamException.ofAzure(UPSTREAM, "Queue storage could not queue job " + jobId, e);
    } catch (RuntimeException e) {
      if (e instanceof UpstreamException || e instanceof ConfigurationException) {
        throw e;
      }
      throw new UpstreamException(
          UPSTREAM, "Queue storage could not queue job " + jobId + ": " + firstLine(e), e);
    }
  }

  private QueueClient client() {
    QueueClient built = client;
    if (built == null) {
      synchronized (this) {
        if (client == null) {
          client = build();
          try {
            client.createIfNotExists();
          } catch (QueueStorageException e) {
            client = null;
            throw e;
          }
        }
        built = client;
      }
    }
    return built;
  }

  private QueueClient build() {
    QueueClientBuilder builder =
        new QueueClientBuilder()
            .queueName(options.name())
            .messageEncoding(QueueMessageEncoding.BASE64)
            .httpClient(kit.azureHttpClient())
            .retryOptions(
                new RequestRetryOptions(RetryPolicyType.EXPONENTIAL, 3, TIMEOUT, null, null, null));
    Optional<String> connection = options.connectionString();
    try {
      if (connection.isPresent()) {
        return builder.connectionString(connection.get()).buildClient();
      }
      return builder
          .endpoint(options.endpoint())
          .credential(credentials.capped(AzureCredentials.DEFAULT_MAX_TOKEN_WAIT))
          .buildClient();
    } catch (IllegalArgumentException e) {
      // The SDK's message may quote the connection string: name the setting only.
      throw new ConfigurationException(
          CONNECTION_SETTING,
          "Setting "
              + CONNECTION_SETTING
              + " (or STATE_STORAGE_CONNECTION) is not a usable queue storage connection; the"
              + " value is not shown");
    }
  }

  private static String firstLine(RuntimeException e) {
    return e.getMessage() == null
        ? e.getClass().getSimpleName()
        : e.getMessage().lines().findFirst().orElse("");
  }
}
