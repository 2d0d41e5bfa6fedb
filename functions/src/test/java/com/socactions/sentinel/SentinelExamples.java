package com.socactions.sentinel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.socactions.platform.Json;
import com.socactions.testing.SharedFixtures;
import java.util.List;

/**
 * Incident trigger bodies built from Microsoft's recorded REST examples ({@code
 * shared/fixtures/sentinel/rest-api-examples/}): no complete real trigger body is published, but
 * its {@code object} has the incident resource's shape and its {@code relatedEntities} the entity
 * objects' shape (see {@code SOURCES.md}).
 */
public final class SentinelExamples {
  private static final String DIR = "sentinel/rest-api-examples/";

  private SentinelExamples() {}

  /** The 200 body of an example file, e.g. {@code GetIncidentById.json}. */
  public static ObjectNode body(String file) {
    try {
      return (ObjectNode)
          Json.MAPPER
              .readTree(SharedFixtures.read(DIR + file))
              .path("responses")
              .path("200")
              .path("body");
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(file, e);
    }
  }

  /** The recorded incident resource (GetIncidentById), with no entities. */
  public static ObjectNode incidentResource() {
    return body("GetIncidentById.json");
  }

  /** The recorded entities: GetEntities' Account, Host and File, and GetIpEntityById's Ip. */
  public static List<ObjectNode> recordedEntities() {
    ArrayNode listed = (ArrayNode) body("GetEntities.json").get("value");
    return List.of(
        (ObjectNode) listed.get(0),
        (ObjectNode) listed.get(1),
        (ObjectNode) listed.get(2),
        body("GetIpEntityById.json"));
  }

  /** The incident resource as {@code object}, with these entities as {@code relatedEntities}. */
  public static ObjectNode object(List<? extends JsonNode> entities) {
    ObjectNode object = incidentResource().deepCopy();
    ArrayNode related = ((ObjectNode) object.get("properties")).putArray("relatedEntities");
    entities.forEach(entity -> related.add(entity.deepCopy()));
    ((ObjectNode) object.get("properties")).putArray("comments");
    ((ObjectNode) object.get("properties")).putArray("alerts");
    return object;
  }

  /**
   * The whole Logic Apps trigger body around {@code object}: the wrapper fields SOURCES.md lists.
   */
  public static ObjectNode triggerBody(ObjectNode object) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("eventUniqueId", "1f0a8c4e-7a55-4c1b-9d3e-7e2f3d1c9a10");
    body.put("objectSchemaType", "Incident");
    body.put("objectEventType", "Create");
    ObjectNode workspace = body.putObject("workspaceInfo");
    workspace.put("SubscriptionId", "d0cfe6b2-9ac0-4464-9919-dccaee2e48c0");
    workspace.put("ResourceGroupName", "myRg");
    workspace.put("WorkspaceName", "myWorkspace");
    body.put("workspaceId", "70fbdad0-7441-4564-b2b5-2b8862d0fee0");
    body.set("object", object);
    return body;
  }

  /** An entity in the REST shape: {@code kind} and {@code properties}. */
  public static ObjectNode entity(String kind, String... fieldsAndValues) {
    ObjectNode entity = Json.MAPPER.createObjectNode();
    entity.put("kind", kind);
    ObjectNode properties = entity.putObject("properties");
    for (int i = 0; i + 1 < fieldsAndValues.length; i += 2) {
      properties.put(fieldsAndValues[i], fieldsAndValues[i + 1]);
    }
    return entity;
  }

  /** The same entity flattened, as Logic Apps often delivers it: fields beside {@code kind}. */
  public static ObjectNode flattened(ObjectNode entity) {
    ObjectNode flat = Json.MAPPER.createObjectNode();
    entity
        .fields()
        .forEachRemaining(
            field -> {
              if (!field.getKey().equals("properties")) {
                flat.set(field.getKey(), field.getValue().deepCopy());
              }
            });
    entity
        .path("properties")
        .fields()
        .forEachRemaining(field -> flat.set(field.getKey(), field.getValue().deepCopy()));
    return flat;
  }
}
