package com.socactions.ledger;

import com.socactions.ledger.BlockLedger.Confirmation;
import com.socactions.ledger.BlockLedger.Conflict;
import com.socactions.ledger.BlockLedger.Failure;
import com.socactions.ledger.BlockLedger.HeldByOthers;
import com.socactions.ledger.BlockLedger.Lift;
import com.socactions.ledger.BlockLedger.LiftClaim;
import com.socactions.ledger.BlockLedger.Settlement;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;

/**
 * The ledger's state machine, as pure functions: given the row as stored (null when there is none),
 * the request and the time, what to write, what history note to add when nothing is written, and
 * what to answer. No storage here: {@link BlockLedger} runs these inside its conditional writes
 * (again after every lost race), and the unit tests run them on rows in memory.
 *
 * <p>States and moves, per row: none or inactive (lifted, expired, failed, refused, dry run, noted,
 * present) --claim--> active with an {@code APPLY} claim in flight --settle--> active (confirmed),
 * failed, present (someone else's entry) or refused (an opposite entry of someone else's); active
 * --claim a later expiry--> {@code EXTEND} claim --settle--> active with the new expiry (or the old
 * one, with the error); active --claim a lift--> {@code LIFT} claim --lift recorded--> lifted,
 * expired, present, or active with a lift pending. A claim in flight is a lease: nothing else
 * writes the row until it settles or the claim timeout passes.
 */
final class LedgerDecisions {
  private LedgerDecisions() {}

  /**
   * A decision: the row to write (null: none), the history note of a decision that writes no row
   * (null: none), and the answer given the row as it is after.
   */
  record Decided<R>(LedgerRow write, LedgerHistory note, Function<LedgerRow, R> result) {
    static <R> Decided<R> write(LedgerRow row, Function<LedgerRow, R> result) {
      return new Decided<>(row, null, result);
    }

    static <R> Decided<R> nothing(Function<LedgerRow, R> result) {
      return new Decided<>(null, null, result);
    }

    static <R> Decided<R> note(LedgerHistory note, Function<LedgerRow, R> result) {
      return new Decided<>(null, note, result);
    }
  }

  /** A claim set less than {@code timeout} ago: its worker may still be calling the provider. */
  static boolean isInFlight(LedgerRow row, Instant now, Duration timeout) {
    return row.pendingSince != null && row.pendingSince.plus(timeout).isAfter(now);
  }

  /** Whether {@code current} still holds the claim {@code claimed} made. */
  static boolean isPendingClaim(LedgerRow current, LedgerEntry claimed) {
    return current != null
        && current.pendingSince != null
        && current.claimId != null
        && current.claimId.equals(claimed.claimId());
  }

  /** The row moves to the top of its state's list. */
  static void relist(LedgerRow row) {
    row.listedAt = row.updatedAt;
    row.listedState = row.state;
  }

