package com.socactions.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.socactions.indicators.Indicators;
import com.socactions.indicators.ParseResult;
import com.socactions.ledger.BlockLedger.Confirmation;
import com.socactions.ledger.BlockLedger.Conflict;
import com.socactions.ledger.BlockLedger.Failure;
import com.socactions.ledger.BlockLedger.HeldByOthers;
import com.socactions.ledger.BlockLedger.Lift;
import com.socactions.ledger.BlockLedger.LiftClaim;
import com.socactions.ledger.LedgerDecisions.Decided;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The ledger's state machine on rows in memory: every move, no storage. */
class LedgerDecisionsTest {
  private static final Instant NOW = Instant.parse("2026-12-05T09:00:00Z");
  private static final Duration TIMEOUT = BlockLedger.DEFAULT_CLAIM_TIMEOUT;
  private static final Provenance ANALYST =
      new Provenance("c2", null, "inc-1", "run-1", "alice@contoso.com");

  @Test
  void aNewRowIsClaimedActiveWithAnApplyClaimAndListedAtTheTop() {
    Decided<Claim> decided = claim(null, block(Duration.ofHours(24)), "c.0", NOW);

    LedgerRow row = decided.write();
    assertThat(row.state).isEqualTo(LedgerState.ACTIVE);
    assertThat(row.claimKind).isEqualTo(ClaimKind.APPLY);
    assertThat(row.pendingSince).isEqualTo(NOW);
    assertThat(row.listedState).isEqualTo(LedgerState.ACTIVE);
    assertThat(row.outbox).extracting(LedgerHistory::status).containsExactly("claimed");
    assertThat(decided.result().apply(row).status()).isEqualTo(Claim.Status.CLAIMED);
  }

  @Test
  void aClaimInFlightMakesEveryOtherRequestWaitAndWritesNothing() {
    LedgerRow inFlight = claim(null, block(Duration.ofHours(24)), "c.0", NOW).write();

    Decided<Claim> other = claim(inFlight, block(Duration.ofHours(24)), "d.0", NOW.plusSeconds(30));

    assertThat(other.write()).isNull();
    assertThat(other.note()).isNull();
    assertThat(other.result().apply(inFlight).status()).isEqualTo(Claim.Status.IN_FLIGHT);
  }

  @Test
  void anAbandonedApplyClaimIsTakenOverAsRecovering() {
    LedgerRow abandoned = claim(null, block(Duration.ofHours(24)), "c.0", NOW).write();

    Decided<Claim> retaken =
        claim(abandoned, block(Duration.ofHours(24)), "d.0", NOW.plus(TIMEOUT));

    assertThat(retaken.result().apply(retaken.write()).recovering()).isTrue();
    assertThat(retaken.write().claimId).isEqualTo("d.0");
  }

  @Test
  void aReRunWithinTheMarginIsANoteAndALaterOneAnExtensionClaim() {
    LedgerRow active = confirmed(claim(null, block(Duration.ofHours(24)), "c.0", NOW).write());

    Decided<Claim> rerun = claim(active, block(Duration.ofHours(24)), "d.0", NOW.plusSeconds(600));
    Decided<Claim> later = claim(active, block(Duration.ofDays(3)), "e.0", NOW.plusSeconds(600));

    assertThat(rerun.write()).isNull();
    assertThat(rerun.note().status()).isEqualTo("already_active");
    assertThat(rerun.result().apply(active).status()).isEqualTo(Claim.Status.ALREADY_ACTIVE);
    assertThat(later.write().claimKind).isEqualTo(ClaimKind.EXTEND);
    assertThat(later.write().expiresAt).isEqualTo(active.expiresAt);
    assertThat(later.write().extendTo).isEqualTo(NOW.plus(Duration.ofDays(3)));
  }

  @Test
  void anExtensionConfirmedMovesTheExpiryAndOneFailedKeepsTheOld() {
    LedgerRow active = confirmed(claim(null, block(Duration.ofHours(24)), "c.0", NOW).write());
    LedgerRow extending = claim(active, block(Duration.ofDays(3)), "e.0", NOW).write();

    LedgerRow ok =
        LedgerDecisions.settle(extending, new Confirmation(extending.toEntry(), null), NOW);
    LedgerRow failed =
        LedgerDecisions.settle(extending, new Failure(extending.toEntry(), "503"), NOW);

    assertThat(ok.expiresAt).isEqualTo(extending.extendTo);
    assertThat(ok.pendingSince).isNull();
    assertThat(failed.state).isEqualTo(LedgerState.ACTIVE);
    assertThat(failed.expiresAt).isEqualTo(active.expiresAt);
    assertThat(failed.lastError).isEqualTo("503");
  }

