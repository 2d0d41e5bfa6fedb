package com.socactions.bench;

import com.socactions.api.AppServices;
import com.socactions.api.FunctionInjector;
import com.socactions.jobs.JobQueue;
import com.socactions.localhost.LocalFunctionHost;
import com.socactions.platform.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/**
 * The Function App on the local host for a benchmark: services of its own built from the given
 * settings (so its caches start cold), served on a free loopback port, called with the JDK's HTTP
 * client. Throws {@link IllegalStateException} for any answer other than 200, with its start, so a
 * benchmark never reports the speed of an error.
 */
final class BenchmarkHost implements AutoCloseable {
  private static final String KEY = "bench";

  /** Generous: a benchmark call that takes this long has found a bug, not a figure. */
  private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(2);

  private static final int ERROR_EXCERPT_CHARS = 500;

  private final LocalFunctionHost host;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Set<String> quietPaths = ConcurrentHashMap.newKeySet();

  private BenchmarkHost(LocalFunctionHost host) {
    this.host = host;
  }

  /**
   * The app on the local host with its job worker on the queue service of {@code storage},
   * listening on {@code queue} (the app's {@code JOBS_QUEUE}), timers off.
   */
  static LocalFunctionHost withJobWorker(
      AppServices services, String storage, String queue, String key) {
    return LocalFunctionHost.builder()
        .scanPackage("com.socactions.api")
        .injector(new FunctionInjector(services))
        .bindAddress("127.0.0.1")
        .port(0)
        .functionKey(key)
        .timersEnabled(false)
        .queueConnection(storage)
        .renameQueue(JobQueue.QUEUE, queue)
        .renameQueue(JobQueue.POISON_QUEUE, queue + "-poison")
        .build()
        .start();
  }

  static BenchmarkHost start(Map<String, String> settings, Clock clock) {
    AppServices services = new AppServices(Settings.of(settings), clock);
    return new BenchmarkHost(
        LocalFunctionHost.builder()
            .scanPackage("com.socactions.api")
            .injector(new FunctionInjector(services))
            .bindAddress("127.0.0.1")
            .port(0)
            .functionKey(KEY)
            .timersEnabled(false)
            .build()
            .start());
  }

  /**
   * The host logs two lines per call, and the services a warning per failed lookup: not what is
   * measured. The host sets its loggers ({@code LocalHost}, {@code Function.<name>}) to INFO when
   * it first uses them, so this runs again after each function's first call.
   */
  static void quietLogging() {
    LogManager logs = LogManager.getLogManager();
    for (String name : Collections.list(logs.getLoggerNames())) {
      Logger logger = logs.getLogger(name);
      if (logger != null) {
        logger.setLevel(Level.SEVERE);
      }
    }
    for (var handler : Logger.getLogger("").getHandlers()) {
      handler.setLevel(Level.SEVERE);
    }
  }

  /** POSTs {@code json}; the body of the 200 answer. */
  String post(String path, String json) {
    HttpResponse<String> response = send(path, json);
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          path
              + " answered "
              + response.statusCode()
              + ": "
              + response
                  .body()
                  .substring(0, Math.min(ERROR_EXCERPT_CHARS, response.body().length())));
    }
    return response.body();
  }

  /** POSTs {@code json}; the answer, whatever its status. */
  HttpResponse<String> send(String path, String json) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(host.baseUrl() + path))
            .timeout(REQUEST_TIMEOUT)
            .header("x-functions-key", KEY)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    if (quietPaths.add(path)) {
      quietLogging();
    }
    return response;
  }

  @Override
  public void close() {
    host.close();
  }

  /** The middle value (the mean of the two middle ones for an even count). */
  static double median(Collection<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int middle = sorted.size() / 2;
    return sorted.size() % 2 == 1
        ? sorted.get(middle)
        : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
  }
}
