package com.socactions.ledger;

import com.azure.data.tables.models.TableEntity;
import com.socactions.indicators.Indicator;
import com.socactions.indicators.IndicatorType;
import com.socactions.indicators.Indicators;
import com.socactions.indicators.ParseResult;
import com.socactions.platform.ConditionalWrites;
import com.socactions.platform.ConditionalWrites.Change;
import com.socactions.platform.ConditionalWrites.Decision;
import com.socactions.platform.ConfigurationException;
import com.socactions.platform.InvalidInputException;
import com.socactions.platform.Sleeper;
import com.socactions.platform.TableBatch;
import com.socactions.platform.TableReads;
import com.socactions.platform.TableStorage;
import com.socactions.platform.UpstreamException;
import com.socactions.platform.UpstreamFailure;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The block ledger: one row per (provider, indicator) with its current state, who asked and why,
 * its times and the provider's reference; every decision, refusals and dry runs included, in an
 * append-only history table. It is the source of truth for idempotency (a re-run never duplicates a
 * block), for expiry, for {@code ListIndicators}, for the EDL feeds and for the allow list. Used by
 * blocking and by identity response. Built once per worker process; thread-safe.
 *
 * <p><b>Cost grows with the request, not with history.</b> Rows are read by key ({@link
 * TableReads}); lists, the allow list, expiry and retention read the ledger's indexes ({@link
 * LedgerTables}), each by key or key range, so a call over n indicators costs O(n / 100) writes and
 * O(n) point reads at most, whether the ledger holds a thousand rows or a million, and no partition
 * is hot ({@link LedgerKeys#SHARDS}).
 *
 * <p><b>Concurrency.</b> Two playbook runs can race on one row, so every decision is a conditional
 * write decided on what is stored ({@link ConditionalWrites}): of any number of concurrent
 * identical claims exactly one is {@link Claim.Status#CLAIMED}, and only that caller calls the
 * provider. A claim is a lease on its row: until it settles or {@link Options#claimTimeout} passes
 * nobody else writes the row (other decisions on it add only a history note), which is what lets
 * {@link #settle} write its rows in transactions without re-reading them for their ETags.
 *
 * <p><b>Failures.</b> Storage errors (after the storage client's own retries) throw {@link
 * UpstreamException}; missing or malformed storage settings throw {@link ConfigurationException} on
 * first use. A batch that fails part way leaves the rows written before the failure written: each
 * row is correct on its own, and a re-run completes it.
 */
public final class BlockLedger {
  /** Most characters of one text field of a history entry. */
  public static final int MAX_HISTORY_TEXT_CHARS = 300;

  /** Most characters of a row's reason and justification. */
  public static final int MAX_FIELD_CHARS = 2_000;

  /** Most entries a {@link #list} page returns. */
  public static final int MAX_PAGE_SIZE = 1_000;

  /** A claim not settled within this long was abandoned (its worker died): claim it again. */
  public static final Duration DEFAULT_CLAIM_TIMEOUT = Duration.ofMinutes(5);

  /** How long lifted, expired, failed, refused, dry-run and noted rows are kept. */
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(365);

  /** The setting that overrides {@link #DEFAULT_RETENTION}, in days. */
  public static final String RETENTION_SETTING = "LEDGER_RETENTION_DAYS";

  /** A repeated block moves the expiry only when later by this share of its duration... */
  public static final int EXTENSION_MARGIN_PERCENT = 10; // Percentage

  /** ...and by at least this much. */
  public static final Duration MIN_EXTENSION_MARGIN = Duration.ofMinutes(5);

  /** When the expiry timer looks again at a row whose lift failed. */
  public static final Duration LIFT_RETRY = Duration.ofMinutes(5);

  /** First wait of {@link #awaitSettled}; doubles per poll. */
  static final Duration SETTLE_POLL_FIRST = Duration.ofMillis(50);

  /** Longest wait between two polls of {@link #awaitSettled}. */
  static final Duration SETTLE_POLL_MAX = Duration.ofSeconds(1);

  static final String UPSTREAM = "Table storage";

  /** Between a claim batch's id and the request's index. */
  private static final char CLAIM_SEPARATOR = '.';

  private static final String TOKEN_VERSION = "v2";

  /** Active list entries the publication backfill reads per page. */
  static final int BACKFILL_PAGE = 1_000;

  /**
   * How the ledger behaves: claim timeout, retention, and the sleeper of its waits.
   *
   * @param claimTimeout a claim older than this was abandoned and may be taken over
   * @param retention how long rows that enforce nothing are kept
   * @param sleeper the waits of {@link #awaitSettled} and of lost races
   */
  public record Options(Duration claimTimeout, Duration retention, Sleeper sleeper) {
    public Options {
      Objects.requireNonNull(claimTimeout, "'claimTimeout' cannot be null.");
      Objects.requireNonNull(retention, "'retention' cannot be null.");
      Objects.requireNonNull(sleeper, "'sleeper' cannot be null.");
      if (claimTimeout.isNegative() || claimTimeout.isZero()) {
        throw new IllegalArgumentException("'claimTimeout' must be positive, not " + claimTimeout);
      }
    }

    public static Options defaults() {
      return new Options(DEFAULT_CLAIM_TIMEOUT, DEFAULT_RETENTION, Sleeper.SYSTEM);
    }

    public Options claimTimeout(Duration timeout) {
      return new Options(timeout, retention, sleeper);
    }

    public Options retention(Duration keep) {
      return new Options(claimTimeout, keep, sleeper);
    }

    public Options sleeper(Sleeper waits) {
      return new Options(claimTimeout, retention, waits);
    }
  }

  private final LedgerTables tables;
  private final ConditionalWrites<LedgerRow> rows;
  private final LedgerIndexes indexes;
  private final Clock clock;
  private final Options options;
  private final LedgerAllowList allowList;
  private final Set<String> cursorsKnown = ConcurrentHashMap.newKeySet();
  private volatile boolean publicationsBackfilled;

  /**
   * The ledger in the default tables ({@link LedgerTables#in(TableStorage)}).
   *
   * @throws ConfigurationException when the storage settings name nothing usable
   * @throws UpstreamException when the tables cannot be created or checked
   */
  public BlockLedger(TableStorage storage, Clock clock, Options options) {
    this(LedgerTables.in(storage), clock, options);
  }

  public BlockLedger(LedgerTables tables, Clock clock, Options options) {
    this.tables = Objects.requireNonNull(tables, "'tables' cannot be null.");
    this.clock = Objects.requireNonNull(clock, "'clock' cannot be null.");
    this.options = Objects.requireNonNull(options, "'options' cannot be null.");
    this.rows = new ConditionalWrites<>(tables.rows, LedgerRow.CODEC, UPSTREAM, options.sleeper());
    this.indexes = new LedgerIndexes(tables, options.retention());
    this.allowList = new LedgerAllowList(indexes, clock);
  }

  /** The tables (seeders of benchmarks write rows the way the ledger does). */
  LedgerTables tables() {
    return tables;
  }

  LedgerIndexes indexes() {
    return indexes;
  }

  // ---- claims ----------------------------------------------------------------------------------

  /**
   * Claims each request's row as active with its action; one {@link Claim} per request, in order.
   *
   * <ul>
   *   <li>Another caller's claim is in flight on the row (set less than the claim timeout ago):
   *       {@code IN_FLIGHT}, nothing written. The provider has not answered that caller yet, so
   *       this caller must not answer as if the entry were active: it {@link #awaitSettled waits}.
   *   <li>Active with the same action and confirmed: {@code EXTENDING} when the request's expiry is
   *       later than the row's by more than {@link #extensionMargin} (the row keeps its expiry
   *       until the provider confirmed the new one); otherwise {@code ALREADY_ACTIVE}, with a
   *       history note and no provider call. Either way a lift pending on it is cancelled (the
   *       entry is still on the provider and wanted again).
   *   <li>No row, a row that is not active (failed, lifted, expired, refused, present, ...), active
   *       with the other action (an allow replacing a block), or a claim to apply or lift abandoned
   *       for the claim timeout: {@code CLAIMED} (with {@code recovering} for an abandoned claim of
   *       the same action). The caller applies it on the provider, then {@link #settle}s it.
   * </ul>
   *
   * Of any number of concurrent identical claims, exactly one is {@code CLAIMED}; the others are
   * {@code IN_FLIGHT} until it settles. Two requests for one row in the same batch are one claim
   * and one {@code IN_FLIGHT}.
   */
  public List<Claim> claimActive(List<LedgerRequest> requests) {
    if (requests.isEmpty()) {
      return List.of();
    }
    Instant now = clock.instant();
    startCursors();
    indexes.beforeClaims(requests);
    // One id per batch, one suffix per request.
    String batch = UUID.randomUUID().toString();
    Notes notes = new Notes();
    List<Change<LedgerRow, Claim>> changes = new ArrayList<>();
    for (int i = 0; i < requests.size(); i++) {
      LedgerRequest request = requests.get(i);
      String claimId = batch + CLAIM_SEPARATOR + i;
      int index = i;
      changes.add(
          new Change<>(
              LedgerRow.create(request, now),
              false,
              current -> claim(request, claimId, current, now, notes, index)));
    }
    return write(changes, notes);
  }

  /**
   * How much later a repeated block's expiry must be before the provider is told: {@value
   * #EXTENSION_MARGIN_PERCENT}% of the requested duration and at least {@link
   * #MIN_EXTENSION_MARGIN}. A playbook re-run a minute later asks for an expiry a minute later;
   * sending that to Defender would spend an import of its 30-a-minute budget on nothing.
   */
  public static Duration extensionMargin(Duration requested) {
    Duration share = requested.multipliedBy(EXTENSION_MARGIN_PERCENT).dividedBy(100);
    return share.compareTo(MIN_EXTENSION_MARGIN) > 0 ? share : MIN_EXTENSION_MARGIN;
  }

  private Decision<LedgerRow, Claim> claim(
      LedgerRequest request,
      String claimId,
      LedgerRow current,
      Instant now,
      Notes notes,
      int index) {
    return decided(
        LedgerDecisions.claim(request, claimId, current, now, options.claimTimeout()),
        current,
        notes,
        index);
  }

  /** A pure decision as a write of the engine; its note, if any, kept for after the writes. */
  private static <R> Decision<LedgerRow, R> decided(
      LedgerDecisions.Decided<R> decided, LedgerRow current, Notes notes, int index) {
    notes.clear(index);
    if (decided.note() != null && current != null) {
      notes.add(index, current, decided.note());
    }
    return new Decision<>(decided.write(), decided.result());
  }

  /** A claim set less than the claim timeout ago: its worker may still be calling the provider. */
  private boolean isInFlight(LedgerRow row, Instant now) {
    return LedgerDecisions.isInFlight(row, now, options.claimTimeout());
  }

  // ---- settling claims
  // ---------------------------------------------------------------------------

  /**
   * How a claim ended on the provider; {@link #settle} writes it. Each names the claim it settles
   * ({@link LedgerEntry#claimId()} of the entry {@link #claimActive} returned).
   */
  public sealed interface Settlement permits Confirmation, Failure, HeldByOthers, Conflict {
    LedgerEntry claimed();
  }

  /**
   * The provider holds the connector's entry now. For an {@code APPLY} claim the row becomes
   * confirmed-active; for an {@code EXTEND} claim its expiry becomes the claim's {@code extendTo}.
   *
   * @param providerRef the provider's id for the entry, or null (the row keeps the one it had)
   */
  public record Confirmation(LedgerEntry claimed, String providerRef) implements Settlement {}

  /**
   * The provider did not take it. An {@code APPLY} claim's row becomes {@code failed} with the
   * error (the next request claims it again); an {@code EXTEND} claim's row stays active with its
   * old expiry and the error.
   */
  public record Failure(LedgerEntry claimed, String error) implements Settlement {}

  /**
   * The provider already holds an entry for it, with the same action, that the connector did not
   * create: the row becomes {@code present}, and nothing will change or lift that entry.
   *
   * @param heldBy who made it, as the provider names them; null when it does not say
   * @param providerRef the provider's id for their entry, for the analyst
   * @param detail the sentence the caller answered
   */
  public record HeldByOthers(LedgerEntry claimed, String heldBy, String providerRef, String detail)
      implements Settlement {}

  /**
   * The provider holds an entry with the other action (a person's allow where a block was asked)
   * that the connector did not create: left as it is, and the row refused with {@code guardrail} (a
   * refusal reason's wire name).
   */
  public record Conflict(LedgerEntry claimed, String guardrail, String message)
      implements Settlement {}

  /**
   * Writes how claims ended. A claim that is no longer in flight (settled already, or taken over
   * after the claim timeout) is left as it is. Returns the rows as they are now, in order.
   */
  public List<LedgerEntry> settle(List<? extends Settlement> settlements) {
    Instant now = clock.instant();
    List<Change<LedgerRow, LedgerEntry>> changes =
        settlements.stream()
            .map(
                settlement ->
                    new Change<LedgerRow, LedgerEntry>(
                        LedgerRow.of(settlement.claimed()),
                        true,
                        current -> {
                          LedgerRow next = LedgerDecisions.settle(current, settlement, now);
                          return next == null ? unchanged() : written(next);
                        }))
            .toList();
    return writeClaimed(
        changes, settlements.stream().map(Settlement::claimed).toList(), new Notes());
  }

  /** Confirms claims: {@link #settle} with {@link Confirmation}s. */
  public List<LedgerEntry> confirm(List<Confirmation> confirmations) {
    return settle(confirmations);
  }

  /** Fails claims: {@link #settle} with {@link Failure}s. */
  public List<LedgerEntry> fail(List<Failure> failures) {
    return settle(failures);
  }

  /**
   * Waits, polling the rows by key with a doubling interval, until no claim is in flight on any of
   * {@code entries}' rows or {@code maxWait} (the sum of the waits) has passed. Returns the rows as
   * last read, in order (null for a row that is gone): a row still in flight had no answer from its
   * provider within the wait. Costs one point read per row still open, per poll.
   */
  public List<LedgerEntry> awaitSettled(List<LedgerEntry> entries, Duration maxWait) {
    List<LedgerEntry> current = new ArrayList<>(entries);
    Duration waited = Duration.ZERO;
    Duration interval = SETTLE_POLL_FIRST;
    while (true) {
      List<Integer> open = new ArrayList<>();
      for (int i = 0; i < current.size(); i++) {
        if (current.get(i) != null && isInFlight(LedgerRow.of(current.get(i)), clock.instant())) {
          open.add(i);
        }
      }
      if (open.isEmpty() || waited.compareTo(maxWait) >= 0) {
        return current;
      }
      Duration left = maxWait.minus(waited);
      Duration pause = interval.compareTo(left) < 0 ? interval : left;
      try {
        options.sleeper().sleep(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return current;
      }
      waited = waited.plus(pause);
      interval =
          interval.multipliedBy(2).compareTo(SETTLE_POLL_MAX) < 0
              ? interval.multipliedBy(2)
              : SETTLE_POLL_MAX;
      List<TableReads.Key> keys = open.stream().map(i -> keyOf(current.get(i))).toList();
      Map<TableReads.Key, LedgerRow> fresh = rows.read(keys);
      for (int k = 0; k < open.size(); k++) {
        LedgerRow row = fresh.get(keys.get(k));
        current.set(open.get(k), row == null ? null : row.toEntry());
      }
    }
  }

  // ---- decisions that call no provider
  // -----------------------------------------------------------

  /** A guardrail refused {@code request}; {@code guardrail} is the refusal reason's wire name. */
  public record Refusal(LedgerRequest request, String guardrail, String message) {}

  /**
   * Records refusals: a new row is {@code refused} with the guardrail; an existing row that is not
   * active becomes {@code refused}; an active row keeps its state (the refusal of a new request
   * does not lift what is enforced) and only gains the history entry.
   */
  public List<LedgerEntry> recordRefused(List<Refusal> refusals) {
    return passive(
        refusals.stream().map(Refusal::request).toList(),
        refusals.stream()
            .map(
                refusal ->
                    new LedgerDecisions.Passive(
                        LedgerState.REFUSED, "refused", refusal.message(), refusal.guardrail()))
            .toList());
  }

  /**
   * Records dry runs that would have blocked (or allowed): a new or inactive row is {@code
   * dry_run}; an active row keeps its state and only gains the history entry.
   */
  public List<LedgerEntry> recordDryRun(List<LedgerRequest> requests) {
    return passive(
        requests,
        requests.stream()
            .map(
                request ->
                    new LedgerDecisions.Passive(
                        LedgerState.DRY_RUN,
                        request.action() == Action.ALLOW ? "would_allow" : "would_block",
                        request.provenance().reason(),
                        null))
            .toList());
  }

  /**
   * A decision that changed nothing the row enforces, e.g. an account found disabled already.
   *
   * @param status what happened, as the caller answered it ({@code already_disabled}, {@code
   *     revoked})
   * @param message a sentence for the analyst, or null
   */
  public record Note(LedgerRequest request, String status, String message) {}

  /**
   * Records notes: a new or inactive row is {@code noted}; an active row keeps its state and only
   * gains the history entry (decision {@code note}).
   */
  public List<LedgerEntry> recordNotes(List<Note> notes) {
    return passive(
        notes.stream().map(Note::request).toList(),
        notes.stream()
            .map(
                note ->
                    new LedgerDecisions.Passive(
                        LedgerState.NOTED, note.status(), note.message(), null))
            .toList());
  }

  private List<LedgerEntry> passive(
      List<LedgerRequest> requests, List<LedgerDecisions.Passive> passives) {
    if (requests.isEmpty()) {
      return List.of();
    }
    Instant now = clock.instant();
    Notes notes = new Notes();
    List<Change<LedgerRow, LedgerEntry>> changes = new ArrayList<>();
    for (int i = 0; i < requests.size(); i++) {
      LedgerRequest request = requests.get(i);
      LedgerDecisions.Passive passive = passives.get(i);
      int index = i;
      changes.add(
          new Change<>(
              LedgerRow.create(request, now),
              false,
              current -> passive(current, request, now, passive, notes, index)));
    }
    return write(changes, notes);
  }

  private Decision<LedgerRow, LedgerEntry> passive(
      LedgerRow current,
      LedgerRequest request,
      Instant now,
      LedgerDecisions.Passive passive,
      Notes notes,
      int index) {
    return decided(LedgerDecisions.passive(current, request, now, passive), current, notes, index);
  }

  // ---- lifts
  // -------------------------------------------------------------------------------------

  /** What {@link #claimLifts} decided for one entry. */
  public record LiftClaim(Status status, LedgerEntry entry) {
    public enum Status {
      /** This caller must take it off the provider, then {@link #recordLifts} the outcome. */
      CLAIMED,
      /** Another caller's claim is in flight on the row; nothing written. */
      IN_FLIGHT,
      /**
       * Its expiry is no longer due (a re-block extended it since it was read); nothing written.
       */
      NOT_DUE,
      /** It is no longer active with that action (lifted, expired or replaced meanwhile). */
      NOT_ACTIVE
    }
  }

  /**
   * Claims the lift of each entry, so that the provider call happens only for a row that is still
   * what the caller read: active with the entry's action, with no claim in flight, and (with {@code
   * onlyIfDue}, for the expiry timer) still due, that is past its expiry or with a lift pending.
   * Decided under the row's ETag, so a re-block that extends the expiry before this write wins and
   * the timer leaves the entry alone; a re-block after it finds the lift in flight and waits for
   * it. A claim abandoned for the claim timeout is taken over.
   */
  public List<LiftClaim> claimLifts(List<LedgerEntry> entries, boolean onlyIfDue, Provenance by) {
    if (entries.isEmpty()) {
      return List.of();
    }
    Instant now = clock.instant();
    String batch = UUID.randomUUID().toString();
    List<Change<LedgerRow, LiftClaim>> changes = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      LedgerEntry entry = entries.get(i);
      String claimId = batch + CLAIM_SEPARATOR + i;
      changes.add(
          new Change<>(
              LedgerRow.of(entry),
              true,
              current -> {
                LedgerDecisions.Decided<LiftClaim> decided =
                    LedgerDecisions.claimLift(
                        entry, claimId, current, now, onlyIfDue, by, options.claimTimeout());
                return new Decision<>(decided.write(), decided.result());
              }));
    }
    return write(changes, new Notes());
  }

  /**
   * What a provider said to lifting an entry (unblock, an allow replacing a block, or expiry).
   *
   * @param entry the entry as {@link #claimLifts} claimed it (or, for callers that lift without a
   *     claim, as read)
   * @param done lifted (or not there any more); false when the provider failed
   * @param error the provider's failure, when not done
   * @param by who lifted it ({@link Provenance#TIMER} for the expiry timer)
   * @param heldBy when done because the provider holds only someone else's entry: whose (the row
   *     becomes {@code present}, and that entry stays)
   */
  public record Lift(LedgerEntry entry, boolean done, String error, Provenance by, String heldBy) {
    public static Lift done(LedgerEntry entry, Provenance by) {
      return new Lift(entry, true, null, by, null);
    }

    public static Lift failed(LedgerEntry entry, String error, Provenance by) {
      return new Lift(entry, false, error, by, null);
    }

    /** Ours is gone; what the provider holds for the value is someone else's, left as it is. */
    public static Lift heldByOthers(
        LedgerEntry entry, String heldBy, String detail, Provenance by) {
      return new Lift(entry, true, detail, by, heldBy == null ? "" : heldBy);
    }
  }

  /**
   * Records lifts. A lift that holds the row's claim, or one of a row with no claim in flight, is
   * written: done, an active row becomes {@code expired} when its expiry has come and {@code
   * lifted} otherwise (or {@code present} when only someone else's entry remains), and a pending
   * lift is cleared; failed, the row stays active and is marked {@code lift_pending} with the
   * error, and the expiry timer looks at it again after {@link #LIFT_RETRY}: it is never lost. Rows
   * that are gone, no longer active and not pending, or claimed by another caller are left as they
   * are. Returns the rows as they are now, in order (null for a row that is gone).
   */
  public List<LedgerEntry> recordLifts(List<Lift> lifts) {
    Instant now = clock.instant();
    List<Change<LedgerRow, LedgerEntry>> changes =
        lifts.stream()
            .map(
                lift ->
                    new Change<LedgerRow, LedgerEntry>(
                        LedgerRow.of(lift.entry()), true, current -> lifted(current, lift, now)))
            .toList();
    List<LedgerEntry> after =
        writeClaimed(changes, lifts.stream().map(Lift::entry).toList(), new Notes());
    List<LedgerRow> retry = new ArrayList<>();
    for (LedgerEntry entry : after) {
      if (entry != null && entry.liftPending()) {
        retry.add(LedgerRow.of(entry));
      }
    }
    if (!retry.isEmpty()) {
      indexes.enqueueDue(retry, now.plus(LIFT_RETRY));
    }
    return after;
  }

  private static Decision<LedgerRow, LedgerEntry> lifted(
      LedgerRow current, Lift lift, Instant now) {
    LedgerRow next = LedgerDecisions.lifted(current, lift, now);
    return next == null ? new Decision<>(null, BlockLedger::entry) : written(next);
  }

  // ---- reads
  // -------------------------------------------------------------------------------------

  /** The row of {@code indicator} on {@code provider}, if there is one: one point read. */
  public Optional<LedgerEntry> find(String provider, Indicator indicator) {
    return findAll(provider, List.of(indicator)).get(0);
  }

  /**
   * The rows of {@code indicators} on {@code provider}, in order (empty where there is none): one
   * point read per distinct indicator, {@value TableReads#DEFAULT_PARALLELISM} at a time.
   */
  public List<Optional<LedgerEntry>> findAll(String provider, List<Indicator> indicators) {
    List<TableReads.Key> keys =
        indicators.stream()
            .map(
                indicator ->
                    new TableReads.Key(
                        LedgerKeys.partitionKey(provider, indicator.type(), indicator.value()),
                        LedgerKeys.rowKey(indicator.value())))
            .toList();
    Map<TableReads.Key, LedgerRow> found = rows.read(keys);
    return keys.stream()
        .map(key -> Optional.ofNullable(found.get(key)).map(LedgerRow::toEntry))
        .toList();
  }

  /**
   * Every decision of one row, oldest first, nothing truncated: one key range of the history table
   * (with the latest decision's entries from the row, should their own append have been lost).
   */
  public List<LedgerHistory> history(LedgerEntry entry) {
    String partitionKey = LedgerKeys.partitionKey(entry.provider(), entry.type(), entry.value());
    String rowKey = LedgerKeys.rowKey(entry.value());
    Map<Integer, LedgerHistory> bySeq = new java.util.TreeMap<>();
    List<LedgerHistory> notes = new ArrayList<>();
    for (LedgerHistory item : indexes.history(partitionKey, rowKey)) {
      if (item.seq() == null) {
        notes.add(item);
      } else {
        bySeq.put(item.seq(), item);
      }
    }
    entry.history().forEach(item -> bySeq.putIfAbsent(item.seq(), item));
    List<LedgerHistory> all = new ArrayList<>(bySeq.values());
    all.addAll(notes);
    all.sort(
        Comparator.comparing(LedgerHistory::time)
            .thenComparing(item -> item.seq() == null ? Integer.MAX_VALUE : item.seq()));
    return all;
  }

  /**
   * One page of rows matching {@code query}, newest first (the latest change of state first), with
   * a continuation token when more follow. The token is a position, not an offset: rows written
   * meanwhile do not shift later pages.
   *
   * <p>Cost: O(page). Without {@code value} or {@code incident_id}, one range query of {@code top +
   * 1} index entries per (state, provider) of the filter, then one point read per row of the page;
   * with {@code value}, one point read per provider; with {@code incident_id}, the incident's index
   * entries and their rows.
   *
   * @param providers the providers to list when the query names none
   * @throws InvalidInputException for a continuation token this ledger did not issue
   */
  public LedgerPage list(LedgerQuery query, Collection<String> providers) {
    List<String> searched =
        query.provider() != null ? List.of(query.provider()) : List.copyOf(providers);
    Set<LedgerState> states =
        query.states().isEmpty() ? Set.of(LedgerState.values()) : query.states();
    if (query.value() != null) {
      return filtered(rowsOfValue(query.value(), searched), query, states);
    }
    if (query.incidentId() != null) {
      List<TableReads.Key> keys =
          indexes.incidentRows(query.incidentId()).stream().map(LedgerIndexes::keyOf).toList();
      List<LedgerRow> found =
          new ArrayList<>(rows.read(keys).values())
              .stream()
                  .filter(row -> searched.contains(row.provider))
                  .filter(row -> query.incidentId().equals(row.incidentId))
                  .toList();
      return filtered(found, query, states);
    }
    return listed(query, searched, states);
  }

  /** Every provider's row of one value (its type read from the value). */
  private List<LedgerRow> rowsOfValue(String value, List<String> providers) {
    List<IndicatorType> types = new ArrayList<>();
    if (Indicators.parse(value) instanceof ParseResult.Parsed parsed
        && parsed.indicator().value().equals(value)) {
      types.add(parsed.indicator().type());
    }
    types.add(IndicatorType.ACCOUNT);
    List<TableReads.Key> keys = new ArrayList<>();
    for (String provider : providers) {
      for (IndicatorType type : types) {
        keys.add(
            new TableReads.Key(
                LedgerKeys.partitionKey(provider, type, value), LedgerKeys.rowKey(value)));
      }
    }
    return new ArrayList<>(rows.read(keys).values())
        .stream().filter(row -> row.value.equals(value)).toList();
  }

  /** A page of rows found by key, sorted and filtered here (a handful, by construction). */
  private LedgerPage filtered(List<LedgerRow> found, LedgerQuery query, Set<LedgerState> states) {
    Cursor after =
        query.continuationToken() == null ? null : Cursor.parse(query.continuationToken());
    List<LedgerRow> sorted =
        found.stream()
            .filter(row -> states.contains(row.state))
            .sorted(Comparator.comparing(Cursor::of, Cursor.ORDER))
            .filter(row -> after == null || Cursor.ORDER.compare(Cursor.of(row), after) > 0)
            .toList();
    List<LedgerRow> page = sorted.subList(0, Math.min(sorted.size(), query.pageSize()));
    String next =
        sorted.size() > query.pageSize() ? Cursor.of(page.get(page.size() - 1)).token() : null;
    return new LedgerPage(page.stream().map(LedgerRow::toEntry).toList(), next);
  }

  /** A page of the list index: the newest entries of every (state, provider) partition, merged. */
  private LedgerPage listed(LedgerQuery query, List<String> providers, Set<LedgerState> states) {
    Cursor after =
        query.continuationToken() == null ? null : Cursor.parse(query.continuationToken());
    List<Cursor> candidates = new ArrayList<>();
    for (LedgerState state : states) {
      for (String provider : providers) {
        if (!LedgerKeys.isProviderId(provider)) {
          continue;
        }
        String partition = LedgerIndexes.listPartition(state, provider);
        // Entries at the token's row key in other partitions sort after it too: read from there.
        for (TableEntity entity :
            indexes.listEntries(
                partition, after == null ? null : after.listKey(), query.pageSize() + 2)) {
          Cursor cursor =
              new Cursor(
                  entity.getRowKey(), partition, String.valueOf(entity.getProperty("ledger_key")));
          if (after == null || Cursor.LISTED.compare(cursor, after) > 0) {
            candidates.add(cursor);
          }
        }
      }
    }
    candidates.sort(Cursor.LISTED);
    List<Cursor> page = candidates.subList(0, Math.min(candidates.size(), query.pageSize()));
    List<TableReads.Key> keys = page.stream().map(c -> LedgerIndexes.keyOf(c.ledgerKey())).toList();
    Map<TableReads.Key, LedgerRow> found = rows.read(keys);
    List<LedgerEntry> entries = new ArrayList<>();
    for (int i = 0; i < page.size(); i++) {
      LedgerRow row = found.get(keys.get(i));
      // An entry left behind by a write that did not finish its index update is skipped.
      if (row != null
          && row.listedState != null
          && LedgerIndexes.listPartition(row.listedState, row.provider)
              .equals(page.get(i).partition())
          && row.listedAt != null
          && LedgerIndexes.listRowKey(row.listedAt, row.type, row.rowKey())
              .equals(page.get(i).listKey())) {
        entries.add(row.toEntry());
      }
    }
    String next = candidates.size() > query.pageSize() ? page.get(page.size() - 1).token() : null;
    return new LedgerPage(entries, next);
  }

  /**
   * One entry of a list, as the list index holds it: enough to render a feed without reading the
   * rows.
   */
  public record Listed(String value, IndicatorType type, Action action, Instant expiresAt) {}

  /**
   * The active, unexpired entries of one list, e.g. the EDL feed {@code block-ip} is {@code
   * activeEntries("edl", IndicatorType.IP, Action.BLOCK)}: a read of the active part of the list
   * index for the provider (what is active, never the history or the rows). For rendering a whole
   * list, off the request path of polls.
   */
  public List<Listed> activeEntries(String provider, IndicatorType type, Action action) {
    Instant now = clock.instant();
    String partition = LedgerIndexes.listPartition(LedgerState.ACTIVE, provider);
    List<Listed> listed = new ArrayList<>();
    for (TableEntity entity : indexes.activeListEntries(partition, type)) {
      Listed entry = LedgerIndexes.listed(entity);
      if (entry.action() == action
          && (entry.expiresAt() == null || entry.expiresAt().isAfter(now))) {
        listed.add(entry);
      }
    }
    return listed;
  }

  /**
   * The version of one list's active entries: changes whenever an entry is added, lifted or changes
   * expiry (one point read). Null when the list never changed.
   */
  public String listVersion(String provider, IndicatorType type, Action action) {
    return indexes.version(LedgerIndexes.listVersionKey(provider, action, type));
  }

  /**
   * The allow list the ledger holds: active, unexpired allow entries on any provider, as {@link
   * AllowList} readers expect. One point read (the allow list's version row) per call, and a read
   * of the small allow index only when allows changed since this process last read it. Coverage is
   * {@link com.socactions.indicators.Coverage}: the same value; a network or address overlapping an
   * allowed one; a domain within an allowed domain or holding it; a URL on an allowed domain.
   */
  public AllowList allowList() {
    return allowList.current();
  }

  // ---- expiry
  // ------------------------------------------------------------------------------------

  /** An entry the expiry timer found due, with the index entry that pointed at it. */
  public record Due(LedgerEntry entry, TableEntity indexEntry) {}

  /**
   * What is due now, up to {@code max} entries: the expiry index's buckets from the timer's cursor
   * to the current minute, each row read by key. Index entries whose row is no longer due
   * (extended, lifted, gone) are removed on the way; fully read buckets move the cursor on. Call
   * {@link #doneDue} with the index entries once their rows are dealt with. Cost: proportional to
   * what is due (plus one query per empty minute since the last run), never to the ledger's size.
   */
  public List<Due> nextDue(int max) {
    Instant now = clock.instant();
    String nowBucket = LedgerIndexes.dueBucket(now);
    String cursor = indexes.cursor(LedgerIndexes.EXPIRY_CURSOR);
    if (cursor == null) {
      cursor = nowBucket;
    }
    // One key-range query over the minutes from the cursor to now: empty minutes cost nothing.
    List<TableEntity> entries = indexes.dueEntries(cursor, nowBucket, max + 1);
    List<TableEntity> ready = new ArrayList<>();
    for (TableEntity entity : entries.subList(0, Math.min(entries.size(), max))) {
      Object dueAt = entity.getProperty("due_at");
      Instant at = dueAt instanceof OffsetDateTime time ? time.toInstant() : now;
      if (!at.isAfter(now)) {
        ready.add(entity);
      }
    }
    List<TableReads.Key> keys =
        ready.stream().map(entity -> LedgerIndexes.keyOf(entity.getRowKey())).toList();
    Map<TableReads.Key, LedgerRow> found = rows.read(keys);
    List<Due> due = new ArrayList<>();
    List<TableEntity> stale = new ArrayList<>();
    for (int i = 0; i < ready.size(); i++) {
      LedgerRow row = found.get(keys.get(i));
      boolean isDue =
          row != null
              && row.state == LedgerState.ACTIVE
              && (row.liftPending || row.expiresAt != null && !row.expiresAt.isAfter(now));
      if (isDue) {
        due.add(new Due(row.toEntry(), ready.get(i)));
      } else {
        stale.add(ready.get(i));
      }
    }
    indexes.removeDue(stale);
    // The cursor moves to the oldest minute that may still hold entries; the ones handed out stay
    // in the index until doneDue, so a timer that dies before lifting them loses none.
    String next =
        due.isEmpty()
            ? (entries.size() > max ? entries.get(max).getPartitionKey() : nowBucket)
            : due.get(0).indexEntry().getPartitionKey();
    if (!next.equals(cursor)) {
      indexes.setCursor(LedgerIndexes.EXPIRY_CURSOR, next);
    }
    return due;
  }

  /**
   * The timer dealt with these index entries (lifted, re-enqueued or found not due): removes them.
   * The cursor moves on past minutes with nothing left on the next {@link #nextDue}.
   */
  public void doneDue(List<Due> handled) {
    indexes.removeDue(handled.stream().map(Due::indexEntry).toList());
  }

  /**
   * Makes sure the timers' cursors exist before anything is filed under a later minute or day: the
   * first write of a new ledger sets them at now (once per process, then known).
   */
  private void startCursors() {
    Instant now = clock.instant();
    ensureCursor(LedgerIndexes.EXPIRY_CURSOR, LedgerIndexes.dueBucket(now));
    ensureCursor(LedgerIndexes.PRUNE_CURSOR, LedgerIndexes.pruneBucket(now));
  }

  /** Makes sure a cursor exists (the first write of a new ledger sets it at the current minute). */
  private void ensureCursor(String key, String initial) {
    if (cursorsKnown.contains(key)) {
      return;
    }
    if (indexes.cursor(key) == null) {
      indexes.setCursor(key, initial);
    }
    cursorsKnown.add(key);
  }

  /**
   * Carries rows of the ledger's first layout over, up to {@code pages} pages of 1,000 (see {@link
   * LedgerMigration}); one point read once it is done.
   *
   * @return how many rows were carried over
   */
  public int migrate(int pages) {
    int carried =
        tables.legacy == null ? 0 : new LedgerMigration(tables.legacy, tables, indexes).run(pages);
    if (carried > 0) {
      return carried; // the old rows first: the backfill must see them
    }
    return publishActive(pages);
  }

  /**
   * Publishes the enforced blocks that were written before the ledger published (see {@link
   * LedgerPublications}), up to {@code pages} pages of {@value #BACKFILL_PAGE} entries of the
   * active list index: once per ledger, resuming from a cursor in the meta table, at a cost of one
   * point read per active row and one conditional write per row published; then one point read per
   * process (the cursor says done).
   *
   * @return how many rows were published
   */
  int publishActive(int pages) {
    if (publicationsBackfilled) {
      return 0;
    }
    String cursor = indexes.cursor(LedgerPublications.BACKFILL_CURSOR);
    int published = 0;
    for (int page = 0; page < pages && !LedgerPublications.DONE.equals(cursor); page++) {
      String partition = null;
      String rowKey = null;
      if (cursor != null) {
        int split = cursor.indexOf('\n');
        partition = cursor.substring(0, split);
        rowKey = cursor.substring(split + 1);
      }
      List<TableEntity> entries = indexes.activeEntriesAfter(partition, rowKey, BACKFILL_PAGE);
      List<TableReads.Key> keys =
          entries.stream()
              .map(entity -> LedgerIndexes.keyOf(String.valueOf(entity.getProperty("ledger_key"))))
              .distinct()
              .toList();
      List<Change<LedgerRow, Boolean>> changes = new ArrayList<>();
      for (LedgerRow row : rows.read(keys).values()) {
        if (LedgerPublications.isEnforcedBlock(row) && row.published == null) {
          changes.add(
              new Change<>(
                  row,
                  true,
                  current ->
                      current != null
                              && LedgerPublications.isEnforcedBlock(current)
                              && current.published == null
                          ? new Decision<>(current.copy(), written -> true)
                          : new Decision<>(null, unchanged -> false)));
        }
      }
      for (Boolean done : write(changes, new Notes())) {
        published += Boolean.TRUE.equals(done) ? 1 : 0;
      }
      TableEntity last = entries.isEmpty() ? null : entries.get(entries.size() - 1);
      cursor =
          entries.size() < BACKFILL_PAGE
              ? LedgerPublications.DONE
              : last.getPartitionKey() + "\n" + last.getRowKey();
      indexes.setCursor(LedgerPublications.BACKFILL_CURSOR, cursor);
    }
    if (LedgerPublications.DONE.equals(cursor)) {
      publicationsBackfilled = true;
    }
    return published;
  }

  // ---- publications
  // ------------------------------------------------------------------------------

  /** The scope of every provider's published versions. */
  public static final String ALL_PROVIDERS = LedgerPublications.ALL;

  /**
   * One published version and where it stands.
   *
   * @param position its place in the order of its scopes (opaque; compare as strings)
   * @param dateAdded when the ledger recorded it (the version's {@code modified})
   */
  public record Published(String position, Instant dateAdded, BlockVersion version) {}

  /**
   * Up to {@code top} published versions of {@code scope} (a provider id, or {@link
   * #ALL_PROVIDERS}), the latest version of each episode, in the order they were added: after
   * {@code afterPosition} (exclusive; null for the start), added after {@code addedAfter}
   * (exclusive; null for any) and at or before {@code addedUntil}. One range query, whatever the
   * ledger's size.
   *
   * @throws IllegalArgumentException for a scope that is neither
   */
  public List<Published> published(
      String scope, String afterPosition, Instant addedAfter, Instant addedUntil, int top) {
    if (!ALL_PROVIDERS.equals(scope)) {
      LedgerKeys.checkProvider(scope);
    }
    return indexes.publications().page(scope, afterPosition, addedAfter, addedUntil, top);
  }

  /**
   * The position an object added at {@code dateAdded} with id {@code id} has among the published
   * versions: for readers that serve objects of their own beside them, in the same order.
   */
  public static String positionOf(Instant dateAdded, UUID id) {
    return LedgerPublications.dateKey(LedgerPublications.micros(dateAdded)) + "|" + id;
  }

  /** The latest published version of one episode, if there is one: one point read. */
  public Optional<Published> publishedVersion(UUID episodeId) {
    return Optional.ofNullable(indexes.publications().byId(episodeId));
  }

  // ---- retention
  // ---------------------------------------------------------------------------------

  /**
   * Deletes rows (with their history and index entries) that enforce nothing and were last changed
   * more than the retention ago, up to {@code max}: the prune index's days from its cursor to
   * today, each row read by key and deleted only while still prunable (under its ETag). Cost
   * proportional to what it prunes.
   *
   * @return how many rows were deleted
   */
  public int prune(int max) {
    Instant now = clock.instant();
    String today = LedgerIndexes.pruneBucket(now);
    String cursor = indexes.cursor(LedgerIndexes.PRUNE_CURSOR);
    if (cursor == null) {
      cursor = today;
    }
    List<TableEntity> entries = indexes.pruneEntries(cursor, today, max + 1);
    List<TableEntity> batch = entries.subList(0, Math.min(entries.size(), max));
    // Revoked versions of the publication index go by their own entries; the rest name rows.
    indexes.publications().forget(batch.stream().filter(LedgerPublications::isPruneEntry).toList());
    List<TableEntity> rowEntries =
        batch.stream().filter(entity -> !LedgerPublications.isPruneEntry(entity)).toList();
    List<TableReads.Key> keys =
        rowEntries.stream().map(entity -> LedgerIndexes.keyOf(entity.getRowKey())).toList();
    Map<TableReads.Key, LedgerRow> found = rows.read(keys);
    int pruned = 0;
    for (int i = 0; i < rowEntries.size(); i++) {
      LedgerRow row = found.get(keys.get(i));
      if (row != null
          && row.pendingSince == null
          && row.state != LedgerState.ACTIVE
          && row.state != LedgerState.PRESENT
          && row.updatedAt != null
          && !row.updatedAt.plus(options.retention()).isAfter(now)
          && deleteIfUnchanged(row)) {
        indexes.forget(row);
        pruned++;
      }
    }
    indexes.removePrune(batch);
    String next = entries.size() > max ? entries.get(max).getPartitionKey() : today;
    if (!next.equals(cursor)) {
      indexes.setCursor(LedgerIndexes.PRUNE_CURSOR, next);
    }
    return pruned;
  }

  private boolean deleteIfUnchanged(LedgerRow row) {
    try {
      tables.rows.deleteEntityWithResponse(
          row.toEntity(), true, null, com.azure.core.util.Context.NONE);
      return true;
    } catch (com.azure.data.tables.models.TableServiceException e) {
      UpstreamFailure failure = UpstreamFailure.of(e);
      if (failure == UpstreamFailure.NOT_FOUND || failure == UpstreamFailure.CONFLICT) {
        return false; // gone, or changed since: not this run's to delete
      }
      throw UpstreamException.ofAzure(UPSTREAM, "Table storage could not delete a ledger row", e);
    }
  }

  // ---- the write path
  // ----------------------------------------------------------------------------

  /**
   * Writes the changes, then their history and index entries, then the history notes of decisions
   * that changed no row.
   */
  private <R> List<R> write(List<Change<LedgerRow, R>> changes, Notes notes) {
    startCursors();
    ConditionalWrites.Outcome<LedgerRow, R> outcome = rows.write(publishing(changes));
    indexes.afterWrites(outcome.written());
    notes.flush();
    return outcome.results();
  }

  /**
   * Writes changes of rows this process claimed: under the claims' lease (no ETag needed) while
   * every claim is well inside the claim timeout, else conditionally.
   */
  private <R> List<R> writeClaimed(
      List<Change<LedgerRow, R>> changes, List<LedgerEntry> claimed, Notes notes) {
    Instant now = clock.instant();
    Duration safe = options.claimTimeout().dividedBy(2);
    boolean leased =
        claimed.stream()
            .allMatch(
                entry ->
                    entry.pendingSince() != null
                        && entry.claimId() != null
                        && entry.pendingSince().plus(safe).isAfter(now));
    List<Change<LedgerRow, R>> publishing = publishing(changes);
    ConditionalWrites.Outcome<LedgerRow, R> outcome =
        leased ? rows.writeUnderLease(publishing) : rows.write(publishing);
    indexes.afterWrites(outcome.written());
    notes.flush();
    return outcome.results();
  }

  /**
   * The changes, each deciding also what its row publishes ({@link LedgerPublications#next}): at
   * the time of this call, one microsecond apart in the order of the changes, so that the versions
   * a batch publishes have distinct dates added. Decided inside the conditional write, so a lost
   * race decides again on the row as stored.
   */
  private <R> List<Change<LedgerRow, R>> publishing(List<Change<LedgerRow, R>> changes) {
    Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);
    List<Change<LedgerRow, R>> marked = new ArrayList<>(changes.size());
    for (int i = 0; i < changes.size(); i++) {
      Change<LedgerRow, R> change = changes.get(i);
      Instant versionAt = at.plus(i, ChronoUnit.MICROS);
      marked.add(
          new Change<>(
              change.guess(),
              change.exists(),
              current -> {
                BlockVersion last = current == null ? null : current.published;
                Decision<LedgerRow, R> decision = change.decide().apply(current);
                if (decision.write() != null) {
                  decision.write().published =
                      LedgerPublications.next(last, decision.write(), versionAt);
                }
                return decision;
              },
              change.fresh()));
    }
    return marked;
  }

  private static <R> Decision<LedgerRow, LedgerEntry> written(LedgerRow next) {
    return new Decision<>(next, BlockLedger::entry);
  }

  private static Decision<LedgerRow, LedgerEntry> unchanged() {
    return new Decision<>(null, BlockLedger::entry);
  }

  private static LedgerEntry entry(LedgerRow row) {
    return row == null ? null : row.toEntry();
  }

  private static TableReads.Key keyOf(LedgerEntry entry) {
    return new TableReads.Key(
        LedgerKeys.partitionKey(entry.provider(), entry.type(), entry.value()),
        LedgerKeys.rowKey(entry.value()));
  }

  /**
   * History notes of decisions that changed no row (a re-run that found the block active, a refusal
   * of a row that is enforced): one entry each in the history table, beside the row's numbered
   * entries. Kept per change, so that a decision run again after a lost race leaves one note.
   */
  private final class Notes {
    private final Map<Integer, TableEntity> byChange = new ConcurrentHashMap<>();

    void clear(int index) {
      byChange.remove(index);
    }

    void add(int index, LedgerRow row, LedgerHistory entry) {
      byChange.put(index, LedgerIndexes.noteEntity(row.partitionKey(), row.rowKey(), entry));
    }

    void flush() {
      if (byChange.isEmpty()) {
        return;
      }
      TableBatch batch = new TableBatch(UPSTREAM);
      byChange.values().forEach(entity -> batch.upsert(tables.history, entity));
      batch.flush();
    }
  }

  /** An OData string literal: single quotes doubled, so no value can end the literal early. */
  static String quote(String value) {
    return "'" + value.replace("'", "''") + "'";
  }

  static String cut(String text, int max) {
    return text == null || text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }

  /** A position in newest-first order, as an opaque token. */
  private record Cursor(String listKey, String partition, String ledgerKey) {
    /** The list index's order: its row key (time inverted), then the partition. */
    static final Comparator<Cursor> LISTED =
        Comparator.comparing(Cursor::listKey).thenComparing(Cursor::partition);

    /** The same order for rows found by key: their list position, then their key. */
    static final Comparator<Cursor> ORDER = LISTED.thenComparing(Cursor::ledgerKey);

    static Cursor of(LedgerRow row) {
      Instant listed =
          row.listedAt != null
              ? row.listedAt
              : row.updatedAt != null ? row.updatedAt : Instant.EPOCH;
      return new Cursor(
          LedgerIndexes.listRowKey(listed, row.type, row.rowKey()),
          LedgerIndexes.listPartition(
              row.listedState != null ? row.listedState : row.state, row.provider),
          LedgerIndexes.ledgerKey(row.partitionKey(), row.rowKey()));
    }

    String token() {
      String text = String.join("\n", TOKEN_VERSION, listKey, partition, ledgerKey);
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    static Cursor parse(String token) {
      try {
        String[] parts =
            new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8)
                .split("\n", -1);
        if (parts.length != 4 || !parts[0].equals(TOKEN_VERSION) || parts[1].isEmpty()) {
          throw new IllegalArgumentException("not a ledger token");
        }
        return new Cursor(parts[1], parts[2], parts[3]);
      } catch (IllegalArgumentException e) {
        throw InvalidInputException.of(
            "continuation_token",
            "continuation_token is not one this service issued; start again without it");
      }
    }
  }
}
