package com.socactions.health;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.socactions.providers.Readiness;
import java.time.Instant;

/**
 * The state of one dependency in {@code GetHealth}: {@code storage}, then each provider by its id.
 *
 * @param status {@code ok}, {@code degraded} (works with a caveat, e.g. a stale database), {@code
 *     error} (configured but broken or unreachable), {@code not_configured}
 * @param detail a sentence for the SOC engineer: what is wrong and which setting to look at
 * @param type data type where there is one (GeoIP databases)
 * @param buildDate data build date (GeoIP databases)
 * @param ageDays whole days since the build (GeoIP databases)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ComponentHealth(
    String name,
    Readiness.Status status,
    String detail,
    String type,
    Instant buildDate,
    Long ageDays) {
  static ComponentHealth of(String name, Readiness readiness) {
    return new ComponentHealth(
        name,
        readiness.status(),
        readiness.detail(),
        readiness.type(),
        readiness.buildDate(),
        readiness.ageDays());
  }
}
