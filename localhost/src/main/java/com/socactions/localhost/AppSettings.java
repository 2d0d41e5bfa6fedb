package com.socactions.localhost;

/**
 * Reads app settings the way the local host promises: a Java system property wins over an
 * environment variable of the same name, so a developer can override the environment with {@code
 * -DNAME=value}.
 */
final class AppSettings {
  private AppSettings() {}

  /**
   * Returns the setting, or {@code null} when neither a system property nor an env var defines it.
   */
  static String get(String name) {
    String property = System.getProperty(name);
    return property != null ? property : System.getenv(name);
  }

  /** Like {@link #get(String)}, treating blank values as unset. */
  static String getNonBlank(String name) {
    return nonBlank(get(name));
  }

  /** {@code value}, or {@code null} when it is blank. */
  static String nonBlank(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
