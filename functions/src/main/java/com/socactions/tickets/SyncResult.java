package com.socactions.tickets;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Locale;

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
    Action action,
    @JsonProperty("fields_changed") List<String> fieldsChanged,
    @JsonProperty("comments_copied") int commentsCopied,
    @JsonProperty("comment_html") String commentHtml) {
  /** What the sync did to the ticket; written as its wire name. */
  public enum Action {
    CREATED,
    UPDATED,
    UNCHANGED;

    /** The name in answers and decision rows: the constant's, lower case. */
    @JsonValue
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
