package com.socactions.identity;

import com.socactions.graph.AccountRef;
import com.socactions.jobs.BatchWork;
import com.socactions.jobs.JobWork;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * DisableAccounts, EnableAccounts, RevokeSessions and ConfirmCompromised as {@link JobWork}: chunks
 * of accounts, each the service call the synchronous path makes, and the model of what a chunk
 * costs before any has been observed (Graph's documented batch size and pacing with usual
 * latencies; replaced by what this instance observes, see {@link com.socactions.jobs.WorkRates}).
 */
public final class AccountWork {
  /** Accounts a chunk: five Graph {@code $batch} calls (20 requests each) per step. */
  public static final int ACCOUNT_CHUNK = 100;

  /** One Microsoft Graph {@code $batch} of 20 requests. */
  static final Duration GRAPH_BATCH = Duration.ofMillis(1_500);

  static final int GRAPH_BATCH_SIZE = 20;

  /** One Identity Protection call: paced one a second per tenant. */
  static final Duration GRAPH_PACED_CALL = Duration.ofSeconds(1);

  /** Ledger work per account: its claim and its confirmation, written 100 rows a transaction. */
  static final Duration LEDGER_PER_ITEM = Duration.ofMillis(10);

  private AccountWork() {}

  /**
   * The work of one account call.
   *
   * @param operation {@code DisableAccounts}, {@code EnableAccounts}, {@code RevokeSessions} or
   *     {@code ConfirmCompromised}
   */
  public static JobWork<?> of(String operation, AccountCommand command, IdentityService service) {
    String verb;
    Function<AccountCommand, AccountResponse> call;
    int stepsPerBatch;
    Duration paced = Duration.ZERO;
    switch (operation) {
      case "DisableAccounts" -> {
        verb = "disable accounts";
        call = service::disable;
        stepsPerBatch = command.revokeSessions() ? 3 : 2;
      }
      case "EnableAccounts" -> {
        verb = "enable accounts";
        call = service::enable;
        stepsPerBatch = 2;
      }
      case "RevokeSessions" -> {
        verb = "revoke sessions";
        call = service::revokeSessions;
        stepsPerBatch = 2;
      }
      case "ConfirmCompromised" -> {
        verb = "confirm compromised";
        call = service::confirmCompromised;
        stepsPerBatch = 1;
        paced = GRAPH_PACED_CALL;
      }
      default -> throw new IllegalArgumentException(operation + " is not an account operation");
    }
    int steps = stepsPerBatch;
    Duration pacedPerChunk = paced;
    String kind =
        operation
            + (command.revokeSessions() && operation.equals("DisableAccounts") ? "/revoke" : "")
            + (command.dryRun() ? "/dry-run" : "");
    return new BatchWork<>(
        new BatchWork.Spec<AccountResponse, AccountResult>(
            operation,
            kind,
            ACCOUNT_CHUNK,
            AccountWork::accountKey,
            items -> call.apply(withAccounts(command, items)),
            AccountResponse::results,
            (all, ran) -> AccountResponse.of(verb, all),
            (input, failure) ->
                new AccountResult(
                    input, null, null, AccountStatus.FAILED, "unavailable", failure, null),
            AccountResponse.class,
            items -> {
              int batches = (items + GRAPH_BATCH_SIZE - 1) / GRAPH_BATCH_SIZE;
              int chunks = (items + ACCOUNT_CHUNK - 1) / ACCOUNT_CHUNK;
              return GRAPH_BATCH
                  .multipliedBy((long) batches * steps)
                  .plus(pacedPerChunk.multipliedBy(chunks))
                  .plus(LEDGER_PER_ITEM.multipliedBy(items));
            }),
        command.accounts());
  }

  private static AccountCommand withAccounts(AccountCommand command, List<String> accounts) {
    return new AccountCommand(
        accounts,
        command.revokeSessions(),
        command.reason(),
        command.incidentId(),
        command.dryRun(),
        command.override(),
        command.workflowRunId(),
        command.requestedBy());
  }

  /**
   * Accounts the service answers together: the same UPN or object id, whatever its case. (An
   * account named once by UPN and once by object id is only known to be one after Graph resolved
   * it: if the two land in different chunks, the later one answers as a re-run would.)
   */
  private static String accountKey(String input) {
    AccountRef ref = AccountRef.parse(input);
    return ref.resolvable() ? ref.kind() + " " + ref.value().toLowerCase(Locale.ROOT) : null;
  }
}
