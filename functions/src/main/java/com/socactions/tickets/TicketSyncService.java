package com.socactions.tickets;

import com.fasterxml.jackson.databind.JsonNode;
import com.socactions.decisions.DecisionLog;
import com.socactions.platform.ConfigurationException;
import com.socactions.platform.Digests;
import com.socactions.platform.HtmlTable;
import com.socactions.platform.InvalidInputException;
import com.socactions.platform.Sleeper;
import com.socactions.platform.UpstreamException;
import com.socactions.sentinel.IncidentComment;
import com.socactions.sentinel.Incidents;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Outbound ticket sync: one ticket per incident and system, whatever the retries, re-runs and
 * concurrent runs, with only changed fields written.
 *
 * <p><b>One ticket.</b> The link row ({@link TicketLinks}) is read first. Without one, the system
 * is searched for the incident's correlation id (a lost link row still finds its ticket); only then
 * does a run claim the create by inserting the link row, which one run alone can do. The others
 * wait for the winner's link (up to {@link #DEFAULT_CLAIM_WAIT}) and then update. A claim older
 * than {@link #DEFAULT_CLAIM_TIMEOUT} belongs to a run that died: the next run searches again (the
 * ticket may have been made) and takes the claim over.
 *
 * <p><b>Only what changed.</b> The link keeps a digest of each field as last written; a re-run
 * writes the fields whose digest differs and the incident comments not yet copied, and answers
 * {@code unchanged} without a single write when there are none. Comments that the inbound sync
 * itself put on the incident (they start with {@link #FROM_TICKET_PREFIX}) are never copied back.
 */
public final class TicketSyncService {
  /** A create claim older than this belongs to a run that died. */
  public static final Duration DEFAULT_CLAIM_TIMEOUT = Duration.ofMinutes(2);

  /** How long a run waits for another run's create before answering 503. */
  public static final Duration DEFAULT_CLAIM_WAIT = Duration.ofSeconds(20);

  static final Duration CLAIM_POLL_INTERVAL = Duration.ofMillis(250);
  static final int MAX_SAVE_ATTEMPTS = 5;

  /** Starts every incident comment that inbound sync wrote, so outbound sync never echoes it. */
  public static final String FROM_TICKET_PREFIX = "[From ";

  /** Starts every ticket comment that outbound sync wrote, so inbound sync never echoes it. */
  public static final String FROM_SENTINEL_PREFIX = "[Microsoft Sentinel]";

  private static final Comparator<TicketSystem> BY_ID = Comparator.comparing(TicketSystem::id);
  private final Map<String, TicketSystem> systems;
  private final TicketLinks links;
  private final Clock clock;
  private final Sleeper sleeper;
  private final Duration claimTimeout;
  private final Duration claimWait;
  private volatile DecisionLog decisions = DecisionLog.OFF;
  private volatile IncidentCommentReader comments = IncidentCommentReader.NONE;

  public TicketSyncService(
      List<TicketSystem> systems, TicketLinks links, Clock clock, Sleeper sleeper) {
    this(systems, links, clock, sleeper, DEFAULT_CLAIM_TIMEOUT, DEFAULT_CLAIM_WAIT);
  }

  TicketSyncService(
      List<TicketSystem> systems,
      TicketLinks links,
      Clock clock,
      Sleeper sleeper,
      Duration claimTimeout,
      Duration claimWait) {
    this.systems = systems.stream().collect(Collectors.toUnmodifiableMap(TicketSystem::id, s -> s));
    this.links = links;
    this.clock = clock;
    this.sleeper = sleeper;
    this.claimTimeout = claimTimeout;
    this.claimWait = claimWait;
  }

  /**
   * What a sync asks beyond the incident.
   *
   * @param copyComments whether to copy the incident's new comments
   * @param createOptions system-specific fields for the create (see {@link
   *     TicketSystem#createOptions()})
   */
  public record SyncOptions(boolean copyComments, Map<String, String> createOptions) {
    public SyncOptions {
      createOptions = createOptions == null ? Map.of() : Map.copyOf(createOptions);
    }

    public static SyncOptions defaults() {
      return new SyncOptions(true, Map.of());
    }
  }

  /**
   * The configured system by id.
   *
   * @throws InvalidInputException naming {@code system} when it is unknown
   * @throws com.socactions.platform.ConfigurationException when it is known but not configured
   */
  public TicketSystem system(String id) {
    TicketSystem system = systems.get(id);
    if (system == null) {
      throw InvalidInputException.of(
          "system",
          "'system' must be one of "
              + String.join(", ", systems.keySet().stream().sorted().toList())
              + ", not '"
              + id
              + "'");
    }
    if (!system.isConfigured()) {
      throw new ConfigurationException(
          system.id(),
          "Ticket system " + system.id() + " is not configured: " + system.description());
    }
    return system;
  }

  /**
   * What {@code SyncTicket} asks.
   *
   * @param system the ticket system's id
   * @param incident the incident as the playbook sent it (the Sentinel trigger's body or the REST
   *     resource)
   * @param options what the sync asks beyond the incident
   */
  public record SyncRequest(String system, JsonNode incident, SyncOptions options) {}

  /**
   * {@code SyncTicket}: checks the system before anything is read, reads the incident, fetches its
   * comments from Sentinel when the incident came without them and comments are to be copied, and
   * syncs.
   *
   * @throws InvalidInputException naming {@code system} or a field of {@code incident}
   * @throws ConfigurationException when the system asked for is not configured
   */
  public SyncResult sync(SyncRequest request) {
    system(request.system());
    TicketContent content =
        IncidentTickets.contentOf(Incidents.parse(request.incident(), "incident"));
    if (request.options().copyComments() && !Incidents.carriesComments(request.incident())) {
      content = comments.withComments(content);
    }
    return sync(content, request.system(), request.options());
  }

  /**
   * Where {@link #sync(SyncRequest)} reads the comments of an incident that came without them (by
   * default nowhere); set once by the module that builds it.
   */
  public TicketSyncService commentReader(IncidentCommentReader reader) {
    this.comments = Objects.requireNonNull(reader, "'reader' cannot be null.");
    return this;
  }

  /** Creates or updates the incident's ticket in {@code systemId}; see the class comment. */
  public SyncResult sync(TicketContent content, String systemId, SyncOptions options) {
    // Decisions to Log Analytics (issue 19): one record per sync, once its outcome is known.
    long started = clock.millis();
    try {
      SyncResult result = syncTicket(content, systemId, options);
      decisions.recordLazily(
          () ->
              List.of(
                  TicketDecisions.outbound(
                      result, content, clock.millis() - started, clock.instant())));
      return result;
    } catch (InvalidInputException e) {
      throw e;
    } catch (RuntimeException e) {
      decisions.recordLazily(
          () ->
              List.of(
                  TicketDecisions.outboundFailed(
                      systemId, content, e, clock.millis() - started, clock.instant())));
      throw e;
    }
  }

  /**
   * Where this service records its decisions (by default nowhere); set once by the module that
   * builds it.
   */
  public TicketSyncService decisionLog(DecisionLog log) {
    this.decisions = java.util.Objects.requireNonNull(log, "'log' cannot be null.");
    return this;
  }

  private SyncResult syncTicket(TicketContent content, String systemId, SyncOptions options) {
    TicketSystem system = system(systemId);
    for (String option : options.createOptions().keySet()) {
      if (!system.createOptions().contains(option)) {
        throw InvalidInputException.of(
            "options." + option,
            "Option '"
                + option
                + "' is not one "
                + systemId
                + " understands; it takes "
                + String.join(", ", system.createOptions().stream().sorted().toList()));
      }
    }
    Linked linked = linkedTicket(system, content, options);
    if (linked.created) {
      return result(
          content, linked.link, SyncResult.Action.CREATED, allFields(), linked.commentsCopied);
    }
    for (int attempt = 1; ; attempt++) {
      TicketLink link =
          attempt == 1 ? linked.link : links.get(system.id(), content.incidentId()).orElseThrow();
      Set<TicketField> changed = changedFields(content, link);
      List<IncidentComment> comments =
          options.copyComments() ? newComments(content, link) : List.of();
      if (changed.isEmpty() && comments.isEmpty()) {
        return result(content, link, SyncResult.Action.UNCHANGED, Set.of(), 0);
      }
      if (!changed.isEmpty()) {
        system.update(link.ticket(), content, changed);
      }
      if (!comments.isEmpty()) {
        system.addComments(link.ticket(), comments);
      }
      TicketLink synced = synced(link, content, changed, comments);
      try {
        links.save(synced);
        return result(content, synced, SyncResult.Action.UPDATED, changed, comments.size());
      } catch (TicketLinks.LinkConflict e) {
        // Another run synced the same incident meanwhile. What this run wrote is already on the
        // ticket; re-read and record it on top of theirs (writes are idempotent field values).
        if (attempt >= MAX_SAVE_ATTEMPTS) {
          throw busy(content);
        }
      }
    }
  }

  /** The incident's link in {@code system}, if any. */
  public Optional<TicketLink> link(String systemId, String incidentId) {
    return links.get(system(systemId).id(), incidentId);
  }

  /**
   * What {@code GetTicket} answers: the incident's tickets in {@code systemId}, or in every
   * configured system when it is empty.
   *
   * @throws InvalidInputException naming {@code system} when it is unknown
   * @throws ConfigurationException when the system asked for is not configured
   */
  public TicketLookup lookup(String incidentId, Optional<String> systemId) {
    List<TicketSystem> asked =
        systemId.isPresent()
            ? List.of(system(systemId.get()))
            : systems.values().stream().filter(TicketSystem::isConfigured).sorted(BY_ID).toList();
    List<TicketLookup.LinkedTicket> tickets = new ArrayList<>();
    for (TicketSystem system : asked) {
      links
          .get(system.id(), incidentId)
          .filter(TicketLink::isLinked)
          .map(TicketLookup.LinkedTicket::of)
          .ifPresent(tickets::add);
    }
    return TicketLookup.of(incidentId, tickets);
  }

  private record Linked(TicketLink link, boolean created, int commentsCopied) {}

  private Linked linkedTicket(TicketSystem system, TicketContent content, SyncOptions options) {
    Instant waitUntil = clock.instant().plus(claimWait);
    while (true) {
      Optional<TicketLink> existing = links.get(system.id(), content.incidentId());
      if (existing.isPresent() && existing.get().isLinked()) {
        return new Linked(existing.get(), false, 0);
      }
      boolean staleClaim =
          existing.isPresent()
              && (existing.get().claimedAt() == null
                  || existing.get().claimedAt().plus(claimTimeout).isBefore(clock.instant()));
      if (existing.isPresent() && !staleClaim) {
        if (clock.instant().isAfter(waitUntil)) {
          throw busy(content);
        }
        pause();
        continue;
      }
      Optional<TicketRef> found = system.findByCorrelation(content);
      Optional<TicketLink> claim =
          existing.isEmpty()
              ? links.claim(
                  system.id(), content.incidentId(), UUID.randomUUID().toString(), clock.instant())
              : takeOver(existing.get());
      if (claim.isEmpty()) {
        continue; // another run claimed first: wait for its link
      }
      TicketLink link = claim.get();
      if (found.isPresent()) {
        // The ticket exists but its link was lost: adopt it. Nothing is known about what it holds,
        // so the update that follows writes every field once.
        return new Linked(links.save(link.linkedTo(found.get())), false, 0);
      }
      return create(system, content, options, link);
    }
  }

  private Optional<TicketLink> takeOver(TicketLink stale) {
    try {
      return Optional.of(
          links.save(stale.reclaimed(UUID.randomUUID().toString(), clock.instant())));
    } catch (TicketLinks.LinkConflict e) {
      return Optional.empty();
    }
  }

  private Linked create(
      TicketSystem system, TicketContent content, SyncOptions options, TicketLink claim) {
    TicketRef ticket;
    try {
      ticket = system.create(content, options.createOptions());
    } catch (RuntimeException e) {
      links.release(claim);
      throw e;
    }
    TicketLink linked = claim.linkedTo(ticket);
    List<IncidentComment> comments =
        options.copyComments() ? newComments(content, linked) : List.of();
    TicketLink saved = links.save(synced(linked, content, allFields(), List.of()));
    if (!comments.isEmpty()) {
      system.addComments(ticket, comments);
      saveCopied(saved, ids(comments), content);
    }
    return new Linked(saved, true, comments.size());
  }

  /** Records comments copied after the link was saved, on top of whatever another run saved. */
  private void saveCopied(TicketLink link, List<String> commentIds, TicketContent content) {
    TicketLink current = link;
    for (int attempt = 1; attempt <= MAX_SAVE_ATTEMPTS; attempt++) {
      try {
        links.save(current.synced(Map.of(), commentIds, null));
        return;
      } catch (TicketLinks.LinkConflict e) {
        current = links.get(link.system(), link.incidentId()).orElseThrow();
      }
    }
    throw busy(content);
  }

  /** {@code link} after this run wrote {@code fields} and copied {@code comments}, now. */
  private TicketLink synced(
      TicketLink link,
      TicketContent content,
      Set<TicketField> fields,
      List<IncidentComment> comments) {
    Map<TicketField, String> digests = new EnumMap<>(TicketField.class);
    for (TicketField field : fields) {
      digests.put(field, digest(content, field));
    }
    return link.synced(digests, ids(comments), clock.instant());
  }

  private static List<String> ids(List<IncidentComment> comments) {
    return comments.stream().map(IncidentComment::id).toList();
  }

  static Set<TicketField> changedFields(TicketContent content, TicketLink link) {
    Set<TicketField> changed = EnumSet.noneOf(TicketField.class);
    for (TicketField field : TicketField.values()) {
      if (!digest(content, field).equals(link.digests().get(field))) {
        changed.add(field);
      }
    }
    return changed;
  }

  static String digest(TicketContent content, TicketField field) {
    return digestOf(content.valueOf(field));
  }

  /** The digest the link keeps for a field's value (see {@link TicketContent#valueOf}). */
  static String digestOf(String value) {
    return Digests.sha256Hex(value).substring(0, 32);
  }

  private static List<IncidentComment> newComments(TicketContent content, TicketLink link) {
    List<IncidentComment> fresh = new ArrayList<>();
    for (IncidentComment comment : content.comments()) {
      boolean echo = comment.message() != null && comment.message().startsWith(FROM_TICKET_PREFIX);
      if (!echo && comment.id() != null && !link.copiedCommentIds().contains(comment.id())) {
        fresh.add(comment);
      }
    }
    return fresh;
  }

  private static Set<TicketField> allFields() {
    return EnumSet.allOf(TicketField.class);
  }

  private void pause() {
    try {
      sleeper.sleep(CLAIM_POLL_INTERVAL);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UpstreamException(
          "Ticket links", "Waiting for another run's ticket was interrupted", e);
    }
  }

  private static UpstreamException busy(TicketContent content) {
    return UpstreamException.retryLater(
        "Ticket links",
        "Another run is syncing incident " + content.incidentId() + " right now; try again",
        Duration.ofSeconds(5));
  }

  private static SyncResult result(
      TicketContent content,
      TicketLink link,
      SyncResult.Action action,
      Set<TicketField> fields,
      int comments) {
    TicketRef ticket = link.ticket();
    String verb =
        switch (action) {
          case CREATED -> "Created";
          case UPDATED -> "Updated";
          case UNCHANGED -> "Checked";
        };
    String name = ticket.number() == null ? ticket.id() : ticket.number();
    String linkHtml =
        ticket.url() == null
            ? HtmlTable.escape(name)
            : "<a href=\""
                + HtmlTable.escape(ticket.url())
                + "\">"
                + HtmlTable.escape(name)
                + "</a>";
    String html =
        "<p>"
            + verb
            + " "
            + HtmlTable.escape(ticket.system())
            + " ticket "
            + linkHtml
            + (fields.isEmpty()
                ? " (no changes)"
                : " (" + HtmlTable.escape(String.join(", ", wireNames(fields))) + ")")
            + (comments > 0
                ? ", " + comments + " comment" + (comments == 1 ? "" : "s") + " copied"
                : "")
            + ".</p>";
    return new SyncResult(
        ticket.system(),
        content.incidentId(),
        ticket.id(),
        ticket.number(),
        ticket.url(),
        action,
        wireNames(fields),
        comments,
        html);
  }

  private static List<String> wireNames(Set<TicketField> fields) {
    return fields.stream().sorted().map(TicketField::wireName).toList();
  }
}
