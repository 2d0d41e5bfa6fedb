package com.socactions.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.socactions.api.AppServices;
import com.socactions.platform.BuildInfo;
import com.socactions.platform.DeadlineTimer;
import com.socactions.platform.Settings;
import com.socactions.providers.Capability;
import com.socactions.providers.Provider;
import com.socactions.providers.ProviderRegistry;
import com.socactions.providers.Readiness;
import com.socactions.testing.CountingExecutor;
import com.socactions.testing.SharedFixtures;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HealthServiceTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-27T10:00:00Z"), ZoneOffset.UTC);

  private final ExecutorService pool = Executors.newCachedThreadPool();

  @Test
  void aMalformedSettingIsAnUnhealthyComponentNamingItNotAFailedHealthCall() {
    AppServices services =
        new AppServices(
            Settings.of(
                Map.of(
                    "GEOIP_CITY_DB", SharedFixtures.path("geoip/GeoIP2-City-Test.mmdb").toString(),
                    "GEOIP_STALE_AFTER_DAYS", "thirty",
                    "RDAP_ALLOW_INSECURE", "perhaps")),
            CLOCK);

    HealthReport report = services.health().check();

    Map<String, ComponentHealth> components = byName(report);
    assertThat(report.status()).isEqualTo(HealthReport.Status.UNHEALTHY);
    assertThat(components.get("geoip").status()).isEqualTo(Readiness.Status.ERROR);
    assertThat(components.get("geoip").detail())
        .contains("GEOIP_STALE_AFTER_DAYS")
        .contains("'thirty'");
    assertThat(components.get("rdap").status()).isEqualTo(Readiness.Status.ERROR);
    assertThat(components.get("rdap").detail()).contains("RDAP_ALLOW_INSECURE");
  }

  @Test
  void aBadSecretSettingIsNamedButItsValueNeverShown() {
    ProviderRegistry registry =
        new ProviderRegistry()
            .register(
                List.of(
                    new CheckedProvider(
                        "vault",
                        () -> {
                          Settings.of(Map.of("PANOS_API_KEY_ROTATE_DAYS", "s3cr3t-looking"))
                              .getInt("PANOS_API_KEY_ROTATE_DAYS", 1);
                          return Readiness.ok("unreachable");
                        })));

    HealthReport report = health(() -> Readiness.ok("fine"), registry, "1.2.3").check();

    ComponentHealth vault = byName(report).get("vault");
    assertThat(vault.status()).isEqualTo(Readiness.Status.ERROR);
    assertThat(vault.detail())
        .contains("PANOS_API_KEY_ROTATE_DAYS")
        .doesNotContain("s3cr3t-looking");
  }

  @Test
  void aCheckThatThrowsIsThatComponentsErrorAndTheOthersStillReport() {
    ProviderRegistry registry =
        new ProviderRegistry()
            .register(
                List.of(
                    new CheckedProvider(
                        "broken",
                        () -> {
                          throw new IllegalStateException("socket closed");
                        }),
                    new CheckedProvider("fine", () -> Readiness.ok("answers"))));

    HealthReport report = health(() -> Readiness.ok("storage answers"), registry, "1.2.3").check();

    assertThat(byName(report).get("broken").status()).isEqualTo(Readiness.Status.ERROR);
    assertThat(byName(report).get("broken").detail()).isEqualTo("socket closed");
    assertThat(byName(report).get("fine").status()).isEqualTo(Readiness.Status.OK);
    assertThat(report.providers()).extracting(ProviderInfo::id).containsExactly("broken", "fine");
    assertThat(report.warnings()).containsExactly("broken: socket closed");
  }

  @Test
  void healthListsStorageFirstThenEveryRegisteredProviderWithoutKnowingThem() {
    ProviderRegistry registry =
        new ProviderRegistry()
            .register(
                List.of(
                    new CheckedProvider("stale", () -> Readiness.degraded("data 40 days old"))));

    HealthReport report = health(() -> Readiness.ok("storage answers"), registry, "9.9.9").check();

    assertThat(report.components())
        .extracting(ComponentHealth::name)
        .containsExactly("storage", "stale");
    assertThat(report.status()).isEqualTo(HealthReport.Status.DEGRADED);
    assertThat(report.version()).isEqualTo("9.9.9");
    assertThat(report.checkedAt()).isEqualTo(CLOCK.instant());
  }

  @Test
  void checksRunAtOnceSoSlowUpstreamsDoNotAddUp() {
    // Each check waits for the other: only checks run side by side can both answer (checks run one
    // after the other would wait for ever, and the JUnit timeout would fail the test).
    CyclicBarrier both = new CyclicBarrier(2);
    Supplier<Readiness> meetTheOther =
        () -> {
          try {
            both.await();
            return Readiness.ok("met");
          } catch (Exception e) {
            return Readiness.error("ran alone");
          }
        };
    ProviderRegistry registry =
        new ProviderRegistry()
            .register(
                List.of(
                    new CheckedProvider("first", meetTheOther),
                    new CheckedProvider("second", meetTheOther)));

    HealthReport report = health(() -> Readiness.ok("storage"), registry, "1").check();

    assertThat(byName(report).get("first").status()).isEqualTo(Readiness.Status.OK);
    assertThat(byName(report).get("second").status()).isEqualTo(Readiness.Status.OK);
  }

  @Test
  void aCheckThatHangsIsReportedDegradedAndHealthStillAnswers() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    ProviderRegistry registry =
        new ProviderRegistry()
            .register(
                List.of(
                    new CheckedProvider(
                        "hangs",
                        () -> {
                          try {
                            never.await();
                          } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                          }
                          return Readiness.ok("too late");
                        }),
                    new CheckedProvider("fine", () -> Readiness.ok("answers"))));

    // The time is up once the checks that answer have answered (storage and "fine").
    CountingExecutor counting = new CountingExecutor(pool);

    HealthReport report =
        new HealthService(
                () -> Readiness.ok("storage"),
                registry,
                CLOCK,
                "1",
                counting,
                timeout -> {
                  assertThat(timeout).isEqualTo(HealthService.CHECK_TIMEOUT);
                  return counting.whenFinished(2);
                })
            .check();
    never.countDown();

    assertThat(byName(report).get("hangs").status()).isEqualTo(Readiness.Status.DEGRADED);
    assertThat(byName(report).get("hangs").detail()).contains("did not answer");
    assertThat(byName(report).get("fine").status()).isEqualTo(Readiness.Status.OK);
  }

  @Test
  void theVersionHealthReportsIsTheBuildsOwn() {
    assertThat(BuildInfo.version())
        .isEqualTo(System.getProperty("soc.project.version"))
        .isNotBlank();
  }

  /** Health whose checks run on the pool, with no deadline: each answers what its check says. */
  private HealthService health(
      Supplier<Readiness> storage, ProviderRegistry registry, String version) {
    return new HealthService(storage, registry, CLOCK, version, pool, DeadlineTimer.NEVER);
  }

  @AfterEach
  void stopPool() {
    pool.shutdownNow();
  }

  private static Map<String, ComponentHealth> byName(HealthReport report) {
    return report.components().stream()
        .collect(Collectors.toMap(ComponentHealth::name, Function.identity()));
  }

  /** A provider whose readiness check is given. */
  private record CheckedProvider(String id, Supplier<Readiness> check) implements Provider {
    @Override
    public String displayName() {
      return id;
    }

    @Override
    public Set<Capability> capabilities() {
      return Set.of(Capability.BLOCK);
    }

    @Override
    public String description() {
      return id;
    }

    @Override
    public boolean isConfigured() {
      return true;
    }

    @Override
    public Readiness readiness() {
      return check.get();
    }
  }
}
