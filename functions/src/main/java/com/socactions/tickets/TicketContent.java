package com.socactions.tickets;

import com.socactions.sentinel.IncidentComment;
import com.socactions.sentinel.IncidentStatus;
import java.util.List;
import java.util.Objects;

/**
 * What the connector keeps on a ticket, derived from one Sentinel incident.
 *
 * @param incidentId the incident's ARM resource id (the link's key)
 * @param correlationId the incident's name (its GUID): written on the ticket (ServiceNow {@code
 *     correlation_id}, a Jira label) and searched for before any create, so a lost link row still
 *     finds the ticket
 * @param incidentNumber the number analysts see in Sentinel, or null
 * @param title the incident's title
 * @param description plain text: what the ticket's description says (incident URL, entities,
 *     tactics)
 * @param severity High, Medium, Low or Informational
 * @param status the incident's status
 * @param classification on a Closed incident: TruePositive, BenignPositive, FalsePositive or
 *     Undetermined; else null
 * @param closingNote the classification reason and comment of a Closed incident, or null
 * @param owner the owner's e-mail or UPN, or null when unassigned
 * @param labels the incident's labels
 * @param incidentUrl the incident in the Defender / Sentinel portal, or null
 * @param comments the incident's comments, oldest first
 */
public record TicketContent(
    String incidentId,
    String correlationId,
    String incidentNumber,
    String title,
    String description,
    String severity,
    IncidentStatus status,
    String classification,
    String closingNote,
    String owner,
    List<String> labels,
    String incidentUrl,
    List<IncidentComment> comments) {

  public TicketContent {
    Objects.requireNonNull(incidentId, "incidentId");
    Objects.requireNonNull(correlationId, "correlationId");
    labels = labels == null ? List.of() : List.copyOf(labels);
    comments = comments == null ? List.of() : List.copyOf(comments);
  }

  /** The text whose digest tells whether {@code field} changed since the last sync. */
  public String valueOf(TicketField field) {
    return switch (field) {
      case TITLE -> Objects.toString(title, "");
      case DESCRIPTION -> Objects.toString(description, "");
      case PRIORITY -> Objects.toString(severity, "");
      case STATUS ->
          (status == null ? "" : status.wireName()) + "|" + Objects.toString(classification, "");
      case OWNER -> Objects.toString(owner, "");
      case LABELS -> String.join("\n", labels.stream().sorted().toList());
    };
  }

  public boolean isClosed() {
    return status == IncidentStatus.CLOSED;
  }
}
