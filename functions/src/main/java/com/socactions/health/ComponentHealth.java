package com.socactions.health;

import java.time.Instant;

/**
 * The state of one dependency in {@code GetHealth}.
 *
 * @param name {@code storage}, {@code geoip-geo}, {@code geoip-asn}, {@code rdap}
 * @param status {@code ok}, {@code degraded} (works with a caveat, e.g. a stale database),
 *     {@code error} (configured but broken or unreachable), {@code not_configured}
 * @param detail a sentence for the SOC engineer: what is wrong and which setting to look at
 * @param type database type (GeoIP only)
 * @param buildDate database build date (GeoIP only)
 * @param ageDays whole days since the build (GeoIP only)
 */
public record ComponentHealth(String name, String status, String detail, String type, Instant buildDate, Long ageDays) {
  public static ComponentHealth of(String name, String status, String detail) {
    return new ComponentHealth(name, status, detail, null, null, null);
  }
}
