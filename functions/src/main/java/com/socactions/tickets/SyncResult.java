package com.socactions.tickets;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * What {@code SyncTicket} answers.
 *
 * @param system the ticket system
 * @param incidentId the incident's ARM id
 * @param ticketId the system's id of the ticket
 * @param ticketNumber the ticket's number
 * @param url the ticket's address
 * @param action created, updated or unchanged
 * @param fieldsChanged the fields written (all of them on create)
 * @param commentsCopied how many incident comments were copied to the ticket
 * @param commentHtml one line for the incident naming the ticket, with a link
 */
public record SyncResult(
    String system,
    @JsonProperty("incident_id") String incidentId,
    @JsonProperty("ticket_id") String ticketId,
    @JsonProperty("ticket_number") String ticketNumber,
    String url,
    String action,
    @JsonProperty("fields_changed") List<String> fieldsChanged,
    @JsonProperty("comments_copied") int commentsCopied,
    @JsonProperty("comment_html") String commentHtml) {
  public static final String CREATED = "created";
  public static final String UPDATED = "updated";
  public static final String UNCHANGED = "unchanged";
}
