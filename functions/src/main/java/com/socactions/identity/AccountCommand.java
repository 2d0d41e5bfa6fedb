package com.socactions.identity;

import com.socactions.blocking.GuardrailOverride;
import com.socactions.ledger.Provenance;
import java.util.List;
import java.util.Objects;

/**
 * One identity-response call, as the service takes it.
 *
 * @param accounts as sent (UPN, object id, {@code DOMAIN\name}, SID); each answered on its own
 * @param revokeSessions DisableAccounts only: also revoke the sign-in sessions of what it disables
 * @param workflowRunId the Logic Apps run that asked ({@code x-ms-workflow-run-id}), for the ledger
 * @param requestedBy who asked, as the playbook says; free text
 */
public record AccountCommand(
    List<String> accounts,
    boolean revokeSessions,
    String reason,
    String incidentId,
    boolean dryRun,
    GuardrailOverride override,
    String workflowRunId,
    String requestedBy) {

  public AccountCommand {
    accounts = List.copyOf(accounts);
    Objects.requireNonNull(override, "'override' cannot be null.");
  }

  /** Who asked and why, as the ledger records it. */
  public Provenance provenance() {
    return new Provenance(reason, override.justification(), incidentId, workflowRunId, requestedBy);
  }
}
