package com.socactions.tickets.jira;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** Jira's date-times ({@code 2021-02-26T01:45:03.821+0000}: an offset without a colon). */
public final class JiraDates {
  private static final DateTimeFormatter JIRA =
      new DateTimeFormatterBuilder()
          .appendPattern("yyyy-MM-dd'T'HH:mm:ss")
          .optionalStart()
          .appendPattern(".SSS")
          .optionalEnd()
          .appendPattern("Z")
          .toFormatter(Locale.ROOT);
  static final DateTimeFormatter WRITE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ", Locale.ROOT);

  private JiraDates() {}

  /** The instant, or null when the text is null or not a Jira or ISO-8601 date-time. */
  public static Instant parse(String text) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text, JIRA).toInstant();
    } catch (DateTimeParseException notJira) {
      try {
        return OffsetDateTime.parse(text).toInstant();
      } catch (DateTimeParseException notIso) {
        return null;
      }
    }
  }
}
