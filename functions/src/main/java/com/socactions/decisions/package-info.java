/**
 * Every decision the connector makes, also written to a Log Analytics table ({@code SOCActions_CL})
 * through the Azure Monitor Logs Ingestion API: the {@link com.socactions.decisions.Decision} row,
 * the {@link com.socactions.decisions.DecisionLog} the services call, and its Logs Ingestion
 * implementation (a bounded buffer flushed in the background, a Table Storage spill for what could
 * not be sent, replayed later).
 */
package com.socactions.decisions;
