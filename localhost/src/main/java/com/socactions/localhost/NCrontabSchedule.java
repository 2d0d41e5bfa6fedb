package com.socactions.localhost;

import java.time.LocalDateTime;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * An NCRONTAB schedule as the Azure Functions timer trigger reads it: {@code {second} {minute}
 * {hour} {day} {month} {day-of-week}}, or five fields without the seconds (which then means second
 * 0). Each field accepts {@code *}, numbers, ranges {@code a-b}, lists {@code a,b}, steps {@code
 * *}{@code /n}, {@code a-b/n} and {@code a/n}, month names {@code JAN}-{@code DEC} and day names
 * {@code SUN}-{@code SAT} (case-insensitive). Day-of-week runs 0-6 from Sunday; 7 is Sunday too. As
 * in NCrontab, a time must match <em>both</em> the day and the day-of-week fields.
 *
 * <p>A schedule of the form {@code %NAME%} is first replaced by the app setting {@code NAME}.
 * Instances are immutable and thread-safe.
 */
public final class NCrontabSchedule {
  private static final Map<String, Integer> MONTHS =
      Map.ofEntries(
          Map.entry("JAN", 1),
          Map.entry("FEB", 2),
          Map.entry("MAR", 3),
          Map.entry("APR", 4),
          Map.entry("MAY", 5),
          Map.entry("JUN", 6),
          Map.entry("JUL", 7),
          Map.entry("AUG", 8),
          Map.entry("SEP", 9),
          Map.entry("OCT", 10),
          Map.entry("NOV", 11),
          Map.entry("DEC", 12));
  private static final Map<String, Integer> DAYS =
      Map.of("SUN", 0, "MON", 1, "TUE", 2, "WED", 3, "THU", 4, "FRI", 5, "SAT", 6);

  /** Long enough to find any satisfiable date, even Feb 29 on a given weekday (a 28-year cycle). */
  private static final int SEARCH_YEARS = 30;

  private final String expression;
  private final BitSet seconds;
  private final BitSet minutes;
  private final BitSet hours;
  private final BitSet days;
  private final BitSet months;
  private final BitSet daysOfWeek;

  private NCrontabSchedule(String expression, BitSet[] fields) {
    this.expression = expression;
    this.seconds = fields[0];
    this.minutes = fields[1];
    this.hours = fields[2];
    this.days = fields[3];
    this.months = fields[4];
    this.daysOfWeek = fields[5];
  }

  /**
   * Parses an expression, resolving a {@code %NAME%} reference from the app settings (system
   * property, then environment variable).
   *
   * @throws IllegalArgumentException when the expression is malformed (the message names the bad
   *     field) or references an undefined setting
   */
  public static NCrontabSchedule parse(String expression) {
    return parse(expression, AppSettings::get);
  }

  /**
   * Parses an expression, resolving a {@code %NAME%} reference with {@code settings}.
   *
   * @throws IllegalArgumentException when the expression is malformed (the message names the bad
   *     field) or references a setting for which {@code settings} returns null
   */
  public static NCrontabSchedule parse(String expression, Function<String, String> settings) {
    if (expression == null) {
      throw new IllegalArgumentException("NCRONTAB expression is null");
    }
    String resolved = expression.strip();
    if (resolved.length() > 2 && resolved.startsWith("%") && resolved.endsWith("%")) {
      String name = resolved.substring(1, resolved.length() - 1);
      resolved = settings.apply(name);
      if (resolved == null || resolved.isBlank()) {
        throw new IllegalArgumentException(
            "Schedule " + expression + " refers to app setting " + name + ", which is not set");
      }
      resolved = resolved.strip();
    }
    String[] parts = resolved.split("\\s+");
    if (parts.length == 5) {
      parts = new String[] {"0", parts[0], parts[1], parts[2], parts[3], parts[4]};
    } else if (parts.length != 6) {
      throw new IllegalArgumentException(
          "Invalid NCRONTAB expression '"
              + resolved
              + "': expected 6 fields (second minute hour day month day-of-week) or 5, found "
              + parts.length);
    }
    BitSet[] fields = {
      field(resolved, "second", parts[0], 0, 59, Map.of()),
      field(resolved, "minute", parts[1], 0, 59, Map.of()),
      field(resolved, "hour", parts[2], 0, 23, Map.of()),
      field(resolved, "day", parts[3], 1, 31, Map.of()),
      field(resolved, "month", parts[4], 1, 12, MONTHS),
      field(resolved, "day-of-week", parts[5], 0, 7, DAYS)
    };
    if (fields[5].get(7)) {
      fields[5].clear(7);
      fields[5].set(0);
    }
    return new NCrontabSchedule(resolved, fields);
  }

