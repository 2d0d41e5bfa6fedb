package com.socactions.content;

/**
 * One breach of a {@link Rule}: the file (relative to the repository root), where in it (a JSON
 * path such as {@code $.resources[0].properties.definition.actions.Add_comment}) and what to fix.
 */
public record Finding(Rule rule, String file, String path, String message) {
  @Override
  public String toString() {
    return file + " " + path + ": " + message + " [" + rule.id() + "]";
  }
}
