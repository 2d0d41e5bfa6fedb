package com.socactions.tickets;

import com.socactions.providers.Provider;
import com.socactions.sentinel.IncidentComment;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An ITSM the connector keeps tickets in (capability {@code tickets}). Implementations speak the
 * system's API and map the incident's fields to the ticket's; the {@link TicketSyncService} owns
 * idempotency, change detection and echo suppression, so a system never decides whether to write.
 *
 * <p>Every method may throw {@link com.socactions.platform.UpstreamException} (the system failed or
 * throttled) or {@link com.socactions.platform.ConfigurationException} (its settings are missing or
 * wrong).
 */
public interface TicketSystem extends Provider {
  /**
   * The ticket that carries {@code content}'s correlation id, if any: consulted before every
   * create, so a ticket whose link row was lost is found rather than made twice.
   */
  Optional<TicketRef> findByCorrelation(TicketContent content);

  /**
   * Creates the ticket with every field of {@code content} and its correlation id.
   *
   * @param options system-specific create options the caller passed (e.g. ServiceNow {@code
   *     assignment_group}, Jira {@code project}); unknown ones are refused by the service
   */
  TicketRef create(TicketContent content, Map<String, String> options);

  /** Writes {@code fields} of {@code content} to the ticket; the others are left as they are. */
  void update(TicketRef ticket, TicketContent content, Set<TicketField> fields);

  /** Appends the comments to the ticket (ServiceNow work notes, Jira comments), in order. */
  void addComments(TicketRef ticket, List<IncidentComment> comments);

  /**
   * The ticket by its id, with its current state and the comments added at or after {@code
   * commentsSince}, or empty if it no longer exists.
   */
  Optional<TicketState> read(String ticketId, Instant commentsSince);

  /**
   * Tickets this connector created (they carry a correlation id) that changed at or after {@code
   * since}, oldest change first, each with the comments added since then; at most {@code max}. Used
   * by the catch-up poll.
   */
  List<TicketState> changedSince(Instant since, int max);

  /**
   * The options {@link #create} understands, for validating a request before anything is written.
   */
  Set<String> createOptions();
}
