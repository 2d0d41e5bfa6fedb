package com.socactions.tickets;

import com.socactions.sentinel.IncidentStatus;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The link between one incident and its ticket in one system, as {@link TicketLinks} stores it,
 * with what was last synced in each direction. Immutable: each step of a sync makes a new value
 * ({@link #linkedTo}, {@link #synced}, ...) and {@link TicketLinks#save} stores it, failing if
 * another run saved first.
 */
public final class TicketLink {
  /** Where a link stands; stored by its wire name. */
  public enum State {
    /** A run has claimed the create and not finished it; {@link #ticket} is still null. */
    CREATING,
    LINKED;

    /** The name stored: the constant's, lower case. */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The state stored as {@code text}, if it names one. */
    static Optional<State> parse(String text) {
      return Arrays.stream(values()).filter(s -> s.wireName().equals(text)).findFirst();
    }
  }

  /** Most ids remembered per direction; older ones fall off (their comments are long copied). */
  static final int MAX_REMEMBERED_IDS = 400;

  private final String system;
  private final String incidentId;
  private final State state;
  private final String claimId;
  private final Instant claimedAt;
  private final TicketRef ticket;
  private final Map<TicketField, String> digests;
  private final List<String> copiedCommentIds;
  private final List<String> appliedTicketCommentIds;
  private final Instant lastSyncedAt;
  private final Instant lastInboundAt;
  private final IncidentStatus lastInboundStatus;
  private final String etag;

  private TicketLink(Draft draft) {
    this.system = Objects.requireNonNull(draft.system, "'system' cannot be null.");
    this.incidentId = Objects.requireNonNull(draft.incidentId, "'incidentId' cannot be null.");
    this.state = draft.state;
    this.claimId = draft.claimId;
    this.claimedAt = draft.claimedAt;
    this.ticket = draft.ticket;
    EnumMap<TicketField, String> digests = new EnumMap<>(TicketField.class);
    digests.putAll(draft.digests);
    this.digests = Collections.unmodifiableMap(digests);
    this.copiedCommentIds = List.copyOf(draft.copiedCommentIds);
    this.appliedTicketCommentIds = List.copyOf(draft.appliedTicketCommentIds);
    this.lastSyncedAt = draft.lastSyncedAt;
    this.lastInboundAt = draft.lastInboundAt;
    this.lastInboundStatus = draft.lastInboundStatus;
    this.etag = draft.etag;
  }

  /**
   * The fields of a link being made: by {@link TicketLinks} from a row, and by each step from the
   * link before it. Not a link until {@link #build}.
   */
  static final class Draft {
    final String system;
    final String incidentId;
    State state;
    String claimId;
    Instant claimedAt;
    TicketRef ticket;
    Map<TicketField, String> digests = Map.of();
    List<String> copiedCommentIds = List.of();
    List<String> appliedTicketCommentIds = List.of();
    Instant lastSyncedAt;
    Instant lastInboundAt;
    IncidentStatus lastInboundStatus;
    String etag;

    Draft(String system, String incidentId) {
      this.system = system;
      this.incidentId = incidentId;
    }

    private Draft(TicketLink link) {
      this(link.system, link.incidentId);
      state = link.state;
      claimId = link.claimId;
      claimedAt = link.claimedAt;
      ticket = link.ticket;
      digests = link.digests;
      copiedCommentIds = link.copiedCommentIds;
      appliedTicketCommentIds = link.appliedTicketCommentIds;
      lastSyncedAt = link.lastSyncedAt;
      lastInboundAt = link.lastInboundAt;
      lastInboundStatus = link.lastInboundStatus;
      etag = link.etag;
    }

    TicketLink build() {
      return new TicketLink(this);
    }
  }

  /** A new claim of the create of an incident's ticket, not stored yet. */
  static TicketLink claim(String system, String incidentId, String claimId, Instant claimedAt) {
    Draft draft = new Draft(system, incidentId);
    draft.state = State.CREATING;
    draft.claimId = claimId;
    draft.claimedAt = claimedAt;
    return draft.build();
  }

  public String system() {
    return system;
  }

  public String incidentId() {
    return incidentId;
  }

  public State state() {
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

  /** The incident's status after the last inbound change, or null before one. */
  public IncidentStatus lastInboundStatus() {
    return lastInboundStatus;
  }

  public Map<TicketField, String> digests() {
    return digests;
  }

  public boolean isLinked() {
    return state == State.LINKED && ticket != null;
  }

  String claimId() {
    return claimId;
  }

  /** When the create was claimed, or null for a link stored without a claim time. */
  Instant claimedAt() {
    return claimedAt;
  }

  /** The incident comments already copied to the ticket, oldest first. */
  List<String> copiedCommentIds() {
    return copiedCommentIds;
  }

  /** The ticket comments already applied to the incident, oldest first. */
  List<String> appliedTicketCommentIds() {
    return appliedTicketCommentIds;
  }

  /** The ETag of the row this link was read from (or saved as); null before it was stored. */
  String etag() {
    return etag;
  }

  /** This link with the ticket it now names. */
  TicketLink linkedTo(TicketRef ticket) {
    Draft next = new Draft(this);
    next.state = State.LINKED;
    next.ticket = Objects.requireNonNull(ticket, "'ticket' cannot be null.");
    return next.build();
  }

  /** This (stale) claim taken over by another run. */
  TicketLink reclaimed(String claimId, Instant claimedAt) {
    Draft next = new Draft(this);
    next.claimId = claimId;
    next.claimedAt = claimedAt;
    return next.build();
  }

  /**
   * This link after an outbound sync wrote the fields of {@code fieldDigests} and copied the
   * incident comments {@code commentIds}.
   *
   * @param at when, or null to keep the last sync time (comments copied after the create)
   */
  TicketLink synced(Map<TicketField, String> fieldDigests, List<String> commentIds, Instant at) {
    Draft next = new Draft(this);
    next.digests = merged(digests, fieldDigests);
    next.copiedCommentIds = remember(copiedCommentIds, commentIds);
    next.lastSyncedAt = at == null ? lastSyncedAt : at;
    return next.build();
  }

  /**
   * This link after an inbound change left the incident in {@code status} (its {@link
   * TicketField#STATUS} digest {@code statusDigest}, so the outbound sync does not echo it), having
   * applied the ticket comments {@code commentIds}, as the ticket stood at {@code ticketUpdatedAt}
   * (kept only when later than the last one).
   */
  TicketLink inbound(
      IncidentStatus status,
      String statusDigest,
      List<String> commentIds,
      Instant ticketUpdatedAt) {
    Draft next = new Draft(this);
    next.digests = merged(digests, Map.of(TicketField.STATUS, statusDigest));
    next.appliedTicketCommentIds = remember(appliedTicketCommentIds, commentIds);
    if (ticketUpdatedAt != null
        && (lastInboundAt == null || ticketUpdatedAt.isAfter(lastInboundAt))) {
      next.lastInboundAt = ticketUpdatedAt;
    }
    next.lastInboundStatus = status;
    return next.build();
  }

  /** This link as stored with {@code etag}. */
  TicketLink withEtag(String etag) {
    Draft next = new Draft(this);
    next.etag = etag;
    return next.build();
  }

  private static Map<TicketField, String> merged(
      Map<TicketField, String> before, Map<TicketField, String> written) {
    EnumMap<TicketField, String> merged = new EnumMap<>(TicketField.class);
    merged.putAll(before);
    merged.putAll(written);
    return merged;
  }

  /**
   * {@code known} and then {@code ids}, once each, at most the newest {@link #MAX_REMEMBERED_IDS}.
   */
  private static List<String> remember(List<String> known, Collection<String> ids) {
    Set<String> set = new LinkedHashSet<>(known);
    set.addAll(ids);
    List<String> all = List.copyOf(set);
    return all.size() <= MAX_REMEMBERED_IDS
        ? all
        : all.subList(all.size() - MAX_REMEMBERED_IDS, all.size());
  }
}
