package com.socactions.tickets;

import java.util.List;

/**
 * The changes of a ticket system after a position, oldest first, read a page at a time as they are
 * asked for: how the catch-up poll walks a system without reading all of it at once. One feed
 * serves one run on one thread.
 */
public interface ChangeFeed {
  /**
   * The next changes after those already returned, oldest first: at most the page size the feed was
   * opened with, and empty once there are none left now. Each call costs at most one read of the
   * system, plus the pages a system must read past to skip changes at or before the start (Jira,
   * whose search can only start at a minute).
   *
   * @throws com.socactions.platform.UpstreamException when the system fails or refuses
   */
  List<TicketChange> next();

  /** Most changes a page may ask for: Jira serves at most 100 issues a page with their fields. */
  int MAX_PAGE_SIZE = 100;

  /**
   * @throws IllegalArgumentException when {@code pageSize} is not 1 to {@value #MAX_PAGE_SIZE}
   */
  static void checkPageSize(int pageSize) {
    if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
      throw new IllegalArgumentException(
          "'pageSize' must be 1 to " + MAX_PAGE_SIZE + ", not " + pageSize);
    }
  }
}
