package com.socactions.localhost;

import com.microsoft.azure.functions.spi.inject.FunctionInstanceInjector;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Runs the Function App's {@code @FunctionName} methods on a developer machine, without Core Tools:
 * HTTP-triggered functions under {@code http://<bind>:<port>/<routePrefix>/<route>},
 * timer-triggered ones on their NCRONTAB schedules, and queue-triggered ones on their Azure Storage
 * queues with the host's binding semantics (see {@link QueueRunner}). It behaves like the Azure
 * host where the difference would matter: a new function class instance per invocation from the
 * Java worker's {@link FunctionInstanceInjector} seam, host.json's {@code routePrefix} and {@code
 * functionTimeout}, a 401 with an empty body for a missing or wrong key, and route values that keep
 * an encoded slash ({@code %2F}) encoded.
 *
 * <pre>{@code
 * try (LocalFunctionHost host = LocalFunctionHost.builder().port(0).functionKey("k").build().start()) {
 *     URI health = URI.create(host.baseUrl() + "v1/health");
 * }
 * }</pre>
 *
 * <p>{@link Builder#build()} scans the classes and fails with {@link IllegalStateException} /
 * {@link IllegalArgumentException} when a function cannot be bound or its route is malformed;
 * {@link #start()} fails with {@link UncheckedIOException} when the port cannot be bound. Function
 * classes are instantiated for each invocation, so constructor (or injector) failures surface as
 * 500 responses (or timer failures in the log), not at startup. Instances are thread-safe to query;
 * {@link #close()} is idempotent.
 */
public final class LocalFunctionHost implements AutoCloseable {
  /** Default package scanned when none is configured. */
  public static final String DEFAULT_PACKAGE = "com.socactions";

  /**
   * The JDK's HTTP server sets {@code TCP_NODELAY} on the connections it accepts only when this
   * system property is true, and it writes a response's headers and its body separately: with
   * Nagle's algorithm on, the body of every small answer waits for the client's delayed ACK of the
   * headers, about 40 ms on Linux (a one-key lookup took 55 ms instead of 5). The JDK reads the
   * property once, when the JVM's first such server starts; a value set on the command line wins.
   */
  static final String NO_DELAY_PROPERTY = "sun.net.httpserver.nodelay";

  private final Builder config;
  private final List<FunctionDefinition> functions;
  private final String functionKey;
  private final boolean keyGenerated;
  private FunctionInvoker invoker;
  private ExecutorService invocationExecutor;
  private HttpServer server;
  private ExecutorService httpExecutor;
  private TimerRunner timers;
  private QueueRunner queues;

  private LocalFunctionHost(
      Builder config,
      List<FunctionDefinition> functions,
      String functionKey,
      boolean keyGenerated) {
    this.config = config;
    this.functions = functions;
    this.functionKey = functionKey;
    this.keyGenerated = keyGenerated;
  }

  /**
   * A builder with the defaults: package {@code com.socactions}, 127.0.0.1, port 7071, timers on.
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Binds the HTTP server and schedules the timers. Prints {@code Function key: ...} to stdout when
   * the key was generated.
   *
   * @return this host, for chaining
   * @throws UncheckedIOException when the address or port cannot be bound
   * @throws IllegalStateException when called twice
   */
  public synchronized LocalFunctionHost start() {
    if (server != null) {
      throw new IllegalStateException("Host already started");
    }
    List<FunctionDefinition> http = new ArrayList<>();
    List<FunctionDefinition> timerFunctions = new ArrayList<>();
    List<FunctionDefinition> queueFunctions = new ArrayList<>();
    for (FunctionDefinition function : functions) {
      switch (function.info().trigger()) {
        case HTTP -> http.add(function);
        case TIMER -> timerFunctions.add(function);
        case QUEUE -> queueFunctions.add(function);
      }
    }
    RouteTable routes = new RouteTable(http);
    int threads = Math.max(8, 4 * Runtime.getRuntime().availableProcessors());
    httpExecutor = Executors.newFixedThreadPool(threads, daemonThreadFactory("localhost-http-"));
    if (System.getProperty(NO_DELAY_PROPERTY) == null) {
      System.setProperty(NO_DELAY_PROPERTY, "true");
    }
    try {
      server = HttpServer.create(new InetSocketAddress(config.bindAddress, config.port), 256);
    } catch (IOException e) {
      httpExecutor.shutdownNow();
      throw new UncheckedIOException(
          "Cannot listen on " + config.bindAddress + ":" + config.port, e);
    }
    server.setExecutor(httpExecutor);
    // Unbounded, but never busier than the HTTP pool plus the timers that feed it.
    invocationExecutor = Executors.newCachedThreadPool(daemonThreadFactory("localhost-function-"));
    invoker =
        new FunctionInvoker(config.injector, config.hostJson.functionTimeout(), invocationExecutor);
    server.createContext(
        "/",
        new HttpTriggerHandler(
            routes, config.hostJson.routePrefix(), new KeyAuthorization(functionKey), invoker));
    server.start();
    if (keyGenerated) {
      System.out.println("Function key: " + functionKey);
    }
    timers =
        new TimerRunner(
            config.timersEnabled ? timerFunctions : List.of(),
            invoker,
            config.zone,
            config.settings);
    timers.start();
    queues =
        new QueueRunner(
            new QueueRunner.Config(
                config.queuesEnabled ? queueFunctions : List.of(),
                config.hostJson.queues(),
                this::queueConnection,
                Map.copyOf(config.queueRenames),
                config.messageLease),
            invoker);
    queues.start();
    return this;
  }

  /**
   * The connection string a queue trigger's {@code connection} setting names: the builder's, else
   * the setting, else the app's state storage connection ({@code STATE_STORAGE_CONNECTION}, where
   * the app keeps its queues on a developer machine); null when none is set.
   */
  private String queueConnection(String setting) {
    if (config.queueConnection != null) {
      return config.queueConnection;
    }
    String own = AppSettings.getNonBlank(setting);
    return own != null ? own : AppSettings.getNonBlank("STATE_STORAGE_CONNECTION");
  }

  /** The queue each running queue function listens on, by function name. */
  public Map<String, String> queues() {
    return queues == null ? Map.of() : queues.queues();
  }

  /**
   * {@code http://<host>:<port>/<routePrefix>/} ({@code /api/} by default; just {@code /} with an
   * empty prefix); a wildcard bind address is shown as 127.0.0.1.
   */
  public String baseUrl() {
    String prefix = config.hostJson.routePrefix();
    return "http://" + hostForUrl() + ":" + port() + "/" + (prefix.isEmpty() ? "" : prefix + "/");
  }

  /** The host.json settings in force. */
  public HostJson hostJson() {
    return config.hostJson;
  }

  /** The bound port (the real one when built with port 0). */
  public int port() {
    requireStarted();
    return server.getAddress().getPort();
  }

  /** The key that {@code FUNCTION}/{@code ADMIN} functions require. */
  public String functionKey() {
    return functionKey;
  }

  /** All discovered functions, sorted by name, including timers that are disabled. */
  public List<FunctionInfo> functions() {
    return functions.stream().map(FunctionDefinition::info).toList();
  }

  /** Next planned run of each running timer, by function name; empty when timers are disabled. */
  public Map<String, ZonedDateTime> nextTimerRuns() {
    return timers == null ? Map.of() : timers.nextRuns();
  }

  /** Stops timers and the HTTP server; in-flight requests get at most a moment to finish. */
  @Override
  public synchronized void close() {
    if (timers != null) {
      timers.close();
    }
    if (queues != null) {
      queues.close();
    }
    if (server != null) {
      server.stop(0);
    }
    if (httpExecutor != null) {
      httpExecutor.shutdown();
      try {
        if (!httpExecutor.awaitTermination(2, TimeUnit.SECONDS)) {
          httpExecutor.shutdownNow();
        }
      } catch (InterruptedException e) {
        httpExecutor.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
    if (invocationExecutor != null) {
      // Whatever still runs has no caller left to answer.
      invocationExecutor.shutdownNow();
    }
  }

  private static ThreadFactory daemonThreadFactory(String namePrefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, namePrefix + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  /**
   * Prints the function table and timer schedule, then {@code Local host ready} (scripts wait for
   * it).
   */
  void printBanner(PrintStream out) {
    StartupBanner.print(out, this);
  }

  private String hostForUrl() {
    try {
      InetAddress address = InetAddress.getByName(config.bindAddress);
      if (address.isAnyLocalAddress()) {
        return "127.0.0.1";
      }
      return address instanceof Inet6Address
          ? "[" + address.getHostAddress() + "]"
          : config.bindAddress;
    } catch (IOException e) {
      return config.bindAddress;
    }
  }

  private void requireStarted() {
    if (server == null) {
      throw new IllegalStateException("Host not started");
    }
  }

  /**
   * Entry point: {@code [--port N] [--bind ADDR] [--settings local.settings.json] [--host-json
   * host.json] [--no-timers] [--scan PKG]...}. The port defaults to the {@code LOCAL_HOST_PORT}
   * setting, else 7071; host.json defaults to {@code functions/host.json} when present, else the
   * Functions host's defaults; {@code --scan} (repeatable) replaces the default package {@code
   * com.socactions}. Exits with status 2 on bad arguments or settings, 1 when the host cannot start
   * (including a malformed host.json).
   */
  public static void main(String[] args) {
    CommandLine.run(args);
  }

  /** Configures a {@link LocalFunctionHost}. Not thread-safe; build once. */
  public static final class Builder {
    private final List<String> packages = new ArrayList<>();
    private ClassLoader classLoader = Thread.currentThread().getContextClassLoader();
    private String bindAddress = "127.0.0.1";
    private int port = 7071;
    private String functionKey;
    private boolean timersEnabled = true;
    private boolean queuesEnabled = true;
    private String queueConnection;
    private final Map<String, String> queueRenames = new LinkedHashMap<>();
    private Duration messageLease = QueueRunner.DEFAULT_LEASE;
    private ZoneId zone;
    private FunctionInstanceInjector injector;
    private Path hostJsonFile;
    private Function<String, String> settings = AppSettings::get;
    // Resolved by build().
    private HostJson hostJson;

    private Builder() {}

    /**
     * Creates function class instances, one per invocation, as the Java worker's DI seam does.
     * Default: the first implementation {@link ServiceLoader} finds on the {@link
     * #classLoader(ClassLoader) class loader} ({@code META-INF/services}), else one that calls the
     * public no-argument constructor.
     */
    public Builder injector(FunctionInstanceInjector injector) {
      if (injector == null) {
        throw new IllegalArgumentException("'injector' cannot be null.");
      }
      this.injector = injector;
      return this;
    }

    /**
     * The host.json whose {@code extensions.http.routePrefix} and {@code functionTimeout} apply.
     * Default: {@code functions/host.json} relative to the working directory when it exists, else
     * the Functions host's defaults ({@code api}, 30 minutes).
     */
    public Builder hostJson(Path file) {
      if (file == null) {
        throw new IllegalArgumentException("'file' cannot be null.");
      }
      this.hostJsonFile = file;
      return this;
    }

    /** Adds a package (subpackages included) to scan; without any call, {@code com.socactions}. */
    public Builder scanPackage(String packageName) {
      packages.add(packageName);
      return this;
    }

    /**
     * The class loader to scan and load functions from; default the thread's context class loader.
     */
    public Builder classLoader(ClassLoader loader) {
      this.classLoader = loader;
      return this;
    }

    /** The address to listen on; default {@code 127.0.0.1}. */
    public Builder bindAddress(String address) {
      this.bindAddress = address;
      return this;
    }

    /** The port; 0 picks a free one. Default 7071. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("Port out of range: " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * The function key; default the {@code LOCAL_FUNCTION_KEY} setting, else a random key printed
     * at start.
     */
    public Builder functionKey(String key) {
      this.functionKey = key;
      return this;
    }

    /** Whether timer functions run; default true. */
    public Builder timersEnabled(boolean enabled) {
      this.timersEnabled = enabled;
      return this;
    }

    /**
     * Where the host reads its own settings ({@code LOCAL_FUNCTION_KEY}, {@code WEBSITE_TIME_ZONE})
     * by name, {@code null} when unset; default a system property, else the environment variable.
     */
    public Builder settings(Function<String, String> lookup) {
      if (lookup == null) {
        throw new IllegalArgumentException("'lookup' cannot be null.");
      }
      this.settings = lookup;
      return this;
    }

    /** Whether queue-triggered functions run; default true. */
    public Builder queuesEnabled(boolean enabled) {
      this.queuesEnabled = enabled;
      return this;
    }

    /**
     * The storage connection string of every queue trigger; default the setting each trigger's
     * {@code connection} names, else {@code STATE_STORAGE_CONNECTION}.
     */
    public Builder queueConnection(String connectionString) {
      this.queueConnection = connectionString;
      return this;
    }

    /**
     * Listens on {@code actual} where a trigger names {@code declared}: two apps sharing one
     * storage emulator (tests) keep their messages apart, as two storage accounts would.
     */
    public Builder renameQueue(String declared, String actual) {
      queueRenames.put(declared, actual);
      return this;
    }

    /**
     * How long a fetched message stays invisible while its function runs, renewed at half its
     * length; default 10 minutes, as the host. A host that dies holds its messages that long.
     */
    public Builder messageLease(Duration lease) {
      if (lease == null || lease.isNegative() || lease.isZero()) {
        throw new IllegalArgumentException("'lease' must be positive.");
      }
      this.messageLease = lease;
      return this;
    }

    /** The time zone for schedules; default the {@code WEBSITE_TIME_ZONE} setting, else UTC. */
    public Builder timeZone(ZoneId zone) {
      this.zone = zone;
      return this;
    }

    /**
     * Scans the packages and prepares the host without binding anything.
     *
     * @throws IllegalStateException when a function cannot be bound, two share a name, or a
     *     registered {@link FunctionInstanceInjector} cannot be loaded
     * @throws IllegalArgumentException when a route template or host.json is malformed
     */
    public LocalFunctionHost build() {
      hostJson = HostJson.locate(hostJsonFile);
      if (injector == null) {
        injector = discoverInjector(classLoader);
      }
      List<String> scanned = packages.isEmpty() ? List.of(DEFAULT_PACKAGE) : packages;
      Map<String, FunctionDefinition> byMethod = new LinkedHashMap<>();
      for (String packageName : scanned) {
        for (FunctionDefinition function : FunctionScanner.scan(packageName, classLoader)) {
          // Overlapping packages (com.a and com.a.b) must not register a function twice.
          byMethod.putIfAbsent(function.method().toGenericString(), function);
        }
      }
      List<FunctionDefinition> functions = new ArrayList<>(byMethod.values());
      functions.sort((a, b) -> a.name().compareToIgnoreCase(b.name()));
      checkUniqueNames(functions);
      // Parse routes now so that a malformed template fails the build, not the start.
      new RouteTable(
          functions.stream().filter(f -> f.info().trigger() == TriggerKind.HTTP).toList());
      if (zone == null) {
        zone = zoneFromSettings();
      }
      String key =
          functionKey != null
              ? functionKey
              : AppSettings.nonBlank(settings.apply(KeyAuthorization.KEY_SETTING));
      boolean generated = key == null;
      return new LocalFunctionHost(
          this,
          List.copyOf(functions),
          generated ? KeyAuthorization.generateKey() : key,
          generated);
    }

    private static void checkUniqueNames(List<FunctionDefinition> functions) {
      for (int i = 1; i < functions.size(); i++) {
        if (functions.get(i).name().equalsIgnoreCase(functions.get(i - 1).name())) {
          throw new IllegalStateException(
              "Two functions are named "
                  + functions.get(i).name()
                  + ": "
                  + functions.get(i - 1).method()
                  + " and "
                  + functions.get(i).method());
        }
      }
    }

    private static FunctionInstanceInjector discoverInjector(ClassLoader loader) {
      try {
        return ServiceLoader.load(FunctionInstanceInjector.class, loader)
            .findFirst()
            .orElseGet(NoArgConstructorInjector::new);
      } catch (ServiceConfigurationError e) {
        throw new IllegalStateException(
            "Cannot load the FunctionInstanceInjector registered in META-INF/services: "
                + e.getMessage(),
            e);
      }
    }

    private ZoneId zoneFromSettings() {
      String name = AppSettings.nonBlank(settings.apply("WEBSITE_TIME_ZONE"));
      if (name == null) {
        return ZoneOffset.UTC;
      }
      try {
        return ZoneId.of(name);
      } catch (DateTimeException e) {
        FunctionLogging.hostLogger()
            .warning(
                "WEBSITE_TIME_ZONE '"
                    + name
                    + "' is not an IANA zone id known to Java; timers use UTC");
        return ZoneOffset.UTC;
      }
    }
  }
}
