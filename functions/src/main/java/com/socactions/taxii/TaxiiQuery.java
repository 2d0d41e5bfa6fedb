package com.socactions.taxii;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The filters of a request for objects or a manifest, read from its query: {@code added_after},
 * {@code limit}, {@code next}, and {@code match[type]}, {@code match[id]}, {@code match[version]}
 * and {@code match[spec_version]} (each a comma-separated list, any of which may match; different
 * fields must all match). Unknown parameters are ignored.
 *
 * @param addedAfter only objects added strictly after this; null for any
 * @param limit at most this many objects
 * @param next the {@code next} of the previous page, as sent; null for the first page
 * @param types the types asked for; null for any
 * @param ids the STIX ids asked for; null for any
 * @param versions the versions asked for ({@code last}, {@code first}, {@code all} or timestamps)
 * @param specVersions the STIX versions asked for; null for any
 */
record TaxiiQuery(
    Instant addedAfter,
    int limit,
    String next,
    Set<String> types,
    List<String> ids,
    Set<String> versions,
    Set<String> specVersions) {

  /** Objects per page when the request does not say. */
  static final int DEFAULT_LIMIT = 1_000;

  /** Most objects per page: a larger {@code limit} gets this many. */
  static final int MAX_LIMIT = 10_000;

  /** Most ids one {@code match[id]} may list (each is a point read). */
  static final int MAX_IDS = 100;

  static TaxiiQuery parse(Map<String, String> query) {
    Instant addedAfter = null;
    String added = value(query, "added_after");
    if (added != null) {
      addedAfter =
          TaxiiTimestamps.parse(added)
              .orElseThrow(
                  () ->
                      TaxiiException.badParameter(
                          "added_after",
                          "must be an RFC 3339 timestamp such as 2026-03-01T12:00:00.000000Z"));
    }
    List<String> ids = list(query, "match[id]");
    if (ids != null && ids.size() > MAX_IDS) {
      throw TaxiiException.badParameter(
          "match[id]", "names at most " + MAX_IDS + " ids, not " + ids.size());
    }
    Set<String> versions = set(query, "match[version]");
    if (versions != null) {
      for (String version : versions) {
        if (!isKeyword(version) && TaxiiTimestamps.parse(version).isEmpty()) {
          throw TaxiiException.badParameter(
              "match[version]", "takes last, first, all or timestamps, not '" + version + "'");
        }
      }
    }
    return new TaxiiQuery(
        addedAfter,
        limit(value(query, "limit")),
        value(query, "next"),
        set(query, "match[type]"),
        ids,
        versions,
        set(query, "match[spec_version]"));
  }

  /** Whether objects of {@code type} may match. */
  boolean admitsType(String type) {
    return types == null || types.contains(type);
  }

  /** Whether STIX 2.1 objects may match. */
  boolean admitsSpec21() {
    return specVersions == null || specVersions.contains("2.1");
  }

  /**
   * Whether an object whose version is {@code modified} matches {@code match[version]}. A
   * collection holds only the latest version of each object, so {@code last}, {@code first} and
   * {@code all} all name it; a timestamp names it when it is that version.
   */
  boolean admitsVersion(Instant modified) {
    if (versions == null) {
      return true;
    }
    Instant version = modified.truncatedTo(ChronoUnit.MICROS);
    for (String wanted : versions) {
      if (isKeyword(wanted)
          || TaxiiTimestamps.parse(wanted)
              .map(time -> time.truncatedTo(ChronoUnit.MICROS).equals(version))
              .orElse(false)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isKeyword(String version) {
    return version.equals("last") || version.equals("first") || version.equals("all");
  }

  private static int limit(String text) {
    if (text == null) {
      return DEFAULT_LIMIT;
    }
    try {
      long limit = Long.parseLong(text.trim());
      if (limit >= 1) {
        return (int) Math.min(limit, MAX_LIMIT);
      }
    } catch (NumberFormatException notANumber) {
      // answered below
    }
    throw TaxiiException.badParameter("limit", "must be a whole number of 1 or more");
  }

  private static String value(Map<String, String> query, String name) {
    String value = query.get(name);
    return value == null || value.isBlank() ? null : value.trim();
  }

  private static List<String> list(Map<String, String> query, String name) {
    String value = value(query, name);
    if (value == null) {
      return null;
    }
    List<String> values = new ArrayList<>();
    for (String item : value.split(",")) {
      if (!item.isBlank()) {
        values.add(item.trim());
      }
    }
    return values;
  }

  private static Set<String> set(Map<String, String> query, String name) {
    List<String> values = list(query, name);
    if (values == null) {
      return null;
    }
    Set<String> set = new LinkedHashSet<>();
    for (String item : values) {
      String lower = item.toLowerCase(Locale.ROOT);
      set.add(isKeyword(lower) ? lower : item);
    }
    return set;
  }
}
