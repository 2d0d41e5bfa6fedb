package com.socactions.tickets;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Locale;

/**
 * What an inbound change did to the incident.
 *
 * @param system the ticket system
 * @param ticketId the ticket
 * @param incidentId the linked incident, or null when the ticket is not linked
 * @param action {@code applied}, {@code unchanged} (nothing new: an echo of our own change, or a
 *     replay), {@code ignored} (not a ticket this connector links) or, from the catch-up only,
 *     {@code failed} (Sentinel refused the change for good, e.g. the incident is gone; passed)
 * @param changes what was done: {@code closed}, {@code reopened}, {@code comments:<n>}
 */
public record InboundResult(
    String system,
    @JsonProperty("ticket_id") String ticketId,
    @JsonProperty("incident_id") String incidentId,
    Action action,
    List<String> changes) {
  /** What the change did to the incident; written as its wire name. */
  public enum Action {
    APPLIED,
    UNCHANGED,
    IGNORED,
    FAILED;

    /** The name in answers and decision rows: the constant's, lower case. */
    @JsonValue
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
