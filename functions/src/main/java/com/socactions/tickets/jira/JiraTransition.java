package com.socactions.tickets.jira;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * A workflow transition that Jira offers for an issue now.
 *
 * @param id the transition's id (what {@link JiraClient#transition} takes)
 * @param name the transition's name (e.g. {@code Start progress})
 * @param toStatusId the id of the status it leads to
 * @param toStatusName the name of the status it leads to (e.g. {@code In Progress})
 * @param toCategoryKey the {@code statusCategory.key} of that status ("" when Jira sent none)
 * @param available whether the current user may take it now ({@code isAvailable}; true when absent)
 */
public record JiraTransition(
    String id,
    String name,
    String toStatusId,
    String toStatusName,
    String toCategoryKey,
    boolean available) {

  /** The category of the status it leads to, when Jira named one of the three. */
  public Optional<StatusCategory> toCategory() {
    return StatusCategory.ofKey(toCategoryKey);
  }

  static JiraTransition of(JsonNode transition) {
    JsonNode to = transition.path("to");
    return new JiraTransition(
        transition.path("id").asText(""),
        transition.path("name").asText(""),
        to.path("id").asText(""),
        to.path("name").asText(""),
        to.path("statusCategory").path("key").asText(""),
        transition.path("isAvailable").asBoolean(true));
  }
}
