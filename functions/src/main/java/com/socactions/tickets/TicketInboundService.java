package com.socactions.tickets;

import com.socactions.decisions.DecisionLog;
import com.socactions.platform.HtmlTable;
import com.socactions.platform.RequestLog;
import com.socactions.platform.Ticker;
import com.socactions.platform.UpstreamException;
import com.socactions.platform.UpstreamFailure;
import com.socactions.sentinel.ArmIncidentId;
import com.socactions.sentinel.IncidentChange;
import com.socactions.sentinel.IncidentCommentId;
import com.socactions.sentinel.IncidentConflictException;
import com.socactions.sentinel.IncidentResource;
import com.socactions.sentinel.IncidentStatus;
import com.socactions.sentinel.SentinelClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
 *
 * <p><b>Once, however often.</b> Each ticket comment becomes the incident comment named by {@link
 * #incidentCommentId}: an apply repeated or racing another writes that one comment again, it never
 * adds a second.
 *
 * <p><b>Catch-up.</b> {@link #poll} walks a system's {@link ChangeFeed} from a cursor, the position
 * (update time, ticket key) of the last change it applied, kept per system in {@link TicketLinks}
 * and moved only forward. Each run reads pages until it has applied every change up to {@link
 * CatchUpOptions#settleDelay()} ago, or has spent its {@link CatchUpOptions#budget()}, saving the
 * cursor after each page; the next run goes on from there. A run's calls are a function of the
 * changes it reads, not of what came before the cursor: per page one read of the system (and for
 * ServiceNow one journal read) and a cursor write; per change one or two link reads, and for a
 * linked ticket its comments (Jira), the incident read, the writes the change needs and the link
 * write. Jira's search starts at a minute, so a run also reads past (without applying) the changes
 * of the cursor's minute it applied before; once caught up, the cursor moves on to the next minute.
 */
public final class TicketInboundService {
  /**
   * Comments are read from this long before the link's last inbound change (or its creation):
   * clocks differ and writes land late.
   */
  public static final Duration COMMENT_OVERLAP = Duration.ofMinutes(2);

  /** The first poll of a system reads this far back. */
  public static final Duration FIRST_POLL_WINDOW = Duration.ofHours(1);

  /** How long a webhook delivery is remembered as seen, so its replay changes nothing. */
  public static final Duration DELIVERY_MEMORY = Duration.ofDays(2);

  private static final RequestLog LOG = RequestLog.of(TicketInboundService.class);

  /**
   * How a catch-up run reads a system.
   *
   * @param budget how long one run of one system may read and apply: checked before each page, so a
   *     run ends within the budget plus one page; it then saves its cursor and stops, and the next
   *     run goes on from there
   * @param pageSize changes read per page, 1 to {@value ChangeFeed#MAX_PAGE_SIZE}
   * @param settleDelay changes younger than this are left to the next run: until then the system
   *     may still commit others stamped earlier (ServiceNow stamps a write when it starts; Jira's
   *     search shows a change after a delay), which a cursor already past them would never see
   */
  public record CatchUpOptions(Duration budget, int pageSize, Duration settleDelay) {
    /** Per system: two systems stay well inside the 5-minute timer interval. */
    public static final Duration DEFAULT_BUDGET = Duration.ofSeconds(90);

    /** Jira's most issues a page with fields; a ServiceNow page of this size is small too. */
    public static final int DEFAULT_PAGE_SIZE = ChangeFeed.MAX_PAGE_SIZE;

    public static final Duration DEFAULT_SETTLE_DELAY = Duration.ofMinutes(2);

    public CatchUpOptions {
      if (budget == null || budget.isNegative() || budget.isZero()) {
        throw new IllegalArgumentException("'budget' must be positive, not " + budget);
      }
      ChangeFeed.checkPageSize(pageSize);
      if (settleDelay == null || settleDelay.isNegative()) {
        throw new IllegalArgumentException(
            "'settleDelay' must be zero or more, not " + settleDelay);
      }
    }

    public static CatchUpOptions defaults() {
      return new CatchUpOptions(DEFAULT_BUDGET, DEFAULT_PAGE_SIZE, DEFAULT_SETTLE_DELAY);
    }
  }

  private final Map<String, TicketSystem> systems;
  private final TicketLinks links;
  private final Supplier<SentinelClient> sentinel;
  private final Clock clock;
  private final Ticker ticker;
  private final CatchUpOptions options;
  private volatile DecisionLog decisions = DecisionLog.OFF;

  public TicketInboundService(
      List<TicketSystem> systems,
      TicketLinks links,
      Supplier<SentinelClient> sentinel,
      Clock clock) {
    this(systems, links, sentinel, clock, Ticker.SYSTEM, CatchUpOptions.defaults());
  }

  /**
   * @param ticker measures each run's budget
   */
  public TicketInboundService(
      List<TicketSystem> systems,
      TicketLinks links,
      Supplier<SentinelClient> sentinel,
      Clock clock,
      Ticker ticker,
      CatchUpOptions options) {
    this.systems = systems.stream().collect(Collectors.toUnmodifiableMap(TicketSystem::id, s -> s));
    this.links = links;
    this.sentinel = sentinel;
    this.clock = clock;
    this.ticker = Objects.requireNonNull(ticker, "'ticker' cannot be null.");
    this.options = Objects.requireNonNull(options, "'options' cannot be null.");
  }

  /** Applies the current state of a ticket a webhook named. */
  public InboundResult ticketChanged(TicketSystem system, String ticketId) {
    Optional<TicketLink> link = links.findByTicket(system.id(), ticketId);
    if (link.isEmpty()) {
      return new InboundResult(
          system.id(), ticketId, null, InboundResult.Action.IGNORED, List.of());
    }
    Instant since = commentsSince(link.get());
    Optional<TicketState> state = system.read(ticketId, since);
    if (state.isEmpty()) {
      return new InboundResult(
          system.id(), ticketId, link.get().incidentId(), InboundResult.Action.IGNORED, List.of());
    }
    return apply(system, link.get(), state.get());
  }

  /**
   * The result of one catch-up run of one system.
   *
   * @param readFrom the update time of the cursor the run started from
   * @param readUntil the update time of the cursor it saved (the last change it passed)
   * @param results what each linked ticket's change did, in change order
   * @param changesRead changes passed, linked or not
   * @param caughtUp whether the run reached the changes still settling (or the end), rather than
   *     stopping at its budget or a failure
   * @param failure why the run stopped early, or null; the next run goes on from its cursor
   */
  public record PollResult(
      String system,
      Instant readFrom,
      Instant readUntil,
      List<InboundResult> results,
      int changesRead,
      boolean caughtUp,
      String failure) {}

  /**
   * One catch-up run of {@code system}: applies the changes after its cursor in change order, page
   * by page, until it reaches changes younger than {@link CatchUpOptions#settleDelay()}, runs out
   * of changes or of {@link CatchUpOptions#budget()}, or a failure stops it; saves the cursor after
   * every page and when it stops. A change that can never apply (Sentinel refuses it as bad, or the
   * incident is gone) is reported {@code failed} and passed; any other failure stops the run before
   * that change, so the next run tries it again.
   */
  public PollResult poll(TicketSystem system) {
    long deadline = ticker.read() + options.budget().toNanos();
    Instant now = clock.instant();
    Instant horizon = now.minus(options.settleDelay());
    Comparator<ChangePosition> order = system.changeOrder();
    TicketLinks.Cursor cursor = links.cursor(system.id()).orElse(null);
    ChangePosition start =
        cursor != null
            ? cursor.position()
            : ChangePosition.startingAt(now.minus(FIRST_POLL_WINDOW));
    ChangePosition reached = start;
    List<InboundResult> results = new ArrayList<>();
    int read = 0;
    boolean caughtUp = false;
    boolean exhausted = false;
    String failure = null;
    try {
      ChangeFeed feed = system.changesAfter(start, options.pageSize());
      // The budget is checked between pages: a page read (at most 100 changes, its states read
      // with it) is applied whole, so no read is wasted.
      while (!isPast(deadline)) {
        List<TicketChange> page = feed.next();
        exhausted = page.isEmpty();
        List<TicketChange> settled =
            page.stream().takeWhile(c -> !c.position().updatedAt().isAfter(horizon)).toList();
        for (Pending pending : withLinksAndStates(system, settled)) {
          if (pending.link() != null) {
            results.add(applyOrPass(system, pending.link(), pending.state()));
          }
          read++;
          if (order.compare(pending.change().position(), reached) > 0) {
            reached = pending.change().position();
          }
        }
        cursor = saveCursor(system, cursor, reached, order);
        if (settled.size() < page.size() || page.isEmpty()) {
          caughtUp = true;
          break;
        }
      }
    } catch (RuntimeException e) {
      failure = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
    if (exhausted) {
      reached = nextQueryUnit(system, reached, horizon);
    }
    saveCursor(system, cursor, reached, order);
    return new PollResult(
        system.id(),
        start.updatedAt(),
        reached.updatedAt(),
        List.copyOf(results),
        read,
        caughtUp,
        failure);
  }

  /**
   * What one catch-up run did for one system: its poll, or why it failed (the next run goes on from
   * the cursor the poll saved).
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
        runs.add(new CatchUp(system.id(), poll, poll.failure()));
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

  /**
   * From when a ticket's comments are read: its last inbound change, else the link's creation (the
   * ticket's), less {@link #COMMENT_OVERLAP}. Comments applied before are known by id and skipped.
   */
  private Instant commentsSince(TicketLink link) {
    Instant base =
        link.lastInboundAt() != null
            ? link.lastInboundAt()
            : link.claimedAt() != null ? link.claimedAt() : link.lastSyncedAt();
    return (base == null ? clock.instant().minus(FIRST_POLL_WINDOW) : base).minus(COMMENT_OVERLAP);
  }

  /** A change of a page, with its link and the ticket's state when the ticket is linked. */
  private record Pending(TicketChange change, TicketLink link, TicketState state) {}

  /**
   * The changes of a page in order, each with its link if the ticket has one, and the states of the
   * linked ones read in one go, their comments from each link's {@link #commentsSince}.
   */
  private List<Pending> withLinksAndStates(TicketSystem system, List<TicketChange> changes) {
    List<TicketLink> found = new ArrayList<>();
    List<TicketChange> linked = new ArrayList<>();
    Map<TicketChange, Instant> since = new IdentityHashMap<>();
    for (TicketChange change : changes) {
      TicketLink link = links.findByTicket(system.id(), change.ticketId()).orElse(null);
      found.add(link);
      if (link != null) {
        linked.add(change);
        since.put(change, commentsSince(link));
      }
    }
    Iterator<TicketState> states = system.states(linked, since::get).iterator();
    List<Pending> pending = new ArrayList<>();
    for (int i = 0; i < changes.size(); i++) {
      TicketLink link = found.get(i);
      pending.add(new Pending(changes.get(i), link, link == null ? null : states.next()));
    }
    return pending;
  }

  /**
   * Where a poll that read every change up to {@code horizon} may leave its cursor: at the start of
   * the query unit after the last change when the system rounds a query's start ({@link
   * TicketSystem#changeQueryUnit()}) and that unit has begun before the horizon (everything before
   * it was read), so that the next run does not read the changes of the last one again.
   */
  private static ChangePosition nextQueryUnit(
      TicketSystem system, ChangePosition reached, Instant horizon) {
    long unit = system.changeQueryUnit().toMillis();
    if (unit <= 0 || reached.isStart()) {
      return reached;
    }
    Instant next =
        Instant.ofEpochMilli(Math.floorDiv(reached.updatedAt().toEpochMilli(), unit) * unit + unit);
    return next.isAfter(horizon) ? reached : ChangePosition.startingAt(next);
  }

  private boolean isPast(long deadline) {
    return ticker.read() - deadline >= 0;
  }

  /** Moves the cursor to {@code reached} if that is ahead of it; pins the start on a first run. */
  private TicketLinks.Cursor saveCursor(
      TicketSystem system,
      TicketLinks.Cursor cursor,
      ChangePosition reached,
      Comparator<ChangePosition> order) {
    if (cursor != null && order.compare(cursor.position(), reached) >= 0) {
      return cursor;
    }
    return links.advanceCursor(system.id(), cursor, reached, order);
  }

  /**
   * Applies a change; one Sentinel refuses for good (a bad request, or the incident is gone) is
   * reported and passed, so one such ticket cannot hold every later change back. Anything else
   * (throttling, outages, a refused identity, storage) propagates: the run stops before the change.
   */
  private InboundResult applyOrPass(TicketSystem system, TicketLink link, TicketState state) {
    try {
      return apply(system, link, state);
    } catch (UpstreamException e) {
      boolean forGood =
          SentinelClient.UPSTREAM.equals(e.upstream())
              && !(e instanceof IncidentConflictException)
              && (e.failure() == UpstreamFailure.REJECTED
                  || e.failure() == UpstreamFailure.NOT_FOUND);
      if (!forGood) {
        throw e;
      }
      LOG.warning(
          () ->
              "Ticket "
                  + state.ticket().number()
                  + " in "
                  + system.id()
                  + " could not be applied to incident "
                  + link.incidentId()
                  + " and is passed: "
                  + e.getMessage());
      return new InboundResult(
          system.id(),
          state.ticket().id(),
          link.incidentId(),
          InboundResult.Action.FAILED,
          List.of(e.answerText()));
    }
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
      if (!ours && !link.appliedTicketCommentIds().contains(comment.id())) {
        comments.add(comment);
      }
    }
    List<String> changes = new ArrayList<>();
    // A resolved ticket closes its incident; an open one reopens it if it was closed.
    IncidentChange change =
        state.incidentStatus() == IncidentStatus.CLOSED
            ? IncidentChange.close(
                state.classification(), state.classificationReason(), closingComment(system, state))
            : IncidentChange.reopen();
    SentinelClient.ChangedIncident changed = sentinel.get().changeIncident(incident, change);
    if (changed.applied()) {
      changes.add(change.status() == IncidentStatus.CLOSED ? "closed" : "reopened");
    }
    for (TicketState.TicketComment comment : comments) {
      // Named by what it copies: a second apply of the same ticket comment (a replay, or a webhook
      // and the catch-up racing) rewrites this one comment instead of adding another.
      sentinel
          .get()
          .putComment(
              incident,
              incidentCommentId(system, state.ticket().id(), comment.id()),
              commentHtml(system, state, comment));
    }
    if (!comments.isEmpty()) {
      changes.add("comments:" + comments.size());
    }
    record(link, changed.incident(), state, comments);
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
        changes.isEmpty() ? InboundResult.Action.UNCHANGED : InboundResult.Action.APPLIED,
        List.copyOf(changes));
  }

  /**
   * Remembers what was applied, so a replay changes nothing and the outbound sync does not echo the
   * status.
   */
  private void record(
      TicketLink read,
      IncidentResource incident,
      TicketState state,
      List<TicketState.TicketComment> comments) {
    IncidentStatus status = incident.status().orElse(null);
    String statusDigest =
        TicketSyncService.digestOf(
            (status == null ? "" : status.wireName())
                + "|"
                + Objects.toString(incident.classification(), ""));
    List<String> commentIds = comments.stream().map(TicketState.TicketComment::id).toList();
    TicketLink link = read;
    for (int attempt = 1; attempt <= TicketSyncService.MAX_SAVE_ATTEMPTS; attempt++) {
      try {
        links.save(link.inbound(status, statusDigest, commentIds, state.updatedAt()));
        return;
      } catch (TicketLinks.LinkConflict e) {
        link = links.get(read.system(), read.incidentId()).orElseThrow();
      }
    }
  }

  /**
   * The incident comment a ticket comment becomes: derived from the system, the ticket and the
   * ticket comment's own id, so every apply of that ticket comment writes the same Sentinel
   * comment.
   */
  static String incidentCommentId(TicketSystem system, String ticketId, String ticketCommentId) {
    return IncidentCommentId.derive(List.of(system.id(), ticketId, ticketCommentId));
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
