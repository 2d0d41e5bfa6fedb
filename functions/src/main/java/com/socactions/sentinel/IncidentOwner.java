package com.socactions.sentinel;

/**
 * Who an incident is assigned to, as Sentinel gives it; every field may be null (an unassigned
 * incident has an owner object with all of them null).
 *
 * @param objectId the Entra ID object id of the user or group
 * @param assignedTo the display name
 */
public record IncidentOwner(
    String objectId, String email, String assignedTo, String userPrincipalName) {}
