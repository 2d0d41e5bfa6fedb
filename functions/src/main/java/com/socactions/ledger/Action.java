package com.socactions.ledger;

/** What a ledger row enforces: a block, or an allow that no block may override. */
public enum Action {
  BLOCK,
  ALLOW
}
