package com.socactions.health;

import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The answer of {@code GetHealth}.
 *
 * @param status see {@link Status}
 * @param version the build's version
 * @param components {@code storage}, then one entry per provider
 * @param providers the providers, whether each is configured, and its readiness
 * @param warnings one line per component that is degraded or in error
 */
public record HealthReport(
    Status status,
    String version,
    Instant checkedAt,
    List<ComponentHealth> components,
    List<ProviderInfo> providers,
    List<String> warnings) {

  public enum Status {
    /** Everything configured answers. */
    HEALTHY,
    /** Some actions answer with caveats (stale data, an upstream unreachable for now). */
    DEGRADED,
    /** Storage or a provider is broken: a setting or its data needs fixing. */
    UNHEALTHY;

    @JsonValue
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
