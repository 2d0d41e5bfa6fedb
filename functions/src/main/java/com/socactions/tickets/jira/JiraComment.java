package com.socactions.tickets.jira;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One comment of an issue, as REST v3 returns it.
 *
 * @param id the comment's id
 * @param authorAccountId the author's Atlassian account id ("" when hidden)
 * @param authorName the author's display name ("" when hidden)
 * @param body the body as Jira holds it (an ADF document)
 * @param text the body flattened to plain text ({@link Adf#toPlainText})
 * @param created when it was written; null when Jira sent no readable date
 * @param updated when it was last edited; null when Jira sent no readable date
 */
public record JiraComment(
    String id,
    String authorAccountId,
    String authorName,
    JsonNode body,
    String text,
    Instant created,
    Instant updated) {

  static JiraComment of(JsonNode comment) {
    JsonNode author = comment.path("author");
    JsonNode body = comment.path("body");
    return new JiraComment(
        comment.path("id").asText(""),
        author.path("accountId").asText(""),
        author.path("displayName").asText(""),
        body,
        Adf.toPlainText(body),
        JiraDates.parse(comment.path("created").asText(null)),
        JiraDates.parse(comment.path("updated").asText(null)));
  }
}
