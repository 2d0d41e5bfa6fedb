package com.socactions.tickets;

import com.socactions.platform.ConfigurationException;
import com.socactions.platform.Settings;
import com.socactions.sentinel.IncidentStatus;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;

/**
 * The Sentinel vocabularies the ticket maps are keyed by, and the parser of {@code Key=value,...}
 * settings.
 */
final class TicketMaps {
  static final List<String> SEVERITIES = List.of("High", "Medium", "Low", "Informational");
  static final List<String> STATUSES =
      Arrays.stream(IncidentStatus.values()).map(IncidentStatus::wireName).toList();
  static final List<String> CLASSIFICATIONS =
      List.of("TruePositive", "BenignPositive", "FalsePositive", "Undetermined");

  private TicketMaps() {}

  /**
   * {@code Key=value} pairs separated by commas: the defaults, overridden key by key by the
   * setting.
   *
   * @throws ConfigurationException naming the setting when a pair is malformed or its key is not
   *     one of {@code keys}
   */
  static Map<String, String> pairs(
      Settings settings, String setting, String defaults, List<String> keys) {
    return merged(
        settings,
        setting,
        defaults,
        (key, value) -> keys.contains(key),
        "pairs such as "
            + keys.get(0)
            + "=value separated by commas, with keys "
            + String.join(", ", keys));
  }

  /**
   * {@code Name=value} pairs whose names are the ITSM's own (free text) and whose values are one of
   * {@code values}, e.g. Jira resolutions to Sentinel classifications; merged as {@link #pairs}.
   *
   * @throws ConfigurationException naming the setting when a pair is malformed or its value is not
   *     one of {@code values}
   */
  static Map<String, String> namedPairs(
      Settings settings, String setting, String defaults, List<String> values) {
    return merged(
        settings,
        setting,
        defaults,
        (key, value) -> !key.isEmpty() && values.contains(value),
        "pairs such as Name="
            + values.get(0)
            + " separated by commas, with values "
            + String.join(", ", values));
  }

  private static Map<String, String> merged(
      Settings settings,
      String setting,
      String defaults,
      BiPredicate<String, String> valid,
      String shape) {
    Map<String, String> map = new LinkedHashMap<>(parse(setting, defaults, valid, shape));
    settings.get(setting).ifPresent(text -> map.putAll(parse(setting, text, valid, shape)));
    return Collections.unmodifiableMap(
        map); // in the order written: a reverse lookup takes the first
  }

  private static Map<String, String> parse(
      String setting, String text, BiPredicate<String, String> valid, String shape) {
    Map<String, String> map = new LinkedHashMap<>();
    for (String pair : text.split(",")) {
      if (pair.isBlank()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = eq < 0 ? "" : pair.substring(0, eq).strip();
      String value = eq < 0 ? "" : pair.substring(eq + 1).strip();
      if (value.isEmpty() || !valid.test(key, value)) {
        throw new ConfigurationException(
            setting,
            "Setting " + setting + " takes " + shape + "; '" + pair.strip() + "' is not one");
      }
      map.put(key, value);
    }
    return map;
  }
}
