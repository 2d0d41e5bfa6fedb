package com.socactions.ledger;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What a ledger row enforces: a block, or an allow that no block may override. */
public enum Action {
  BLOCK,
  ALLOW;

  /** The name answers show: {@code block}, {@code allow}. */
  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
