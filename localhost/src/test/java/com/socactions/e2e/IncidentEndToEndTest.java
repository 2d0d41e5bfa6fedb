package com.socactions.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.socactions.enrichment.rdap.FakeRdapServer;
import com.socactions.platform.Json;
import com.socactions.sentinel.SentinelExamples;
import com.socactions.testing.Azurite;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code EnrichIncident} as a playbook calls it: the trigger body as is, over HTTP through the
 * local host.
 */
@ExtendWith(Azurite.class)
class IncidentEndToEndTest {
  private static FakeRdapServer rdap;
  private static RunningConnector connector;

  @BeforeAll
  static void start() throws Exception {
    rdap = FakeRdapServer.start();
    connector = new RunningConnector(RunningConnector.enrichmentSettings(rdap));
  }

  @AfterAll
  static void stop() {
    connector.close();
    rdap.close();
  }

  /**
   * The recorded incident (severity Low) with the recorded entities and some the sample CMDB and
   * GeoIP know.
   */
  static ObjectNode triggerBody() {
    List<ObjectNode> entities = new ArrayList<>(SentinelExamples.recordedEntities());
    entities.add(SentinelExamples.entity("Ip", "address", "81.2.69.142"));
    entities.add(
        SentinelExamples.flattened(
            SentinelExamples.entity("Host", "hostName", "dc01", "dnsDomain", "contoso.com")));
    entities.add(
        SentinelExamples.entity("Account", "accountName", "ceo", "upnSuffix", "contoso.com"));
    entities.add(SentinelExamples.entity("Url", "url", "https://www.google.com/"));
    ObjectNode object = SentinelExamples.object(entities);
    ((ObjectNode) object.get("properties")).put("severity", "Low");
    return SentinelExamples.triggerBody(object);
  }

  static String request(JsonNode incident) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.set("incident", incident);
    return body.toString();
  }

  @Test
  void aTriggerBodyBecomesTagsASeveritySuggestionAndOneCommentInOneCall() {
    HttpResponse<String> response = connector.post("v1/incidents/enrich", request(triggerBody()));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("x-correlation-id")).isPresent();
    JsonNode answer = RunningConnector.json(response);
    assertThat(answer.get("incident_number").asLong()).isEqualTo(3177);
    assertThat(answer.get("tags").toString()).isEqualTo("[\"asset:critical\",\"geo:GB\",\"vip\"]");
    assertThat(answer.get("severity").asText()).isEqualTo("Low");
    assertThat(answer.get("suggested_severity").asText()).isEqualTo("High");
    assertThat(answer.get("ips").findValuesAsText("ip")).containsExactly("10.3.2.8", "81.2.69.142");
    assertThat(answer.get("accounts").get(1).get("is_vip").asBoolean()).isTrue();
    assertThat(answer.get("urls").get(0).get("registration").get("registrable_domain").asText())
        .isEqualTo("google.com");
    assertThat(answer.get("errors")).isEmpty();
    assertThat(answer.get("comment_html").asText())
        .contains("Suggested severity: <b>High</b>")
        .contains("dc01");
  }

  @Test
  void anIncidentWithoutEntitiesIsAnsweredNotRefused() {
    HttpResponse<String> response =
        connector.post("v1/incidents/enrich", request(SentinelExamples.incidentResource()));

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode answer = RunningConnector.json(response);
    assertThat(answer.get("ips")).isEmpty();
    assertThat(answer.get("tags")).isEmpty();
    assertThat(answer.get("comment_html").asText()).contains("has no entities");
  }

  @Test
  void moreThanFiveHundredEntitiesAre413NamingTheIncident() {
    List<ObjectNode> entities = new ArrayList<>();
    for (int i = 0; i < 501; i++) {
      entities.add(SentinelExamples.entity("Ip", "address", "10.0." + (i / 256) + "." + (i % 256)));
    }

    HttpResponse<String> response =
        connector.post(
            "v1/incidents/enrich",
            request(SentinelExamples.triggerBody(SentinelExamples.object(entities))));

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(RunningConnector.json(response).get("errors").findValuesAsText("field"))
        .containsExactly("incident");
  }

  @Test
  void anIncidentOfTheWrongShapeIs400NamingTheField() {
    HttpResponse<String> response =
        connector.post("v1/incidents/enrich", "{\"incident\": {\"object\": {\"title\": \"x\"}}}");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(RunningConnector.json(response).get("errors").findValuesAsText("field"))
        .containsExactly("incident.object.properties");
  }
}
