package com.socactions.ledger;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * One decision in a ledger row's history, oldest first: every decision is kept, in the history
 * table, keyed by the row and {@code seq}. Text fields are cut to {@link
 * BlockLedger#MAX_HISTORY_TEXT_CHARS}.
 *
 * @param seq its place in the row's history, from 1; the history table's key
 * @param decision what was asked or done: {@code block}, {@code allow}, {@code unblock}, {@code
 *     expire}, {@code confirm}, {@code fail}, {@code refuse}, {@code dry_run}
 * @param status what came of it, as the caller was told: {@code blocked}, {@code already_active},
 *     {@code allowed}, {@code unblocked}, {@code expired}, {@code refused}, {@code would_block},
 *     {@code failed}, {@code lift_failed}, {@code claimed}
 * @param reason the caller's reason, or the refusal's or failure's message
 * @param guardrail the refusing guardrail's code (a {@code RefusalReason} wire name), when refused
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LedgerHistory(
    Integer seq,
    Instant time,
    String decision,
    String status,
    String reason,
    String guardrail,
    String workflowRunId,
    String requestedBy,
    String incidentId) {}
