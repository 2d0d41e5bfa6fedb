package com.socactions.tickets.jira;

import com.socactions.platform.InvalidInputException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pieces of JQL built so that a value is always data and never syntax, and the correlation label
 * that ties a Jira issue to a Sentinel incident.
 *
 * <p>Inside a double-quoted JQL string only {@code "} and {@code \} are special; {@link #quote}
 * escapes both, so reserved words ({@code AND}, {@code ORDER BY}), operators and reserved
 * characters in a value stay text. Control and line-separator characters cannot be written safely
 * in every Jira parser and no legitimate key holds them, so they are refused.
 */
public final class Jql {
  /** The default prefix of the label that names the Sentinel incident an issue was made for. */
  public static final String DEFAULT_CORRELATION_PREFIX = "sentinel-";

  /** Jira refuses labels longer than this (characters). */
  public static final int MAX_LABEL_LENGTH = 255;

  /**
   * The characters a correlation label may hold: labels cannot contain spaces, and keeping to a
   * small set means the label reads the same in JQL, in URLs and in the Jira UI.
   */
  private static final Pattern LABEL = Pattern.compile("[a-z0-9][a-z0-9._:-]*");

  /** An issue key: project key, a dash, the issue number (no leading zero). */
  private static final Pattern ISSUE_KEY = Pattern.compile("([A-Z][A-Z0-9_]*)-([1-9][0-9]*)");

  /** JQL's date-time literal; Jira reads it in the time zone of the calling account's profile. */
  private static final DateTimeFormatter DATE_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);

  private Jql() {}

  /**
   * {@code value} as a JQL string literal: in double quotes, with {@code "} and {@code \} escaped.
   *
   * @throws InvalidInputException (field {@code jql}) when the value is null or holds a control or
   *     line-separator character
   */
  public static String quote(String value) {
    if (value == null) {
      throw InvalidInputException.of("jql", "a JQL value cannot be null");
    }
    StringBuilder quoted = new StringBuilder(value.length() + 2).append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      int type = Character.getType(c);
      if (Character.isISOControl(c)
          || type == Character.LINE_SEPARATOR
          || type == Character.PARAGRAPH_SEPARATOR) {
        throw InvalidInputException.of(
            "jql",
            "a value with a control or line-break character cannot be used in a "
                + "JQL query (character U+"
                + String.format(Locale.ROOT, "%04X", (int) c)
                + " at "
                + i
                + ")");
      }
      if (c == '"' || c == '\\') {
        quoted.append('\\');
      }
      quoted.append(c);
    }
    return quoted.append('"').toString();
  }

  /** {@code project = "KEY" AND labels = "label"}: the issues that carry a correlation label. */
  public static String projectAndLabel(String project, String label) {
    return "project = " + quote(project) + " AND labels = " + quote(label);
  }

  /**
   * {@code project = "KEY" AND updated >= "yyyy-MM-dd HH:mm" ORDER BY updated ASC}: the issues
   * changed since {@code since}, oldest change first. JQL has minute precision and reads the
   * literal in the account's profile time zone, so pass that zone and overlap the window a little.
   */
  public static String updatedSince(String project, Instant since, ZoneId accountZone) {
    return "project = "
        + quote(project)
        + " AND updated >= "
        + dateTime(since, accountZone)
        + " ORDER BY updated ASC";
  }

  /**
   * {@code labels = "label" AND updated >= "yyyy-MM-dd HH:mm" ORDER BY updated ASC, key ASC}: the
   * issues of any project that carry {@code label} and changed since the minute of {@code since},
   * in change order (oldest change first, issues changed at the same time by key); the date literal
   * as in {@link #updatedSince}. JQL cannot say "after this issue" within a minute, so a caller
   * that must not see an issue twice skips those at or before its own position.
   */
  public static String labelUpdatedSince(String label, Instant since, ZoneId accountZone) {
    return "labels = "
        + quote(label)
        + " AND updated >= "
        + dateTime(since, accountZone)
        + " ORDER BY updated ASC, key ASC";
  }

  /**
   * Jira's order of issue keys: by project key, then by issue number as a number ({@code SOC-9}
   * before {@code SOC-10}); the empty text first (a position before every key); anything else that
   * is not a key sorts as text after every key.
   */
  public static final Comparator<String> KEY_ORDER = Jql::compareKeys;

  private static int compareKeys(String a, String b) {
    if (a.isEmpty() || b.isEmpty()) {
      return Boolean.compare(!a.isEmpty(), !b.isEmpty());
    }
    Matcher x = ISSUE_KEY.matcher(a);
    Matcher y = ISSUE_KEY.matcher(b);
    boolean xKey = x.matches();
    boolean yKey = y.matches();
    if (xKey && yKey) {
      int project = x.group(1).compareTo(y.group(1));
      if (project != 0) {
        return project;
      }
      int length = Integer.compare(x.group(2).length(), y.group(2).length());
      return length != 0 ? length : x.group(2).compareTo(y.group(2));
    }
    if (xKey != yKey) {
      return xKey ? -1 : 1;
    }
    return a.compareTo(b);
  }

  /** {@code "yyyy-MM-dd HH:mm"} for {@code instant} in {@code zone}, rounded down to the minute. */
  public static String dateTime(Instant instant, ZoneId zone) {
    return quote(DATE_TIME.format(instant.atZone(zone)));
  }

  /** {@link #correlationLabel(String, String)} with {@link #DEFAULT_CORRELATION_PREFIX}. */
  public static String correlationLabel(String incidentId) {
    return correlationLabel(DEFAULT_CORRELATION_PREFIX, incidentId);
  }

  /**
   * The label that names the Sentinel incident an issue was made for: {@code prefix} followed by
   * the incident id in lower case (Sentinel incident ids are GUIDs; JQL matches labels without
   * case). The mapping is one to one: an id it cannot write as is, is refused rather than altered,
   * so two incidents never share a label.
   *
   * @throws InvalidInputException (field {@code incident_id}) when the id is empty, holds
   *     characters other than letters, digits, {@code .}, {@code _}, {@code :} and {@code -}, or
   *     makes the label longer than {@value #MAX_LABEL_LENGTH}
   * @throws IllegalArgumentException when the prefix itself is not label text (a programming error)
   */
  public static String correlationLabel(String prefix, String incidentId) {
    if (prefix == null || !(prefix.isEmpty() || LABEL.matcher(prefix).matches())) {
      throw new IllegalArgumentException(
          "'prefix' must be lower-case label text such as sentinel-, not '" + prefix + "'");
    }
    String id = incidentId == null ? "" : incidentId.toLowerCase(Locale.ROOT);
    String label = prefix + id;
    if (id.isEmpty() || !LABEL.matcher(id).matches() || label.length() > MAX_LABEL_LENGTH) {
      throw InvalidInputException.of(
          "incident_id",
          "an incident id must be letters, digits, '.', '_', ':' or '-' "
              + "(at most "
              + (MAX_LABEL_LENGTH - prefix.length())
              + " characters) to name a Jira label");
    }
    return label;
  }
}
