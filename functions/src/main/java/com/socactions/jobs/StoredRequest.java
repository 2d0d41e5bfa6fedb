package com.socactions.jobs;

/**
 * A request as a job keeps it, to be answered later exactly as it would have been then.
 *
 * @param operation the operationId
 * @param body the JSON body as the caller sent it
 * @param workflowRunId Logic Apps' {@code x-ms-workflow-run-id}, which the ledger records
 * @param correlationId the request's correlation id (problem answers quote it)
 * @param path the request's path (problem answers name it as {@code instance})
 */
public record StoredRequest(
    String operation, String body, String workflowRunId, String correlationId, String path) {}
