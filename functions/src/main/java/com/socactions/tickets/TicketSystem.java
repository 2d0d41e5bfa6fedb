package com.socactions.tickets;

import com.socactions.providers.Provider;
import com.socactions.sentinel.IncidentComment;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

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
   * The tickets this connector created (they carry its correlation marker) whose last change comes
   * after {@code after} in {@link #changeOrder()}, oldest first, read {@code pageSize} at a time:
   * the catch-up poll's way through the system. Each page is read from the position reached, not
   * from an offset, so a ticket that changes while the feed is read is met again later and none is
   * skipped; a ticket changed at or before {@code after} is never returned.
   *
   * @param pageSize changes per page, 1 to 100
   */
  ChangeFeed changesAfter(ChangePosition after, int pageSize);

  /**
   * The order of {@link #changesAfter}: by update time, then by the system's ticket key in the
   * order the system sorts it. Default: {@link ChangePosition#BY_TIME_THEN_KEY}.
   */
  default Comparator<ChangePosition> changeOrder() {
    return ChangePosition.BY_TIME_THEN_KEY;
  }

  /**
   * How finely {@link #changesAfter} can start: zero when it starts right after any position
   * (ServiceNow's keyset), else the unit it rounds its start down to (Jira: JQL's minute), reading
   * and skipping the changes of that unit at or before the position. A poll that has read every
   * change up to its settle horizon moves its cursor on to the start of the next unit, so that the
   * next run does not read the last unit's changes again.
   */
  default Duration changeQueryUnit() {
    return Duration.ZERO;
  }

  /**
   * The current state of each changed ticket as its change record says, with the comments added at
   * or after what {@code commentsSince} gives for it, in the order given. Reads only comments
   * (ServiceNow: one journal query for them all; Jira: one comment read per issue).
   */
  List<TicketState> states(
      List<TicketChange> changes, Function<TicketChange, Instant> commentsSince);

  /**
   * The options {@link #create} understands, for validating a request before anything is written.
   */
  Set<String> createOptions();
}
