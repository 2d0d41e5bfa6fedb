package com.socactions.localhost;

import com.azure.core.util.Context;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueClientBuilder;
import com.azure.storage.queue.QueueMessageEncoding;
import com.azure.storage.queue.models.QueueMessageItem;
import com.azure.storage.queue.models.QueueStorageException;
import com.azure.storage.queue.models.UpdateMessageResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs queue-triggered functions on Azure Storage queues (Azurite's queue service locally) with the
 * binding semantics of the Functions host's Storage Queues extension:
 *
 * <ul>
 *   <li>messages are fetched {@code batchSize} at a time, each made invisible for the message lease
 *       ({@value #DEFAULT_LEASE_MINUTES} minutes, as the host does) and the lease renewed at half
 *       its length while the function runs; a new batch is fetched once no more than {@code
 *       newBatchThreshold} run;
 *   <li>a function that returns deletes its message; one that throws (or passes {@code
 *       functionTimeout}) releases it to become visible again after {@code visibilityTimeout}, or,
 *       at its {@code maxDequeueCount}th try, moves it to {@code <queue>-poison} (copied, then
 *       deleted); a message fetched with a dequeue count already past the limit (its worker died on
 *       the last try) is moved there without running;
 *   <li>a host that stops (or dies) leaves the messages it held as they are: they reappear when
 *       their lease runs out, with their dequeue count one higher, and another host picks them up;
 *   <li>an empty queue is polled with a randomized exponential back-off from {@value
 *       #MIN_POLLING_MILLIS} ms up to {@code maxPollingInterval};
 *   <li>messages are base64 unless {@code messageEncoding} is {@code none}.
 * </ul>
 *
 * <p>The queue's storage is the connection string of the trigger's {@code connection} setting. A
 * storage that does not answer is logged and polled again after the back-off; it never stops the
 * host.
 */
final class QueueRunner implements AutoCloseable {
  private static final Logger LOG = FunctionLogging.hostLogger();

  /** The trigger's connection when the annotation names none. */
  static final String DEFAULT_CONNECTION = "AzureWebJobsStorage";

  static final long DEFAULT_LEASE_MINUTES = 10;

  /** How long a fetched message stays invisible while its function runs (renewed at half). */
  static final Duration DEFAULT_LEASE = Duration.ofMinutes(DEFAULT_LEASE_MINUTES);

  static final long MIN_POLLING_MILLIS = 100;

  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

  /**
   * What the runner is given: its functions, the host.json settings, where each connection setting
   * points, queue names to use instead of the annotated ones, and the message lease.
   */
  record Config(
      List<FunctionDefinition> functions,
      HostJson.Queues options,
      Function<String, String> connectionOf,
      Map<String, String> renames,
      Duration lease) {}

  private final Config config;
  private final FunctionInvoker invoker;
  private final List<Thread> pollers = new ArrayList<>();
  private final ExecutorService processing;
  private final ScheduledExecutorService renewals;
  private final Map<String, String> queueNames = new HashMap<>();
  private volatile boolean closed;

  QueueRunner(Config config, FunctionInvoker invoker) {
    this.config = config;
    this.invoker = invoker;
    AtomicInteger count = new AtomicInteger();
    this.processing =
        Executors.newCachedThreadPool(
            runnable -> daemon(runnable, "localhost-queue-" + count.incrementAndGet()));
    this.renewals =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> daemon(runnable, "localhost-queue-lease"));
  }

  private static Thread daemon(Runnable runnable, String name) {
    Thread thread = new Thread(runnable, name);
    thread.setDaemon(true);
    return thread;
  }

  /** Starts one poller per function whose connection is known; the others are logged. */
  void start() {
    for (FunctionDefinition function : config.functions()) {
      String setting = function.info().connection();
      String connection = config.connectionOf().apply(setting);
      if (connection == null) {
        LOG.warning(
            "Queue function "
                + function.name()
                + " will not run: set "
                + setting
                + " to the storage connection string of its queue");
        continue;
      }
      String queue = queueName(function.info().queueName());
      queueNames.put(function.name(), queue);
      Thread poller =
          daemon(() -> poll(function, connection, queue), "localhost-queue-poll-" + queue);
      pollers.add(poller);
      poller.start();
    }
  }

  /** The queue each running queue function listens on, by function name. */
  Map<String, String> queues() {
    return Map.copyOf(queueNames);
  }

  private String queueName(String declared) {
    return config.renames().getOrDefault(declared, declared);
  }

  private QueueClient client(String connection, String queue) {
    return new QueueClientBuilder()
        .connectionString(connection)
        .queueName(queue)
        .messageEncoding(
            config.options().base64() ? QueueMessageEncoding.BASE64 : QueueMessageEncoding.NONE)
        .buildClient();
  }

  private void poll(FunctionDefinition function, String connection, String queue) {
    QueueClient client = client(connection, queue);
    QueueClient poison = client(connection, queue + "-poison");
    HostJson.Queues options = config.options();
    Semaphore slots = new Semaphore(options.batchSize() + options.newBatchThreshold());
    long backoff = MIN_POLLING_MILLIS;
    boolean ready = false;
    boolean failing = false;
    while (!closed) {
      try {
        if (!ready) {
          client.createIfNotExists();
          poison.createIfNotExists();
          ready = true;
        }
        // Fetch only once no more than newBatchThreshold run (as the host's listener does).
        int running = options.batchSize() + options.newBatchThreshold() - slots.availablePermits();
        if (running > options.newBatchThreshold()) {
          sleep(MIN_POLLING_MILLIS);
          continue;
        }
        List<QueueMessageItem> batch = new ArrayList<>();
        client
            .receiveMessages(options.batchSize(), config.lease(), CALL_TIMEOUT, Context.NONE)
            .forEach(batch::add);
        if (failing) {
          LOG.info("Queue " + queue + " answers again");
          failing = false;
        }
        if (batch.isEmpty()) {
          sleep(ThreadLocalRandom.current().nextLong(backoff / 2, backoff + 1));
          backoff = Math.min(options.maxPollingInterval().toMillis(), backoff * 2);
          continue;
        }
        backoff = MIN_POLLING_MILLIS;
        for (QueueMessageItem message : batch) {
          slots.acquireUninterruptibly();
          processing.execute(
              () -> {
                try {
                  process(function, client, poison, message);
                } finally {
                  slots.release();
                }
              });
        }
      } catch (RuntimeException e) {
        if (closed) {
          return;
        }
        if (!failing) {
          LOG.warning("Queue " + queue + " does not answer: " + firstLine(e));
          failing = true;
        }
        sleep(options.maxPollingInterval().toMillis());
      }
    }
  }

  private void process(
      FunctionDefinition function,
      QueueClient client,
      QueueClient poison,
      QueueMessageItem message) {
    HostJson.Queues options = config.options();
    String text = message.getBody() == null ? "" : message.getBody().toString();
    AtomicReference<String> receipt = new AtomicReference<>(message.getPopReceipt());
    if (message.getDequeueCount() > options.maxDequeueCount()) {
      toPoison(client, poison, message, text, receipt.get());
      return;
    }
    long renewEvery = Math.max(1, config.lease().toMillis() / 2);
    ScheduledFuture<?> renewal =
        renewals.scheduleAtFixedRate(
            () -> renew(client, message, receipt), renewEvery, renewEvery, TimeUnit.MILLISECONDS);
    boolean succeeded = false;
    LocalExecutionContext context =
        new LocalExecutionContext(
            function.name(), function.logger(), W3CTraceContext.from(null, null));
    try {
      invoker.invoke(function, arguments(function, message, text, context));
      succeeded = true;
      LOG.info(
          "Executed 'Functions."
              + function.name()
              + "' (Succeeded, Id="
              + context.getInvocationId()
              + ", DequeueCount="
              + message.getDequeueCount()
              + ")");
    } catch (FunctionInvoker.FunctionFailedException e) {
      if (!closed) {
        LOG.log(
            Level.WARNING,
            "Executed 'Functions."
                + function.name()
                + "' (Failed, DequeueCount="
                + message.getDequeueCount()
                + "): "
                + (e.getCause() == null ? e.getMessage() : e.getCause()));
      }
    } finally {
      renewal.cancel(false);
    }
    if (closed) {
      // A host that stops lets go of nothing: the message comes back when its lease runs out.
      return;
    }
    try {
      if (succeeded) {
        client.deleteMessage(message.getMessageId(), receipt.get());
      } else if (message.getDequeueCount() >= options.maxDequeueCount()) {
        toPoison(client, poison, message, text, receipt.get());
      } else {
        client.updateMessage(
            message.getMessageId(), receipt.get(), null, options.visibilityTimeout());
      }
    } catch (QueueStorageException e) {
      // Gone or taken over by another host (its lease ran out): nothing of ours to settle.
      LOG.fine("Could not settle message " + message.getMessageId() + ": " + firstLine(e));
    }
  }

  private void renew(
      QueueClient client, QueueMessageItem message, AtomicReference<String> receipt) {
    try {
      UpdateMessageResult renewed =
          client.updateMessage(message.getMessageId(), receipt.get(), null, config.lease());
      receipt.set(renewed.getPopReceipt());
    } catch (RuntimeException e) {
      LOG.fine("Could not renew the lease of " + message.getMessageId() + ": " + firstLine(e));
    }
  }

  private void toPoison(
      QueueClient client,
      QueueClient poison,
      QueueMessageItem message,
      String text,
      String popReceipt) {
    LOG.warning(
        "Message Id '"
            + message.getMessageId()
            + "' has reached MaxDequeueCount of "
            + config.options().maxDequeueCount()
            + ". Moving message to queue '"
            + poison.getQueueName()
            + "'.");
    poison.sendMessage(text);
    client.deleteMessage(message.getMessageId(), popReceipt);
  }

  private static Object[] arguments(
      FunctionDefinition function,
      QueueMessageItem message,
      String text,
      LocalExecutionContext context) {
    Map<String, String> metadata = new HashMap<>();
    metadata.put("Id", message.getMessageId());
    metadata.put("DequeueCount", Long.toString(message.getDequeueCount()));
    metadata.put("PopReceipt", message.getPopReceipt());
    if (message.getInsertionTime() != null) {
      metadata.put("InsertionTime", message.getInsertionTime().toString());
    }
    if (message.getExpirationTime() != null) {
      metadata.put("ExpirationTime", message.getExpirationTime().toString());
    }
    if (message.getTimeNextVisible() != null) {
      metadata.put("NextVisibleTime", message.getTimeNextVisible().toString());
    }
    Object[] arguments = new Object[function.parameters().size()];
    for (int i = 0; i < arguments.length; i++) {
      ParameterSource source = function.parameters().get(i);
      if (source instanceof ParameterSource.QueueMessage) {
        arguments[i] = text;
      } else if (source instanceof ParameterSource.Context) {
        arguments[i] = context;
      } else if (source instanceof ParameterSource.Binding binding) {
        arguments[i] = metadata.get(binding.name());
      }
    }
    return arguments;
  }

  private void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed = true;
    }
  }

  private static String firstLine(RuntimeException e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return message.lines().findFirst().orElse(message);
  }

  /** Stops polling; messages being processed are left to their lease, as a host that dies. */
  @Override
  public void close() {
    closed = true;
    pollers.forEach(Thread::interrupt);
    renewals.shutdownNow();
    processing.shutdownNow();
  }
}