  private static BitSet field(
      String expression,
      String fieldName,
      String text,
      int min,
      int max,
      Map<String, Integer> names) {
    BitSet values = new BitSet(max + 1);
    for (String item : text.split(",", -1)) {
      try {
        addItem(values, item, min, max, names);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "Invalid NCRONTAB expression '"
                + expression
                + "': "
                + fieldName
                + " field '"
                + text
                + "': "
                + e.getMessage(),
            e);
      }
    }
    return values;
  }

  private static void addItem(
      BitSet values, String item, int min, int max, Map<String, Integer> names) {
    if (item.isEmpty()) {
      throw new IllegalArgumentException("empty list item");
    }
    String range = item;
    int step = 1;
    boolean stepped = false;
    int slash = item.indexOf('/');
    if (slash >= 0) {
      range = item.substring(0, slash);
      step = number(item.substring(slash + 1), Map.of());
      stepped = true;
      if (step <= 0) {
        throw new IllegalArgumentException("step must be positive");
      }
    }
    int low;
    int high;
    if (range.equals("*")) {
      low = min;
      high = max == 7 ? 6 : max;
    } else if (range.indexOf('-') > 0) {
      low = number(range.substring(0, range.indexOf('-')), names);
      high = number(range.substring(range.indexOf('-') + 1), names);
    } else {
      low = number(range, names);
      high = stepped ? (max == 7 ? 6 : max) : low;
    }
    if (low < min || high > max || low > high) {
      throw new IllegalArgumentException(
          "'" + item + "' is outside " + min + "-" + max + " or reversed");
    }
    for (int value = low; value <= high; value += step) {
      values.set(value);
    }
  }

  private static int number(String text, Map<String, Integer> names) {
    Integer named = names.get(text.toUpperCase(Locale.ROOT));
    if (named != null) {
      return named;
    }
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a number" + (names.isEmpty() ? "" : " or name"));
    }
  }

  /** The expression after {@code %SETTING%} resolution. */
  public String expression() {
    return expression;
  }

  /**
   * The first occurrence strictly after {@code after}, in {@code after}'s time zone. Skips
   * non-matching months, days, hours and minutes whole, so the cost is a few hundred steps even for
   * yearly schedules. A local time that falls into a daylight-saving gap runs at the shifted
   * (later) instant.
   *
   * @throws IllegalStateException when the schedule never fires (e.g. {@code 0 0 0 30 FEB *})
   */
  public ZonedDateTime next(ZonedDateTime after) {
    LocalDateTime t = after.toLocalDateTime().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
    LocalDateTime limit = t.plusYears(SEARCH_YEARS);
    while (t.isBefore(limit)) {
      if (!months.get(t.getMonthValue())) {
        t = t.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1).plusMonths(1);
      } else if (!days.get(t.getDayOfMonth()) || !daysOfWeek.get(t.getDayOfWeek().getValue() % 7)) {
        t = t.truncatedTo(ChronoUnit.DAYS).plusDays(1);
      } else if (!hours.get(t.getHour())) {
        t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
      } else if (!minutes.get(t.getMinute())) {
        t = t.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
      } else {
        int second = seconds.nextSetBit(t.getSecond());
        if (second < 0) {
          t = t.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
          continue;
        }
        t = t.withSecond(second);
        // Prefer after's offset so that, in a repeated (fall-back) hour, we stay on the same side.
        ZonedDateTime candidate = ZonedDateTime.ofLocal(t, after.getZone(), after.getOffset());
        if (candidate.isAfter(after)) {
          return candidate;
        }
        t = t.plusSeconds(1);
      }
    }
    throw new IllegalStateException(
        "NCRONTAB expression '"
            + expression
            + "' has no occurrence within "
            + SEARCH_YEARS
            + " years after "
            + after);
  }

  @Override
  public String toString() {
    return expression;
  }
}
