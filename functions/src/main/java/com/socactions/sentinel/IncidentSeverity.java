package com.socactions.sentinel;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/** A Sentinel incident's severity, from least to most severe (so {@code compareTo} orders them). */
public enum IncidentSeverity {
  INFORMATIONAL("Informational"),
  LOW("Low"),
  MEDIUM("Medium"),
  HIGH("High");

  private final String wireName;

  IncidentSeverity(String wireName) {
    this.wireName = wireName;
  }

  /** The name Sentinel uses: {@code High}, {@code Medium}, ... */
  @JsonValue
  public String wireName() {
    return wireName;
  }

  /** The severity with this name (any case), if there is one. */
  public static Optional<IncidentSeverity> parse(String text) {
    return Arrays.stream(values())
        .filter(s -> s.wireName.equalsIgnoreCase(text == null ? "" : text.trim()))
        .findFirst();
  }

  /** The more severe of the two. */
  public IncidentSeverity atLeast(IncidentSeverity other) {
    return compareTo(other) >= 0 ? this : other;
  }
}
