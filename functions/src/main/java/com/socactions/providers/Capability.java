package com.socactions.providers;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What a provider does for playbooks; {@code ListProviders?capability=} filters on it. */
public enum Capability {
  ENRICH,
  BLOCK,
  CMDB,
  TICKETS;

  /** The name on the wire: {@code enrich}, {@code block}, ... */
  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The capability with this wire name (any case), if there is one. */
  public static Optional<Capability> parse(String name) {
    return Arrays.stream(values())
        .filter(c -> c.wireName().equalsIgnoreCase(name.trim()))
        .findFirst();
  }

  /** The wire names, comma-separated, for messages. */
  public static String allNames() {
    return String.join(", ", Arrays.stream(values()).map(Capability::wireName).toList());
  }
}