  /** See {@link BlockLedger#claimActive}. */
  static Decided<Claim> claim(
      LedgerRequest request, String claimId, LedgerRow current, Instant now, Duration timeout) {
    String decision = request.action().wireName();
    if (current != null && claimId.equals(current.claimId) && current.pendingSince != null) {
      // Our own write, answered after a lost response and retried by the storage client.
      Claim.Status status =
          current.claimKind == ClaimKind.EXTEND ? Claim.Status.EXTENDING : Claim.Status.CLAIMED;
      return Decided.nothing(row -> new Claim(status, entry(row), null, false));
    }
    if (current != null && isInFlight(current, now, timeout)) {
      return Decided.nothing(
          row -> new Claim(Claim.Status.IN_FLIGHT, entry(row), entry(row), false));
    }
    LedgerEntry before = current == null ? null : current.toEntry();
    boolean abandoned = current != null && current.pendingSince != null;
    boolean confirmedActive =
        current != null
            && current.state == LedgerState.ACTIVE
            && current.action == request.action()
            && (!abandoned || current.claimKind == ClaimKind.EXTEND);
    if (confirmedActive) {
      Duration requested = Duration.between(now, request.expiresAt());
      boolean extend =
          current.expiresAt != null
              && request
                  .expiresAt()
                  .isAfter(current.expiresAt.plus(BlockLedger.extensionMargin(requested)));
      if (!extend && !current.liftPending && !abandoned) {
        // Nothing on the row changes: a note in the history is the whole decision.
        return Decided.note(
            note(now, decision, "already_active", request.provenance().reason(), null, request),
            row -> new Claim(Claim.Status.ALREADY_ACTIVE, entry(row), before, false));
      }
      LedgerRow next = current.copy();
      next.clearClaim();
      next.liftPending = false;
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
        return Decided.write(
            next, row -> new Claim(Claim.Status.EXTENDING, entry(row), before, false));
      }
      next.append(
          now,
          decision,
          "already_active",
          request.provenance().reason(),
          null,
          request.provenance());
      return Decided.write(
          next, row -> new Claim(Claim.Status.ALREADY_ACTIVE, entry(row), before, false));
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
    relist(next);
    return Decided.write(
        next, row -> new Claim(Claim.Status.CLAIMED, entry(row), before, recovering));
  }

