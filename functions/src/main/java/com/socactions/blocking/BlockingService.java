package com.socactions.blocking;

import com.socactions.cmdb.CriticalAssets;
import com.socactions.decisions.DecisionLog;
import com.socactions.decisions.DecisionOperation;
import com.socactions.indicators.Cidr;
import com.socactions.indicators.DomainNames;
import com.socactions.indicators.Indicator;
import com.socactions.indicators.IndicatorType;
import com.socactions.indicators.Indicators;
import com.socactions.indicators.ParseResult;
import com.socactions.ledger.Action;
import com.socactions.ledger.BlockLedger;
import com.socactions.ledger.Claim;
import com.socactions.ledger.LedgerEntry;
import com.socactions.ledger.LedgerKeys;
import com.socactions.ledger.LedgerPage;
import com.socactions.ledger.LedgerQuery;
import com.socactions.ledger.LedgerRequest;
import com.socactions.ledger.LedgerState;
import com.socactions.ledger.LedgerView;
import com.socactions.ledger.Provenance;
import com.socactions.platform.ConfigurationException;
import com.socactions.platform.InvalidInputException;
import com.socactions.platform.Ticker;
import com.socactions.platform.UpstreamException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Blocks, allows and unblocks indicators on an enforcement point, safely and truthfully: every
 * indicator is parsed and normalised, checked by the {@link Guardrails} before anything is sent,
 * claimed in the {@link BlockLedger} so that re-runs and concurrent runs apply it once, applied in
 * one batch, and recorded with who asked and why, refusals and dry runs included.
 *
 * <p>What an answer promises: {@code blocked}, {@code already_active}, {@code allowed} and {@code
 * unblocked} only after the provider confirmed it (this call's provider call, or another call's
 * that this one waited for, up to {@link #DEFAULT_IN_FLIGHT_WAIT}); {@code pending} when another
 * call's identical claim is still waiting for its provider; {@code already_present} when the
 * provider holds an entry the connector did not create, which is never changed or lifted. A
 * repeated request costs no provider call unless it moves the expiry later by a real margin ({@link
 * BlockLedger#extensionMargin}).
 *
 * <p>One bad indicator never fails a call: each gets its own {@link IndicatorResult}. The call as a
 * whole fails only for a malformed request (an unknown provider: {@link InvalidInputException}), a
 * provider that is not configured ({@link ConfigurationException}), or when the provider could not
 * take any of it and a retry can help ({@link UpstreamException} with {@code Retry-After}); then
 * nothing is recorded as active.
 */
public final class BlockingService {
  /** How long a block lasts when the playbook does not say. */
  public static final Duration DEFAULT_DURATION = Duration.ofHours(24);

  /** The shortest block: an expiry sooner than the timer's next run would be noise. */
  public static final Duration MIN_DURATION = Duration.ofMinutes(5);

  /** The longest block: a year; a permanent block belongs in the firewall's own policy. */
  public static final Duration MAX_DURATION = Duration.ofDays(365);

  /**
   * How long a call waits for another call's identical claim to get its provider's answer before it
   * answers {@code pending}: well inside Logic Apps' 120 s, and longer than one provider batch
   * takes when the provider answers at all.
   */
  public static final Duration DEFAULT_IN_FLIGHT_WAIT = Duration.ofSeconds(20);

  /** How long one run of the expiry timer works, at most (the next run goes on). */
  public static final Duration DEFAULT_EXPIRY_BUDGET = Duration.ofSeconds(60);

  /** Pages (of 1,000 rows) of the first ledger layout one expiry run carries over, at most. */
  static final int MIGRATION_PAGES_PER_RUN = 20;

  /** Due entries the timer reads and lifts at a time. */
  static final int EXPIRY_CHUNK = 500;

  /** The {@code retry_after} of a {@code pending} answer. */
  public static final Duration PENDING_RETRY_AFTER = Duration.ofSeconds(15);

  /**
   * Claim rounds of one call: a request that waited for another call's claim claims again (to
   * extend, or to apply after a lift) at most this many times in all.
   */
  static final int MAX_CLAIM_ROUNDS = 3;

  /** Broadest network whose blocks an allowed address is checked against (IPv4). */
  static final int COVERING_IPV4_FROM = 16;

  /** Broadest network whose blocks an allowed address is checked against (IPv6). */
  static final int COVERING_IPV6_FROM = 32;

  private final Map<String, EnforcementPoint> points;
  private final Supplier<BlockLedger> ledger;
  private final Supplier<ProtectedIndicators> protectedIndicators;
  private final CriticalAssets criticalAssets;
  private final Clock clock;
  private final Duration inFlightWait;
  private final Ticker ticker;
  private volatile DecisionLog decisions = DecisionLog.OFF;

  /**
   * @param points the enforcement points by id, in the order ListProviders shows them
   * @param ledger built on first use (it opens a table)
   */
  public BlockingService(
      List<EnforcementPoint> points,
      Supplier<BlockLedger> ledger,
      Supplier<ProtectedIndicators> protectedIndicators,
      CriticalAssets criticalAssets,
      Clock clock) {
    this(points, ledger, protectedIndicators, criticalAssets, clock, DEFAULT_IN_FLIGHT_WAIT);
  }

  /** With another wait for claims in flight (tests: short). */
  public BlockingService(
      List<EnforcementPoint> points,
      Supplier<BlockLedger> ledger,
      Supplier<ProtectedIndicators> protectedIndicators,
      CriticalAssets criticalAssets,
      Clock clock,
      Duration inFlightWait) {
    this.points = new LinkedHashMap<>();
    points.forEach(point -> this.points.put(point.id(), point));
    this.ledger = ledger;
    this.protectedIndicators = protectedIndicators;
    this.criticalAssets = criticalAssets;
    this.clock = clock;
    this.inFlightWait = inFlightWait;
    this.ticker = Ticker.SYSTEM;
  }

  /**
   * ListIndicators: one page of the ledger.
   *
   * @throws InvalidInputException naming {@code provider} when it is neither an enforcement point
   *     nor {@value LedgerKeys#ACCOUNTS_PROVIDER}, and {@code continuation_token} when the token is
   *     not one the ledger issued
   */
  public LedgerPage list(LedgerQuery query) {
    if (query.provider() != null
        && !points.containsKey(query.provider())
        && !LedgerKeys.ACCOUNTS_PROVIDER.equals(query.provider())) {
      throw InvalidInputException.of(
          "provider",
          "'"
              + query.provider()
              + "' is not one of "
              + String.join(", ", points.keySet())
              + ", "
              + LedgerKeys.ACCOUNTS_PROVIDER);
    }
    return ledger.get().list(query, allProviders());
  }

  /**
   * ListIndicators as the API shows it: a page of {@link #list}; the rows of one {@code value} come
   * with their whole history (every decision since the first), others with their latest.
   */
  public LedgerView.Page listView(LedgerQuery query) {
    LedgerPage page = list(query);
    return query.value() != null
        ? LedgerView.Page.withHistory(page, ledger.get())
        : LedgerView.Page.of(page);
  }

  /** Every provider whose rows the ledger may hold: the enforcement points and accounts. */
  private List<String> allProviders() {
    List<String> all = new ArrayList<>(points.keySet());
    all.add(LedgerKeys.ACCOUNTS_PROVIDER);
    return all;
  }

  /** BlockIndicators. */
  public BlockResponse block(BlockCommand command) {
    EnforcementPoint point = configuredPoint(command.provider());
    Instant expiresAt = clock.instant().plus(command.duration());
    Batch batch = new Batch(command);
    // One CMDB question for the whole call, not one per indicator.
    Guardrails guardrails =
        new Guardrails(
            protectedIndicators.get(),
            ledger.get().allowList(),
            criticalAssets.forBatch(batch.indicators()));
    BlockLedger book = ledger.get();
    Vetted vetted = vet(book, point, batch, command, Action.BLOCK, expiresAt, guardrails::check);
    applyClaims(point, book, batch, vetted.claims(), vetted.indexes(), Action.BLOCK, command);
    return decided(
        DecisionOperation.BLOCK_INDICATORS, command, batch.response(point.id(), "block"));
  }

  /**
   * AllowIndicators: puts the indicators on the allow list of the provider (the EDL allow feeds,
   * Defender's Allowed indicators) and lifts their active blocks on every enforcement point. An
   * allowed address or domain that a block of a covering network or parent domain still holds says
   * so in its answer: the allow does not lift blocks it did not name.
   */
  public BlockResponse allow(BlockCommand command) {
    EnforcementPoint point = configuredPoint(command.provider());
    if (!point.supportsAllow()) {
      throw InvalidInputException.of(
          "provider",
          "'"
              + point.id()
              + "' cannot hold allow entries; use one of "
              + String.join(
                  ", ",
                  points.values().stream()
                      .filter(EnforcementPoint::supportsAllow)
                      .map(EnforcementPoint::id)
                      .toList()));
    }
    Instant expiresAt = clock.instant().plus(command.duration());
    Batch batch = new Batch(command);
    BlockLedger book = ledger.get();
    Vetted vetted =
        vet(book, point, batch, command, Action.ALLOW, expiresAt, Guardrails::checkAllow);
    liftBlocksElsewhere(book, batch, point, vetted.indexes(), command);
    applyClaims(point, book, batch, vetted.claims(), vetted.indexes(), Action.ALLOW, command);
    noteCoveringBlocks(book, batch, vetted.indexes());
    return decided(
        DecisionOperation.ALLOW_INDICATORS, command, batch.response(point.id(), "allow"));
  }

  /** UnblockIndicators: lifts active blocks on the provider (the analyst's false-positive path). */
  public BlockResponse unblock(BlockCommand command) {
    EnforcementPoint point = configuredPoint(command.provider());
    Batch batch = new Batch(command);
    BlockLedger book = ledger.get();
    List<LedgerEntry> active = new ArrayList<>();
    List<Integer> activeIndexes = new ArrayList<>();
    // One read of the ledger for the batch (a query per partition and a few keys), not one per
    // indicator.
    Map<Integer, Optional<LedgerEntry>> rows = batch.rows(book, point.id());
    for (int i = 0; i < batch.size(); i++) {
      if (!rows.containsKey(i)) {
        continue;
      }
      Optional<LedgerEntry> row = rows.get(i);
      if (row.isPresent() && row.get().state() == LedgerState.PRESENT) {
        batch.answer(
            i,
            BlockStatus.ALREADY_PRESENT,
            null,
            notOursToLift(point, row.get()),
            null,
            row.get().providerRef());
        continue;
      }
      Optional<LedgerEntry> entry = row.filter(found -> found.isActive(Action.BLOCK));
      if (entry.isEmpty()) {
        batch.answer(
            i, BlockStatus.NOT_FOUND, null, "no active block of it on " + point.id(), null, null);
      } else if (command.dryRun()) {
        batch.answer(
            i,
            BlockStatus.WOULD_UNBLOCK,
            null,
            "dry run: nothing was changed",
            entry.get().expiresAt(),
            entry.get().providerRef());
      } else {
        active.add(entry.get());
        activeIndexes.add(i);
      }
    }
    List<LiftResult> lifted = lift(point, book, active, command.provenance(), false, inFlightWait);
    for (int k = 0; k < activeIndexes.size(); k++) {
      LiftResult result = lifted.get(k);
      int index = activeIndexes.get(k);
      String ref = active.get(k).providerRef();
      switch (result.outcome()) {
        case LIFTED -> batch.answer(index, BlockStatus.UNBLOCKED, null, result.detail(), null, ref);
        case HELD_BY_OTHERS ->
            batch.answer(index, BlockStatus.ALREADY_PRESENT, null, result.detail(), null, null);
        case FAILED -> batch.answer(index, BlockStatus.FAILED, null, result.detail(), null, ref);
        case IN_FLIGHT -> batch.pending(index, "another request is changing it on " + point.id());
        case NOT_ACTIVE, NOT_DUE ->
            batch.answer(
                index,
                BlockStatus.NOT_FOUND,
                null,
                "no active block of it on " + point.id() + " any more (lifted meanwhile)",
                null,
                null);
      }
    }
    return decided(
        DecisionOperation.UNBLOCK_INDICATORS, command, batch.response(point.id(), "unblock"));
  }

  /**
   * The expiry timer: lifts what is due, chunk by chunk, until the ledger's expiry index has
   * nothing due or {@code budget} is spent (the next run goes on where this one stopped), then
   * prunes rows past their retention with what is left of the budget. Each lift is claimed first
   * under the row's ETag, and only while it is still due: a re-block that extended it meanwhile
   * wins. Entries that lapse on the provider by themselves (Defender indicators carry their {@code
   * expirationTime}) are marked expired without a provider call. A lift that fails stays pending in
   * the ledger and is tried again a few minutes later.
   *
   * @return how many entries were lifted, how many are still pending, and how many rows were pruned
   */
  public ExpiryReport expire(Duration budget) {
    BlockLedger book = ledger.get();
    long deadline = ticker.read() + budget.toNanos();
    // An upgraded ledger first carries its old rows over, so that nothing due is missed.
    int migrated = book.migrate(MIGRATION_PAGES_PER_RUN);
    int lifted = 0;
    int pending = 0;
    boolean more = false;
    while (true) {
      List<BlockLedger.Due> due = book.nextDue(EXPIRY_CHUNK);
      if (due.isEmpty()) {
        break;
      }
      Map<String, List<LedgerEntry>> byProvider = new LinkedHashMap<>();
      for (BlockLedger.Due item : due) {
        byProvider
            .computeIfAbsent(item.entry().provider(), id -> new ArrayList<>())
            .add(item.entry());
      }
      for (Map.Entry<String, List<LedgerEntry>> provider : byProvider.entrySet()) {
        EnforcementPoint point = points.get(provider.getKey());
        if (point == null) {
          // Rows of a provider this app no longer has (or of accounts): not the timer's to lift.
          continue;
        }
        List<LiftResult> results =
            lift(point, book, provider.getValue(), Provenance.TIMER, true, Duration.ZERO);
        decisions.recordLazily(
            () ->
                BlockDecisions.expired(
                    point.id(),
                    provider.getValue(),
                    results.stream().map(r -> r.outcome().name()).toList(),
                    results.stream().map(LiftResult::detail).toList(),
                    clock.instant()));
        for (LiftResult result : results) {
          switch (result.outcome()) {
            case LIFTED, HELD_BY_OTHERS -> lifted++;
            case FAILED, IN_FLIGHT -> pending++;
            case NOT_ACTIVE, NOT_DUE -> {
              // Extended, lifted or replaced since the timer read it: nothing of the timer's to do.
            }
          }
        }
      }
      book.doneDue(due);
      if (ticker.read() - deadline >= 0) {
        more = true;
        break;
      }
    }
    int pruned = 0;
    if (!more) {
      while (ticker.read() - deadline < 0) {
        int now = book.prune(EXPIRY_CHUNK);
        pruned += now;
        if (now < EXPIRY_CHUNK) {
          break;
        }
      }
    }
    return new ExpiryReport(lifted, pending, pruned, more, migrated);
  }

  /** {@link #expire(Duration)} with {@link #DEFAULT_EXPIRY_BUDGET}. */
  public ExpiryReport expire() {
    return expire(DEFAULT_EXPIRY_BUDGET);
  }

  /**
   * What one run of the expiry timer did.
   *
   * @param more the budget ran out with entries still due: the next run goes on
   * @param migrated rows of the ledger's first layout carried over in this run
   */
  public record ExpiryReport(
      int lifted, int stillPending, int pruned, boolean more, int migrated) {}

  // --- Decisions to Log Analytics (issue 19): one record per call, once its outcome is known. ---

  /**
   * Where this service records its decisions (by default nowhere); set once by the module that
   * builds it.
   */
  public BlockingService decisionLog(DecisionLog log) {
    this.decisions = java.util.Objects.requireNonNull(log, "'log' cannot be null.");
    return this;
  }

  private BlockResponse decided(
      DecisionOperation operation, BlockCommand command, BlockResponse response) {
    decisions.recordLazily(() -> BlockDecisions.of(operation, command, response, clock.instant()));
    return response;
  }

  // --- end of decisions ---

  /** The requests of a call that passed the guardrails and are to be claimed, by batch index. */
  private record Vetted(List<LedgerRequest> claims, List<Integer> indexes) {}

  /**
   * Runs each valid, supported indicator of the call through {@code verdict}: refusals and dry runs
   * are answered and recorded here, the rest come back to be claimed.
   */
  private static Vetted vet(
      BlockLedger book,
      EnforcementPoint point,
      Batch batch,
      BlockCommand command,
      Action action,
      Instant expiresAt,
      java.util.function.BiFunction<Indicator, GuardrailOverride, Verdict> verdictOf) {
    List<BlockLedger.Refusal> refusals = new ArrayList<>();
    List<LedgerRequest> dryRuns = new ArrayList<>();
    List<LedgerRequest> claims = new ArrayList<>();
    List<Integer> indexes = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      Optional<Indicator> indicator = batch.indicator(i);
      if (indicator.isEmpty() || !batch.supportedBy(i, point)) {
        continue;
      }
      LedgerRequest request =
          new LedgerRequest(point.id(), indicator.get(), action, expiresAt, command.provenance());
      Verdict verdict = verdictOf.apply(indicator.get(), command.override());
      if (verdict instanceof Verdict.Refused refused) {
        batch.answer(
            i, BlockStatus.REFUSED, refused.reason().wireName(), refused.message(), null, null);
        refusals.add(
            new BlockLedger.Refusal(request, refused.reason().wireName(), refused.message()));
      } else if (command.dryRun()) {
        BlockStatus wouldBe =
            action == Action.BLOCK ? BlockStatus.WOULD_BLOCK : BlockStatus.WOULD_ALLOW;
        batch.answer(i, wouldBe, null, liftedChecks(verdict), expiresAt, null);
        dryRuns.add(request);
      } else {
        claims.add(request);
        indexes.add(i);
      }
    }
    book.recordRefused(refusals);
    book.recordDryRun(dryRuns);
    return new Vetted(claims, indexes);
  }

  /** How lifting one entry ended. */
  private record LiftResult(LiftOutcome outcome, String detail) {}

  private enum LiftOutcome {
    /** Off the provider (or found gone), and lifted or expired in the ledger. */
    LIFTED,
    /** Ours is gone; what the provider holds for the value is someone else's, left as it is. */
    HELD_BY_OTHERS,
    /** The provider failed; the ledger keeps the lift pending for the timer. */
    FAILED,
    /** Another call's claim was still in flight on it after the wait. */
    IN_FLIGHT,
    /** No longer an active entry of that action. */
    NOT_ACTIVE,
    /** For the expiry timer: extended since it was read, so no longer due. */
    NOT_DUE
  }

  /**
   * Lifts the connector's own entries on the provider: each lift is claimed in the ledger first (so
   * a concurrent re-block or unblock waits for it, and the timer lifts only what is still due),
   * then removed on the provider in one batch, then recorded. Entries with another call's claim in
   * flight are waited for up to {@code wait} and tried once more. One result per entry, in order.
   */
  private static List<LiftResult> lift(
      EnforcementPoint point,
      BlockLedger book,
      List<LedgerEntry> entries,
      Provenance by,
      boolean onlyIfDue,
      Duration wait) {
    LiftResult[] results = new LiftResult[entries.size()];
    List<Integer> todo = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      todo.add(i);
    }
    List<LedgerEntry> current = new ArrayList<>(entries);
    for (int round = 1; round <= MAX_CLAIM_ROUNDS && !todo.isEmpty(); round++) {
      List<BlockLedger.LiftClaim> claims =
          book.claimLifts(todo.stream().map(current::get).toList(), onlyIfDue, by);
      List<Integer> claimed = new ArrayList<>();
      List<Integer> inFlight = new ArrayList<>();
      for (int k = 0; k < claims.size(); k++) {
        int i = todo.get(k);
        switch (claims.get(k).status()) {
          case CLAIMED -> {
            claimed.add(i);
            current.set(i, claims.get(k).entry());
          }
          case IN_FLIGHT -> {
            inFlight.add(i);
            current.set(i, claims.get(k).entry());
          }
          case NOT_DUE -> results[i] = new LiftResult(LiftOutcome.NOT_DUE, null);
          case NOT_ACTIVE -> results[i] = new LiftResult(LiftOutcome.NOT_ACTIVE, null);
        }
      }
      removeClaimed(point, book, current, claimed, by, results);
      todo = new ArrayList<>();
      if (inFlight.isEmpty()) {
        break;
      }
      List<LedgerEntry> settled =
          book.awaitSettled(inFlight.stream().map(current::get).toList(), wait);
      for (int k = 0; k < inFlight.size(); k++) {
        int i = inFlight.get(k);
        LedgerEntry row = settled.get(k);
        if (row == null || !row.isActive(entries.get(i).action())) {
          results[i] = new LiftResult(LiftOutcome.NOT_ACTIVE, null);
        } else if (row.isClaimInFlight() || round == MAX_CLAIM_ROUNDS) {
          results[i] = new LiftResult(LiftOutcome.IN_FLIGHT, null);
        } else {
          current.set(i, row);
          todo.add(i);
        }
      }
    }
    return Arrays.asList(results);
  }

  private static void removeClaimed(
      EnforcementPoint point,
      BlockLedger book,
      List<LedgerEntry> current,
      List<Integer> claimed,
      Provenance by,
      LiftResult[] results) {
    if (claimed.isEmpty()) {
      return;
    }
    List<EnforcementRequest> requests =
        claimed.stream()
            .map(current::get)
            .map(
                entry ->
                    new EnforcementRequest(
                        entry.indicator(),
                        entry.action(),
                        entry.expiresAt(),
                        null,
                        null,
                        entry.providerRef()))
            .toList();
    // The expiry timer leaves alone what the provider lapses by itself at that same expiry.
    boolean expiring = Provenance.EXPIRY_TIMER.equals(by.requestedBy());
    List<EnforcementRequest> toRemove =
        requests.stream().filter(request -> !(expiring && point.lapsesOnItsOwn(request))).toList();
    Map<EnforcementRequest, EnforcementOutcome> removed = new java.util.IdentityHashMap<>();
    List<EnforcementOutcome> answered = toRemove.isEmpty() ? List.of() : point.remove(toRemove);
    for (int k = 0; k < toRemove.size(); k++) {
      removed.put(toRemove.get(k), answered.get(k));
    }
    List<EnforcementOutcome> outcomes =
        requests.stream()
            .map(
                request ->
                    removed.getOrDefault(
                        request,
                        EnforcementOutcome.done(request.indicator(), request.providerRef())))
            .toList();
    List<BlockLedger.Lift> lifts = new ArrayList<>();
    for (int k = 0; k < claimed.size(); k++) {
      int i = claimed.get(k);
      LedgerEntry entry = current.get(i);
      EnforcementOutcome outcome = outcomes.get(k);
      switch (outcome.status()) {
        case DONE, ALREADY_OURS -> {
          lifts.add(BlockLedger.Lift.done(entry, by));
          results[i] = new LiftResult(LiftOutcome.LIFTED, null);
        }
        case NOT_FOUND -> {
          lifts.add(BlockLedger.Lift.done(entry, by));
          results[i] =
              new LiftResult(
                  LiftOutcome.LIFTED,
                  "it was no longer on " + point.id() + "; the ledger agrees now");
        }
        case NOT_OURS, CONFLICT -> {
          String detail = notOursDetail(point, outcome);
          lifts.add(BlockLedger.Lift.heldByOthers(entry, outcome.heldBy(), detail, by));
          results[i] = new LiftResult(LiftOutcome.HELD_BY_OTHERS, detail);
        }
        case FAILED, UNSUPPORTED -> {
          lifts.add(BlockLedger.Lift.failed(entry, outcome.detail(), by));
          results[i] = new LiftResult(LiftOutcome.FAILED, outcome.detail());
        }
      }
    }
    book.recordLifts(lifts);
  }

  private static String notOursDetail(EnforcementPoint point, EnforcementOutcome outcome) {
    if (outcome.detail() != null) {
      return outcome.detail();
    }
    return point.displayName()
        + " holds an entry for it that the connector did not create"
        + (outcome.heldBy() == null ? "" : " (made by " + outcome.heldBy() + ")")
        + ": left as it is";
  }

  private static String notOursToLift(EnforcementPoint point, LedgerEntry row) {
    return point.displayName()
        + " holds it"
        + (row.heldBy() == null ? "" : " as made by " + row.heldBy())
        + ", not the connector: it is not the connector's to lift; lift it there";
  }

  /**
   * Before an allow: the indicators' active blocks on the other enforcement points are lifted
   * (those being allowed, past the guardrails, not in a dry run).
   */
  private void liftBlocksElsewhere(
      BlockLedger book,
      Batch batch,
      EnforcementPoint allowing,
      List<Integer> indexes,
      BlockCommand command) {
    if (indexes.isEmpty()) {
      return;
    }
    List<Indicator> allowed = indexes.stream().map(i -> batch.indicator(i).orElseThrow()).toList();
    for (EnforcementPoint other : points.values()) {
      if (other == allowing || !other.isConfigured()) {
        continue;
      }
      List<LedgerEntry> active = new ArrayList<>();
      book.findAll(other.id(), allowed)
          .forEach(row -> row.filter(entry -> entry.isActive(Action.BLOCK)).ifPresent(active::add));
      lift(other, book, active, command.provenance(), false, inFlightWait);
    }
  }

  /**
   * After an allow: an allowed address or name that an active block of a covering network or a
   * parent domain still holds (on any enforcement point) says so, since that block still stops it.
   * Costs one batch read of candidate keys per enforcement point: the networks of /{@value
   * #COVERING_IPV4_FROM} (IPv4) or /{@value #COVERING_IPV6_FROM} (IPv6) and narrower that contain
   * it (broader ones cannot be blocked), and its parent domains up to the registrable one.
   */
  private void noteCoveringBlocks(BlockLedger book, Batch batch, List<Integer> indexes) {
    Map<Integer, List<Indicator>> candidates = new LinkedHashMap<>();
    for (int i : indexes) {
      if (batch.status(i) == BlockStatus.ALLOWED) {
        List<Indicator> covering = covering(batch.indicator(i).orElseThrow());
        if (!covering.isEmpty()) {
          candidates.put(i, covering);
        }
      }
    }
    if (candidates.isEmpty()) {
      return;
    }
    List<Indicator> all =
        List.copyOf(
            candidates.values().stream()
                .flatMap(List::stream)
                .collect(java.util.stream.Collectors.toCollection(LinkedHashSet::new)));
    Map<String, List<String>> blockedBy = new LinkedHashMap<>();
    for (EnforcementPoint point : points.values()) {
      if (!point.isConfigured()) {
        continue;
      }
      List<Indicator> relevant =
          all.stream().filter(c -> point.supportedTypes().contains(c.type())).toList();
      if (relevant.isEmpty()) {
        continue;
      }
      List<Optional<LedgerEntry>> rows = book.findAll(point.id(), relevant);
      for (int k = 0; k < relevant.size(); k++) {
        if (rows.get(k).filter(row -> row.isActive(Action.BLOCK)).isPresent()) {
          blockedBy
              .computeIfAbsent(relevant.get(k).value(), v -> new ArrayList<>())
              .add(point.id());
        }
      }
    }
    candidates.forEach(
        (i, covering) -> {
          List<String> still =
              covering.stream()
                  .filter(c -> blockedBy.containsKey(c.value()))
                  .map(c -> c.value() + " on " + String.join(", ", blockedBy.get(c.value())))
                  .toList();
          if (!still.isEmpty()) {
            batch.addDetail(
                i,
                "still blocked by "
                    + String.join("; ", still)
                    + ": the allow does not lift blocks it does not name; unblock those to let it"
                    + " through");
          }
        });
  }

  /** The networks and parent domains whose block would stop {@code indicator} too. */
  static List<Indicator> covering(Indicator indicator) {
    List<Indicator> covering = new ArrayList<>();
    Optional<Cidr> addresses =
        indicator.type() == IndicatorType.URL ? Optional.empty() : indicator.addresses();
    Optional<String> host = indicator.host();
    if (indicator.type() == IndicatorType.URL && host.isPresent()) {
      ParseResult parsedHost = Indicators.parse(host.get());
      if (parsedHost instanceof ParseResult.Parsed parsed) {
        covering.add(parsed.indicator());
        covering.addAll(covering(parsed.indicator()));
      }
      return covering;
    }
    if (addresses.isPresent()) {
      Cidr network = addresses.get();
      int from = network.isIpv4() ? COVERING_IPV4_FROM : COVERING_IPV6_FROM;
      for (int prefix = network.prefixLength() - 1; prefix >= from; prefix--) {
        String text = Cidr.containing(network.network(), prefix).toString();
        covering.add(new Indicator(IndicatorType.CIDR, text, text));
      }
    } else if (indicator.type() == IndicatorType.DOMAIN) {
      String name = indicator.value();
      for (int dot = name.indexOf('.'); dot > 0; dot = name.indexOf('.', dot + 1)) {
        String parent = name.substring(dot + 1);
        if (DomainNames.isPublicSuffix(parent) || parent.indexOf('.') < 0) {
          break;
        }
        covering.add(new Indicator(IndicatorType.DOMAIN, parent, parent));
      }
    }
    return covering;
  }

  /**
   * Claims the requests in the ledger, applies the claimed ones on the provider in one batch, and
   * settles each claim with what the provider said. Requests that find another call's claim in
   * flight wait for it and answer what really happened (or {@code pending}). When the provider took
   * none of the claims and a retry can help, the whole call answers 429/503 instead (nothing was
   * recorded as active).
   */
  private void applyClaims(
      EnforcementPoint point,
      BlockLedger book,
      Batch batch,
      List<LedgerRequest> requests,
      List<Integer> indexes,
      Action action,
      BlockCommand command) {
    Applied applied = new Applied();
    List<Integer> todo = new ArrayList<>();
    for (int k = 0; k < requests.size(); k++) {
      todo.add(k);
    }
    for (int round = 1; round <= MAX_CLAIM_ROUNDS && !todo.isEmpty(); round++) {
      List<Claim> claims = book.claimActive(todo.stream().map(requests::get).toList());
      List<Integer> toApply = new ArrayList<>();
      List<Integer> inFlight = new ArrayList<>();
      for (int k = 0; k < claims.size(); k++) {
        Claim claim = claims.get(k);
        int index = indexes.get(todo.get(k));
        switch (claim.status()) {
          case CLAIMED, EXTENDING -> toApply.add(k);
          case IN_FLIGHT -> inFlight.add(k);
          case ALREADY_ACTIVE ->
              batch.answer(
                  index,
                  activeStatus(action),
                  null,
                  "already active",
                  claim.entry().expiresAt(),
                  claim.entry().providerRef());
        }
      }
      apply(point, book, batch, claims, toApply, todo, indexes, action, command, applied);
      List<Integer> next = new ArrayList<>();
      if (!inFlight.isEmpty()) {
        List<LedgerEntry> settled =
            book.awaitSettled(
                inFlight.stream().map(k -> claims.get(k).entry()).toList(), inFlightWait);
        for (int w = 0; w < inFlight.size(); w++) {
          int request = todo.get(inFlight.get(w));
          int index = indexes.get(request);
          LedgerEntry row = settled.get(w);
          if (row == null) {
            next.add(request);
          } else if (row.isClaimInFlight() || round == MAX_CLAIM_ROUNDS) {
            batch.pending(index, "another request is applying it on " + point.id());
          } else if (row.state() == LedgerState.FAILED) {
            batch.answer(
                index,
                BlockStatus.FAILED,
                null,
                "another request's identical attempt failed: " + row.lastError(),
                null,
                null);
          } else if (row.state() == LedgerState.PRESENT) {
            batch.answer(
                index,
                BlockStatus.ALREADY_PRESENT,
                null,
                notOursToLift(point, row),
                null,
                row.providerRef());
          } else if (row.state() == LedgerState.REFUSED && row.guardrail() != null) {
            batch.answer(index, BlockStatus.REFUSED, row.guardrail(), row.lastError(), null, null);
          } else {
            // Active now (claim again: it may need extending), or lifted meanwhile (apply again).
            next.add(request);
          }
        }
      }
      todo = next;
    }
    if (applied.everyClaimFailedRetryably() && !batch.anyActive()) {
      decided(
          action == Action.BLOCK
              ? DecisionOperation.BLOCK_INDICATORS
              : DecisionOperation.ALLOW_INDICATORS,
          command,
          batch.response(point.id(), action == Action.BLOCK ? "block" : "allow"));
      throw UpstreamException.retryLater(
          point.id(),
          point.displayName()
              + " could not take the indicators now: "
              + batch.firstDetail(BlockStatus.FAILED),
          applied.retryAfter);
    }
  }

  /** What this call's own provider calls gave, for the whole-call failure rule. */
  private static final class Applied {
    int claimed;
    int failed;
    boolean anyTaken;
    Duration retryAfter;

    boolean everyClaimFailedRetryably() {
      return claimed > 0 && !anyTaken && failed == claimed && retryAfter != null;
    }
  }

  /** The provider call for the claimed and extending requests of one round, and their answers. */
  private static void apply(
      EnforcementPoint point,
      BlockLedger book,
      Batch batch,
      List<Claim> claims,
      List<Integer> toApply,
      List<Integer> todo,
      List<Integer> indexes,
      Action action,
      BlockCommand command,
      Applied applied) {
    if (toApply.isEmpty()) {
      return;
    }
    List<EnforcementRequest> requests =
        toApply.stream()
            .map(claims::get)
            .map(
                claim -> {
                  LedgerEntry entry = claim.entry();
                  boolean extension = claim.status() == Claim.Status.EXTENDING;
                  return new EnforcementRequest(
                      entry.indicator(),
                      action,
                      extension ? entry.extendTo() : entry.expiresAt(),
                      command.title(),
                      command.description(),
                      entry.providerRef(),
                      extension,
                      claim.recovering());
                })
            .toList();
    List<EnforcementOutcome> outcomes = point.apply(requests);
    List<BlockLedger.Settlement> settlements = new ArrayList<>();
    for (int a = 0; a < toApply.size(); a++) {
      Claim claim = claims.get(toApply.get(a));
      LedgerEntry entry = claim.entry();
      int index = indexes.get(todo.get(toApply.get(a)));
      EnforcementOutcome outcome = outcomes.get(a);
      boolean extension = claim.status() == Claim.Status.EXTENDING;
      if (!extension) {
        applied.claimed++;
      }
      switch (outcome.status()) {
        case DONE, ALREADY_OURS -> {
          applied.anyTaken = true;
          settlements.add(new BlockLedger.Confirmation(entry, outcome.providerRef()));
          String ref = outcome.providerRef() != null ? outcome.providerRef() : entry.providerRef();
          if (extension) {
            batch.answer(
                index,
                activeStatus(action),
                null,
                "already active; its expiry is extended",
                entry.extendTo(),
                ref);
          } else {
            batch.answer(
                index,
                action == Action.BLOCK ? BlockStatus.BLOCKED : BlockStatus.ALLOWED,
                null,
                outcome.detail() != null
                    ? outcome.detail()
                    : outcome.status() == EnforcementOutcome.Status.ALREADY_OURS
                        ? "was already on " + point.id() + " as the connector's; now in the ledger"
                        : null,
                entry.expiresAt(),
                ref);
          }
        }
        case NOT_OURS -> {
          String detail = notOursDetail(point, outcome);
          settlements.add(
              new BlockLedger.HeldByOthers(entry, outcome.heldBy(), outcome.providerRef(), detail));
          batch.answer(
              index, BlockStatus.ALREADY_PRESENT, null, detail, null, outcome.providerRef());
          applied.anyTaken = true;
        }
        case CONFLICT -> {
          String message = notOursDetail(point, outcome);
          settlements.add(
              new BlockLedger.Conflict(entry, RefusalReason.UPSTREAM_CONFLICT.wireName(), message));
          batch.answer(
              index,
              BlockStatus.REFUSED,
              RefusalReason.UPSTREAM_CONFLICT.wireName(),
              message,
              null,
              outcome.providerRef());
          applied.anyTaken = true;
        }
        case UNSUPPORTED, NOT_FOUND -> {
          settlements.add(new BlockLedger.Failure(entry, outcome.detail()));
          batch.answer(index, BlockStatus.UNSUPPORTED, null, outcome.detail(), null, null);
          applied.anyTaken = true;
        }
        case FAILED -> {
          settlements.add(new BlockLedger.Failure(entry, outcome.detail()));
          if (extension) {
            // Ours is still on the provider until its old expiry: that is the truth to tell.
            batch.answer(
                index,
                activeStatus(action),
                null,
                "already active; its expiry could not be extended: " + outcome.detail(),
                entry.expiresAt(),
                entry.providerRef());
          } else {
            applied.failed++;
            batch.answer(index, BlockStatus.FAILED, null, outcome.detail(), null, null);
            if (outcome.retryAfter() != null
                && (applied.retryAfter == null
                    || outcome.retryAfter().compareTo(applied.retryAfter) > 0)) {
              applied.retryAfter = outcome.retryAfter();
            }
          }
        }
      }
    }
    book.settle(settlements);
  }

  private static BlockStatus activeStatus(Action action) {
    return action == Action.BLOCK ? BlockStatus.ALREADY_ACTIVE : BlockStatus.ALLOWED;
  }

  private static String liftedChecks(Verdict verdict) {
    if (verdict instanceof Verdict.Allowed allowed && !allowed.lifted().isEmpty()) {
      return "override lifted: "
          + String.join("; ", allowed.lifted().stream().map(Verdict.Lifted::message).toList());
    }
    return null;
  }

  private EnforcementPoint configuredPoint(String id) {
    EnforcementPoint point = points.get(id.toLowerCase(Locale.ROOT));
    if (point == null) {
      throw InvalidInputException.of(
          "provider", "'" + id + "' is not one of " + String.join(", ", points.keySet()));
    }
    if (!point.isConfigured()) {
      throw new ConfigurationException(
          null,
          "Provider '"
              + point.id()
              + "' is not configured on this connector: "
              + point.readiness().detail());
    }
    return point;
  }

  /** The results of one call, by request index; duplicates of one indicator share one answer. */
  private static final class Batch {
    private final List<ParseResult> parsed;
    private final IndicatorResult[] results;
    private final Map<String, Integer> firstOfValue = new LinkedHashMap<>();
    private final String provider;

    Batch(BlockCommand command) {
      this.parsed = Indicators.parseAll(command.indicators());
      this.results = new IndicatorResult[parsed.size()];
      this.provider = command.provider().toLowerCase(Locale.ROOT);
      for (int i = 0; i < parsed.size(); i++) {
        if (parsed.get(i) instanceof ParseResult.Invalid invalid) {
          results[i] = IndicatorResult.invalid(invalid);
        } else if (parsed.get(i) instanceof ParseResult.Parsed ok) {
          firstOfValue.putIfAbsent(ok.indicator().type() + " " + ok.indicator().value(), i);
        }
      }
    }

    int size() {
      return parsed.size();
    }

    /** The valid indicators, each once. */
    List<Indicator> indicators() {
      List<Indicator> indicators = new ArrayList<>();
      for (int i = 0; i < parsed.size(); i++) {
        indicator(i).ifPresent(indicators::add);
      }
      return indicators;
    }

    /** The indicator at {@code i} when it is valid and the first of its value in the batch. */
    Optional<Indicator> indicator(int i) {
      if (parsed.get(i) instanceof ParseResult.Parsed ok
          && firstOfValue.get(ok.indicator().type() + " " + ok.indicator().value()) == i) {
        return Optional.of(ok.indicator());
      }
      return Optional.empty();
    }

    /**
     * The ledger rows on {@code provider} of the valid indicators, by request index, read in one
     * batch.
     */
    Map<Integer, Optional<LedgerEntry>> rows(BlockLedger book, String provider) {
      List<Integer> indexes = new ArrayList<>();
      List<Indicator> indicators = new ArrayList<>();
      for (int i = 0; i < parsed.size(); i++) {
        int index = i;
        indicator(i)
            .ifPresent(
                indicator -> {
                  indexes.add(index);
                  indicators.add(indicator);
                });
      }
      List<Optional<LedgerEntry>> found =
          indicators.isEmpty() ? List.of() : book.findAll(provider, indicators);
      Map<Integer, Optional<LedgerEntry>> rows = new LinkedHashMap<>();
      for (int k = 0; k < indexes.size(); k++) {
        rows.put(indexes.get(k), found.get(k));
      }
      return rows;
    }

    boolean supportedBy(int i, EnforcementPoint point) {
      Indicator indicator = indicator(i).orElseThrow();
      if (point.supportedTypes().contains(indicator.type())) {
        return true;
      }
      answer(
          i,
          BlockStatus.UNSUPPORTED,
          null,
          point.displayName() + " does not take " + indicator.type().wireName() + " indicators",
          null,
          null);
      return false;
    }

    void answer(
        int i,
        BlockStatus status,
        String reason,
        String detail,
        Instant expiresAt,
        String providerRef) {
      ParseResult.Parsed ok = (ParseResult.Parsed) parsed.get(i);
      Indicator indicator = ok.indicator();
      results[i] =
          new IndicatorResult(
              indicator.value(),
              indicator.input(),
              indicator.type(),
              status,
              reason,
              detail,
              expiresAt,
              provider,
              providerRef,
              ok.notes().isEmpty() ? null : ok.notes());
    }

    /** Another request's claim is still in flight: say so, with when to ask again. */
    void pending(int i, String detail) {
      ParseResult.Parsed ok = (ParseResult.Parsed) parsed.get(i);
      Indicator indicator = ok.indicator();
      results[i] =
          new IndicatorResult(
              indicator.value(),
              indicator.input(),
              indicator.type(),
              BlockStatus.PENDING,
              null,
              detail + "; nothing is reported active before the provider confirmed it",
              null,
              provider,
              null,
              ok.notes().isEmpty() ? null : ok.notes(),
              PENDING_RETRY_AFTER.toSeconds());
    }

    /** The status answered for {@code i} so far, or null. */
    BlockStatus status(int i) {
      return results[i] == null ? null : results[i].status();
    }

    /** Appends a sentence to the detail answered for {@code i}. */
    void addDetail(int i, String text) {
      IndicatorResult r = results[i];
      results[i] =
          new IndicatorResult(
              r.value(),
              r.input(),
              r.type(),
              r.status(),
              r.reason(),
              r.detail() == null ? text : r.detail() + "; " + text,
              r.expiresAt(),
              r.provider(),
              r.providerRef(),
              r.notes(),
              r.retryAfter());
    }

    boolean anyActive() {
      return Arrays.stream(results)
          .anyMatch(
              result ->
                  result != null
                      && (result.status() == BlockStatus.BLOCKED
                          || result.status() == BlockStatus.ALREADY_ACTIVE));
    }

    String firstDetail(BlockStatus status) {
      return Arrays.stream(results)
          .filter(result -> result != null && result.status() == status)
          .map(IndicatorResult::detail)
          .findFirst()
          .orElse("");
    }

    BlockResponse response(String providerId, String verb) {
      List<IndicatorResult> answered = new ArrayList<>();
      for (int i = 0; i < results.length; i++) {
        if (results[i] == null && parsed.get(i) instanceof ParseResult.Parsed ok) {
          // A later duplicate of an indicator answered earlier in the batch: the same answer.
          IndicatorResult first =
              results[firstOfValue.get(ok.indicator().type() + " " + ok.indicator().value())];
          results[i] =
              new IndicatorResult(
                  first.value(),
                  ok.input(),
                  first.type(),
                  first.status(),
                  first.reason(),
                  first.detail(),
                  first.expiresAt(),
                  first.provider(),
                  first.providerRef(),
                  first.notes(),
                  first.retryAfter());
        }
        answered.add(results[i]);
      }
      return BlockResponse.of(providerId, verb, answered);
    }
  }
}
