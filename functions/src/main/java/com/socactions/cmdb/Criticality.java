package com.socactions.cmdb;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * How much the business depends on an asset, from most to least; the contract's {@code
 * criticality}.
 */
public enum Criticality {
  CRITICAL,
  HIGH,
  MEDIUM,
  LOW;

  /** The name on the wire: {@code critical}, {@code high}, ... */
  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The criticality with this wire name (any case, surrounding blanks ignored), if there is one.
   */
  public static Optional<Criticality> parse(String text) {
    String wanted = text == null ? "" : text.trim();
    return Arrays.stream(values()).filter(c -> c.wireName().equalsIgnoreCase(wanted)).findFirst();
  }
}