  @Test
  void settlementsOfAnApplyClaimEndInTheirStates() {
    LedgerRow claimed = claim(null, block(Duration.ofHours(24)), "c.0", NOW).write();
    LedgerEntry entry = claimed.toEntry();

    assertThat(LedgerDecisions.settle(claimed, new Failure(entry, "x"), NOW).state)
        .isEqualTo(LedgerState.FAILED);
    LedgerRow present =
        LedgerDecisions.settle(claimed, new HeldByOthers(entry, "SecOps", "995", "theirs"), NOW);
    assertThat(present.state).isEqualTo(LedgerState.PRESENT);
    assertThat(present.heldBy).isEqualTo("SecOps");
    assertThat(present.listedState).isEqualTo(LedgerState.PRESENT);
    LedgerRow conflict =
        LedgerDecisions.settle(claimed, new Conflict(entry, "upstream_conflict", "allowed"), NOW);
    assertThat(conflict.state).isEqualTo(LedgerState.REFUSED);
    assertThat(conflict.guardrail).isEqualTo("upstream_conflict");
  }

  @Test
  void aSettlementOfAClaimNoLongerHeldChangesNothing() {
    LedgerRow claimed = claim(null, block(Duration.ofHours(24)), "c.0", NOW).write();
    LedgerRow takenOver =
        claim(claimed, block(Duration.ofHours(24)), "d.0", NOW.plus(TIMEOUT)).write();

    assertThat(LedgerDecisions.settle(takenOver, new Confirmation(claimed.toEntry(), null), NOW))
        .isNull();
  }

  @Test
  void aRefusalOfAnActiveRowIsOnlyANote() {
    LedgerRow active = confirmed(claim(null, block(Duration.ofHours(24)), "c.0", NOW).write());

    Decided<LedgerEntry> refused =
        LedgerDecisions.passive(
            active,
            block(Duration.ofHours(1)),
            NOW,
            new LedgerDecisions.Passive(
                LedgerState.REFUSED, "refused", "critical", "critical_asset"));

    assertThat(refused.write()).isNull();
    assertThat(refused.note().guardrail()).isEqualTo("critical_asset");
  }

  @Test
  void theTimerClaimsALiftOnlyWhileTheRowIsDue() {
    LedgerRow active = confirmed(claim(null, block(Duration.ofHours(1)), "c.0", NOW).write());
    LedgerEntry read = active.toEntry();

    Decided<LiftClaim> early =
        LedgerDecisions.claimLift(read, "l.0", active, NOW, true, Provenance.TIMER, TIMEOUT);
    Decided<LiftClaim> due =
        LedgerDecisions.claimLift(
            read, "l.0", active, NOW.plus(Duration.ofHours(1)), true, Provenance.TIMER, TIMEOUT);

    assertThat(early.result().apply(active).status()).isEqualTo(LiftClaim.Status.NOT_DUE);
    assertThat(due.write().claimKind).isEqualTo(ClaimKind.LIFT);
  }

  @Test
  void aLiftDoneByTheTimerExpiresTheRowAndOneFailedLeavesItActiveWithTheLiftPending() {
    LedgerRow active = confirmed(claim(null, block(Duration.ofHours(1)), "c.0", NOW).write());
    Instant due = NOW.plus(Duration.ofHours(1));
    LedgerRow lifting =
        LedgerDecisions.claimLift(
                active.toEntry(), "l.0", active, due, true, Provenance.TIMER, TIMEOUT)
            .write();

    LedgerRow expired =
        LedgerDecisions.lifted(lifting, Lift.done(lifting.toEntry(), Provenance.TIMER), due);
    LedgerRow pending =
        LedgerDecisions.lifted(
            lifting, Lift.failed(lifting.toEntry(), "503", Provenance.TIMER), due);

    assertThat(expired.state).isEqualTo(LedgerState.EXPIRED);
    assertThat(expired.listedState).isEqualTo(LedgerState.EXPIRED);
    assertThat(pending.state).isEqualTo(LedgerState.ACTIVE);
    assertThat(pending.liftPending).isTrue();
    assertThat(pending.pendingSince).isNull();
  }

  @Test
  void eachDecisionNumbersItsHistoryEntriesAfterTheLast() {
    LedgerRow claimed = claim(null, block(Duration.ofHours(24)), "c.0", NOW).write();
    LedgerRow confirmed = confirmed(claimed);

    assertThat(claimed.outbox).extracting(LedgerHistory::seq).containsExactly(1);
    assertThat(confirmed.outbox).extracting(LedgerHistory::seq).containsExactly(2);
    assertThat(confirmed.historyCount).isEqualTo(2);
  }

  private static Decided<Claim> claim(
      LedgerRow current, LedgerRequest request, String claimId, Instant now) {
    return LedgerDecisions.claim(
        request, claimId, current == null ? null : current.copy(), now, TIMEOUT);
  }

  private static LedgerRow confirmed(LedgerRow claimed) {
    return LedgerDecisions.settle(claimed, new Confirmation(claimed.toEntry(), null), NOW);
  }

  private static LedgerRequest block(Duration duration) {
    return new LedgerRequest(
        "edl",
        ((ParseResult.Parsed) Indicators.parse("203.0.113.7")).indicator(),
        Action.BLOCK,
        NOW.plus(duration),
        ANALYST);
  }
}
