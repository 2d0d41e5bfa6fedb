package com.socactions.tickets;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.socactions.decisions.DecisionLog;
import com.socactions.platform.HtmlTable;
import com.socactions.platform.RequestLog;
import com.socactions.sentinel.ArmIncidentId;
import com.socactions.sentinel.IncidentResource;
import com.socactions.sentinel.SentinelClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Inbound ticket sync: a ticket that changed in its ITSM changes its incident in Sentinel.
 *
 * <p>Webhooks and the catch-up poll take the same path: the ticket is read back from the system (a
 * webhook only says which one changed; its body is not trusted beyond that) and compared with the
 * incident:
 *
 * <ul>
 *   <li>a resolved or closed ticket closes an open incident, with the classification its close code
 *       maps to and the close notes as the classification comment;
 *   <li>an open ticket reopens a Closed incident (Active): a ticket resolved and reopened between
 *       two polls is seen as it is now, so the reopen is not lost;
 *   <li>ticket comments and work notes not applied before become incident comments, prefixed {@link
 *       TicketSyncService#FROM_TICKET_PREFIX}.
 * </ul>
 *
 * <p><b>No echo.</b> Comments the outbound sync wrote (they start with {@link
 * TicketSyncService#FROM_SENTINEL_PREFIX}) are not copied back; a status the incident already has
 * is not written again; and the status written here is recorded in the link as synced, so the next
 * outbound sync does not send it back to the ticket.
 */
public final class TicketInboundService {
  /** How far before the watermark each poll reads again: clocks differ and writes land late. */
  public static final Duration POLL_OVERLAP = Duration.ofMinutes(2);

  /** The first poll of a system reads this far back. */
  public static final Duration FIRST_POLL_WINDOW = Duration.ofHours(1);

  /** How long a webhook delivery is remembered as seen, so its replay changes nothing. */
  public static final Duration DELIVERY_MEMORY = Duration.ofDays(2);

  /** Most tickets one poll applies; the rest wait for the next run, as the watermark says. */
  public static final int MAX_TICKETS_PER_POLL = 200;

  private static final RequestLog LOG = RequestLog.of(TicketInboundService.class);

  private final Map<String, TicketSystem> systems;
  private final TicketLinks links;
  private final Supplier<SentinelClient> sentinel;
  private final Clock clock;
  private volatile DecisionLog decisions = DecisionLog.OFF;

  public TicketInboundService(
      List<TicketSystem> systems,
      TicketLinks links,
      Supplier<SentinelClient> sentinel,
      Clock clock) {
    this.systems = systems.stream().collect(Collectors.toUnmodifiableMap(TicketSystem::id, s -> s));
    this.links = links;
    this.sentinel = sentinel;
    this.clock = clock;
  }

  /** Applies the current state of a ticket a webhook named. */
  public InboundResult ticketChanged(TicketSystem system, String ticketId) {
    Optional<TicketLink> link = links.findByTicket(system.id(), ticketId);
    if (link.isEmpty()) {
      return new InboundResult(system.id(), ticketId, null, InboundResult.IGNORED, List.of());
    }
    Instant since = commentsSince(link.get());
    Optional<TicketState> state = system.read(ticketId, since);
    if (state.isEmpty()) {
      return new InboundResult(
          system.id(), ticketId, link.get().incidentId(), InboundResult.IGNORED, List.of());
    }
    return apply(system, link.get(), state.get());
  }

  /** The result of one catch-up poll of one system. */
  public record PollResult(
      String system, Instant readFrom, Instant readUntil, List<InboundResult> results) {}

  /**
   * Reads the tickets of {@code system} changed since its watermark (less {@link #POLL_OVERLAP})
   * and applies each, then moves the watermark to the newest change seen (or to now when none).
   */
  public PollResult poll(TicketSystem system) {
    Instant now = clock.instant();
    Instant from =
        links
            .watermark(system.id())
            .map(w -> w.minus(POLL_OVERLAP))
            .orElse(now.minus(FIRST_POLL_WINDOW));
    List<TicketState> changed = system.changedSince(from, MAX_TICKETS_PER_POLL);
    List<InboundResult> results = new ArrayList<>();
    Instant newest = null;
    for (TicketState state : changed) {
      Optional<TicketLink> link = links.findByTicket(system.id(), state.ticket().id());
      if (link.isPresent()) {
        results.add(apply(system, link.get(), state));
      }
      if (state.updatedAt() != null && (newest == null || state.updatedAt().isAfter(newest))) {
        newest = state.updatedAt();
      }
    }
    // A full page means more are waiting: continue from the newest seen rather than from now.
    Instant until = changed.size() >= MAX_TICKETS_PER_POLL && newest != null ? newest : now;
    links.saveWatermark(system.id(), until);
    return new PollResult(system.id(), from, until, results);
  }

  /**
   * What one catch-up run did for one system: its poll, or why it failed (the next run reads the
   * same window).
   */
  public record CatchUp(String system, PollResult poll, String failure) {}

  /** Polls every configured system in turn; one system failing does not stop the others. */
  public List<CatchUp> catchUp() {
    List<CatchUp> runs = new ArrayList<>();
    for (TicketSystem system :
        systems.values().stream().sorted(Comparator.comparing(TicketSystem::id)).toList()) {
      if (!system.isConfigured()) {
        continue;
      }
      try {
        PollResult poll = poll(system);
        links.forgetDeliveriesBefore(system.id(), clock.instant().minus(DELIVERY_MEMORY));
        runs.add(new CatchUp(system.id(), poll, null));
      } catch (RuntimeException e) {
        runs.add(new CatchUp(system.id(), null, e.getMessage()));
      }
    }
    return runs;
  }

  public Optional<TicketSystem> system(String id) {
    return Optional.ofNullable(systems.get(id));
  }

  public List<TicketSystem> systems() {
    return List.copyOf(systems.values());
  }

  private Instant commentsSince(TicketLink link) {
    Instant base = link.lastInboundAt != null ? link.lastInboundAt : link.lastSyncedAt;
    return (base == null ? clock.instant().minus(FIRST_POLL_WINDOW) : base).minus(POLL_OVERLAP);
  }

  private InboundResult apply(TicketSystem system, TicketLink link, TicketState state) {
    // Decisions to Log Analytics (issue 19): one record per change, once its outcome is known.
    long started = clock.millis();
    try {
      InboundResult result = applyChange(system, link, state);
      decisions.recordLazily(
          () ->
              List.of(TicketDecisions.inbound(result, clock.millis() - started, clock.instant())));
      return result;
    } catch (RuntimeException e) {
      decisions.recordLazily(
          () ->
              List.of(
                  TicketDecisions.inboundFailed(
                      system.id(),
                      state.ticket().id(),
                      link.incidentId(),
                      e,
                      clock.millis() - started,
                      clock.instant())));
      throw e;
    }
  }

  /**
   * Where this service records its decisions (by default nowhere); set once by the module that
   * builds it.
   */
  public TicketInboundService decisionLog(DecisionLog log) {
    this.decisions = java.util.Objects.requireNonNull(log, "'log' cannot be null.");
    return this;
  }

  private InboundResult applyChange(TicketSystem system, TicketLink link, TicketState state) {
    ArmIncidentId incident = ArmIncidentId.parse(link.incidentId());
    List<TicketState.TicketComment> comments = new ArrayList<>();
    for (TicketState.TicketComment comment : state.comments()) {
      boolean ours =
          comment.text() != null
              && comment.text().startsWith(TicketSyncService.FROM_SENTINEL_PREFIX);
      if (!ours && !link.appliedTicketCommentIds.contains(comment.id())) {
        comments.add(comment);
      }
    }
    List<String> changes = new ArrayList<>();
    IncidentResource updated =
        sentinel
            .get()
            .updateIncident(
                incident,
                properties -> {
                  changes.clear();
                  String status = properties.path("status").asText("");
                  if ("Closed".equals(state.incidentStatus()) && !"Closed".equals(status)) {
                    properties.put("status", "Closed");
                    properties.put(
                        "classification",
                        state.classification() == null ? "Undetermined" : state.classification());
                    if (state.classificationReason() != null) {
                      properties.put("classificationReason", state.classificationReason());
                    } else {
                      properties.remove("classificationReason");
                    }
                    properties.put("classificationComment", closingComment(system, state));
                    changes.add("closed");
                  } else if ("Active".equals(state.incidentStatus()) && "Closed".equals(status)) {
                    properties.put("status", "Active");
                    properties.remove(
                        List.of("classification", "classificationReason", "classificationComment"));
                    changes.add("reopened");
                  }
                  return properties;
                });
    for (TicketState.TicketComment comment : comments) {
      sentinel.get().addComment(incident, commentHtml(system, state, comment));
    }
    if (!comments.isEmpty()) {
      changes.add("comments:" + comments.size());
    }
    record(link, updated.properties(), state, comments);
    if (!changes.isEmpty()) {
      LOG.info(
          () ->
              "Ticket "
                  + state.ticket().number()
                  + " in "
                  + system.id()
                  + " changed incident "
                  + incident.incidentName()
                  + ": "
                  + String.join(", ", changes));
    }
    return new InboundResult(
        system.id(),
        state.ticket().id(),
        link.incidentId(),
        changes.isEmpty() ? InboundResult.UNCHANGED : InboundResult.APPLIED,
        List.copyOf(changes));
  }

  /**
   * Remembers what was applied, so a replay changes nothing and the outbound sync does not echo the
   * status.
   */
  private void record(
      TicketLink read,
      ObjectNode incident,
      TicketState state,
      List<TicketState.TicketComment> comments) {
    TicketLink link = read;
    for (int attempt = 1; attempt <= TicketSyncService.MAX_SAVE_ATTEMPTS; attempt++) {
      link.rememberApplied(comments.stream().map(TicketState.TicketComment::id).toList());
      if (state.updatedAt() != null
          && (link.lastInboundAt == null || state.updatedAt().isAfter(link.lastInboundAt))) {
        link.lastInboundAt = state.updatedAt();
      }
      String status = incident.path("status").asText("");
      String classification =
          "Closed".equals(status) ? incident.path("classification").asText("") : "";
      link.lastInboundStatus = status;
      link.digests.put(
          TicketField.STATUS, TicketSyncService.digestOf(status + "|" + classification));
      try {
        links.save(link);
        return;
      } catch (TicketLinks.LinkConflict e) {
        link = links.get(read.system(), read.incidentId()).orElseThrow();
      }
    }
  }

  private static String closingComment(TicketSystem system, TicketState state) {
    String note = "Resolved in " + system.displayName() + " " + state.ticket().number();
    return state.closingNote() == null || state.closingNote().isBlank()
        ? note
        : note + ": " + state.closingNote();
  }

  private static String commentHtml(
      TicketSystem system, TicketState state, TicketState.TicketComment comment) {
    String ticket = state.ticket().number() == null ? state.ticket().id() : state.ticket().number();
    String by = comment.author() == null ? "" : " " + HtmlTable.escape(comment.author());
    return TicketSyncService.FROM_TICKET_PREFIX
        + HtmlTable.escape(system.displayName() + " " + ticket)
        + "]"
        + by
        + ": "
        + HtmlTable.escape(comment.text()).replace("\n", "<br>");
  }
}
