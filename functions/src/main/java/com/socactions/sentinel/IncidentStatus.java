package com.socactions.sentinel;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/** A Sentinel incident's status. */
public enum IncidentStatus {
  NEW("New"),
  ACTIVE("Active"),
  CLOSED("Closed");

  private final String wireName;

  IncidentStatus(String wireName) {
    this.wireName = wireName;
  }

  /** The name Sentinel uses: {@code New}, {@code Active}, {@code Closed}. */
  @JsonValue
  public String wireName() {
    return wireName;
  }

  /** The status with this name (any case), if there is one. */
  public static Optional<IncidentStatus> parse(String text) {
    return Arrays.stream(values())
        .filter(s -> s.wireName.equalsIgnoreCase(text == null ? "" : text.trim()))
        .findFirst();
  }
}
