package com.socactions.providers;

import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.Locale;

/**
 * What a provider's cheap readiness check found.
 *
 * @param status see {@link Status}
 * @param detail a sentence for the SOC engineer: what works, or what is wrong and which setting to
 *     look at (never a secret's value)
 * @param type the data's type where it has one (a GeoIP database's {@code database_type})
 * @param buildDate when the data was built (GeoIP databases)
 * @param ageDays whole days since {@code buildDate}
 */
public record Readiness(
    Status status, String detail, String type, Instant buildDate, Long ageDays) {

  /** From best to worst. */
  public enum Status {
    /** Configured and answering. */
    OK,
    /**
     * Works with a caveat: stale data, an optional part missing, an upstream slow or unreachable
     * for now.
     */
    DEGRADED,
    /** Configured but broken: a bad setting, unreadable data, refused credentials. */
    ERROR,
    /** Its settings are absent: a choice, not a fault. */
    NOT_CONFIGURED;

    @JsonValue
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public static Readiness ok(String detail) {
    return new Readiness(Status.OK, detail, null, null, null);
  }

  public static Readiness degraded(String detail) {
    return new Readiness(Status.DEGRADED, detail, null, null, null);
  }

  public static Readiness error(String detail) {
    return new Readiness(Status.ERROR, detail, null, null, null);
  }

  public static Readiness notConfigured(String detail) {
    return new Readiness(Status.NOT_CONFIGURED, detail, null, null, null);
  }
}
