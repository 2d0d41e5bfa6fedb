package com.socactions.enrichment;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How one item of a batch went; the item's {@code errors} say why when it is not {@code ok}. */
public enum LookupStatus {
  /**
   * Every requested lookup answered (an address in no database network still counts: geo is null).
   */
  OK,
  /** Some requested lookups answered, some failed. */
  PARTIAL,
  /** No requested lookup answered. */
  FAILED,
  /** The item is not an IP address / domain name. */
  INVALID,
  /** Not looked up on purpose: a private, loopback, documentation... address. */
  SKIPPED;

  private final String wireName = name().toLowerCase(Locale.ROOT);

  @JsonValue
  public String wireName() {
    return wireName;
  }
}
