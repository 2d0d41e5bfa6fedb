package com.socactions.tickets;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.socactions.platform.HtmlTable;
import com.socactions.sentinel.IncidentStatus;
import java.time.Instant;
import java.util.List;

/**
 * What {@code GetTicket} answers: the incident's linked tickets, the first one's fields at the top
 * (what a designer expression reaches most easily), and a comment naming them with links.
 */
public record TicketLookup(
    @JsonProperty("incident_id") String incidentId,
    boolean found,
    String system,
    @JsonProperty("ticket_id") String ticketId,
    @JsonProperty("ticket_number") String ticketNumber,
    String url,
    List<LinkedTicket> tickets,
    @JsonProperty("comment_html") String commentHtml) {

  /** One linked ticket with when it was last synced each way. */
  public record LinkedTicket(
      String system,
      @JsonProperty("ticket_id") String ticketId,
      @JsonProperty("ticket_number") String ticketNumber,
      String url,
      @JsonProperty("last_synced_at") Instant lastSyncedAt,
      @JsonProperty("last_inbound_at") Instant lastInboundAt,
      @JsonProperty("last_inbound_status") IncidentStatus lastInboundStatus) {

    static LinkedTicket of(TicketLink link) {
      return new LinkedTicket(
          link.system(),
          link.ticket().id(),
          link.ticket().number(),
          link.ticket().url(),
          link.lastSyncedAt(),
          link.lastInboundAt(),
          link.lastInboundStatus());
    }
  }

  static TicketLookup of(String incidentId, List<LinkedTicket> tickets) {
    if (tickets.isEmpty()) {
      return new TicketLookup(
          incidentId,
          false,
          null,
          null,
          null,
          null,
          tickets,
          "<p>No ticket is linked to this incident.</p>");
    }
    LinkedTicket first = tickets.get(0);
    StringBuilder html = new StringBuilder("<p>Linked tickets: ");
    for (int i = 0; i < tickets.size(); i++) {
      LinkedTicket ticket = tickets.get(i);
      String name =
          HtmlTable.escape(
              ticket.system()
                  + " "
                  + (ticket.ticketNumber() == null ? ticket.ticketId() : ticket.ticketNumber()));
      html.append(i == 0 ? "" : ", ")
          .append(
              ticket.url() == null
                  ? name
                  : "<a href=\"" + HtmlTable.escape(ticket.url()) + "\">" + name + "</a>");
    }
    return new TicketLookup(
        incidentId,
        true,
        first.system(),
        first.ticketId(),
        first.ticketNumber(),
        first.url(),
        tickets,
        html.append(".</p>").toString());
  }
}
