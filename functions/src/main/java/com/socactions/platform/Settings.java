package com.socactions.platform;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * App settings, the Azure Functions way: environment variables (Key Vault references are resolved
 * by the platform before we see them). A Java system property of the same name wins over the
 * environment, so the local host and tests can point a setting elsewhere without a new process.
 *
 * <p>Values are read once into an immutable snapshot; blank values count as absent.
 */
public final class Settings {
  private static final List<String> SECRET_MARKERS =
      List.of("PASSWORD", "SECRET", "TOKEN", "KEY", "CONNECTION", "STORAGE");

  private final Map<String, String> values;

  private Settings(Map<String, String> values) {
    this.values = Map.copyOf(values);
  }

  /** The environment, overlaid by system properties of the same name. */
  public static Settings fromProcess() {
    Map<String, String> merged = new HashMap<>();
    System.getenv()
        .forEach(
            (name, value) -> {
              if (value != null && !value.isBlank()) {
                merged.put(name, value.trim());
              }
            });
    System.getProperties()
        .forEach(
            (name, value) -> {
              if (name instanceof String key
                  && value instanceof String text
                  && !text.isBlank()
                  && key.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                merged.put(key, text.trim());
              }
            });
    return new Settings(merged);
  }

  /** Exactly the given values; for tests and tools. */
  public static Settings of(Map<String, String> values) {
    Map<String, String> nonBlank = new HashMap<>();
    values.forEach(
        (name, value) -> {
          if (value != null && !value.isBlank()) {
            nonBlank.put(name, value.trim());
          }
        });
    return new Settings(nonBlank);
  }

  public Optional<String> get(String name) {
    return Optional.ofNullable(values.get(name));
  }

  public String get(String name, String defaultValue) {
    return values.getOrDefault(name, defaultValue);
  }

  /**
   * A setting that must be there.
   *
   * @param why what needs it, e.g. {@code ServiceNow sign-in is half configured}
   * @throws ConfigurationException naming the setting when it is missing
   */
  public String required(String name, String why) {
    return get(name)
        .orElseThrow(
            () ->
                new ConfigurationException(name, "Setting " + name + " is missing (" + why + ")"));
  }

  public boolean isSet(String name) {
    return values.containsKey(name);
  }

  /**
   * Whether a setting holds a secret (a password, key, token or connection string), whose value
   * must never appear in a message, a log line or an answer.
   */
  public static boolean isSecret(String name) {
    String upper = name.toUpperCase(Locale.ROOT);
    return SECRET_MARKERS.stream().anyMatch(upper::contains);
  }

  /** The value as it may be shown in a message: quoted, or "(hidden)" for a secret. */
  private static String shown(String name, String value) {
    return isSecret(name) ? "a value (hidden: it is a secret)" : "'" + value + "'";
  }

  /**
   * {@code true}/{@code false} (any case).
   *
   * @throws ConfigurationException for anything else, naming the setting
   */
  public boolean getBoolean(String name, boolean defaultValue) {
    String value = values.get(name);
    if (value == null) {
      return defaultValue;
    }
    if (value.equalsIgnoreCase("true")) {
      return true;
    }
    if (value.equalsIgnoreCase("false")) {
      return false;
    }
    throw new ConfigurationException(
        name, "Setting " + name + " must be true or false, not " + shown(name, value));
  }

  /** An ISO-8601 duration such as {@code PT10S}. */
  public Duration getDuration(String name, Duration defaultValue) {
    String value = values.get(name);
    if (value == null) {
      return defaultValue;
    }
    try {
      return Duration.parse(value);
    } catch (RuntimeException e) {
      throw new ConfigurationException(
          name,
          "Setting "
              + name
              + " must be an ISO-8601 duration such as PT10S, not "
              + shown(name, value));
    }
  }

  public int getInt(String name, int defaultValue) {
    String value = values.get(name);
    if (value == null) {
      return defaultValue;
    }
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new ConfigurationException(
          name, "Setting " + name + " must be a whole number, not " + shown(name, value));
    }
  }
}