  /**
   * See {@link BlockLedger#settle}: the row after {@code settlement}, or null when {@code current}
   * no longer holds the claim (settled already, or taken over).
   */
  static LedgerRow settle(LedgerRow current, Settlement settlement, Instant now) {
    if (!isPendingClaim(current, settlement.claimed())) {
      return null;
    }
    LedgerRow next = current.copy();
    boolean extension = next.claimKind == ClaimKind.EXTEND;
    Instant extendTo = next.extendTo;
    Provenance by = provenanceOf(next);
    LedgerState before = next.state;
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
      next.lastError = BlockLedger.cut(failure.error(), BlockLedger.MAX_FIELD_CHARS);
      if (extension) {
        next.append(now, "fail", "extend_failed", failure.error(), null, by);
      } else {
        next.state = LedgerState.FAILED;
        next.append(now, "fail", "failed", failure.error(), null, by);
      }
    } else if (settlement instanceof HeldByOthers held) {
      next.state = LedgerState.PRESENT;
      next.heldBy = BlockLedger.cut(held.heldBy(), BlockLedger.MAX_HISTORY_TEXT_CHARS);
      next.providerRef = held.providerRef();
      next.lastError = null;
      next.append(now, "confirm", "already_present", held.detail(), null, by);
    } else if (settlement instanceof Conflict conflict) {
      next.state = LedgerState.REFUSED;
      next.guardrail = conflict.guardrail();
      next.providerRef = null;
      // Why it was not applied, for whoever waited on this claim.
      next.lastError = BlockLedger.cut(conflict.message(), BlockLedger.MAX_FIELD_CHARS);
      next.append(now, "refuse", "refused", conflict.message(), conflict.guardrail(), by);
    }
    if (next.state != before) {
      relist(next);
    }
    return next;
  }

  /** A decision that calls no provider: refused, dry run, or a note. */
  record Passive(LedgerState state, String status, String message, String guardrail) {}

  /**
   * See {@link BlockLedger#recordRefused}: it never overwrites an active row's state, and on one it
   * is only a note (a claim in flight keeps its lease on the row).
   */
  static Decided<LedgerEntry> passive(
      LedgerRow current, LedgerRequest request, Instant now, Passive passive) {
    String decision =
        switch (passive.state()) {
          case REFUSED -> "refuse";
          case NOTED -> "note";
          default -> "dry_run";
        };
    if (current != null && current.state == LedgerState.ACTIVE) {
      return Decided.note(
          note(now, decision, passive.status(), passive.message(), passive.guardrail(), request),
          LedgerDecisions::entry);
    }
    LedgerRow next;
    if (current == null) {
      next = LedgerRow.create(request, now);
    } else {
      next = current.copy();
      next.action = request.action();
      next.expiresAt = request.expiresAt();
      next.setProvenance(request.provenance());
    }
    next.state = passive.state();
    next.guardrail = passive.guardrail();
    next.append(
        now,
        decision,
        passive.status(),
        passive.message(),
        passive.guardrail(),
        request.provenance());
    relist(next);
    return Decided.write(next, LedgerDecisions::entry);
  }

  /** See {@link BlockLedger#claimLifts}. */
  static Decided<LiftClaim> claimLift(
      LedgerEntry entry,
      String claimId,
      LedgerRow current,
      Instant now,
      boolean onlyIfDue,
      Provenance by,
      Duration timeout) {
    if (current != null && claimId.equals(current.claimId)) {
      return Decided.nothing(row -> new LiftClaim(LiftClaim.Status.CLAIMED, entry(row)));
    }
    if (current == null
        || current.state != LedgerState.ACTIVE
        || current.action != entry.action()) {
      return Decided.nothing(row -> new LiftClaim(LiftClaim.Status.NOT_ACTIVE, entry(row)));
    }
    if (isInFlight(current, now, timeout)) {
      return Decided.nothing(row -> new LiftClaim(LiftClaim.Status.IN_FLIGHT, entry(row)));
    }
    boolean due =
        current.liftPending || current.expiresAt != null && !current.expiresAt.isAfter(now);
    if (onlyIfDue && !due) {
      return Decided.nothing(row -> new LiftClaim(LiftClaim.Status.NOT_DUE, entry(row)));
    }
    LedgerRow next = current.copy();
    next.clearClaim();
    next.pendingSince = now;
    next.claimId = claimId;
    next.claimKind = ClaimKind.LIFT;
    next.append(now, decisionOf(by), "lift_claimed", by.reason(), null, by);
    return Decided.write(next, row -> new LiftClaim(LiftClaim.Status.CLAIMED, entry(row)));
  }

  /**
   * See {@link BlockLedger#recordLifts}: the row after {@code lift}, or null to leave it as it is
   * (gone, claimed by another caller, or neither active nor pending a lift).
   */
  static LedgerRow lifted(LedgerRow current, Lift lift, Instant now) {
    if (current == null) {
      return null;
    }
    boolean ours = isPendingClaim(current, lift.entry()) && current.claimKind == ClaimKind.LIFT;
    if (!ours && current.pendingSince != null) {
      return null;
    }
    boolean active = current.state == LedgerState.ACTIVE;
    if (!active && !current.liftPending) {
      return null;
    }
    LedgerRow next = current.copy();
    next.clearClaim();
    String decision = decisionOf(lift.by());
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
              : next.state == LedgerState.PRESENT ? "already_present" : "unblocked",
          lift.heldBy() != null ? lift.error() : lift.by().reason(),
          null,
          lift.by());
      relist(next);
    } else {
      next.liftPending = true;
      next.lastError = BlockLedger.cut(lift.error(), BlockLedger.MAX_FIELD_CHARS);
      next.append(now, decision, "lift_failed", lift.error(), null, lift.by());
    }
    return next;
  }

  private static String decisionOf(Provenance by) {
    return Provenance.EXPIRY_TIMER.equals(by.requestedBy()) ? "expire" : "unblock";
  }

  static LedgerHistory note(
      Instant now,
      String decision,
      String status,
      String message,
      String guardrail,
      LedgerRequest request) {
    return LedgerRow.historyEntry(
        null, now, decision, status, message, guardrail, request.provenance());
  }

  static LedgerEntry entry(LedgerRow row) {
    return row == null ? null : row.toEntry();
  }

  private static Provenance provenanceOf(LedgerRow row) {
    return new Provenance(null, null, row.incidentId, row.workflowRunId, row.requestedBy);
  }
}
