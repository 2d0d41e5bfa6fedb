package com.socactions.tickets;

/**
 * A ticket in an ITSM.
 *
 * @param system the ticket system's provider id ({@code servicenow}, {@code jira})
 * @param id the system's stable id (ServiceNow {@code sys_id}, Jira issue id)
 * @param number what people call it ({@code INC0010001}, {@code SEC-42})
 * @param url where an analyst opens it
 */
public record TicketRef(String system, String id, String number, String url) {}
