package com.socactions.health;

import java.time.Instant;
import java.util.List;

/**
 * The answer of {@code GetHealth}.
 *
 * @param status {@code healthy}, {@code degraded} (some actions answer with caveats) or
 *     {@code unhealthy} (storage or a configured database is broken)
 * @param components one entry per dependency
 * @param providers the providers and whether each is configured and reachable
 */
public record HealthReport(
    String status,
    String version,
    Instant checkedAt,
    List<ComponentHealth> components,
    List<ProviderInfo> providers,
    List<String> warnings) {}
