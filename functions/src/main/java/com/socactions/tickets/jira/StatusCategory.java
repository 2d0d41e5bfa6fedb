package com.socactions.tickets.jira;

import java.util.Optional;

/**
 * Jira's three status categories. Workflows differ per project (statuses are named freely), but
 * every status belongs to one of these, which is what a sync can rely on.
 */
public enum StatusCategory {
  /** "To Do": not started. */
  NEW("new"),
  /** "In Progress". */
  IN_PROGRESS("indeterminate"),
  /** "Done": resolved, closed, won't do. */
  DONE("done");

  private final String key;

  StatusCategory(String key) {
    this.key = key;
  }

  /**
   * The key Jira uses ({@code statusCategory.key}): {@code new}, {@code indeterminate}, {@code
   * done}.
   */
  public String key() {
    return key;
  }

  /**
   * The category of a {@code statusCategory.key}; empty for anything else (e.g. {@code undefined}).
   */
  public static Optional<StatusCategory> ofKey(String key) {
    for (StatusCategory category : values()) {
      if (category.key.equals(key)) {
        return Optional.of(category);
      }
    }
    return Optional.empty();
  }
}
