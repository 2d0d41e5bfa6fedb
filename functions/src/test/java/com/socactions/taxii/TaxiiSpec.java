package com.socactions.taxii;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The fields of the TAXII 2.1 resources, as the specification (OASIS Standard, 10 June 2021,
 * sections 4 and 5) defines them: which are required, their types, and that nothing else is sent.
 * Written from the specification, not from the server's records, so the server's serializer is
 * checked rather than repeated.
 */
final class TaxiiSpec {
  static final String MEDIA_TYPE = "application/taxii+json;version=2.1";
  static final Pattern TIMESTAMP =
      Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z");
  static final Pattern UUID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  static final Pattern IDENTIFIER = Pattern.compile("[a-z][a-z0-9-]+[a-z0-9]--" + UUID.pattern());

  private enum Kind {
    STRING,
    BOOLEAN,
    INTEGER,
    STRINGS,
    OBJECTS,
    OBJECT
  }

  private record Field(Kind kind, boolean required) {}

  private static final Map<String, Map<String, Field>> RESOURCES =
      Map.of(
          "discovery",
          Map.of(
              "title", new Field(Kind.STRING, true),
              "description", new Field(Kind.STRING, false),
              "contact", new Field(Kind.STRING, false),
              "default", new Field(Kind.STRING, false),
              "api_roots", new Field(Kind.STRINGS, false)),
          "api-root",
          Map.of(
              "title", new Field(Kind.STRING, true),
              "description", new Field(Kind.STRING, false),
              "versions", new Field(Kind.STRINGS, true),
              "max_content_length", new Field(Kind.INTEGER, true)),
          "collections",
          Map.of("collections", new Field(Kind.OBJECTS, false)),
          "collection",
          Map.of(
              "id", new Field(Kind.STRING, true),
              "title", new Field(Kind.STRING, true),
              "description", new Field(Kind.STRING, false),
              "alias", new Field(Kind.STRING, false),
              "can_read", new Field(Kind.BOOLEAN, true),
              "can_write", new Field(Kind.BOOLEAN, true),
              "media_types", new Field(Kind.STRINGS, false)),
          "envelope",
          Map.of(
              "more", new Field(Kind.BOOLEAN, false),
              "next", new Field(Kind.STRING, false),
              "objects", new Field(Kind.OBJECTS, false)),
          "manifest",
          Map.of(
              "more", new Field(Kind.BOOLEAN, false),
              "objects", new Field(Kind.OBJECTS, false),
              "next", new Field(Kind.STRING, false)),
          "manifest-record",
          Map.of(
              "id", new Field(Kind.STRING, true),
              "date_added", new Field(Kind.STRING, true),
              "version", new Field(Kind.STRING, true),
              "media_type", new Field(Kind.STRING, false)),
          "versions",
          Map.of(
              "more", new Field(Kind.BOOLEAN, false),
              "versions", new Field(Kind.STRINGS, false)),
          "error",
          Map.of(
              "title", new Field(Kind.STRING, true),
              "description", new Field(Kind.STRING, false),
              "error_id", new Field(Kind.STRING, false),
              "error_code", new Field(Kind.STRING, false),
              "http_status", new Field(Kind.STRING, false),
              "external_details", new Field(Kind.STRING, false),
              "details", new Field(Kind.OBJECT, false)));

  private TaxiiSpec() {}

  /** What is wrong with {@code json} as the TAXII resource {@code resource}; empty when nothing. */
  static List<String> violations(String resource, JsonNode json) {
    List<String> found = new ArrayList<>();
    Map<String, Field> fields = RESOURCES.get(resource);
    if (!json.isObject()) {
      return List.of(resource + " is not a JSON object");
    }
    fields.forEach(
        (name, field) -> {
          JsonNode value = json.get(name);
          if (value == null) {
            if (field.required()) {
              found.add(resource + "." + name + " is required");
            }
          } else if (!hasKind(value, field.kind())) {
            found.add(resource + "." + name + " is not " + field.kind());
          }
        });
    for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!fields.containsKey(name)) {
        found.add(resource + "." + name + " is not a field of it");
      }
    }
    switch (resource) {
      case "collection" -> {
        if (!UUID.matcher(json.path("id").asText()).matches()) {
          found.add("collection.id is not a UUID");
        }
      }
      case "collections" ->
          json.path("collections").forEach(item -> found.addAll(violations("collection", item)));
      case "manifest" ->
          json.path("objects")
              .forEach(
                  item -> {
                    found.addAll(violations("manifest-record", item));
                    if (!TIMESTAMP.matcher(item.path("date_added").asText()).matches()) {
                      found.add("manifest-record.date_added is not a timestamp");
                    }
                    if (!IDENTIFIER.matcher(item.path("id").asText()).matches()) {
                      found.add("manifest-record.id is not a STIX identifier");
                    }
                  });
      case "envelope" -> {
        if (json.path("more").asBoolean(false) && !json.has("next")) {
          found.add("envelope.more is true but there is no next");
        }
      }
      default -> {}
    }
    return found;
  }

  private static boolean hasKind(JsonNode value, Kind kind) {
    return switch (kind) {
      case STRING -> value.isTextual();
      case BOOLEAN -> value.isBoolean();
      case INTEGER -> value.isIntegralNumber() && value.asLong() >= 0;
      case OBJECT -> value.isObject();
      case OBJECTS -> value.isArray() && allOf(value, Set.of("object"));
      case STRINGS -> value.isArray() && !value.isEmpty() && allOf(value, Set.of("string"));
    };
  }

  private static boolean allOf(JsonNode array, Set<String> kinds) {
    for (JsonNode item : array) {
      if (kinds.contains("object") && !item.isObject()
          || kinds.contains("string") && !item.isTextual()) {
        return false;
      }
    }
    return true;
  }
}
