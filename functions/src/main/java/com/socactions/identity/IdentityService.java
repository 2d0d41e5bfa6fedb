package com.socactions.identity;

import com.socactions.blocking.GuardrailOverride;
import com.socactions.blocking.RefusalReason;
import com.socactions.decisions.DecisionLog;
import com.socactions.graph.AccountRef;
import com.socactions.graph.AccountResolution;
import com.socactions.graph.GraphDirectoryRoles;
import com.socactions.graph.GraphIdentityProtection;
import com.socactions.graph.GraphOutcome;
import com.socactions.graph.GraphUser;
import com.socactions.graph.GraphUsers;
import com.socactions.graph.ResolutionStatus;
import com.socactions.indicators.Indicator;
import com.socactions.indicators.IndicatorType;
import com.socactions.ledger.Action;
import com.socactions.ledger.BlockLedger;
import com.socactions.ledger.Claim;
import com.socactions.ledger.LedgerEntry;
import com.socactions.ledger.LedgerKeys;
import com.socactions.ledger.LedgerRequest;
import com.socactions.ledger.Provenance;
import com.socactions.platform.UpstreamException;
import java.time.Clock;
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
 * Identity response on Microsoft Entra ID: disable and re-enable accounts, revoke their sign-in
 * sessions, confirm them compromised, with the guardrails and the ledger of indicator blocks.
 *
 * <p>Each call resolves every distinct account once ({@link GraphUsers#resolve}, 20 a {@code
 * $batch}), checks the guardrails for all of them before any write, writes in batches, and answers
 * per account: one bad account never fails the call. Guardrails, in order: {@code
 * PROTECTED_ACCOUNTS} and the connector's own identity are never touched (not even with an
 * override); for DisableAccounts, RevokeSessions and ConfirmCompromised, members of privileged
 * directory roles and CMDB VIPs need {@code override_guardrails} with a {@code justification}
 * (signing the CEO out, or marking a Global Administrator high-risk so Conditional Access blocks
 * them, is as disruptive as disabling them). Privileged means holding a role or being eligible for
 * one through PIM, directly or through a group ({@link GraphDirectoryRoles}). These checks fail
 * closed: when the roles and eligibilities cannot be read ({@code privileged_role_unknown}), the
 * CMDB cannot answer for an account ({@code vip_unknown}), or the connector's own id cannot be told
 * ({@code self}), the account is refused with a reason saying so, and no override lifts that.
 *
 * <p>Every decision about a resolved account (refusals and dry runs included) is a row of the
 * {@link BlockLedger} on provider {@value #PROVIDER}, type {@code account}, keyed by the object id:
 * a disable is an active block with no expiry (lifted by EnableAccounts), so re-runs and concurrent
 * runs write to Entra ID once, and EnableAccounts knows what this connector disabled. Accounts that
 * cannot be resolved have no object id and no row.
 *
 * <p>Failures of the whole call: {@link UpstreamException} when no Graph token can be had or the
 * ledger's storage fails.
 */
public final class IdentityService {
  /** The ledger's provider id for account decisions. */
  public static final String PROVIDER = LedgerKeys.ACCOUNTS_PROVIDER;

  /**
   * A disable lasts until EnableAccounts lifts it: the expiry timer never re-enables an account.
   */
  /** How long a disable waits for another run's disable of the same account to get its answer. */
  static final java.time.Duration IN_FLIGHT_WAIT =
      com.socactions.blocking.BlockingService.DEFAULT_IN_FLIGHT_WAIT;

  public static final Instant NO_EXPIRY = Instant.parse("9999-12-31T00:00:00Z");

  private final Supplier<GraphUsers> users;
  private final Supplier<GraphDirectoryRoles> roles;
  private final Supplier<GraphIdentityProtection> identityProtection;
  private final Supplier<BlockLedger> ledger;
  private final Supplier<ProtectedAccounts> protectedAccounts;
  private final Supplier<Optional<String>> selfId;
  private final VipAccounts vips;
  private final Clock clock;
  private volatile DecisionLog decisions = DecisionLog.OFF;

  /**
   * @param selfId the connector's own object id (see {@link SelfIdentity}); asked once per call
   *     that writes, and may throw: the self check then refuses
   */
  public IdentityService(
      Supplier<GraphUsers> users,
      Supplier<GraphDirectoryRoles> roles,
      Supplier<GraphIdentityProtection> identityProtection,
      Supplier<BlockLedger> ledger,
      Supplier<ProtectedAccounts> protectedAccounts,
      Supplier<Optional<String>> selfId,
      VipAccounts vips,
      Clock clock) {
    this.users = users;
    this.roles = roles;
    this.identityProtection = identityProtection;
    this.ledger = ledger;
    this.protectedAccounts = protectedAccounts;
    this.selfId = selfId;
    this.vips = vips;
    this.clock = clock;
  }

  /**
   * DisableAccounts: {@code accountEnabled=false} on each account the guardrails let through, then
   * (with {@code revoke_sessions}) its sign-in sessions revoked. An account Entra ID holds disabled
   * already, or that another run of this connector is disabling, answers {@code already_disabled}
   * without a write; a dry run answers {@code would_disable} and writes nothing to Entra ID.
   */
  public AccountResponse disable(AccountCommand command) {
    Call call = new Call(command);
    List<GraphUser> allowed = guard(call);
    BlockLedger book = ledger.get();
    if (command.dryRun()) {
      List<LedgerRequest> dryRuns = new ArrayList<>();
      for (GraphUser user : allowed) {
        if (Boolean.FALSE.equals(user.accountEnabled())) {
          call.answer(
              user,
              AccountStatus.ALREADY_DISABLED,
              null,
              "Entra ID holds it disabled already",
              null);
        } else {
          call.answer(
              user, AccountStatus.WOULD_DISABLE, null, "dry run: nothing was changed", null);
          dryRuns.add(request(user, command.provenance()));
        }
      }
      book.recordDryRun(dryRuns);
      return call.response("disable accounts");
    }
    List<BlockLedger.Note> notes = new ArrayList<>();
    List<LedgerRequest> requests = new ArrayList<>();
    List<GraphUser> claiming = new ArrayList<>();
    List<GraphUser> disabledAlready = new ArrayList<>();
    for (GraphUser user : allowed) {
      if (Boolean.FALSE.equals(user.accountEnabled())) {
        call.answer(
            user, AccountStatus.ALREADY_DISABLED, null, "Entra ID holds it disabled already", null);
        notes.add(
            new BlockLedger.Note(
                request(user, command.provenance()),
                "already_disabled",
                "Entra ID holds it disabled already"));
        disabledAlready.add(user);
      } else {
        requests.add(request(user, command.provenance()));
        claiming.add(user);
      }
    }
    // The ledger decides which of concurrent runs writes: exactly one claim of a row wins.
    List<Claim> claims = book.claimActive(requests);
    Map<String, Claim> claimOf = new LinkedHashMap<>();
    List<String> toWrite = new ArrayList<>();
    List<Integer> inFlight = new ArrayList<>();
    for (int k = 0; k < claims.size(); k++) {
      GraphUser user = claiming.get(k);
      Claim claim = claims.get(k);
      if (claim.status() == Claim.Status.IN_FLIGHT) {
        inFlight.add(k);
        continue;
      }
      LedgerEntry previous = claim.previous();
      // Our disable is in the ledger, confirmed before this call read Entra ID, and Entra ID still
      // said enabled: someone re-enabled it outside the connector, so it is disabled again.
      boolean reEnabledElsewhere =
          !claim.mustApply()
              && previous != null
              && previous.pendingSince() == null
              && previous.updatedAt() != null
              && previous.updatedAt().isBefore(call.resolvedAt);
      if (claim.mustApply() || reEnabledElsewhere) {
        claimOf.put(user.id(), claim);
        toWrite.add(user.id());
      } else {
        disabledByAnotherRun(call, user, disabledAlready);
      }
    }
    Map<String, GraphOutcome> outcomes =
        toWrite.isEmpty() ? Map.of() : users.get().disable(toWrite);
    List<BlockLedger.Confirmation> confirmations = new ArrayList<>();
    List<BlockLedger.Failure> failures = new ArrayList<>();
    List<GraphUser> disabledNow = new ArrayList<>();
    for (String id : toWrite) {
      GraphUser user = call.users.get(id);
      GraphOutcome outcome = outcomes.get(id);
      Claim claim = claimOf.get(id);
      if (outcome != null && outcome.ok()) {
        if (claim.mustApply()) {
          confirmations.add(new BlockLedger.Confirmation(claim.entry(), null));
        }
        call.answer(user, AccountStatus.DISABLED, null, syncNote(user), null);
        disabledNow.add(user);
      } else {
        String why = outcome == null ? "Microsoft Graph did not answer for it" : outcome.reason();
        if (claim.mustApply()) {
          failures.add(new BlockLedger.Failure(claim.entry(), why));
        }
        call.answer(
            user,
            AccountStatus.FAILED,
            outcome == null ? "unavailable" : outcome.failure().wireName(),
            why,
            null);
      }
    }
    book.confirm(confirmations);
    book.fail(failures);
    awaitOtherRuns(book, claims, claiming, inFlight, call, disabledAlready);
    if (command.revokeSessions()) {
      List<GraphUser> revoke = new ArrayList<>(disabledNow);
      revoke.addAll(disabledAlready);
      Map<String, GraphOutcome> revoked =
          revoke.isEmpty()
              ? Map.of()
              : users.get().revokeSignInSessions(revoke.stream().map(GraphUser::id).toList());
      for (GraphUser user : revoke) {
        GraphOutcome outcome = revoked.get(user.id());
        boolean ok = outcome != null && outcome.ok();
        call.markRevoked(
            user,
            ok,
            ok
                ? null
                : "sessions not revoked: " + (outcome == null ? "no answer" : outcome.reason()));
      }
    }
    book.recordNotes(notes);
    return call.response("disable accounts");
  }

  private static void disabledByAnotherRun(
      Call call, GraphUser user, List<GraphUser> disabledAlready) {
    call.answer(
        user,
        AccountStatus.ALREADY_DISABLED,
        null,
        "another run of this connector disabled it",
        null);
    disabledAlready.add(user);
  }

  /**
   * Accounts another run was disabling when this one claimed them: waits for that run's answer from
   * Entra ID and tells it, never {@code already_disabled} before Entra ID confirmed.
   */
  private static void awaitOtherRuns(
      BlockLedger book,
      List<Claim> claims,
      List<GraphUser> claiming,
      List<Integer> inFlight,
      Call call,
      List<GraphUser> disabledAlready) {
    if (inFlight.isEmpty()) {
      return;
    }
    List<LedgerEntry> settled =
        book.awaitSettled(
            inFlight.stream().map(k -> claims.get(k).entry()).toList(), IN_FLIGHT_WAIT);
    for (int w = 0; w < inFlight.size(); w++) {
      GraphUser user = claiming.get(inFlight.get(w));
      LedgerEntry row = settled.get(w);
      if (row != null && row.isClaimInFlight()) {
        call.answer(
            user,
            AccountStatus.PENDING,
            null,
            "another run of this connector is disabling it and Entra ID has not answered that run"
                + " yet; ask again in a few seconds",
            null);
      } else if (row != null && row.isActive(Action.BLOCK)) {
        disabledByAnotherRun(call, user, disabledAlready);
      } else {
        call.answer(
            user,
            AccountStatus.FAILED,
            "unavailable",
            "another run of this connector could not disable it"
                + (row == null || row.lastError() == null ? "" : ": " + row.lastError()),
            null);
      }
    }
  }

  /**
   * EnableAccounts: {@code accountEnabled=true} on accounts this connector disabled (an active
   * disable in the ledger, which is then lifted); any other account only with {@code
   * override_guardrails} and a {@code justification}. Protected and self accounts are not checked:
   * enabling never locks anyone out.
   */
  public AccountResponse enable(AccountCommand command) {
    Call call = new Call(command);
    BlockLedger book = ledger.get();
    List<GraphUser> all = new ArrayList<>(call.users.values());
    List<Optional<LedgerEntry>> rows =
        all.isEmpty()
            ? List.of()
            : book.findAll(PROVIDER, all.stream().map(IdentityService::indicator).toList());
    List<BlockLedger.Refusal> refusals = new ArrayList<>();
    List<BlockLedger.Note> notes = new ArrayList<>();
    List<BlockLedger.Lift> lifts = new ArrayList<>();
    Map<String, LedgerEntry> ours = new LinkedHashMap<>();
    List<String> toEnable = new ArrayList<>();
    GuardrailOverride override = command.override();
    for (int k = 0; k < all.size(); k++) {
      GraphUser user = all.get(k);
      LedgerRequest request = request(user, command.provenance());
      Optional<LedgerEntry> active = rows.get(k).filter(row -> row.isActive(Action.BLOCK));
      if (active.isEmpty() && !override.isJustified()) {
        RefusalReason reason =
            override.requested()
                ? RefusalReason.JUSTIFICATION_REQUIRED
                : RefusalReason.NOT_DISABLED_BY_CONNECTOR;
        String message =
            override.requested()
                ? "override_guardrails needs a justification: say why "
                    + name(user)
                    + " must be enabled"
                : "this connector did not disable "
                    + name(user)
                    + "; enable it with override_guardrails and a justification";
        refusals.add(new BlockLedger.Refusal(request, reason.wireName(), message));
        call.answer(user, AccountStatus.REFUSED, reason.wireName(), message, null);
        continue;
      }
      if (command.dryRun()) {
        notes.add(new BlockLedger.Note(request, "would_enable", "dry run"));
        call.answer(user, AccountStatus.WOULD_ENABLE, null, "dry run: nothing was changed", null);
        continue;
      }
      active.ifPresent(entry -> ours.put(user.id(), entry));
      if (Boolean.TRUE.equals(user.accountEnabled())) {
        call.answer(user, AccountStatus.ENABLED, null, "Entra ID holds it enabled already", null);
        active.ifPresentOrElse(
            entry -> lifts.add(BlockLedger.Lift.done(entry, command.provenance())),
            () ->
                notes.add(
                    new BlockLedger.Note(request, "enabled", "Entra ID holds it enabled already")));
      } else {
        toEnable.add(user.id());
      }
    }
    Map<String, GraphOutcome> outcomes =
        toEnable.isEmpty() ? Map.of() : users.get().enable(toEnable);
    for (String id : toEnable) {
      GraphUser user = call.users.get(id);
      GraphOutcome outcome = outcomes.get(id);
      if (outcome != null && outcome.ok()) {
        call.answer(
            user,
            AccountStatus.ENABLED,
            null,
            ours.containsKey(id) ? null : "override: " + override.justification(),
            null);
        LedgerEntry entry = ours.get(id);
        if (entry != null) {
          lifts.add(BlockLedger.Lift.done(entry, command.provenance()));
        } else {
          notes.add(
              new BlockLedger.Note(
                  request(user, command.provenance()),
                  "enabled",
                  "override: " + override.justification()));
        }
      } else {
        String why = outcome == null ? "Microsoft Graph did not answer for it" : outcome.reason();
        call.answer(
            user,
            AccountStatus.FAILED,
            outcome == null ? "unavailable" : outcome.failure().wireName(),
            why,
            null);
        notes.add(new BlockLedger.Note(request(user, command.provenance()), "enable_failed", why));
      }
    }
    book.recordRefused(refusals);
    book.recordLifts(lifts);
    book.recordNotes(notes);
    return call.response("enable accounts");
  }

  /**
   * RevokeSessions: invalidates each account's refresh tokens and session cookies (20 a {@code
   * $batch}). Protected and self accounts are refused; privileged and VIP accounts need a justified
   * override, as for a disable.
   */
  public AccountResponse revokeSessions(AccountCommand command) {
    Call call = new Call(command);
    List<GraphUser> allowed = guard(call);
    List<BlockLedger.Note> notes = new ArrayList<>();
    if (command.dryRun()) {
      dryRun(call, allowed, AccountStatus.WOULD_REVOKE, notes);
    } else {
      Map<String, GraphOutcome> outcomes =
          allowed.isEmpty()
              ? Map.of()
              : users.get().revokeSignInSessions(allowed.stream().map(GraphUser::id).toList());
      for (GraphUser user : allowed) {
        GraphOutcome outcome = outcomes.get(user.id());
        if (outcome != null && outcome.ok()) {
          call.answer(user, AccountStatus.REVOKED, null, null, null);
          notes.add(new BlockLedger.Note(request(user, command.provenance()), "revoked", null));
        } else {
          String why = outcome == null ? "Microsoft Graph did not answer for it" : outcome.reason();
          call.answer(
              user,
              AccountStatus.FAILED,
              outcome == null ? "unavailable" : outcome.failure().wireName(),
              why,
              null);
          notes.add(
              new BlockLedger.Note(request(user, command.provenance()), "revoke_failed", why));
        }
      }
    }
    ledger.get().recordNotes(notes);
    return call.response("revoke sessions");
  }

  /**
   * ConfirmCompromised: Identity Protection sets each account's user risk to high, all in one
   * (paced) call, so risk-based Conditional Access policies act on them. Graph answers for the list
   * as a whole: when it refuses, every account of the call is {@code failed} with its reason.
   * Protected and self accounts are refused; privileged and VIP accounts need a justified override.
   */
  public AccountResponse confirmCompromised(AccountCommand command) {
    Call call = new Call(command);
    List<GraphUser> allowed = guard(call);
    List<BlockLedger.Note> notes = new ArrayList<>();
    if (command.dryRun()) {
      dryRun(call, allowed, AccountStatus.WOULD_CONFIRM, notes);
    } else if (!allowed.isEmpty()) {
      String failure = null;
      String failureKind = null;
      try {
        identityProtection.get().confirmCompromised(allowed.stream().map(GraphUser::id).toList());
      } catch (UpstreamException e) {
        failure = e.getMessage();
        failureKind =
            switch (e.failure()) {
              case FORBIDDEN -> "forbidden";
              case THROTTLED -> "throttled";
              default -> "failed";
            };
      }
      for (GraphUser user : allowed) {
        call.answer(
            user,
            failure == null ? AccountStatus.CONFIRMED : AccountStatus.FAILED,
            failureKind,
            failure,
            null);
        notes.add(
            new BlockLedger.Note(
                request(user, command.provenance()),
                failure == null ? "confirmed" : "confirm_failed",
                failure));
      }
    }
    ledger.get().recordNotes(notes);
    return call.response("confirm compromised");
  }

  /** A dry run of an action that keeps no ledger state: answered and noted, nothing sent. */
  private static void dryRun(
      Call call, List<GraphUser> allowed, AccountStatus status, List<BlockLedger.Note> notes) {
    for (GraphUser user : allowed) {
      call.answer(user, status, null, "dry run: nothing was changed", null);
      notes.add(
          new BlockLedger.Note(
              request(user, call.command.provenance()), status.wireName(), "dry run"));
    }
  }

  /**
   * Checks every resolved account of the call, answers and records the refused ones, and returns
   * the others in order.
   */
  private List<GraphUser> guard(Call call) {
    List<GraphUser> candidates = new ArrayList<>(call.users.values());
    if (candidates.isEmpty()) {
      return candidates;
    }
    AccountCommand command = call.command;
    ProtectedAccounts protectedList = protectedAccounts.get();
    Optional<String> self;
    String selfProblem = null;
    try {
      self = selfId.get();
      if (self.isEmpty()) {
        selfProblem = "the connector's own object id is unknown (set " + SelfIdentity.SETTING + ")";
      }
    } catch (RuntimeException e) {
      self = Optional.empty();
      selfProblem = "the connector's own object id could not be read (" + e.getMessage() + ")";
    }
    Map<String, List<String>> roleMembers = null;
    String rolesProblem = null;
    try {
      roleMembers = roles.get().members();
    } catch (RuntimeException e) {
      rolesProblem =
          "its privileged directory roles and PIM eligibility could not be read ("
              + e.getMessage()
              + "), so it may be privileged";
    }
    Map<String, VipAccounts.Finding> vipOf =
        vips.vips(
            candidates.stream()
                .map(GraphUser::userPrincipalName)
                .filter(upn -> upn != null)
                .toList());
    List<GraphUser> allowed = new ArrayList<>();
    List<BlockLedger.Refusal> refusals = new ArrayList<>();
    GuardrailOverride override = command.override();
    for (GraphUser user : candidates) {
      RefusalReason reason = null;
      String message = null;
      List<String> lifted = new ArrayList<>();
      VipAccounts.Finding vip =
          user.userPrincipalName() == null
              ? null
              : vipOf.get(user.userPrincipalName().toLowerCase(Locale.ROOT));
      List<String> unknown = new ArrayList<>();
      if (rolesProblem != null) {
        unknown.add(rolesProblem);
      }
      if (vip != null && vip.unknown()) {
        unknown.add(vip.reason());
      }
      if (protectedList.covers(user)) {
        reason = RefusalReason.PROTECTED;
        message =
            name(user) + " is in " + ProtectedAccounts.SETTING + ": never changed by the connector";
      } else if (selfProblem != null) {
        reason = RefusalReason.SELF;
        message = selfProblem + ": refused rather than risk locking the connector out";
      } else if (self.get().equalsIgnoreCase(user.id())) {
        reason = RefusalReason.SELF;
        message = name(user) + " is the identity this connector runs as";
      } else if (!unknown.isEmpty()) {
        // A possibly privileged account is never changed blind: an override is a decision about
        // a known risk, and this one is not known.
        reason =
            rolesProblem != null
                ? RefusalReason.PRIVILEGED_ROLE_UNKNOWN
                : RefusalReason.VIP_UNKNOWN;
        message =
            name(user)
                + ": "
                + String.join("; ", unknown)
                + ". Refused, and override_guardrails does not lift this: try again once it can"
                + " be read";
      } else {
        List<String> overridable = new ArrayList<>();
        RefusalReason first = null;
        List<String> held = roleMembers.get(user.id().toLowerCase(Locale.ROOT));
        if (held != null) {
          overridable.add("holds or is eligible for privileged roles: " + String.join(", ", held));
          first = RefusalReason.PRIVILEGED_ROLE;
        }
        if (vip != null) {
          overridable.add(vip.reason());
          first = first == null ? RefusalReason.VIP : first;
        }
        if (first != null && override.isJustified()) {
          lifted.addAll(overridable);
        } else if (first != null) {
          reason = override.requested() ? RefusalReason.JUSTIFICATION_REQUIRED : first;
          message =
              override.requested()
                  ? "override_guardrails needs a justification: "
                      + name(user)
                      + " "
                      + String.join("; ", overridable)
                  : name(user)
                      + " "
                      + String.join("; ", overridable)
                      + "; override_guardrails with a justification lifts this";
        }
      }
      if (reason != null) {
        call.answer(user, AccountStatus.REFUSED, reason.wireName(), message, null);
        refusals.add(
            new BlockLedger.Refusal(
                request(user, command.provenance()), reason.wireName(), message));
      } else {
        if (!lifted.isEmpty()) {
          call.overrides.put(user.id(), "override lifted: " + String.join("; ", lifted));
        }
        allowed.add(user);
      }
    }
    ledger.get().recordRefused(refusals);
    return allowed;
  }

  private static LedgerRequest request(GraphUser user, Provenance provenance) {
    return new LedgerRequest(PROVIDER, indicator(user), Action.BLOCK, NO_EXPIRY, provenance);
  }

  private static Indicator indicator(GraphUser user) {
    String id = user.id().toLowerCase(Locale.ROOT);
    return new Indicator(
        IndicatorType.ACCOUNT,
        id,
        user.userPrincipalName() == null ? id : user.userPrincipalName());
  }

  private static String name(GraphUser user) {
    return user.userPrincipalName() != null ? user.userPrincipalName() : user.id();
  }

  /** A disable in Entra ID of an account synced from AD can be undone by the next sync: say so. */
  private static String syncNote(GraphUser user) {
    return Boolean.TRUE.equals(user.onPremisesSyncEnabled())
        ? "synced from on-premises AD: disable it there too, or the next sync may enable it again"
        : null;
  }

  /** The accounts of one call, resolved once each, and their answers by request index. */
  private final class Call {
    final AccountCommand command;
    final Instant resolvedAt;
    final List<AccountResolution> resolutions;
    final AccountResult[] results;

    /** Distinct resolved users by object id, in request order. */
    final Map<String, GraphUser> users = new LinkedHashMap<>();

    /** Per object id: the checks a justified override lifted. */
    final Map<String, String> overrides = new LinkedHashMap<>();

    Call(AccountCommand command) {
      this.command = command;
      this.resolvedAt = clock.instant();
      this.resolutions =
          IdentityService.this
              .users
              .get()
              .resolve(command.accounts().stream().map(AccountRef::parse).toList());
      this.results = new AccountResult[resolutions.size()];
      for (int i = 0; i < resolutions.size(); i++) {
        AccountResolution resolution = resolutions.get(i);
        if (resolution.resolved()) {
          users.putIfAbsent(resolution.user().id().toLowerCase(Locale.ROOT), resolution.user());
        } else {
          results[i] =
              new AccountResult(
                  resolution.account().input(),
                  null,
                  null,
                  statusOf(resolution.status()),
                  resolution.status() == ResolutionStatus.FAILED ? "failed" : null,
                  resolution.reason(),
                  null);
        }
      }
    }

    /** Answers every request that resolved to {@code user}. */
    void answer(
        GraphUser user,
        AccountStatus status,
        String reason,
        String detail,
        Boolean sessionsRevoked) {
      String note = overrides.get(user.id().toLowerCase(Locale.ROOT));
      String text = note == null ? detail : detail == null ? note : detail + "; " + note;
      for (int i = 0; i < resolutions.size(); i++) {
        AccountResolution resolution = resolutions.get(i);
        if (resolution.resolved() && resolution.user().id().equalsIgnoreCase(user.id())) {
          results[i] =
              new AccountResult(
                  resolution.account().input(),
                  user.id(),
                  user.userPrincipalName(),
                  status,
                  reason,
                  text,
                  sessionsRevoked);
        }
      }
    }

    void markRevoked(GraphUser user, boolean revoked, String problem) {
      for (int i = 0; i < results.length; i++) {
        AccountResult result = results[i];
        if (result != null && user.id().equalsIgnoreCase(result.userId())) {
          String detail =
              problem == null
                  ? result.detail()
                  : result.detail() == null ? problem : result.detail() + "; " + problem;
          results[i] =
              new AccountResult(
                  result.account(),
                  result.userId(),
                  result.userPrincipalName(),
                  result.status(),
                  result.reason(),
                  detail,
                  revoked);
        }
      }
    }

    AccountResponse response(String verb) {
      List<AccountResult> answered = Arrays.asList(results);
      // Decisions to Log Analytics (issue 19): one record per call, once its outcome is known.
      decisions.recordLazily(() -> AccountDecisions.of(verb, command, answered, clock.instant()));
      return AccountResponse.of(verb, answered);
    }
  }

  /**
   * Where this service records its decisions (by default nowhere); set once by the module that
   * builds it.
   */
  public IdentityService decisionLog(DecisionLog log) {
    this.decisions = java.util.Objects.requireNonNull(log, "'log' cannot be null.");
    return this;
  }

  private static AccountStatus statusOf(ResolutionStatus status) {
    return switch (status) {
      case RESOLVED ->
          throw new IllegalArgumentException("a resolved account has a status of its own");
      case NOT_FOUND -> AccountStatus.NOT_FOUND;
      case UNSUPPORTED -> AccountStatus.UNSUPPORTED;
      case INVALID -> AccountStatus.INVALID;
      case FAILED -> AccountStatus.FAILED;
    };
  }
}
