package com.socactions.tickets;

import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The link between one incident and its ticket in one system, as {@link TicketLinks} stores it,
 * with what was last synced in each direction. A working copy: change it and save it with {@link
 * TicketLinks#save}, which fails if another run saved first.
 */
public final class TicketLink {
  /** A run has claimed the create and not finished it; {@link #ticket} is still null. */
  public static final String CREATING = "creating";

  public static final String LINKED = "linked";

  /** Most ids remembered per direction; older ones fall off (their comments are long copied). */
  static final int MAX_REMEMBERED_IDS = 400;

  final String system;
  final String incidentId;
  String state;
  String claimId;
  Instant claimedAt;
  TicketRef ticket;
  final Map<TicketField, String> digests = new EnumMap<>(TicketField.class);
  final Set<String> copiedCommentIds = new LinkedHashSet<>();
  final Set<String> appliedTicketCommentIds = new LinkedHashSet<>();
  Instant lastSyncedAt;
  Instant lastInboundAt;
  String lastInboundStatus;
  String etag;

  TicketLink(String system, String incidentId) {
    this.system = system;
    this.incidentId = incidentId;
  }

  public String system() {
    return system;
  }

  public String incidentId() {
    return incidentId;
  }

  public String state() {
    return state;
  }

  public TicketRef ticket() {
    return ticket;
  }

  public Instant lastSyncedAt() {
    return lastSyncedAt;
  }

  public Instant lastInboundAt() {
    return lastInboundAt;
  }

  public String lastInboundStatus() {
    return lastInboundStatus;
  }

  public Map<TicketField, String> digests() {
    return Map.copyOf(digests);
  }

  public boolean isLinked() {
    return LINKED.equals(state) && ticket != null;
  }

  void rememberCopied(List<String> ids) {
    remember(copiedCommentIds, ids);
  }

  void rememberApplied(List<String> ids) {
    remember(appliedTicketCommentIds, ids);
  }

  private static void remember(Set<String> set, List<String> ids) {
    set.addAll(ids);
    var it = set.iterator();
    while (set.size() > MAX_REMEMBERED_IDS && it.hasNext()) {
      it.next();
      it.remove();
    }
  }
}
