package com.socactions.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.socactions.providers.ProviderRegistry;
import com.socactions.providers.Readiness;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Components that are no provider (such as logs-ingestion) are checked and shown after storage. */
class HealthComponentsTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-12-05T10:00:00Z"), ZoneOffset.UTC);

  @Test
  void aComponentIsShownAfterStorageAndItsErrorMakesTheConnectorUnhealthy() {
    HealthReport report =
        new HealthService(
                () -> Readiness.ok("storage answers"),
                Map.of(
                    "logs-ingestion",
                    () -> Readiness.error("Log Analytics refused the last upload (HTTP 403)")),
                new ProviderRegistry(),
                CLOCK,
                "1.2.3")
            .check();

    assertThat(report.components())
        .extracting(ComponentHealth::name)
        .containsExactly("storage", "logs-ingestion");
    assertThat(report.components().get(1).status()).isEqualTo(Readiness.Status.ERROR);
    assertThat(report.status()).isEqualTo(HealthReport.Status.UNHEALTHY);
    assertThat(report.warnings())
        .contains("logs-ingestion: Log Analytics refused the last upload (HTTP 403)");
  }

  @Test
  void aComponentThatIsNotConfiguredLeavesTheConnectorHealthy() {
    HealthReport report =
        new HealthService(
                () -> Readiness.ok("storage answers"),
                Map.of("logs-ingestion", () -> Readiness.notConfigured("off")),
                new ProviderRegistry(),
                CLOCK,
                "1.2.3")
            .check();

    assertThat(report.status()).isEqualTo(HealthReport.Status.HEALTHY);
  }
}
