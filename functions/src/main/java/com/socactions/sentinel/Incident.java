package com.socactions.sentinel;

import java.time.Instant;
import java.util.List;

/**
 * A Microsoft Sentinel incident: the fields the connector's operations read, from the incident
 * trigger body or the REST API's incident resource (see {@link Incidents#parse}). Every field but
 * the lists may be null when the source leaves it out; lists are empty then.
 *
 * @param id the ARM resource id ({@code
 *     /subscriptions/.../providers/Microsoft.SecurityInsights/incidents/<guid>}), the contract's
 *     {@code incident_id}
 * @param name the incident's guid (the last segment of {@code id})
 * @param etag the resource's ETag, for optimistic concurrency on updates
 * @param labels the labels' names
 * @param incidentNumber the number analysts see in the portal
 * @param tactics MITRE ATT&amp;CK tactics, from {@code additionalData}
 * @param alertProductNames the products whose alerts make up the incident, from {@code
 *     additionalData}
 * @param entities the related entities, as sent (not de-duplicated)
 * @param classificationComment the analyst's closing comment, or null
 * @param comments the incident's comments when the source carries them (the trigger body does),
 *     oldest first
 */
public record Incident(
    String id,
    String name,
    String etag,
    String title,
    String description,
    IncidentSeverity severity,
    IncidentStatus status,
    String classification,
    String classificationReason,
    IncidentOwner owner,
    List<String> labels,
    Long incidentNumber,
    String incidentUrl,
    Instant createdTimeUtc,
    Instant lastModifiedTimeUtc,
    List<String> tactics,
    List<String> alertProductNames,
    List<IncidentEntity> entities,
    String classificationComment,
    List<IncidentComment> comments) {

  public Incident {
    labels = labels == null ? List.of() : List.copyOf(labels);
    tactics = tactics == null ? List.of() : List.copyOf(tactics);
    alertProductNames = alertProductNames == null ? List.of() : List.copyOf(alertProductNames);
    entities = entities == null ? List.of() : List.copyOf(entities);
    comments = comments == null ? List.of() : List.copyOf(comments);
  }
}
