package com.socactions.tickets;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

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
    String action,
    List<String> changes) {
  public static final String APPLIED = "applied";
  public static final String UNCHANGED = "unchanged";
  public static final String IGNORED = "ignored";
  public static final String FAILED = "failed";
}
