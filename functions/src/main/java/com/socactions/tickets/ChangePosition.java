package com.socactions.tickets;

import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;

/**
 * A place in a ticket system's change order, which is by last update time, then by the system's key
 * for tickets changed at the same time: the catch-up poll's cursor is the position of the last
 * change it applied, and it reads on from just after it.
 *
 * @param updatedAt when the ticket last changed, as precise as the system says it (ServiceNow: the
 *     second; Jira: the millisecond)
 * @param key the ticket's key in the system's order among tickets changed at the same time
 *     (ServiceNow {@code sys_id}, Jira issue key); empty for a cursor that starts at {@code
 *     updatedAt}, before every ticket changed then
 */
public record ChangePosition(Instant updatedAt, String key) {
  /** Time, then key as text: ServiceNow orders {@code sys_id}s (lower-case hex) this way. */
  public static final Comparator<ChangePosition> BY_TIME_THEN_KEY =
      Comparator.comparing(ChangePosition::updatedAt).thenComparing(ChangePosition::key);

  public ChangePosition {
    Objects.requireNonNull(updatedAt, "'updatedAt' cannot be null.");
    Objects.requireNonNull(key, "'key' cannot be null.");
  }

  /** The position before every ticket changed at or after {@code time}. */
  public static ChangePosition startingAt(Instant time) {
    return new ChangePosition(time, "");
  }

  /** Whether this position starts at its time rather than naming a ticket changed then. */
  public boolean isStart() {
    return key.isEmpty();
  }
}
