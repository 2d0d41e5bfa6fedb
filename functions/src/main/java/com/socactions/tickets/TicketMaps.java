package com.socactions.tickets;

import com.socactions.platform.ConfigurationException;
import com.socactions.platform.Settings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The Sentinel vocabularies the ticket maps are keyed by, and the parser of {@code Key=value,...} settings. */
final class TicketMaps {
  static final List<String> SEVERITIES = List.of("High", "Medium", "Low", "Informational");
  static final List<String> STATUSES = List.of("New", "Active", "Closed");
  static final List<String> CLASSIFICATIONS = List.of("TruePositive", "BenignPositive", "FalsePositive", "Undetermined");

  private TicketMaps() {}

  /**
   * {@code Key=value} pairs separated by commas: the defaults, overridden key by key by the setting.
   *
   * @throws ConfigurationException naming the setting when a pair is malformed or its key is not one of {@code keys}
   */
  static Map<String, String> pairs(Settings settings, String setting, String defaults, List<String> keys) {
    Map<String, String> map = new LinkedHashMap<>(parse(setting, defaults, keys));
    settings.get(setting).ifPresent(text -> map.putAll(parse(setting, text, keys)));
    return Map.copyOf(map);
  }

  private static Map<String, String> parse(String setting, String text, List<String> keys) {
    Map<String, String> map = new LinkedHashMap<>();
    for (String pair : text.split(",")) {
      if (pair.isBlank()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = eq < 0 ? "" : pair.substring(0, eq).strip();
      String value = eq < 0 ? "" : pair.substring(eq + 1).strip();
      if (!keys.contains(key) || value.isEmpty()) {
        throw new ConfigurationException(setting, "Setting " + setting + " takes pairs such as " + keys.get(0)
            + "=value separated by commas, with keys " + String.join(", ", keys) + "; '" + pair.strip() + "' is not one");
      }
      map.put(key, value);
    }
    return map;
  }
}
