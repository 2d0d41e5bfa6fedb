package com.socactions.blocking;

import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.rest.Response;
import com.azure.core.util.Context;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import com.azure.data.tables.models.TableServiceException;
import com.azure.data.tables.models.TableTransactionAction;
import com.azure.data.tables.models.TableTransactionActionResponse;
import com.azure.data.tables.models.TableTransactionActionType;
import com.azure.data.tables.models.TableTransactionFailedException;
import com.azure.data.tables.models.TableTransactionResult;
import com.socactions.blocking.EnforcementRequest.Action;
import com.socactions.indicators.Indicator;
import com.socactions.indicators.IndicatorType;
import com.socactions.platform.ConfigurationException;
import com.socactions.platform.InvalidInputException;
import com.socactions.platform.Sleeper;
import com.socactions.platform.TableStorage;
import com.socactions.platform.UpstreamException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The block ledger: one Table Storage row per (provider, indicator) with its state, who asked and
 * why, its times, the provider's reference and an append-only history of every decision, refusals
 * and dry runs included. It is the source of truth for idempotency (a re-run never duplicates a
 * block), for expiry, for {@code ListIndicators}, for the EDL feed and for the allow list. Keys:
 * {@link LedgerKeys}. Built once per worker process; thread-safe.
 *
 * <p><b>Concurrency.</b> Two playbook runs can race on one row, so every write is conditional: a
 * new row is an insert (409 when another run created it first) and a change is a replace {@code
 * If-Match} the ETag it was decided on (412 when another run changed it first). On either, the row
 * is read again and the decision made again on what is there now, up to {@link #MAX_WRITE_ATTEMPTS}
 * times. That is how 20 concurrent identical blocks end in one active row and exactly one {@link
 * Claim.Status#CLAIMED}: only that caller calls the provider.
 *
 * <p><b>Entity-group transactions.</b> A batch's rows are first written in one transaction per
 * partition and {@value #MAX_TRANSACTION_ACTIONS} rows (the service's limit), each action still
 * conditional (insert, or replace if-match the ETag the caller holds, e.g. the one {@link
 * #claimActive} returned): the common cases (new rows; confirmations of one's own claims) then cost
 * one call per hundred rows. A transaction is all or nothing, so when one of its rows lost a race
 * (409/412) nothing of it was written: its rows are read again (a few queries of {@value
 * #MAX_KEYS_PER_QUERY} keys), decided again, and sent in one more transaction (a re-run of a
 * playbook, whose rows all exist, costs that); if that one fails too, they are written one by one
 * as above. A transaction never decides a race, it only saves calls when there is none.
 *
 * <p><b>Failures.</b> Storage errors (after the storage client's own retries) throw {@link
 * UpstreamException}; missing or malformed storage settings throw {@link ConfigurationException} on
 * first use. A batch that fails part way leaves the rows written before the failure written: each
 * row is correct on its own, and a re-run completes it.
 */
public final class BlockLedger {
  /** The table in the state storage account. */
  public static final String TABLE = "blockledger";

  /** Entity-group transactions take at most this many actions (Azure Tables' limit). */
  public static final int MAX_TRANSACTION_ACTIONS = 100;

  /**
   * Reads and conditional writes of one row before giving up on a row others keep changing. Each
   * round of a race has one winner, so up to this many concurrent writers of one row all finish.
   */
  public static final int MAX_WRITE_ATTEMPTS = 25;

  /** First wait after a lost race; doubles per attempt, jittered, so racers spread out. */
  public static final Duration RACE_BACKOFF_BASE = Duration.ofMillis(5);

  /** Longest wait after a lost race. */
  public static final Duration RACE_BACKOFF_MAX = Duration.ofMillis(200);

  /**
   * A claim not confirmed or failed within this long was abandoned (its worker died): claim it
   * again.
   */
  public static final Duration DEFAULT_CLAIM_TIMEOUT = Duration.ofMinutes(5);

  /** A repeated block moves the expiry only when later by this share of its duration... */
  public static final int EXTENSION_MARGIN_PERCENT = 10; // Percentage

  /** ...and by at least this much. */
  public static final Duration MIN_EXTENSION_MARGIN = Duration.ofMinutes(5);

  /** First wait of {@link #awaitSettled}; doubles per poll. */
  static final Duration SETTLE_POLL_FIRST = Duration.ofMillis(50);

  /** Longest wait between two polls of {@link #awaitSettled}. */
  static final Duration SETTLE_POLL_MAX = Duration.ofSeconds(1);

  /** How stale the allow list may be on another instance, at most. */
  public static final Duration DEFAULT_ALLOW_LIST_MAX_AGE = Duration.ofSeconds(10);

  /** History entries kept per row: the first and the latest. */
  public static final int MAX_HISTORY_ENTRIES = 20;

  /**
   * Most characters of a row's history JSON: far below the 64 KiB (32,768 UTF-16 characters)
   * property limit and the 1 MiB entity limit.
   */
  public static final int MAX_HISTORY_CHARS = 16_000;

  /** Most characters of one text field of a history entry. */
  public static final int MAX_HISTORY_TEXT_CHARS = 300;

  /** Most characters of a row's reason and justification. */
  public static final int MAX_FIELD_CHARS = 2_000;

  /**
   * Row keys per point query: Azure Tables allows 15 comparisons in a filter, one is the
   * partition's.
   */
  static final int MAX_KEYS_PER_QUERY = 14;

  /** Most entries a {@link #list} page returns. */
  public static final int MAX_PAGE_SIZE = 1_000;

  static final String UPSTREAM = "Table storage";

  /** Between a claim batch's id and the request's index; the next character is '/'. */
  private static final char CLAIM_SEPARATOR = '.';

  private static final String TOKEN_VERSION = "v1";

  private final TableClient table;
  private final Clock clock;
  private final Duration claimTimeout;
  private final Sleeper sleeper;
  private final LedgerAllowList allowList;

  /**
   * The ledger in table {@value #TABLE}.
   *
   * @throws ConfigurationException when the storage settings name nothing usable
   * @throws UpstreamException when the table cannot be created or checked
   */
  public BlockLedger(TableStorage storage, Clock clock) {
    this(storage.table(TABLE), clock, DEFAULT_CLAIM_TIMEOUT, DEFAULT_ALLOW_LIST_MAX_AGE);
  }

  /** For tests: another table, claim timeout and allow-list age. */
  BlockLedger(TableClient table, Clock clock, Duration claimTimeout, Duration allowListMaxAge) {
    this(table, clock, claimTimeout, allowListMaxAge, Sleeper.SYSTEM);
  }

  BlockLedger(
      TableClient table,
      Clock clock,
      Duration claimTimeout,
      Duration allowListMaxAge,
      Sleeper sleeper) {
    if (table == null
        || clock == null
        || claimTimeout == null
        || allowListMaxAge == null
        || sleeper == null) {
      throw new IllegalArgumentException(
          "'table', 'clock', 'claimTimeout', 'allowListMaxAge' and 'sleeper' cannot be null.");
    }
    this.table = table;
    this.clock = clock;
    this.claimTimeout = claimTimeout;
    this.sleeper = sleeper;
    this.allowList = new LedgerAllowList(this, clock, allowListMaxAge);
  }

  // ---- decisions ---------------------------------------------------------------------------

  /**
   * Claims each request's row as active with its action; one {@link Claim} per request, in order.
   *
   * <ul>
   *   <li>Another caller's claim is in flight on the row (set less than the claim timeout ago):
   *       {@code IN_FLIGHT}, nothing written. The provider has not answered that caller yet, so
   *       this caller must not answer as if the entry were active: it {@link #awaitSettled waits}.
   *   <li>Active with the same action and confirmed: {@code EXTENDING} when the request's expiry is
   *       later than the row's by more than {@link #extensionMargin} (the row keeps its expiry
   *       until the provider confirmed the new one); otherwise {@code ALREADY_ACTIVE}, with only a
   *       history entry written and no provider call. Either way a lift pending on it is cancelled
   *       (the entry is still on the provider and wanted again).
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
    Instant now = clock.instant();
    // One id per batch, one suffix per request: settle finds a batch's rows with one range query.
    String batch = UUID.randomUUID().toString();
    List<Change<Claim>> changes = new ArrayList<>();
    for (int i = 0; i < requests.size(); i++) {
      LedgerRequest request = requests.get(i);
      String claimId = batch + CLAIM_SEPARATOR + i;
      changes.add(
          new Change<>(
              LedgerRow.create(request, now),
              false,
              current -> claim(request, claimId, current, now)));
    }
    List<Claim> claims = write(changes);
    if (requests.stream().anyMatch(request -> request.action() == Action.ALLOW)
        || claims.stream()
            .anyMatch(
                claim -> claim.previous() != null && claim.previous().isActive(Action.ALLOW))) {
      allowList.invalidate();
    }
    return claims;
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

  private Decision<Claim> claim(
      LedgerRequest request, String claimId, LedgerRow current, Instant now) {
    String decision = request.action().name().toLowerCase(Locale.ROOT);
    if (current != null && claimId.equals(current.claimId) && current.pendingSince != null) {
      // Our own write, answered after a lost response and retried by the storage client.
      Claim.Status status =
          current.claimKind == ClaimKind.EXTEND ? Claim.Status.EXTENDING : Claim.Status.CLAIMED;
      return new Decision<>(null, entry -> new Claim(status, entry, null, false));
    }
    if (current != null && isInFlight(current, now)) {
      return new Decision<>(null, entry -> new Claim(Claim.Status.IN_FLIGHT, entry, entry, false));
    }
    LedgerEntry before = current == null ? null : current.toEntry();
    boolean abandoned = current != null && current.pendingSince != null;
    boolean confirmedActive =
        current != null
            && current.state == LedgerState.ACTIVE
            && current.action == request.action()
            && (!abandoned || current.claimKind == ClaimKind.EXTEND);
    if (confirmedActive) {
      LedgerRow next = current.copy();
      next.clearClaim();
      next.liftPending = false;
      Duration requested = Duration.between(now, request.expiresAt());
      boolean extend =
          current.expiresAt != null
              && request.expiresAt().isAfter(current.expiresAt.plus(extensionMargin(requested)));
      if (extend) {
        next.pendingSince = now;
        next.claimId = claimId;
        next.claimKind = ClaimKind.EXTEND;
        next.extendTo = request.expiresAt();
        next.append(
            now,
            decision,
            "extend_claimed",
            "to " + request.expiresAt(),
            null,
            request.provenance());
        return new Decision<>(
            next, entry -> new Claim(Claim.Status.EXTENDING, entry, before, false));
      }
      next.append(
          now,
          decision,
          "already_active",
          request.provenance().reason(),
          null,
          request.provenance());
      return new Decision<>(
          next, entry -> new Claim(Claim.Status.ALREADY_ACTIVE, entry, before, false));
    }
    boolean recovering =
        abandoned && current.action == request.action() && current.state == LedgerState.ACTIVE;
    LedgerRow next = current == null ? LedgerRow.create(request, now) : current.copy();
    if (current != null) {
      if (!recovering) {
        next.providerRef = null;
      }
      next.action = request.action();
      next.expiresAt = request.expiresAt();
      next.setProvenance(request.provenance());
    }
    next.state = LedgerState.ACTIVE;
    next.guardrail = null;
    next.liftedAt = null;
    next.liftPending = false;
    next.lastError = null;
    next.heldBy = null;
    next.extendTo = null;
    next.pendingSince = now;
    next.claimId = claimId;
    next.claimKind = ClaimKind.APPLY;
    next.append(
        now,
        decision,
        recovering ? "claimed_again" : "claimed",
        request.provenance().reason(),
        null,
        request.provenance());
    return new Decision<>(
        next, entry -> new Claim(Claim.Status.CLAIMED, entry, before, recovering));
  }

  /** A claim set less than the claim timeout ago: its worker may still be calling the provider. */
  private boolean isInFlight(LedgerRow row, Instant now) {
    return row.pendingSince != null && row.pendingSince.plus(claimTimeout).isAfter(now);
  }

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
   * that the connector did not create: left as it is, and the row refused with {@code reason}.
   */
  public record Conflict(LedgerEntry claimed, RefusalReason reason, String message)
      implements Settlement {}

  /**
   * Writes how claims ended. A claim that is no longer in flight (settled already, or taken over
   * after the claim timeout) is left as it is. Returns the rows as they are now, in order.
   */
  public List<LedgerEntry> settle(List<? extends Settlement> settlements) {
    Instant now = clock.instant();
    List<LedgerEntry> entries =
        write(
            settlements.stream()
                .map(
                    settlement ->
                        new Change<LedgerEntry>(
                            LedgerRow.of(settlement.claimed()),
                            true,
                            current -> {
                              if (!isPendingClaim(current, settlement.claimed())) {
                                return unchanged();
                              }
                              return written(settled(current.copy(), settlement, now));
                            }))
                .toList());
    if (settlements.stream().anyMatch(s -> s.claimed().action() == Action.ALLOW)) {
      allowList.invalidate();
    }
    return entries;
  }

  private static LedgerRow settled(LedgerRow next, Settlement settlement, Instant now) {
    boolean extension = next.claimKind == ClaimKind.EXTEND;
    Instant extendTo = next.extendTo;
    Provenance by = provenanceOf(next);
    next.clearClaim();
    if (settlement instanceof Confirmation confirmation) {
      if (confirmation.providerRef() != null) {
        next.providerRef = confirmation.providerRef();
      }
      next.lastError = null;
      if (extension) {
        next.expiresAt = extendTo;
        next.append(now, "confirm", "extended", "to " + extendTo, null, by);
      } else {
        next.append(
            now, "confirm", next.action == Action.ALLOW ? "allowed" : "blocked", null, null, by);
      }
    } else if (settlement instanceof Failure failure) {
      next.lastError = cut(failure.error(), MAX_FIELD_CHARS);
      if (extension) {
        next.append(now, "fail", "extend_failed", failure.error(), null, by);
      } else {
        next.state = LedgerState.FAILED;
        next.append(now, "fail", "failed", failure.error(), null, by);
      }
    } else if (settlement instanceof HeldByOthers held) {
      next.state = LedgerState.PRESENT;
      next.heldBy = cut(held.heldBy(), MAX_HISTORY_TEXT_CHARS);
      next.providerRef = held.providerRef();
      next.lastError = null;
      next.append(now, "confirm", "already_present", held.detail(), null, by);
    } else if (settlement instanceof Conflict conflict) {
      next.state = LedgerState.REFUSED;
      next.guardrail = conflict.reason().wireName();
      next.providerRef = null;
      // Why it was not applied, for whoever waited on this claim.
      next.lastError = cut(conflict.message(), MAX_FIELD_CHARS);
      next.append(now, "refuse", "refused", conflict.message(), conflict.reason().wireName(), by);
    }
    return next;
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
   * Whether {@code current} still holds the claim {@code claimed} made (not settled or taken over).
   */
  private static boolean isPendingClaim(LedgerRow current, LedgerEntry claimed) {
    return current != null
        && current.pendingSince != null
        && current.claimId != null
        && current.claimId.equals(claimed.claimId());
  }

  /**
   * Waits, polling the rows by key with a doubling interval, until no claim is in flight on any of
   * {@code entries}' rows or {@code maxWait} (the sum of the waits) has passed. Returns the rows as
   * last read, in order (null for a row that is gone): a row still in flight had no answer from its
   * provider within the wait. Costs one batch read (a query per partition and {@value
   * #MAX_KEYS_PER_QUERY} keys) per poll.
   */
  public List<LedgerEntry> awaitSettled(List<LedgerEntry> entries, Duration maxWait) {
    List<LedgerEntry> rows = new ArrayList<>(entries);
    Duration waited = Duration.ZERO;
    Duration interval = SETTLE_POLL_FIRST;
    while (true) {
      List<Integer> open = new ArrayList<>();
      for (int i = 0; i < rows.size(); i++) {
        if (rows.get(i) != null && isInFlight(LedgerRow.of(rows.get(i)), clock.instant())) {
          open.add(i);
        }
      }
      if (open.isEmpty() || waited.compareTo(maxWait) >= 0) {
        return rows;
      }
      Duration pause =
          interval.compareTo(maxWait.minus(waited)) < 0 ? interval : maxWait.minus(waited);
      try {
        sleeper.sleep(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return rows;
      }
      waited = waited.plus(pause);
      interval =
          interval.multipliedBy(2).compareTo(SETTLE_POLL_MAX) < 0
              ? interval.multipliedBy(2)
              : SETTLE_POLL_MAX;
      Map<String, List<Integer>> byProvider = new LinkedHashMap<>();
      open.forEach(
          i -> byProvider.computeIfAbsent(rows.get(i).provider(), p -> new ArrayList<>()).add(i));
      byProvider.forEach(
          (provider, indexes) -> {
            List<Optional<LedgerEntry>> fresh =
                findAll(provider, indexes.stream().map(i -> rows.get(i).indicator()).toList());
            for (int k = 0; k < indexes.size(); k++) {
              rows.set(indexes.get(k), fresh.get(k).orElse(null));
            }
          });
    }
  }

  /** A guardrail refused {@code request}. */
  public record Refusal(LedgerRequest request, RefusalReason reason, String message) {}

  /**
   * Records refusals: a new row is {@code refused} with the guardrail; an existing row that is not
   * active becomes {@code refused}; an active row keeps its state (the refusal of a new request
   * does not lift what is enforced) and only gains the history entry.
   */
  public List<LedgerEntry> recordRefused(List<Refusal> refusals) {
    Instant now = clock.instant();
    return write(
        refusals.stream()
            .map(
                refusal -> {
                  LedgerRequest request = refusal.request();
                  return new Change<>(
                      LedgerRow.create(request, now),
                      false,
                      current ->
                          passive(
                              current,
                              request,
                              now,
                              LedgerState.REFUSED,
                              "refused",
                              refusal.message(),
                              refusal.reason().wireName()));
                })
            .toList());
  }

  /**
   * Records dry runs that would have blocked (or allowed): a new or inactive row is {@code
   * dry_run}; an active row keeps its state and only gains the history entry.
   */
  public List<LedgerEntry> recordDryRun(List<LedgerRequest> requests) {
    Instant now = clock.instant();
    return write(
        requests.stream()
            .map(
                request ->
                    new Change<>(
                        LedgerRow.create(request, now),
                        false,
                        current ->
                            passive(
                                current,
                                request,
                                now,
                                LedgerState.DRY_RUN,
                                request.action() == Action.ALLOW ? "would_allow" : "would_block",
                                request.provenance().reason(),
                                null)))
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
    Instant now = clock.instant();
    return write(
        notes.stream()
            .map(
                note ->
                    new Change<>(
                        LedgerRow.create(note.request(), now),
                        false,
                        current ->
                            passive(
                                current,
                                note.request(),
                                now,
                                LedgerState.NOTED,
                                note.status(),
                                note.message(),
                                null)))
            .toList());
  }

  /** A decision that touches no provider: it never overwrites an active row's state. */
  private static Decision<LedgerEntry> passive(
      LedgerRow current,
      LedgerRequest request,
      Instant now,
      LedgerState state,
      String status,
      String message,
      String guardrail) {
    String decision =
        switch (state) {
          case REFUSED -> "refuse";
          case NOTED -> "note";
          default -> "dry_run";
        };
    LedgerRow next;
    if (current == null) {
      next = LedgerRow.create(request, now);
    } else {
      next = current.copy();
      if (current.state != LedgerState.ACTIVE) {
        next.action = request.action();
        next.expiresAt = request.expiresAt();
        next.setProvenance(request.provenance());
      }
    }
    if (current == null || current.state != LedgerState.ACTIVE) {
      next.state = state;
      next.guardrail = guardrail;
    }
    next.append(now, decision, status, message, guardrail, request.provenance());
    return written(next);
  }

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
    Instant now = clock.instant();
    String batch = UUID.randomUUID().toString();
    List<Change<LiftClaim>> changes = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      LedgerEntry entry = entries.get(i);
      String claimId = batch + CLAIM_SEPARATOR + i;
      changes.add(
          new Change<>(
              LedgerRow.of(entry),
              true,
              current -> {
                if (current != null && claimId.equals(current.claimId)) {
                  return new Decision<>(null, e -> new LiftClaim(LiftClaim.Status.CLAIMED, e));
                }
                if (current == null
                    || current.state != LedgerState.ACTIVE
                    || current.action != entry.action()) {
                  return new Decision<>(null, e -> new LiftClaim(LiftClaim.Status.NOT_ACTIVE, e));
                }
                if (isInFlight(current, now)) {
                  return new Decision<>(null, e -> new LiftClaim(LiftClaim.Status.IN_FLIGHT, e));
                }
                boolean due =
                    current.liftPending
                        || current.expiresAt != null && !current.expiresAt.isAfter(now);
                if (onlyIfDue && !due) {
                  return new Decision<>(null, e -> new LiftClaim(LiftClaim.Status.NOT_DUE, e));
                }
                LedgerRow next = current.copy();
                next.clearClaim();
                next.pendingSince = now;
                next.claimId = claimId;
                next.claimKind = ClaimKind.LIFT;
                next.append(
                    now,
                    Provenance.EXPIRY_TIMER.equals(by.requestedBy()) ? "expire" : "unblock",
                    "lift_claimed",
                    by.reason(),
                    null,
                    by);
                return new Decision<>(next, e -> new LiftClaim(LiftClaim.Status.CLAIMED, e));
              }));
    }
    return write(changes);
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
   * lift is cleared; failed, the row stays active, is marked {@code lift_pending} with the error,
   * so {@link #dueForExpiry} lists it until a lift succeeds: it is never lost. Rows that are gone,
   * no longer active and not pending, or claimed by another caller are left as they are. Returns
   * the rows as they are now, in order (null for a row that is gone).
   */
  public List<LedgerEntry> recordLifts(List<Lift> lifts) {
    Instant now = clock.instant();
    List<LedgerEntry> entries =
        write(
            lifts.stream()
                .map(
                    lift ->
                        new Change<LedgerEntry>(
                            LedgerRow.of(lift.entry()),
                            true,
                            current -> {
                              if (current == null) {
                                return new Decision<>(null, entry -> null);
                              }
                              boolean ours =
                                  isPendingClaim(current, lift.entry())
                                      && current.claimKind == ClaimKind.LIFT;
                              if (!ours && current.pendingSince != null) {
                                return unchanged();
                              }
                              boolean active = current.state == LedgerState.ACTIVE;
                              if (!active && !current.liftPending) {
                                return unchanged();
                              }
                              LedgerRow next = current.copy();
                              next.clearClaim();
                              String decision =
                                  Provenance.EXPIRY_TIMER.equals(lift.by().requestedBy())
                                      ? "expire"
                                      : "unblock";
                              if (lift.done()) {
                                if (lift.heldBy() != null) {
                                  next.state = LedgerState.PRESENT;
                                  next.heldBy = lift.heldBy().isEmpty() ? null : lift.heldBy();
                                  next.providerRef = null;
                                } else if (active) {
                                  next.state =
                                      next.expiresAt != null && !next.expiresAt.isAfter(now)
                                          ? LedgerState.EXPIRED
                                          : LedgerState.LIFTED;
                                }
                                next.liftPending = false;
                                next.liftedAt = now;
                                next.append(
                                    now,
                                    decision,
                                    next.state == LedgerState.EXPIRED
                                        ? "expired"
                                        : next.state == LedgerState.PRESENT
                                            ? "already_present"
                                            : "unblocked",
                                    lift.heldBy() != null ? lift.error() : lift.by().reason(),
                                    null,
                                    lift.by());
                              } else {
                                next.liftPending = true;
                                next.lastError = cut(lift.error(), MAX_FIELD_CHARS);
                                next.append(
                                    now, decision, "lift_failed", lift.error(), null, lift.by());
                              }
                              return written(next);
                            }))
                .toList());
    allowList.invalidate();
    return entries;
  }

  // ---- queries -----------------------------------------------------------------------------

  /** The row of {@code indicator} on {@code provider}, if there is one. */
  public Optional<LedgerEntry> find(String provider, Indicator indicator) {
    return Optional.ofNullable(
            read(
                LedgerKeys.partitionKey(provider, indicator.type()),
                LedgerKeys.rowKey(indicator.value())))
        .map(LedgerRow::toEntry);
  }

  /**
   * The rows of {@code indicators} on {@code provider}, in order (empty where there is none): one
   * query per partition and {@value #MAX_KEYS_PER_QUERY} keys, so 1,000 indicators of one type cost
   * 72 table calls instead of 1,000 point reads.
   */
  public List<Optional<LedgerEntry>> findAll(String provider, List<Indicator> indicators) {
    Map<String, List<String>> rowKeysByPartition = new LinkedHashMap<>();
    for (Indicator indicator : indicators) {
      List<String> rowKeys =
          rowKeysByPartition.computeIfAbsent(
              LedgerKeys.partitionKey(provider, indicator.type()), key -> new ArrayList<>());
      String rowKey = LedgerKeys.rowKey(indicator.value());
      if (!rowKeys.contains(rowKey)) {
        rowKeys.add(rowKey);
      }
    }
    Map<String, LedgerRow> found = new LinkedHashMap<>();
    rowKeysByPartition.forEach(
        (partitionKey, rowKeys) -> {
          for (int from = 0; from < rowKeys.size(); from += MAX_KEYS_PER_QUERY) {
            String keys =
                rowKeys.subList(from, Math.min(rowKeys.size(), from + MAX_KEYS_PER_QUERY)).stream()
                    .map(rowKey -> "RowKey eq " + quote(rowKey))
                    .collect(Collectors.joining(" or ", "(", ")"));
            select("PartitionKey eq " + quote(partitionKey) + " and " + keys)
                .forEach(row -> found.put(row.partitionKey() + "\n" + row.rowKey(), row));
          }
        });
    return indicators.stream()
        .map(
            indicator ->
                Optional.ofNullable(
                        found.get(
                            LedgerKeys.partitionKey(provider, indicator.type())
                                + "\n"
                                + LedgerKeys.rowKey(indicator.value())))
                    .map(LedgerRow::toEntry))
        .toList();
  }

  /**
   * One page of rows matching {@code query}, newest first (latest {@code updated_at}, then by key),
   * with a continuation token when more follow. The token is a position, not an offset: rows
   * written meanwhile do not shift later pages.
   *
   * <p>Cost: the filters run in the table service, but the ordering needs every matching row, so
   * each page reads all of them (a provider filter reads only its partitions). That is fine for a
   * SOC's ledger (thousands to tens of thousands of rows); an index table keyed by inverted time is
   * the step beyond.
   *
   * @throws InvalidInputException for a continuation token this ledger did not issue
   */
  public LedgerPage list(LedgerQuery query) {
    Cursor after =
        query.continuationToken() == null ? null : Cursor.parse(query.continuationToken());
    List<String> filters = new ArrayList<>();
    if (query.provider() != null) {
      String prefix = LedgerKeys.partitionPrefix(query.provider());
      // ':' is followed by ';' in ASCII: the range is exactly the provider's partitions.
      filters.add(
          "PartitionKey ge "
              + quote(prefix)
              + " and PartitionKey lt "
              + quote(prefix.substring(0, prefix.length() - 1) + ";"));
    }
    if (!query.states().isEmpty()) {
      filters.add(
          query.states().stream()
              .sorted()
              .map(state -> "state eq " + quote(state.wireName()))
              .collect(Collectors.joining(" or ", "(", ")")));
    }
    if (query.incidentId() != null) {
      filters.add("incident_id eq " + quote(query.incidentId()));
    }
    if (query.value() != null) {
      filters.add("RowKey eq " + quote(LedgerKeys.rowKey(query.value())));
    }
    List<LedgerRow> rows = new ArrayList<>(select(String.join(" and ", filters)));
    rows.sort(Comparator.comparing(Cursor::of, NEWEST_FIRST));
    List<LedgerRow> page =
        rows.stream()
            .filter(row -> after == null || NEWEST_FIRST.compare(Cursor.of(row), after) > 0)
            .limit(query.pageSize() + 1L)
            .toList();
    String next = null;
    if (page.size() > query.pageSize()) {
      page = page.subList(0, query.pageSize());
      next = Cursor.of(page.get(page.size() - 1)).token();
    }
    return new LedgerPage(page.stream().map(LedgerRow::toEntry).toList(), next);
  }

  /**
   * The active entries of one list, e.g. the EDL feed {@code block-ip} is {@code
   * activeEntries("edl", IndicatorType.IP, Action.BLOCK)}: one partition read, in key order (sort
   * by value for a feed). Entries past their expiry that the timer has not lifted yet are left out.
   */
  public List<LedgerEntry> activeEntries(String provider, IndicatorType type, Action action) {
    Instant now = clock.instant();
    return select(
            "PartitionKey eq "
                + quote(LedgerKeys.partitionKey(provider, type))
                + " and state eq "
                + quote(LedgerState.ACTIVE.wireName())
                + " and action eq "
                + quote(action.name().toLowerCase(Locale.ROOT)))
        .stream()
        .filter(row -> row.expiresAt == null || row.expiresAt.isAfter(now))
        .map(LedgerRow::toEntry)
        .toList();
  }

  /**
   * What the expiry timer must lift now: active rows whose {@code expires_at} has come, and every
   * row with a lift pending (a lift that failed before), soonest expiry first.
   */
  public List<LedgerEntry> dueForExpiry() {
    Instant now = clock.instant();
    return select(
            "(state eq "
                + quote(LedgerState.ACTIVE.wireName())
                + " and expires_at le datetime"
                + quote(now.toString())
                + ") or lift_pending eq true")
        .stream()
        .sorted(
            Comparator.comparing(
                (LedgerRow row) -> row.expiresAt, Comparator.nullsFirst(Comparator.naturalOrder())))
        .map(LedgerRow::toEntry)
        .toList();
  }

  /**
   * The allow list the ledger holds: active, unexpired allow entries on any provider, as {@link
   * Guardrails} reads them. Answers from a snapshot at most {@link #DEFAULT_ALLOW_LIST_MAX_AGE}
   * old, reloaded at once after this ledger writes an allow, so a guardrail check costs no storage
   * call per indicator. Coverage is that of {@code PROTECTED_INDICATORS} ({@link
   * ProtectedIndicators}): the same value; a network or address overlapping an allowed one; a
   * domain within an allowed domain or holding it; a URL on an allowed domain.
   */
  public AllowList allowList() {
    return allowList;
  }

  /** The indicators of active allow entries, read now. */
  List<Indicator> activeAllows() {
    Instant now = clock.instant();
    return select(
            "state eq " + quote(LedgerState.ACTIVE.wireName()) + " and action eq " + quote("allow"))
        .stream()
        .filter(row -> row.expiresAt == null || row.expiresAt.isAfter(now))
        .map(row -> new Indicator(row.type, row.value, row.value))
        .toList();
  }

  // ---- the write engine --------------------------------------------------------------------

  /**
   * One row to change: {@code decide} gets the row as stored (null when there is none) and says
   * what to write (never mutating what it gets). {@code guess} is what the caller believes is
   * stored ({@code exists}: at its ETag, or else there is no row yet), tried first in a
   * transaction.
   */
  private record Change<R>(
      LedgerRow guess, boolean exists, Function<LedgerRow, Decision<R>> decide) {
    String key() {
      return guess.partitionKey() + "\n" + guess.rowKey();
    }
  }

  /** The row to write (null: nothing), and the caller's answer given the row as it then is. */
  private record Decision<R>(LedgerRow write, Function<LedgerEntry, R> result) {}

  private static Decision<LedgerEntry> written(LedgerRow next) {
    return new Decision<>(next, Function.identity());
  }

  private static Decision<LedgerEntry> unchanged() {
    return new Decision<>(null, Function.identity());
  }

  private <R> List<R> write(List<Change<R>> requested) {
    List<Change<R>> changes = withEtags(requested);
    List<R> results = new ArrayList<>(Arrays.asList(newArray(changes.size())));
    Map<String, List<Integer>> byPartition = new LinkedHashMap<>();
    Set<String> seen = new HashSet<>();
    List<Integer> oneByOne = new ArrayList<>();
    for (int i = 0; i < changes.size(); i++) {
      Change<R> change = changes.get(i);
      if (seen.add(change.key())) {
        byPartition.computeIfAbsent(change.guess().partitionKey(), key -> new ArrayList<>()).add(i);
      } else {
        // A transaction may not touch a row twice; the second request decides on what the first
        // wrote.
        oneByOne.add(i);
      }
    }
    for (List<Integer> partition : byPartition.values()) {
      for (int from = 0; from < partition.size(); from += MAX_TRANSACTION_ACTIONS) {
        List<Integer> chunk =
            partition.subList(from, Math.min(partition.size(), from + MAX_TRANSACTION_ACTIONS));
        if (!writeTogether(changes, chunk, results)
            && !(refresh(changes, chunk) && writeTogether(changes, chunk, results))) {
          oneByOne.addAll(chunk);
        }
      }
    }
    oneByOne.sort(Comparator.naturalOrder());
    for (int i : oneByOne) {
      results.set(i, writeOne(changes.get(i)));
    }
    return results;
  }

  /**
   * Rows written in a transaction come back without ETags (the storage SDK does not surface the
   * changeset's per-row headers), so the rows of a claim batch are read again with one range query
   * per partition and batch on their claim id: confirmations stay at one call per hundred.
   */
  private <R> List<Change<R>> withEtags(List<Change<R>> changes) {
    Map<String, Map<String, LedgerRow>> fetched = new LinkedHashMap<>();
    List<Change<R>> result = new ArrayList<>(changes.size());
    for (Change<R> change : changes) {
      LedgerRow guess = change.guess();
      int separator = guess.claimId == null ? -1 : guess.claimId.lastIndexOf(CLAIM_SEPARATOR);
      if (!change.exists() || guess.etag != null || separator < 0) {
        result.add(change);
        continue;
      }
      String batch = guess.claimId.substring(0, separator + 1);
      String partitionKey = guess.partitionKey();
      Map<String, LedgerRow> rows =
          fetched.computeIfAbsent(
              partitionKey + "\n" + batch,
              key ->
                  select(
                          "PartitionKey eq "
                              + quote(partitionKey)
                              + " and claim_id ge "
                              + quote(batch)
                              + " and claim_id lt "
                              + quote(
                                  batch.substring(0, batch.length() - 1)
                                      + (char) (CLAIM_SEPARATOR + 1)))
                      .stream()
                      .collect(Collectors.toMap(LedgerRow::rowKey, row -> row, (a, b) -> a)));
      LedgerRow current = rows.get(guess.rowKey());
      result.add(current == null ? change : new Change<>(current, true, change.decide()));
    }
    return result;
  }

  @SuppressWarnings("unchecked")
  private static <R> R[] newArray(int size) {
    return (R[]) new Object[size];
  }

  /**
   * Reads the rows of {@code chunk} (one partition) as they are now, {@value #MAX_KEYS_PER_QUERY}
   * keys a query, and makes them the guesses: a re-run of a batch whose rows exist then costs a few
   * queries and one transaction per hundred rows instead of a read and a write per row. False when
   * there is nothing to refresh.
   */
  private <R> boolean refresh(List<Change<R>> changes, List<Integer> chunk) {
    String partitionKey = changes.get(chunk.get(0)).guess().partitionKey();
    Map<String, LedgerRow> current = new LinkedHashMap<>();
    for (int from = 0; from < chunk.size(); from += MAX_KEYS_PER_QUERY) {
      String keys =
          chunk.subList(from, Math.min(chunk.size(), from + MAX_KEYS_PER_QUERY)).stream()
              .map(i -> "RowKey eq " + quote(changes.get(i).guess().rowKey()))
              .collect(Collectors.joining(" or ", "(", ")"));
      select("PartitionKey eq " + quote(partitionKey) + " and " + keys)
          .forEach(row -> current.put(row.rowKey(), row));
    }
    for (int i : chunk) {
      Change<R> change = changes.get(i);
      LedgerRow row = current.get(change.guess().rowKey());
      changes.set(
          i,
          row == null
              ? new Change<>(change.guess(), false, change.decide())
              : new Change<>(row, true, change.decide()));
    }
    return true;
  }

  /**
   * One transaction for {@code chunk}, decided on the guesses; false when a race (or a no-op) needs
   * one by one.
   */
  private <R> boolean writeTogether(List<Change<R>> changes, List<Integer> chunk, List<R> results) {
    List<TableTransactionAction> actions = new ArrayList<>();
    List<Decision<R>> decisions = new ArrayList<>();
    for (int i : chunk) {
      Change<R> change = changes.get(i);
      if (change.exists() && change.guess().etag == null) {
        return false;
      }
      LedgerRow guess = change.exists() ? change.guess().copy() : null;
      Decision<R> decision = change.decide().apply(guess);
      if (decision.write() == null) {
        // Deciding "nothing to do" on a guess could be stale: let a fresh read decide.
        return false;
      }
      decisions.add(decision);
      TableEntity entity = decision.write().toEntity();
      actions.add(
          guess == null
              ? new TableTransactionAction(TableTransactionActionType.CREATE, entity)
              : new TableTransactionAction(
                  TableTransactionActionType.UPDATE_REPLACE, withEtag(entity, guess.etag), true));
    }
    TableTransactionResult result;
    try {
      result = table.submitTransaction(actions);
    } catch (TableTransactionFailedException e) {
      // One action failed (409/412 when a row was raced; a real failure shows again one by one).
      return false;
    } catch (TableServiceException e) {
      throw upstream("could not write " + actions.size() + " ledger rows", e);
    } catch (RuntimeException e) {
      throw upstream("could not write " + actions.size() + " ledger rows", e);
    }
    List<TableTransactionActionResponse> responses = result.getTransactionActionResponses();
    for (int n = 0; n < chunk.size(); n++) {
      LedgerRow row = decisions.get(n).write();
      row.etag = n < responses.size() ? etagOf(responses.get(n).getHeaders()) : null;
      results.set(chunk.get(n), decisions.get(n).result().apply(row.toEntry()));
    }
    return true;
  }

  private <R> R writeOne(Change<R> change) {
    String partitionKey = change.guess().partitionKey();
    String rowKey = change.guess().rowKey();
    for (int attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
      LedgerRow current = read(partitionKey, rowKey);
      Decision<R> decision = change.decide().apply(current == null ? null : current.copy());
      LedgerRow next = decision.write();
      if (next == null) {
        return decision.result().apply(current == null ? null : current.toEntry());
      }
      try {
        Response<Void> response =
            current == null
                ? table.createEntityWithResponse(next.toEntity(), null, Context.NONE)
                : table.updateEntityWithResponse(
                    withEtag(next.toEntity(), current.etag),
                    TableEntityUpdateMode.REPLACE,
                    true,
                    null,
                    Context.NONE);
        next.etag = etagOf(response.getHeaders());
        return decision.result().apply(next.toEntry());
      } catch (TableServiceException e) {
        if (!isRace(e) && status(e) != 404) {
          throw upstream("could not write ledger row " + partitionKey + "/" + rowKey, e);
        }
        // Another run created or changed the row (or deleted it) since we read it: decide again.
      } catch (RuntimeException e) {
        throw upstream("could not write ledger row " + partitionKey + "/" + rowKey, e);
      }
      backOff(attempt);
    }
    throw new UpstreamException(
        UPSTREAM,
        0,
        "Ledger row "
            + partitionKey
            + "/"
            + rowKey
            + " kept changing under "
            + MAX_WRITE_ATTEMPTS
            + " attempts to write it; try again",
        null,
        Duration.ofSeconds(1),
        null);
  }

  /**
   * Waits a jittered, doubling while after a lost race, so that many racers do not collide again at
   * once.
   */
  private void backOff(int attempt) {
    long ceiling =
        Math.min(
            RACE_BACKOFF_MAX.toNanos(), RACE_BACKOFF_BASE.toNanos() << Math.min(attempt - 1, 20));
    try {
      sleeper.sleep(Duration.ofNanos(ThreadLocalRandom.current().nextLong(ceiling + 1)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UpstreamException(UPSTREAM, "Writing the ledger was interrupted", e);
    }
  }

  private LedgerRow read(String partitionKey, String rowKey) {
    try {
      return LedgerRow.from(
          table.getEntityWithResponse(partitionKey, rowKey, null, null, Context.NONE).getValue());
    } catch (TableServiceException e) {
      if (status(e) == 404) {
        return null;
      }
      throw upstream("could not read ledger row " + partitionKey + "/" + rowKey, e);
    } catch (RuntimeException e) {
      throw upstream("could not read ledger row " + partitionKey + "/" + rowKey, e);
    }
  }

  private List<LedgerRow> select(String filter) {
    try {
      ListEntitiesOptions options = new ListEntitiesOptions();
      if (!filter.isEmpty()) {
        options.setFilter(filter);
      }
      List<LedgerRow> rows = new ArrayList<>();
      table
          .listEntities(options, null, Context.NONE)
          .forEach(entity -> rows.add(LedgerRow.from(entity)));
      return rows;
    } catch (RuntimeException e) {
      throw upstream("could not query the ledger", e);
    }
  }

  private static TableEntity withEtag(TableEntity entity, String etag) {
    entity.addProperty(LedgerRow.ETAG_PROPERTY, etag);
    return entity;
  }

  private static String etagOf(HttpHeaders headers) {
    return headers == null ? null : headers.getValue(HttpHeaderName.ETAG);
  }

  private static boolean isRace(TableServiceException e) {
    return status(e) == 409 || status(e) == 412;
  }

  private static int status(HttpResponseException e) {
    return e.getResponse() == null ? 0 : e.getResponse().getStatusCode();
  }

  private static UpstreamException upstream(String what, RuntimeException e) {
    String detail =
        e.getMessage() == null
            ? e.getClass().getSimpleName()
            : e.getMessage().lines().findFirst().orElse("");
    int status = e instanceof HttpResponseException http ? status(http) : 0;
    return new UpstreamException(
        UPSTREAM, status, "Table storage " + what + ": " + detail, null, null, e);
  }

  /** An OData string literal: single quotes doubled, so no value can end the literal early. */
  static String quote(String value) {
    return "'" + value.replace("'", "''") + "'";
  }

  static String cut(String text, int max) {
    return text == null || text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }

  private static Provenance provenanceOf(LedgerRow row) {
    return new Provenance(null, null, row.incidentId, row.workflowRunId, row.requestedBy);
  }

  private static final Comparator<Cursor> NEWEST_FIRST =
      Comparator.comparing(
              Cursor::updatedAt, Comparator.nullsLast(Comparator.<Instant>reverseOrder()))
          .thenComparing(Cursor::partitionKey)
          .thenComparing(Cursor::rowKey);

  /** A position in {@link #NEWEST_FIRST} order, as an opaque token. */
  private record Cursor(Instant updatedAt, String partitionKey, String rowKey) {
    static Cursor of(LedgerRow row) {
      return new Cursor(row.updatedAt, row.partitionKey(), row.rowKey());
    }

    String token() {
      String text =
          String.join(
              "|",
              TOKEN_VERSION,
              updatedAt == null ? "" : updatedAt.toString(),
              partitionKey,
              rowKey);
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    static Cursor parse(String token) {
      try {
        String[] parts =
            new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8)
                .split("\\|", -1);
        if (parts.length != 4 || !parts[0].equals(TOKEN_VERSION)) {
          throw new IllegalArgumentException("not a ledger token");
        }
        return new Cursor(parts[1].isEmpty() ? null : Instant.parse(parts[1]), parts[2], parts[3]);
      } catch (IllegalArgumentException | DateTimeParseException e) {
        throw InvalidInputException.of(
            "continuation_token",
            "continuation_token is not one this service issued; start again without it");
      }
    }
  }
}
