package com.socactions.tickets;

/**
 * The ticket fields the connector keeps in step with the incident. The sync remembers a digest of
 * what it last sent for each, so a field changed on the incident is written once and a field nobody
 * changed is never written again (an analyst's edit on the ticket side is not overwritten by a
 * re-run).
 */
public enum TicketField {
  TITLE("title"),
  DESCRIPTION("description"),
  PRIORITY("priority"),
  STATUS("status"),
  OWNER("owner"),
  LABELS("labels");

  private final String wireName;

  TicketField(String wireName) {
    this.wireName = wireName;
  }

  /** The name used in {@code fields_changed}. */
  public String wireName() {
    return wireName;
  }
}
