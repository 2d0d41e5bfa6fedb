/**
 * Jira Cloud for ticket sync: {@link com.socactions.tickets.jira.JiraClient} (REST v3: issues,
 * labels, enhanced JQL search, transitions, comments, issue properties) with its settings ({@link
 * com.socactions.tickets.jira.JiraSettings}), {@link com.socactions.tickets.jira.Jql} (values
 * quoted so they stay data; the correlation label), {@link com.socactions.tickets.jira.Adf}
 * (Atlassian Document Format both ways) and {@link com.socactions.tickets.jira.JiraWebhook}
 * (signature check and parsing of inbound admin webhooks).
 */
package com.socactions.tickets.jira;
