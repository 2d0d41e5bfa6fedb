package com.socactions.tickets.jira;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A Jira Cloud user as the user search returns it.
 *
 * @param accountId the Atlassian account id (what {@code assignee} takes)
 * @param accountType {@code atlassian} for people, {@code app} or {@code customer} for others
 * @param displayName the name shown in Jira
 * @param emailAddress the e-mail address, or "" when the user's profile hides it
 * @param active whether the account may sign in
 */
public record JiraUser(
    String accountId, String accountType, String displayName, String emailAddress, boolean active) {

  static JiraUser of(JsonNode user) {
    return new JiraUser(
        user.path("accountId").asText(""),
        user.path("accountType").asText(""),
        user.path("displayName").asText(""),
        user.path("emailAddress").asText(""),
        user.path("active").asBoolean(false));
  }
}
