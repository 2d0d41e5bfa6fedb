package com.socactions.blocking;

import com.socactions.blocking.EnforcementRequest.Action;
import com.socactions.indicators.Indicator;
import com.socactions.indicators.Indicators;
import com.socactions.indicators.ParseResult;
import com.socactions.platform.ConfigurationException;
import com.socactions.platform.HtmlTable;
import com.socactions.platform.InvalidInputException;
import com.socactions.platform.UpstreamException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Blocks, allows and unblocks indicators on an enforcement point, safely: every indicator is parsed
 * and normalised, checked by the {@link Guardrails} before anything is sent, claimed in the {@link
 * BlockLedger} so that re-runs and concurrent runs apply it once, applied in one batch, and
 * recorded with who asked and why, refusals and dry runs included.
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

  private final Map<String, EnforcementPoint> points;
  private final Supplier<BlockLedger> ledger;
  private final Supplier<ProtectedIndicators> protectedIndicators;
  private final CriticalAssets criticalAssets;
  private final Clock clock;

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
    this.points = new LinkedHashMap<>();
    points.forEach(point -> this.points.put(point.id(), point));
    this.ledger = ledger;
    this.protectedIndicators = protectedIndicators;
    this.criticalAssets = criticalAssets;
    this.clock = clock;
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
    List<BlockLedger.Refusal> refusals = new ArrayList<>();
    List<LedgerRequest> dryRuns = new ArrayList<>();
    List<LedgerRequest> claims = new ArrayList<>();
    List<Integer> claimIndexes = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      Optional<Indicator> indicator = batch.indicator(i);
      if (indicator.isEmpty() || !batch.supportedBy(i, point)) {
        continue;
      }
      LedgerRequest request =
          new LedgerRequest(
              point.id(), indicator.get(), Action.BLOCK, expiresAt, command.provenance());
      Verdict verdict = guardrails.check(indicator.get(), command.override());
      if (verdict instanceof Verdict.Refused refused) {
        batch.answer(
            i, BlockStatus.REFUSED, refused.reason().wireName(), refused.message(), null, null);
        refusals.add(new BlockLedger.Refusal(request, refused.reason(), refused.message()));
      } else if (command.dryRun()) {
        batch.answer(i, BlockStatus.WOULD_BLOCK, null, liftedChecks(verdict), expiresAt, null);
        dryRuns.add(request);
      } else {
        claims.add(request);
        claimIndexes.add(i);
      }
    }
    BlockLedger book = ledger.get();
    book.recordRefused(refusals);
    book.recordDryRun(dryRuns);
    applyClaims(point, book, batch, claims, claimIndexes, Action.BLOCK, command);
    return batch.response(point.id(), "block");
  }

  /**
   * AllowIndicators: puts the indicators on the allow list of the provider (the EDL allow feeds,
   * Defender's Allowed indicators) and lifts their active blocks on every enforcement point.
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
    liftBlocksElsewhere(book, batch, point, command);
    List<LedgerRequest> claims = new ArrayList<>();
    List<Integer> claimIndexes = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      Optional<Indicator> indicator = batch.indicator(i);
      if (indicator.isEmpty() || !batch.supportedBy(i, point)) {
        continue;
      }
      if (command.dryRun()) {
        batch.answer(i, BlockStatus.ALLOWED, null, "dry run: nothing was changed", expiresAt, null);
        continue;
      }
      claims.add(
          new LedgerRequest(
              point.id(), indicator.get(), Action.ALLOW, expiresAt, command.provenance()));
      claimIndexes.add(i);
    }
    applyClaims(point, book, batch, claims, claimIndexes, Action.ALLOW, command);
    return batch.response(point.id(), "allow");
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
      Optional<LedgerEntry> entry = rows.get(i).filter(found -> found.isActive(Action.BLOCK));
      if (entry.isEmpty()) {
        batch.answer(
            i, BlockStatus.NOT_FOUND, null, "no active block of it on " + point.id(), null, null);
      } else if (command.dryRun()) {
        batch.answer(
            i,
            BlockStatus.UNBLOCKED,
            null,
            "dry run: nothing was changed",
            entry.get().expiresAt(),
            entry.get().providerRef());
      } else {
        active.add(entry.get());
        activeIndexes.add(i);
      }
    }
    List<LedgerEntry> lifted = lift(point, book, active, command.provenance());
    for (int k = 0; k < activeIndexes.size(); k++) {
      LedgerEntry after = lifted.get(k);
      boolean done = after == null || after.state() != LedgerState.ACTIVE;
      batch.answer(
          activeIndexes.get(k),
          done ? BlockStatus.UNBLOCKED : BlockStatus.FAILED,
          null,
          done ? null : after.lastError(),
          null,
          active.get(k).providerRef());
    }
    return batch.response(point.id(), "unblock");
  }

  /**
   * The expiry timer: lifts every block whose time has come, and retries lifts that failed before,
   * provider by provider in batches. A lift that fails stays pending in the ledger for the next
   * run.
   *
   * @return how many entries were lifted and how many are still pending
   */
  public ExpiryReport expire() {
    BlockLedger book = ledger.get();
    Map<String, List<LedgerEntry>> due = new LinkedHashMap<>();
    for (LedgerEntry entry : book.dueForExpiry()) {
      due.computeIfAbsent(entry.provider(), id -> new ArrayList<>()).add(entry);
    }
    int lifted = 0;
    int pending = 0;
    for (Map.Entry<String, List<LedgerEntry>> provider : due.entrySet()) {
      EnforcementPoint point = points.get(provider.getKey());
      if (point == null) {
        pending += provider.getValue().size();
        continue;
      }
      for (LedgerEntry after : lift(point, book, provider.getValue(), Provenance.TIMER)) {
        if (after == null || !after.liftPending()) {
          lifted++;
        } else {
          pending++;
        }
      }
    }
    return new ExpiryReport(lifted, pending);
  }

  /** What one run of the expiry timer did. */
  public record ExpiryReport(int lifted, int stillPending) {}

  /** Lifts entries on the provider and records each outcome; the ledger rows as they are after. */
  private static List<LedgerEntry> lift(
      EnforcementPoint point, BlockLedger book, List<LedgerEntry> entries, Provenance by) {
    if (entries.isEmpty()) {
      return List.of();
    }
    List<EnforcementRequest> requests =
        entries.stream()
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
    List<EnforcementOutcome> outcomes = point.remove(requests);
    List<BlockLedger.Lift> lifts = new ArrayList<>();
    for (int k = 0; k < entries.size(); k++) {
      EnforcementOutcome outcome = outcomes.get(k);
      boolean done = outcome.status() != EnforcementOutcome.Status.FAILED;
      lifts.add(
          done
              ? BlockLedger.Lift.done(entries.get(k), by)
              : BlockLedger.Lift.failed(entries.get(k), outcome.detail(), by));
    }
    return book.recordLifts(lifts);
  }

  /** Before an allow: the indicator's active blocks on the other enforcement points are lifted. */
  private void liftBlocksElsewhere(
      BlockLedger book, Batch batch, EnforcementPoint allowing, BlockCommand command) {
    if (command.dryRun()) {
      return;
    }
    for (EnforcementPoint other : points.values()) {
      if (other == allowing || !other.isConfigured()) {
        continue;
      }
      List<LedgerEntry> active = new ArrayList<>();
      batch
          .rows(book, other.id())
          .values()
          .forEach(row -> row.filter(entry -> entry.isActive(Action.BLOCK)).ifPresent(active::add));
      lift(other, book, active, command.provenance());
    }
  }

  /**
   * Claims the requests in the ledger, applies the claimed ones on the provider in one batch, and
   * confirms or fails each claim. When the provider took none of them and a retry can help, the
   * whole call answers 429/503 instead (nothing was recorded as active).
   */
  private void applyClaims(
      EnforcementPoint point,
      BlockLedger book,
      Batch batch,
      List<LedgerRequest> requests,
      List<Integer> indexes,
      Action action,
      BlockCommand command) {
    if (requests.isEmpty()) {
      return;
    }
    List<Claim> claims = book.claimActive(requests);
    List<EnforcementRequest> toApply = new ArrayList<>();
    List<Integer> applied = new ArrayList<>();
    for (int k = 0; k < claims.size(); k++) {
      Claim claim = claims.get(k);
      LedgerEntry entry = claim.entry();
      int index = indexes.get(k);
      if (claim.isClaimed() || claim.extended()) {
        // Extended blocks go to the provider too, so providers that expire entries themselves
        // (Defender, PAN-OS timeouts) learn the later expiry.
        toApply.add(
            new EnforcementRequest(
                entry.indicator(),
                action,
                entry.expiresAt(),
                command.title(),
                command.description(),
                entry.providerRef(),
                claim.extended()));
        applied.add(k);
      }
      if (!claim.isClaimed()) {
        batch.answer(
            index,
            action == Action.BLOCK ? BlockStatus.ALREADY_ACTIVE : BlockStatus.ALLOWED,
            null,
            claim.extended() ? "already active; its expiry is extended" : "already active",
            entry.expiresAt(),
            entry.providerRef());
      }
    }
    if (toApply.isEmpty()) {
      return;
    }
    List<EnforcementOutcome> outcomes = point.apply(toApply);
    List<BlockLedger.Confirmation> confirmations = new ArrayList<>();
    List<BlockLedger.Failure> failures = new ArrayList<>();
    Duration retryAfter = null;
    boolean anyTaken = false;
    for (int a = 0; a < applied.size(); a++) {
      int k = applied.get(a);
      Claim claim = claims.get(k);
      EnforcementOutcome outcome = outcomes.get(a);
      if (!claim.isClaimed()) {
        continue; // an extension: the row is already active whatever the provider said
      }
      int index = indexes.get(k);
      switch (outcome.status()) {
        case DONE, ALREADY_PRESENT -> {
          anyTaken = true;
          confirmations.add(new BlockLedger.Confirmation(claim.entry(), outcome.providerRef()));
          batch.answer(
              index,
              action == Action.BLOCK ? BlockStatus.BLOCKED : BlockStatus.ALLOWED,
              null,
              outcome.detail() != null
                  ? outcome.detail()
                  : outcome.status() == EnforcementOutcome.Status.ALREADY_PRESENT
                      ? "was already on " + point.id() + "; now in the ledger"
                      : null,
              claim.entry().expiresAt(),
              outcome.providerRef());
        }
        case UNSUPPORTED, NOT_FOUND -> {
          failures.add(new BlockLedger.Failure(claim.entry(), outcome.detail()));
          batch.answer(index, BlockStatus.UNSUPPORTED, null, outcome.detail(), null, null);
        }
        case FAILED -> {
          failures.add(new BlockLedger.Failure(claim.entry(), outcome.detail()));
          batch.answer(index, BlockStatus.FAILED, null, outcome.detail(), null, null);
          if (outcome.retryAfter() != null
              && (retryAfter == null || outcome.retryAfter().compareTo(retryAfter) > 0)) {
            retryAfter = outcome.retryAfter();
          }
        }
      }
    }
    book.confirm(confirmations);
    book.fail(failures);
    boolean everyClaimFailedRetryably =
        !anyTaken
            && failures.size() == confirmations.size() + failures.size()
            && retryAfter != null
            && !batch.anyActive();
    if (everyClaimFailedRetryably) {
      throw new UpstreamException(
          point.id(),
          503,
          point.displayName()
              + " could not take the indicators now: "
              + batch.firstDetail(BlockStatus.FAILED),
          null,
          retryAfter,
          null);
    }
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
          results[i] =
              new IndicatorResult(
                  null,
                  invalid.input(),
                  null,
                  BlockStatus.INVALID,
                  null,
                  invalid.reason(),
                  null,
                  null,
                  null,
                  null);
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
                  first.notes());
        }
        answered.add(results[i]);
      }
      return new BlockResponse(
          answered, BlockSummary.of(answered), comment(providerId, verb, answered));
    }

    private static String comment(String providerId, String verb, List<IndicatorResult> results) {
      HtmlTable table =
          new HtmlTable(
              "SOC Actions: " + verb + " on " + providerId,
              List.of("Indicator", "Type", "Status", "Reason", "Expires", "Notes"));
      for (IndicatorResult result : results) {
        if (table.isFull()) {
          table.skipRow();
          continue;
        }
        table.row(
            Arrays.asList(
                result.value() != null ? result.value() : result.input(),
                result.type() == null ? null : result.type().wireName(),
                result.status().wireName(),
                result.reason(),
                result.expiresAt() == null ? null : result.expiresAt().toString(),
                result.detail()));
      }
      return table.render();
    }
  }
}
