package com.socactions.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.socactions.platform.FakeManagedIdentityEndpoint;
import com.socactions.platform.Json;
import com.socactions.platform.Settings;
import com.socactions.platform.TableStorage;
import com.socactions.platform.UpstreamPolicy;
import com.socactions.sentinel.FakeSentinelApi;
import com.socactions.sentinel.SentinelClient;
import com.socactions.sentinel.SentinelExamples;
import com.socactions.servicenow.FakeServiceNow;
import com.socactions.servicenow.ServiceNowSettings;
import com.socactions.testing.Azurite;
import com.socactions.testing.TestKit;
import com.socactions.tickets.ServiceNowWebhook;
import com.socactions.tickets.jira.FakeJira;
import com.socactions.tickets.jira.JiraClient;
import com.socactions.tickets.jira.JiraSettings;
import com.socactions.tickets.jira.JiraWebhook;
import com.socactions.tickets.jira.StatusCategory;
import com.socactions.tickets.jira.StatusTarget;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Ticket sync as playbooks and the ITSMs drive it, over HTTP through the local host: the incident
 * trigger body to SyncTicket, the ticket changed in the ITSM, its signed webhook back, and the
 * Sentinel incident changed through the REST API with the app's managed identity. Fakes of
 * ServiceNow, Jira Cloud, Sentinel and the identity endpoint; links in Azurite.
 */
@ExtendWith(Azurite.class)
class TicketSyncEndToEndTest {
  private static final String SERVICENOW_SECRET = "e2e-servicenow-secret";
  private static final String JIRA_SECRET = "e2e-jira-secret";
  private static FakeServiceNow serviceNow;
  private static FakeJira jira;
  private static FakeSentinelApi sentinel;
  private static FakeManagedIdentityEndpoint identity;
  private static Map<String, String> settings;
  private static RunningConnector connector;

  @BeforeAll
  static void start() throws Exception {
    serviceNow = FakeServiceNow.start("soc.actions", "e2e-pw");
    jira = FakeJira.start("soc@contoso.com", "e2e-jira-token", "SEC");
    sentinel = FakeSentinelApi.start("none");
    identity = FakeManagedIdentityEndpoint.start(Clock.systemUTC());
    sentinel.acceptToken(FakeManagedIdentityEndpoint.tokenFor(sentinel.baseUrl()));
    settings = new HashMap<>(identity.settings());
    settings.put(TableStorage.CONNECTION_SETTING, Azurite.connectionString());
    settings.put(SentinelClient.MANAGEMENT_URL_SETTING, sentinel.baseUrl());
    settings.put(ServiceNowSettings.URL, serviceNow.url());
    settings.put(ServiceNowSettings.USER, "soc.actions");
    settings.put(ServiceNowSettings.PASSWORD_SETTING, "e2e-pw");
    settings.put(ServiceNowWebhook.SECRET_SETTING, SERVICENOW_SECRET);
    settings.put(JiraSettings.URL, jira.url());
    settings.put(JiraSettings.EMAIL, "soc@contoso.com");
    settings.put(JiraSettings.API_TOKEN_SETTING, "e2e-jira-token");
    settings.put(JiraSettings.PROJECT, "SEC");
    settings.put(JiraWebhook.SECRET_SETTING, JIRA_SECRET);
    connector = new RunningConnector(settings);
  }

  @AfterAll
  static void stop() throws Exception {
    connector.close();
    serviceNow.close();
    jira.close();
    sentinel.close();
    identity.close();
  }

  @Test
  void aServiceNowTicketIsMadeOnceAndClosingItClosesTheIncident() {
    String incidentId = activeIncident();
    JsonNode created = RunningConnector.json(sync(incidentId, "servicenow"));
    JsonNode again = RunningConnector.json(sync(incidentId, "servicenow"));

    assertThat(created.path("action").asText()).isEqualTo("created");
    assertThat(again.path("action").asText()).isEqualTo("unchanged");
    String sysId = created.path("ticket_id").asText();
    assertThat(serviceNow.requests())
        .filteredOn(
            r ->
                r.getMethod().equals("POST")
                    && r.getUrl().encodedPath().equals("/api/now/table/incident"))
        .hasSize(1);

    serviceNow.agentUpdate(
        "incident",
        sysId,
        Map.of("state", "6", "close_code", "Solution provided", "close_notes", "Reimaged"),
        "User confirmed the phishing mail",
        "itil.agent");
    HttpResponse<String> webhook = serviceNowWebhook(sysId, SERVICENOW_SECRET);

    assertThat(webhook.statusCode()).isEqualTo(200);
    assertThat(RunningConnector.json(webhook).path("changes").toString())
        .contains("closed", "comments:1");
    JsonNode incident = sentinel.incident(incidentId).path("properties");
    assertThat(incident.path("status").asText()).isEqualTo("Closed");
    assertThat(incident.path("classification").asText()).isEqualTo("TruePositive");
    assertThat(sentinel.comments(incidentId))
        .extracting(c -> c.path("properties").path("message").asText())
        .anySatisfy(
            message ->
                assertThat(message).startsWith("[From ServiceNow ").contains("phishing mail"));
    JsonNode link = RunningConnector.json(connector.get("v1/tickets?incident_id=" + incidentId));
    assertThat(link.path("ticket_number").asText())
        .isEqualTo(created.path("ticket_number").asText());
    assertThat(link.path("tickets").path(0).path("last_inbound_status").asText())
        .isEqualTo("Closed");
  }

