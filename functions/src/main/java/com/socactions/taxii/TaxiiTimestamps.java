package com.socactions.taxii;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;

/**
 * The timestamps of STIX 2.1 and TAXII 2.1: RFC 3339 in UTC with a {@code Z}. STIX {@code created}
 * and {@code modified} must be precise to the millisecond: they are written with three fraction
 * digits, or six when the time has microseconds. TAXII's dates added ({@code date_added}, {@code
 * X-TAXII-Date-Added-First/Last}) are written with six, so a client that sends one back as {@code
 * added_after} names exactly the object it saw last.
 */
final class TaxiiTimestamps {
  private static final DateTimeFormatter MILLIS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter MICROS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  private TaxiiTimestamps() {}

  /** A STIX timestamp: milliseconds, or microseconds when the time has them. */
  static String stix(Instant time) {
    Instant micros = time.truncatedTo(ChronoUnit.MICROS);
    return micros.getNano() % 1_000_000 == 0 ? MILLIS.format(micros) : MICROS.format(micros);
  }

  /** A TAXII date added: always microseconds. */
  static String dateAdded(Instant time) {
    return MICROS.format(time);
  }

  /**
   * An RFC 3339 timestamp a client sent ({@code added_after}, a version); empty when it is not one.
   * An offset other than {@code Z} is accepted and converted.
   */
  static Optional<Instant> parse(String text) {
    try {
      return Optional.of(OffsetDateTime.parse(text.trim()).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
