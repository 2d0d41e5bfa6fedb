package com.socactions.sentinel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Optional;

/**
 * One entity of an incident: its {@code kind} ({@code Ip}, {@code Host}, {@code Account}, {@code
 * Url}, {@code DnsResolution}, {@code FileHash}, ...) and its fields, whichever of the two shapes
 * it came in (fields under {@code properties}, as the REST API gives them, or beside {@code kind},
 * as Logic Apps often delivers them).
 *
 * @param kind the entity kind as Sentinel spells it
 * @param friendlyName the display name Sentinel gives the entity, null when it has none
 * @param properties the entity's fields (read-only by convention: a copy of the input)
 */
public record IncidentEntity(String kind, String friendlyName, ObjectNode properties) {

  /**
   * A text field of the entity, trimmed; empty when absent, blank or not text. The name is matched
   * exactly first, then ignoring case: entities copied from alerts spell fields in PascalCase
   * ({@code Address}, {@code HostName}) where the incident API uses camelCase.
   */
  public Optional<String> text(String field) {
    JsonNode node = properties.get(field);
    if (node == null) {
      Iterator<String> names = properties.fieldNames();
      while (names.hasNext() && node == null) {
        String name = names.next();
        if (name.equalsIgnoreCase(field)) {
          node = properties.get(name);
        }
      }
    }
    if (node == null || !node.isTextual() || node.asText().isBlank()) {
      return Optional.empty();
    }
    return Optional.of(node.asText().trim());
  }

  /** True for this kind, ignoring case ({@code ip} and {@code Ip} both occur). */
  public boolean is(String wantedKind) {
    return kind.equalsIgnoreCase(wantedKind);
  }
}
