package com.socactions.tickets.jira;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a Jira webhook says happened to an issue, reduced to what ticket sync needs.
 *
 * @param webhookIdentifier {@code X-Atlassian-Webhook-Identifier}: the same for every retry of one
 *     delivery, so a replay is recognised by it ("" when the header was absent)
 * @param type what happened
 * @param webhookEvent Jira's own event name, e.g. {@code jira:issue_updated}
 * @param issueKey the issue's key, e.g. {@code SOC-12}
 * @param issueId the issue's id
 * @param labels the issue's labels (the correlation label among them); empty when the payload had
 *     none
 * @param properties the issue's properties when the payload carries them (key -> value), else empty
 * @param status the status change, when this event changed the status
 * @param currentStatus the issue's status after the event (name and category), when the payload has
 *     it
 * @param assignee the assignee change, when this event changed it
 * @param priority the priority change, when this event changed it
 * @param comment the comment, for {@link Type#COMMENT_CREATED}
 * @param actorAccountId the account that made the change ({@code user.accountId}, or the comment's
 *     author)
 * @param timestamp when Jira says it happened (epoch milliseconds); null when absent or unreadable
 */
public record JiraWebhookEvent(
    String webhookIdentifier,
    Type type,
    String webhookEvent,
    String issueKey,
    String issueId,
    List<String> labels,
    Map<String, JsonNode> properties,
    Optional<Change> status,
    Optional<Status> currentStatus,
    Optional<Change> assignee,
    Optional<Change> priority,
    Optional<Comment> comment,
    String actorAccountId,
    Instant timestamp) {

  public JiraWebhookEvent {
    labels = List.copyOf(labels);
    properties = Map.copyOf(properties);
  }

  /** The events ticket sync acts on. */
  public enum Type {
    /**
     * {@code jira:issue_updated}: see {@link #status()}, {@link #assignee()}, {@link #priority()}.
     */
    ISSUE_UPDATED,
    /** {@code comment_created}: see {@link #comment()}. */
    COMMENT_CREATED
  }

  /**
   * One changelog item: the values before and after ({@code from}/{@code to}: ids, e.g. a status id
   * or an account id; {@code fromText}/{@code toText}: what a person reads, e.g. {@code In
   * Progress}). Absent values are "".
   */
  public record Change(String from, String fromText, String to, String toText) {}

  /** A status: its name and, when Jira said, its category. */
  public record Status(String name, Optional<StatusCategory> category) {}

  /** A comment: its id, its text flattened to plain text, its author. */
  public record Comment(String id, String text, String authorAccountId, Instant created) {}
}
