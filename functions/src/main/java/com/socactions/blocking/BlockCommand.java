package com.socactions.blocking;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One BlockIndicators, AllowIndicators or UnblockIndicators call, as the service takes it.
 *
 * @param indicators as sent; each is parsed and answered on its own
 * @param provider the enforcement point's id
 * @param duration how long a block or allow lasts
 * @param workflowRunId the Logic Apps run that asked ({@code x-ms-workflow-run-id}), for the ledger
 * @param requestedBy who asked, as the playbook says (e.g. the analyst's UPN); free text
 */
public record BlockCommand(
    List<String> indicators,
    String provider,
    Duration duration,
    String reason,
    String incidentId,
    boolean dryRun,
    GuardrailOverride override,
    String workflowRunId,
    String requestedBy) {

  public BlockCommand {
    indicators = List.copyOf(indicators);
    Objects.requireNonNull(provider, "'provider' cannot be null.");
    Objects.requireNonNull(duration, "'duration' cannot be null.");
    Objects.requireNonNull(override, "'override' cannot be null.");
  }
}
