package com.socactions.health;

import com.socactions.platform.DeadlineTimer;
import com.socactions.platform.RequestLog;
import com.socactions.platform.RequestLogContext;
import com.socactions.providers.Provider;
import com.socactions.providers.ProviderRegistry;
import com.socactions.providers.Readiness;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;

/**
 * Readiness of the connector: state storage, then every registered provider (their own checks:
 * GeoIP databases with type and build date, RDAP, enforcement points, ...). Knows no provider by
 * name. Never fails: a check that throws, a bad setting included, is that component's {@code
 * error}, naming the setting.
 *
 * <p>{@code unhealthy}: storage or a provider is in error. {@code degraded}: something works with a
 * caveat. {@code healthy}: everything configured answers.
 */
public final class HealthService {
  private static final RequestLog LOG = RequestLog.of(HealthService.class);
  static final String STORAGE = "storage";

  /** Longest a single check may take before health reports it degraded and answers anyway. */
  public static final Duration CHECK_TIMEOUT = Duration.ofSeconds(10);

  private final Supplier<Readiness> storage;
  private final ProviderRegistry providers;
  private final Clock clock;
  private final String version;
  private final Executor checks;
  private final DeadlineTimer timer;
  private final Map<String, Supplier<Readiness>> components;

  /**
   * @param storage the state store's probe (a few seconds at most)
   * @param version the build's version, as health reports it
   */
  public HealthService(
      Supplier<Readiness> storage, ProviderRegistry providers, Clock clock, String version) {
    this(storage, Map.of(), providers, clock, version);
  }

  /**
   * @param components further named checks that are no provider (e.g. {@code logs-ingestion}),
   *     shown after storage
   */
  public HealthService(
      Supplier<Readiness> storage,
      Map<String, Supplier<Readiness>> components,
      ProviderRegistry providers,
      Clock clock,
      String version) {
    this(
        storage,
        components,
        providers,
        clock,
        version,
        Executors.newCachedThreadPool(
            runnable -> {
              Thread thread = new Thread(runnable, "health-check");
              thread.setDaemon(true);
              return thread;
            }),
        DeadlineTimer.SYSTEM);
  }

  /**
   * @param checks runs the checks, all at once
   * @param timer tells when {@link #CHECK_TIMEOUT} has passed
   */
  HealthService(
      Supplier<Readiness> storage,
      ProviderRegistry providers,
      Clock clock,
      String version,
      Executor checks,
      DeadlineTimer timer) {
    this(storage, Map.of(), providers, clock, version, checks, timer);
  }

  HealthService(
      Supplier<Readiness> storage,
      Map<String, Supplier<Readiness>> components,
      ProviderRegistry providers,
      Clock clock,
      String version,
      Executor checks,
      DeadlineTimer timer) {
    this.components = new TreeMap<>(components);
    this.storage = storage;
    this.providers = providers;
    this.clock = clock;
    this.version = version;
    this.checks = checks;
    this.timer = timer;
  }

  /**
   * Runs every check at once (a slow upstream must not add up with the others: Logic Apps'
   * connection test waits for this), each bounded by {@link #CHECK_TIMEOUT}.
   */
  public HealthReport check() {
    List<Provider> registered = providers.all();
    CompletableFuture<Readiness> late =
        timer
            .after(CHECK_TIMEOUT)
            .thenApply(
                passed ->
                    Readiness.degraded(
                        "the check did not answer within " + CHECK_TIMEOUT.toSeconds() + " s"));
    CompletableFuture<Readiness> storageCheck = start(STORAGE, storage, late);
    Map<String, CompletableFuture<Readiness>> componentChecks = new LinkedHashMap<>();
    this.components.forEach((name, check) -> componentChecks.put(name, start(name, check, late)));
    List<CompletableFuture<Readiness>> providerChecks = new ArrayList<>();
    registered.forEach(
        provider -> providerChecks.add(start(provider.id(), provider::readiness, late)));
    List<ComponentHealth> components = new ArrayList<>();
    List<ProviderInfo> providerInfos = new ArrayList<>();
    components.add(ComponentHealth.of(STORAGE, storageCheck.join()));
    componentChecks.forEach(
        (name, check) -> components.add(ComponentHealth.of(name, check.join())));
    for (int i = 0; i < registered.size(); i++) {
      Provider provider = registered.get(i);
      Readiness readiness = providerChecks.get(i).join();
      components.add(ComponentHealth.of(provider.id(), readiness));
      providerInfos.add(ProviderInfo.of(provider, readiness));
    }
    List<String> warnings =
        components.stream()
            .filter(
                component ->
                    component.status() == Readiness.Status.DEGRADED
                        || component.status() == Readiness.Status.ERROR)
            .map(component -> component.name() + ": " + component.detail())
            .distinct()
            .toList();
    return new HealthReport(
        overall(components), version, clock.instant(), components, providerInfos, warnings);
  }

  /** A check's answer, or {@code late}'s when that comes first. */
  private CompletableFuture<Readiness> start(
      String name, Supplier<Readiness> check, CompletableFuture<Readiness> late) {
    return CompletableFuture.supplyAsync(RequestLogContext.wrap(() -> safely(name, check)), checks)
        .applyToEither(late, Function.identity());
  }

  /**
   * A check's answer; a check that throws (it should not) is an error, not a failed health call.
   */
  private static Readiness safely(String name, Supplier<Readiness> check) {
    try {
      Readiness readiness = check.get();
      return readiness != null ? readiness : Readiness.error("the check answered nothing");
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Health check of " + name + " failed", e);
      String message =
          e.getMessage() == null
              ? e.getClass().getSimpleName()
              : e.getMessage().lines().findFirst().orElse("");
      return Readiness.error(message);
    }
  }

  private static HealthReport.Status overall(List<ComponentHealth> components) {
    if (components.stream().anyMatch(component -> component.status() == Readiness.Status.ERROR)) {
      return HealthReport.Status.UNHEALTHY;
    }
    return components.stream()
            .anyMatch(component -> component.status() == Readiness.Status.DEGRADED)
        ? HealthReport.Status.DEGRADED
        : HealthReport.Status.HEALTHY;
  }
}
