package com.socactions.ledger;

/**
 * Who asked for a ledger decision, and why: what the ledger keeps on the row and in its history.
 * Any field may be null.
 *
 * @param reason the caller's reason (e.g. "C2 beacon seen on web01")
 * @param justification why guardrails were overridden, when they were
 * @param incidentId the Sentinel incident the playbook ran for
 * @param workflowRunId the Logic Apps run id, to find the run that asked
 * @param requestedBy the analyst a playbook names, or {@link #EXPIRY_TIMER} for the timer
 */
public record Provenance(
    String reason,
    String justification,
    String incidentId,
    String workflowRunId,
    String requestedBy) {
  /** {@code requested_by} of what the expiry timer does. */
  public static final String EXPIRY_TIMER = "expiry timer";

  /** The expiry timer lifting what has expired. */
  public static final Provenance TIMER = new Provenance("expired", null, null, null, EXPIRY_TIMER);
}
