package com.socactions.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.socactions.blocking.BlockCommand;
import com.socactions.blocking.BlockingService;
import com.socactions.identity.AccountCommand;

/**
 * The bodies of the block and account operations read into the services' commands: the one reading
 * of them, for a call answered now and for the same call run later as a job.
 */
final class Commands {
  private Commands() {}

  /** BlockIndicators, AllowIndicators, UnblockIndicators. */
  static BlockCommand block(JsonNode body, String workflowRunId, String defaultProvider) {
    return new BlockCommand(
        BatchInput.items(body, "indicators", BatchInput.MAX_ASYNC_ITEMS),
        BodyFields.text(body, "provider").orElse(defaultProvider),
        BodyFields.duration(
            body,
            "duration",
            BlockingService.DEFAULT_DURATION,
            BlockingService.MIN_DURATION,
            BlockingService.MAX_DURATION),
        BodyFields.text(body, "reason").orElse(null),
        BodyFields.text(body, "incident_id").orElse(null),
        BodyFields.flag(body, "dry_run"),
        BodyFields.override(body),
        workflowRunId,
        BodyFields.text(body, "requested_by").orElse(null));
  }

  /** DisableAccounts, EnableAccounts, RevokeSessions, ConfirmCompromised. */
  static AccountCommand accounts(JsonNode body, String workflowRunId) {
    return new AccountCommand(
        BatchInput.items(body, "accounts", BatchInput.MAX_ASYNC_ITEMS),
        BodyFields.flag(body, "revoke_sessions"),
        BodyFields.text(body, "reason").orElse(null),
        BodyFields.text(body, "incident_id").orElse(null),
        BodyFields.flag(body, "dry_run"),
        BodyFields.override(body),
        workflowRunId,
        BodyFields.text(body, "requested_by").orElse(null));
  }
}
