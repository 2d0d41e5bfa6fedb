package com.socactions.blocking;

import com.socactions.ledger.Provenance;
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

  /** Who asked and why, as the ledger records it. */
  public Provenance provenance() {
    return new Provenance(reason, override.justification(), incidentId, workflowRunId, requestedBy);
  }

  /** A short line for consoles that show one (Defender's indicator title): names the incident. */
  public String title() {
    return "SOC Actions" + (incidentId == null ? "" : ": incident " + lastSegment(incidentId));
  }

  /** Why, for the provider's description field: reason, incident, who asked. */
  public String description() {
    StringBuilder text =
        new StringBuilder(reason == null ? "Blocked by a SOC Actions playbook" : reason);
    if (incidentId != null) {
      text.append(" | incident ").append(incidentId);
    }
    if (requestedBy != null) {
      text.append(" | requested by ").append(requestedBy);
    }
    if (workflowRunId != null) {
      text.append(" | Logic Apps run ").append(workflowRunId);
    }
    return text.toString();
  }

  private static String lastSegment(String resourceId) {
    int slash = resourceId.lastIndexOf('/');
    return slash >= 0 && slash < resourceId.length() - 1
        ? resourceId.substring(slash + 1)
        : resourceId;
  }
}