  @Test
  void aWebhookSignedWithAnotherSecretIsA401AndChangesNothing() {
    String incidentId = activeIncident();
    String sysId = RunningConnector.json(sync(incidentId, "servicenow")).path("ticket_id").asText();
    serviceNow.agentUpdate(
        "incident",
        sysId,
        Map.of("state", "6", "close_code", "Solution provided"),
        null,
        "itil.agent");
    int writes = sentinel.writes();

    HttpResponse<String> forged = serviceNowWebhook(sysId, "guessed-secret");

    assertThat(forged.statusCode()).isEqualTo(401);
    assertThat(forged.body()).isEmpty();
    assertThat(sentinel.writes()).isEqualTo(writes);
    assertThat(sentinel.incident(incidentId).path("properties").path("status").asText())
        .isEqualTo("Active");
  }

  @Test
  void aJiraIssueMovedToDoneClosesTheIncidentAndItsReplayChangesNothing() {
    String incidentId = activeIncident();
    JsonNode created = RunningConnector.json(sync(incidentId, "jira"));
    assertThat(created.path("action").asText()).isEqualTo("created");
    String key = created.path("ticket_number").asText();
    JiraClient agent =
        JiraClient.create(
            TestKit.kit(),
            JiraSettings.from(Settings.of(settings)),
            UpstreamPolicy.Options.defaults(),
            JiraClient.DEFAULT_SEARCH_PAGE_SIZE);
    agent.moveTo(key, StatusTarget.category(StatusCategory.DONE), null);
    String body = jiraEvent(created.path("ticket_id").asText(), key);
    String delivery = UUID.randomUUID().toString();

    HttpResponse<String> first = jiraWebhook(body, delivery, JIRA_SECRET);
    int writes = sentinel.writes();
    HttpResponse<String> replay = jiraWebhook(body, delivery, JIRA_SECRET);

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(RunningConnector.json(first).path("changes").toString()).contains("closed");
    assertThat(sentinel.incident(incidentId).path("properties").path("status").asText())
        .isEqualTo("Closed");
    assertThat(RunningConnector.json(replay).path("changes").toString()).contains("replay");
    assertThat(sentinel.writes()).isEqualTo(writes);
    assertThat(jiraWebhook(body, UUID.randomUUID().toString(), "guessed-secret").statusCode())
        .isEqualTo(401);
  }

  /** A new Active incident in the fake Sentinel, from the recorded one: its ARM id. */
  private static String activeIncident() {
    ObjectNode incident = SentinelExamples.incidentResource();
    String guid = UUID.randomUUID().toString();
    String id = incident.path("id").asText().replaceAll("[^/]+$", guid);
    incident.put("id", id);
    incident.put("name", guid);
    ObjectNode properties = (ObjectNode) incident.path("properties");
    properties.put("status", "Active");
    properties.remove(List.of("classification", "classificationReason", "classificationComment"));
    sentinel.seed(incident);
    return id;
  }

  /**
   * SyncTicket with the incident as the trigger delivers it (its object is the incident resource).
   */
  private static HttpResponse<String> sync(String incidentId, String system) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.set("incident", SentinelExamples.triggerBody(sentinel.incident(incidentId).deepCopy()));
    body.put("system", system);
    return connector.post("v1/tickets/sync", body.toString());
  }

  private static HttpResponse<String> serviceNowWebhook(String sysId, String secret) {
    byte[] bytes =
        ("{\"sys_id\":\"" + sysId + "\",\"table\":\"incident\"}").getBytes(StandardCharsets.UTF_8);
    String timestamp = Long.toString(Instant.now().getEpochSecond());
    return connector.send(
        HttpRequest.newBuilder(connector.uri("v1/tickets/inbound/servicenow"))
            .header("x-functions-key", RunningConnector.KEY)
            .header("Content-Type", "application/json")
            .header(ServiceNowWebhook.TIMESTAMP_HEADER, timestamp)
            .header(
                ServiceNowWebhook.SIGNATURE_HEADER,
                new ServiceNowWebhook(secret).signature(timestamp, bytes))
            .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)));
  }

  private static HttpResponse<String> jiraWebhook(String body, String deliveryId, String secret) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return connector.send(
        HttpRequest.newBuilder(connector.uri("v1/tickets/inbound/jira"))
            .header("x-functions-key", RunningConnector.KEY)
            .header("Content-Type", "application/json")
            .header(JiraWebhook.SIGNATURE_HEADER, new JiraWebhook(secret).signature(bytes))
            .header(JiraWebhook.IDENTIFIER_HEADER, deliveryId)
            .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)));
  }

  /** A {@code jira:issue_updated} event as Jira Cloud sends it, shaped like the recorded one. */
  private static String jiraEvent(String issueId, String key) {
    ObjectNode event =
        (ObjectNode)
            Json.MAPPER.valueToTree(
                Map.of(
                    "timestamp",
                    Instant.now().toEpochMilli(),
                    "webhookEvent",
                    "jira:issue_updated",
                    "issue_event_type_name",
                    "issue_generic"));
    ObjectNode issue = event.putObject("issue");
    issue.put("id", issueId);
    issue.put("key", key);
    issue.putObject("fields").putObject("status").put("name", "Done");
    ObjectNode item = event.putObject("changelog").put("id", "1").putArray("items").addObject();
    item.put("field", "status")
        .put("fieldtype", "jira")
        .put("fromString", "To Do")
        .put("toString", "Done");
    return event.toString();
  }
}
