package com.socactions.tickets;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * One ticket in a system's change feed ({@link TicketSystem#changesAfter}).
 *
 * @param ticketId the ticket's id ({@link TicketRef#id()}), by which its link is found
 * @param position where the change stands in the system's change order
 * @param record the ticket as the feed read it (ServiceNow row, Jira issue with its fields), kept
 *     so that {@link TicketSystem#states} needs no second read of it
 */
public record TicketChange(String ticketId, ChangePosition position, ObjectNode record) {
  public TicketChange {
    Objects.requireNonNull(ticketId, "'ticketId' cannot be null.");
    Objects.requireNonNull(position, "'position' cannot be null.");
    Objects.requireNonNull(record, "'record' cannot be null.");
  }
}
