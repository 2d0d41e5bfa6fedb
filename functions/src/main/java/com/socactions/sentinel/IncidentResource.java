package com.socactions.sentinel;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.Optional;

/**
 * One incident as the Sentinel REST API returns it: the raw resource ({@code id}, {@code name},
 * {@code etag}, {@code properties}) and the etag to send back with the next write. The JSON is the
 * caller's to read; change it through {@link SentinelClient#updateIncident} rather than in place.
 *
 * @param json the resource as returned
 * @param etag the resource's {@code etag} (quotes and all, as Sentinel writes it), null only when
 *     Sentinel sent none
 */
public record IncidentResource(ObjectNode json, String etag) {
  public IncidentResource {
    Objects.requireNonNull(json, "'json' cannot be null.");
  }

  /** {@code properties}, or an empty object when the resource has none. */
  public ObjectNode properties() {
    return json.get("properties") instanceof ObjectNode properties ? properties : json.objectNode();
  }

  /** The incident's status, if Sentinel gave one it names. */
  public Optional<IncidentStatus> status() {
    return statusOf(properties());
  }

  /** The classification of a closed incident, or null when it is not closed or has none. */
  public String classification() {
    return status().orElse(null) == IncidentStatus.CLOSED
        ? properties().path("classification").asText(null)
        : null;
  }

  static Optional<IncidentStatus> statusOf(ObjectNode properties) {
    return IncidentStatus.parse(properties.path("status").asText(""));
  }
}
