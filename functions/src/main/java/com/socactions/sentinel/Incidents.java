package com.socactions.sentinel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.socactions.platform.InvalidInputException;
import com.socactions.platform.Json;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a Sentinel incident from any of the shapes a playbook has at hand:
 *
 * <ul>
 *   <li>the whole Logic Apps incident trigger body ({@code {eventUniqueId, objectSchemaType,
 *       objectEventType, workspaceInfo, workspaceId, object: {...}}});
 *   <li>its {@code object} alone;
 *   <li>the incident resource of the Sentinel REST API ({@code GET .../incidents/{id}}), which has
 *       the same shape as {@code object} without {@code relatedEntities}.
 * </ul>
 *
 * <p>Entities ({@code properties.relatedEntities}) are accepted with their fields under {@code
 * properties} (the REST shape) or beside {@code kind} (as Logic Apps often delivers them). Fields
 * Sentinel may leave out are null; fields of the wrong type make the whole incident invalid, since
 * a playbook that sends them has wired the wrong value.
 */
public final class Incidents {
  /** Entity fields that describe the resource, not the entity, in the flattened shape. */
  private static final Set<String> RESOURCE_FIELDS =
      Set.of("id", "name", "type", "kind", "etag", "systemData");

  private Incidents() {}

  /**
   * The incident in {@code node}.
   *
   * @param field the request field that held it (e.g. {@code incident}), for the error paths
   * @throws InvalidInputException naming the field at fault ({@code incident}, {@code
   *     incident.object.properties}, {@code incident.object.properties.relatedEntities[2].kind},
   *     ...) when the value is not an incident
   */
  public static Incident parse(JsonNode node, String field) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      throw InvalidInputException.of(field, "required: the incident trigger body, or its 'object'");
    }
    if (!node.isObject()) {
      throw InvalidInputException.of(
          field, "must be the incident trigger body (a JSON object), or its 'object'");
    }
    JsonNode resource = node;
    String path = field;
    if (node.has("object")) {
      resource = node.get("object");
      path = field + ".object";
      if (!resource.isObject()) {
        throw InvalidInputException.of(path, "must be the incident (a JSON object)");
      }
    }
    JsonNode properties = resource.get("properties");
    if (properties == null || !properties.isObject()) {
      throw InvalidInputException.of(
          path + ".properties",
          properties == null
              ? "required: send the trigger body or its 'object' as is (an incident has"
                  + " 'properties')"
              : "must be a JSON object");
    }
    Reader object = new Reader(resource, path);
    Reader props = new Reader(properties, path + ".properties");
    Reader additional = props.object("additionalData");
    return new Incident(
        object.text("id"),
        object.text("name"),
        object.text("etag"),
        props.text("title"),
        props.text("description"),
        props.text("severity") == null
            ? null
            : IncidentSeverity.parse(props.text("severity"))
                .orElseThrow(
                    () -> props.invalid("severity", "must be High, Medium, Low or Informational")),
        props.text("status") == null
            ? null
            : IncidentStatus.parse(props.text("status"))
                .orElseThrow(() -> props.invalid("status", "must be New, Active or Closed")),
        props.text("classification"),
        props.text("classificationReason"),
        owner(props.object("owner")),
        labels(props),
        props.number("incidentNumber"),
        props.text("incidentUrl"),
        props.instant("createdTimeUtc"),
        props.instant("lastModifiedTimeUtc"),
        additional.texts("tactics"),
        additional.texts("alertProductNames"),
        entities(props),
        props.text("classificationComment"),
        comments(props));
  }

  /**
   * Whether an incident as a caller sent it (trigger body, its {@code object}, or the REST
   * resource) carries its comments: the REST resource does not, so a caller that needs them reads
   * them.
   */
  public static boolean carriesComments(JsonNode incident) {
    JsonNode resource =
        incident != null && incident.has("object") ? incident.get("object") : incident;
    return resource != null && resource.path("properties").path("comments").isArray();
  }

  /** Comments as {@code GET .../incidents/{id}/comments} lists them, oldest first. */
  public static List<IncidentComment> comments(List<? extends JsonNode> listed) {
    ObjectNode holder = Json.UPSTREAM.createObjectNode();
    holder.putArray("comments").addAll(listed);
    return comments(new Reader(holder, "comments"));
  }

  /**
   * Comments as the REST API and the trigger body give them ({@code name} and {@code
   * properties.message/createdTimeUtc/author}), or flattened; oldest first. A comment without a
   * message is skipped rather than refusing the incident.
   */
  private static List<IncidentComment> comments(Reader props) {
    List<JsonNode> nodes = props.array("comments");
    List<IncidentComment> comments = new ArrayList<>(nodes.size());
    for (int i = 0; i < nodes.size(); i++) {
      JsonNode node = nodes.get(i);
      if (!node.isObject()) {
        continue;
      }
      Reader comment = new Reader(node, props.path("comments[" + i + "]"));
      Reader fields = node.path("properties").isObject() ? comment.object("properties") : comment;
      String message = fields.text("message");
      if (message == null) {
        continue;
      }
      Reader author = fields.object("author");
      String by =
          author.isEmpty()
              ? null
              : firstNonNull(
                  author.text("email"), author.text("userPrincipalName"), author.text("name"));
      String id = firstNonNull(comment.text("name"), comment.text("id"));
      comments.add(new IncidentComment(id, message, by, fields.instant("createdTimeUtc")));
    }
    comments.sort(
        Comparator.comparing(
            IncidentComment::createdAt, Comparator.nullsFirst(Comparator.naturalOrder())));
    return comments;
  }

  private static String firstNonNull(String... values) {
    for (String value : values) {
      if (value != null) {
        return value;
      }
    }
    return null;
  }

  private static IncidentOwner owner(Reader owner) {
    if (owner.isEmpty()) {
      return null;
    }
    return new IncidentOwner(
        owner.text("objectId"),
        owner.text("email"),
        owner.text("assignedTo"),
        owner.text("userPrincipalName"));
  }

  private static List<String> labels(Reader props) {
    List<String> names = new ArrayList<>();
    List<JsonNode> labels = props.array("labels");
    for (int i = 0; i < labels.size(); i++) {
      JsonNode label = labels.get(i);
      // The REST API gives {labelName, labelType}; hand-built bodies sometimes give the name alone.
      if (label.isTextual()) {
        names.add(label.asText());
      } else {
        String name = new Reader(label, props.path("labels[" + i + "]")).text("labelName");
        if (name != null) {
          names.add(name);
        }
      }
    }
    return names;
  }

  private static List<IncidentEntity> entities(Reader props) {
    List<JsonNode> nodes = props.array("relatedEntities");
    List<IncidentEntity> entities = new ArrayList<>(nodes.size());
    for (int i = 0; i < nodes.size(); i++) {
      entities.add(entity(nodes.get(i), props.path("relatedEntities[" + i + "]")));
    }
    return entities;
  }

  private static IncidentEntity entity(JsonNode node, String path) {
    if (!node.isObject()) {
      throw InvalidInputException.of(path, "must be an entity (a JSON object with 'kind')");
    }
    Reader entity = new Reader(node, path);
    String kind = entity.text("kind");
    if (kind == null) {
      throw InvalidInputException.of(
          path + ".kind", "required: the entity kind (Ip, Host, Account, Url, ...)");
    }
    ObjectNode fields;
    JsonNode nested = node.get("properties");
    if (nested != null && nested.isObject()) {
      fields = ((ObjectNode) nested).deepCopy();
    } else if (nested != null && !nested.isNull()) {
      throw InvalidInputException.of(path + ".properties", "must be a JSON object");
    } else {
      fields = JsonNodeFactory.instance.objectNode();
      Iterator<Map.Entry<String, JsonNode>> all = node.fields();
      while (all.hasNext()) {
        Map.Entry<String, JsonNode> field = all.next();
        if (!RESOURCE_FIELDS.contains(field.getKey())) {
          fields.set(field.getKey(), field.getValue().deepCopy());
        }
      }
    }
    JsonNode friendly = fields.get("friendlyName");
    return new IncidentEntity(
        kind, friendly != null && friendly.isTextual() ? friendly.asText() : null, fields);
  }

  /** Typed reads of one JSON object's fields, each failure naming the field's full path. */
  private record Reader(JsonNode node, String base) {
    Reader {
      if (node != null && !node.isNull() && !node.isObject()) {
        throw InvalidInputException.of(base, "must be a JSON object");
      }
    }

    boolean isEmpty() {
      return node == null || node.isNull();
    }

    String path(String field) {
      return base + "." + field;
    }

    InvalidInputException invalid(String field, String message) {
      return InvalidInputException.of(path(field), message);
    }

    private Optional<JsonNode> get(String field) {
      return isEmpty()
          ? Optional.empty()
          : Optional.ofNullable(node.get(field)).filter(value -> !value.isNull());
    }

    String text(String field) {
      Optional<JsonNode> value = get(field);
      if (value.isEmpty()) {
        return null;
      }
      if (!value.get().isTextual()) {
        throw invalid(field, "must be a string");
      }
      String text = value.get().asText().strip();
      return text.isEmpty() ? null : text;
    }

    Long number(String field) {
      Optional<JsonNode> value = get(field);
      if (value.isEmpty()) {
        return null;
      }
      if (value.get().canConvertToLong() && value.get().isIntegralNumber()) {
        return value.get().longValue();
      }
      if (value.get().isTextual() && value.get().asText().strip().matches("[0-9]{1,18}")) {
        return Long.parseLong(value.get().asText().strip());
      }
      throw invalid(field, "must be a whole number");
    }

    Instant instant(String field) {
      String text = text(field);
      try {
        return text == null ? null : Instant.parse(text);
      } catch (DateTimeParseException e) {
        throw invalid(field, "must be an ISO-8601 UTC time such as 2019-01-01T13:15:30Z");
      }
    }

    Reader object(String field) {
      return new Reader(get(field).orElse(null), path(field));
    }

    List<JsonNode> array(String field) {
      Optional<JsonNode> value = get(field);
      if (value.isEmpty()) {
        return List.of();
      }
      if (!value.get().isArray()) {
        throw invalid(field, "must be a list");
      }
      List<JsonNode> items = new ArrayList<>(value.get().size());
      value.get().forEach(items::add);
      return items;
    }

    List<String> texts(String field) {
      List<JsonNode> items = array(field);
      List<String> texts = new ArrayList<>(items.size());
      for (int i = 0; i < items.size(); i++) {
        if (!items.get(i).isTextual()) {
          throw InvalidInputException.of(path(field) + "[" + i + "]", "must be a string");
        }
        texts.add(items.get(i).asText());
      }
      return texts;
    }
  }
}
