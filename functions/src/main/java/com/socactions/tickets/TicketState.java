package com.socactions.tickets;

import com.socactions.sentinel.IncidentStatus;
import java.time.Instant;
import java.util.List;

/**
 * A ticket as its system holds it now, translated to what it means for the incident.
 *
 * @param ticket the ticket
 * @param correlationId the incident's name the ticket carries, or null if it has none
 * @param statusName the ticket's own status name ({@code Resolved}, {@code In Progress})
 * @param incidentStatus what that status means for the incident: {@link IncidentStatus#CLOSED} for
 *     a resolved or closed ticket (the incident is closed), else open ({@link
 *     IncidentStatus#ACTIVE}: a closed incident is reopened)
 * @param classification for a resolved ticket, the Sentinel classification its close code maps to
 * @param classificationReason the Sentinel classification reason that goes with it, or null
 * @param closingNote the ticket's close notes or resolution, or null
 * @param updatedAt when the ticket last changed
 * @param updatedBy who changed it last (user name or account id), or null
 * @param comments the ticket's comments and work notes in the window asked for, oldest first
 */
public record TicketState(
    TicketRef ticket,
    String correlationId,
    String statusName,
    IncidentStatus incidentStatus,
    String classification,
    String classificationReason,
    String closingNote,
    Instant updatedAt,
    String updatedBy,
    List<TicketComment> comments) {

  public TicketState {
    comments = comments == null ? List.of() : List.copyOf(comments);
  }

  /**
   * One comment or work note on a ticket.
   *
   * @param id its stable id in the system (ServiceNow journal entry sys_id, Jira comment id)
   * @param text plain text
   * @param author who wrote it
   * @param createdAt when
   */
  public record TicketComment(String id, String text, String author, Instant createdAt) {}
}
