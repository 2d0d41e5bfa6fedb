package com.socactions.sentinel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.socactions.platform.FieldError;
import com.socactions.platform.InvalidInputException;
import com.socactions.platform.Json;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class IncidentsTest {
  private static final String ID =
      "/subscriptions/d0cfe6b2-9ac0-4464-9919-dccaee2e48c0/resourceGroups/myRg/providers/"
          + "Microsoft.OperationalInsights/workspaces/myWorkspace/providers/Microsoft.SecurityInsights/incidents/"
          + "73e01a99-5cd7-4139-a149-9f2736ff2ab5";

  @Test
  void aTriggerBodyBuiltFromTheRecordedExamplesGivesEveryIncidentField() {
    Incident incident =
        Incidents.parse(
            SentinelExamples.triggerBody(
                SentinelExamples.object(SentinelExamples.recordedEntities())),
            "incident");

    assertThat(incident.id()).isEqualTo(ID);
    assertThat(incident.name()).isEqualTo("73e01a99-5cd7-4139-a149-9f2736ff2ab5");
    assertThat(incident.etag()).isEqualTo("\"0300bf09-0000-0000-0000-5c37296e0000\"");
    assertThat(incident.title()).isEqualTo("My incident");
    assertThat(incident.description()).isEqualTo("This is a demo incident");
    assertThat(incident.severity()).isEqualTo(IncidentSeverity.HIGH);
    assertThat(incident.status()).isEqualTo(IncidentStatus.CLOSED);
    assertThat(incident.classification()).isEqualTo("FalsePositive");
    assertThat(incident.classificationReason()).isEqualTo("InaccurateData");
    assertThat(incident.owner())
        .isEqualTo(
            new IncidentOwner(
                "2046feea-040d-4a46-9e2b-91c2941bfa70",
                "john.doe@contoso.com",
                "john doe",
                "john@contoso.com"));
    assertThat(incident.labels()).isEmpty();
    assertThat(incident.incidentNumber()).isEqualTo(3177L);
    assertThat(incident.incidentUrl())
        .startsWith("https://portal.azure.com/#asset/Microsoft_Azure_Security_Insights/Incident/");
    assertThat(incident.createdTimeUtc()).isEqualTo(Instant.parse("2019-01-01T13:15:30Z"));
    assertThat(incident.lastModifiedTimeUtc()).isEqualTo(Instant.parse("2019-01-01T13:15:30Z"));
    assertThat(incident.tactics()).containsExactly("InitialAccess", "Persistence");
    assertThat(incident.alertProductNames()).isEmpty();
    assertThat(incident.entities())
        .extracting(IncidentEntity::kind)
        .containsExactly("Account", "Host", "File", "Ip");
    assertThat(incident.entities())
        .extracting(IncidentEntity::friendlyName)
        .containsExactly("administrator", "vm1", "cmd.exe", "10.3.2.8");
    assertThat(incident.entities().get(0).text("upnSuffix")).hasValue("contoso");
    assertThat(incident.entities().get(3).text("address")).hasValue("10.3.2.8");
  }

  @Test
  void theObjectAloneAndTheTriggerBodyGiveTheSameIncident() {
    ObjectNode object = SentinelExamples.object(SentinelExamples.recordedEntities());

    assertThat(Incidents.parse(object, "incident"))
        .isEqualTo(Incidents.parse(SentinelExamples.triggerBody(object), "incident"));
  }

  @Test
  void theRestIncidentResourceParsesWithNoEntities() {
    Incident incident = Incidents.parse(SentinelExamples.incidentResource(), "incident");

    assertThat(incident.id()).isEqualTo(ID);
    assertThat(incident.incidentNumber()).isEqualTo(3177L);
    assertThat(incident.entities()).isEmpty();
  }

  @Test
  void flattenedEntitiesReadLikeEntitiesWithProperties() {
    List<ObjectNode> flat =
        SentinelExamples.recordedEntities().stream().map(SentinelExamples::flattened).toList();

    Incident nested =
        Incidents.parse(SentinelExamples.object(SentinelExamples.recordedEntities()), "incident");
    Incident flattened =
        Incidents.parse(SentinelExamples.triggerBody(SentinelExamples.object(flat)), "incident");

    assertThat(flattened.entities()).isEqualTo(nested.entities());
    assertThat(flattened.entities().get(0).properties().has("id")).isFalse();
  }

  @Test
  void labelsGiveTheirNames() {
    ObjectNode object = SentinelExamples.object(List.of());
    ObjectNode label = ((ObjectNode) object.get("properties")).putArray("labels").addObject();
    label.put("labelName", "phishing");
    label.put("labelType", "User");

    assertThat(Incidents.parse(object, "incident").labels()).containsExactly("phishing");
  }

  @Test
  void somethingThatIsNotAnIncidentIsRefusedNamingTheField() {
    assertInvalid(null, "incident");
    assertInvalid(Json.MAPPER.getNodeFactory().textNode("3177"), "incident");
    assertInvalid(
        Json.MAPPER.createObjectNode().put("title", "no properties"), "incident.properties");
    ObjectNode wrapper = Json.MAPPER.createObjectNode();
    wrapper.put("object", "not an object");
    assertInvalid(wrapper, "incident.object");
    wrapper.putObject("object").put("properties", 7);
    assertInvalid(wrapper, "incident.object.properties");
  }

  @Test
  void malformedFieldsAndEntitiesAreRefusedNamingTheirPath() {
    ObjectNode object =
        SentinelExamples.object(List.of(SentinelExamples.entity("Ip", "address", "1.2.3.4")));
    ObjectNode properties = (ObjectNode) object.get("properties");

    ObjectNode noKind = properties.withArray("relatedEntities").addObject();
    noKind.put("address", "5.6.7.8");
    assertInvalid(
        SentinelExamples.triggerBody(object.deepCopy()),
        "incident.object.properties.relatedEntities[1].kind");

    properties
        .withArray("relatedEntities")
        .set(1, Json.MAPPER.getNodeFactory().textNode("5.6.7.8"));
    assertInvalid(object, "incident.properties.relatedEntities[1]");

    properties.withArray("relatedEntities").remove(1);
    properties.put("severity", "Catastrophic");
    assertInvalid(object, "incident.properties.severity");

    properties.put("severity", "medium");
    properties.put("incidentNumber", "three");
    assertInvalid(object, "incident.properties.incidentNumber");

    properties.put("incidentNumber", "3177");
    properties.put("relatedEntities", "1.2.3.4");
    assertInvalid(object, "incident.properties.relatedEntities");
  }

  private static void assertInvalid(JsonNode node, String field) {
    assertThatThrownBy(() -> Incidents.parse(node, "incident"))
        .isInstanceOf(InvalidInputException.class)
        .satisfies(
            e ->
                assertThat(((InvalidInputException) e).errors())
                    .extracting(FieldError::field)
                    .containsExactly(field));
  }
}
