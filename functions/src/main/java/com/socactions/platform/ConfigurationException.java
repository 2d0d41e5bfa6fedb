package com.socactions.platform;

import java.util.Optional;

/**
 * A setting is missing or malformed, so a capability cannot work until an administrator fixes it.
 * Names the setting; never carries a secret's value ({@link Settings#isSecret}).
 *
 * <p>Health reports it as an unhealthy component; an operation that needs the capability answers
 * with a problem naming the setting (retrying cannot help, so it is not a 5xx).
 */
public class ConfigurationException extends RuntimeException {
  private final String setting;

  public ConfigurationException(String setting, String message) {
    this(setting, message, null);
  }

  public ConfigurationException(String setting, String message, Throwable cause) {
    super(message, cause);
    this.setting = setting;
  }

  /** The setting to fix, when one is to blame. */
  public Optional<String> setting() {
    return Optional.ofNullable(setting);
  }
}
