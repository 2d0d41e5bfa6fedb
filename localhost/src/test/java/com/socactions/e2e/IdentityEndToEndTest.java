package com.socactions.e2e;

import static com.socactions.e2e.RunningConnector.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.socactions.graph.FakeGraph;
import com.socactions.platform.FakeManagedIdentityEndpoint;
import com.socactions.testing.Azurite;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A playbook disables accounts through the local host: the app's own credential chain (App Service
 * managed identity) against a fake token endpoint, the fake Graph accepting only the token issued
 * for it, the ledger on Azurite, and {@code PROTECTED_ACCOUNTS} from the settings. The connector's
 * own object id is not set: it comes from the {@code oid} of the Graph token, as in Azure.
 */
@ExtendWith(Azurite.class)
class IdentityEndToEndTest {
  private static final String ADELE = "87d349ed-44d7-43e1-9a83-5f2406dee5bd";
  private static final String BREAK_GLASS = "33333333-0000-0000-0000-000000000001";
  private static final String SELF = FakeManagedIdentityEndpoint.PRINCIPAL_ID;

  private FakeManagedIdentityEndpoint identity;
  private FakeGraph graph;
  private RunningConnector connector;

  @BeforeEach
  void start() throws Exception {
    identity = FakeManagedIdentityEndpoint.start(Clock.systemUTC());
    graph =
        FakeGraph.start(FakeManagedIdentityEndpoint::tokenFor)
            .seedRecorded()
            .addUser(BREAK_GLASS, "breakglass-e2e@contoso.com")
            // Resolvable as a user only so the guardrail, not Graph's 404, is what stops it.
            .addUser(SELF, "soc-actions-mi@contoso.com");
    Map<String, String> settings = new HashMap<>(identity.settings());
    settings.put("STATE_STORAGE_CONNECTION", Azurite.connectionString());
    settings.put("GRAPH_URL", graph.baseUrl());
    settings.put("PROTECTED_ACCOUNTS", "breakglass-e2e@contoso.com");
    settings.put("RDAP_BOOTSTRAP_URL", "http://127.0.0.1:9/");
    connector = new RunningConnector(settings);
  }

  @AfterEach
  void stop() throws Exception {
    connector.close();
    graph.close();
    identity.close();
  }

  @Test
  void disableAccountsDisablesRevokesRefusesTheProtectedAccountAndAnswersAlreadyDisabledOnARerun() {
    String body =
        "{\"accounts\": [\"AdeleV@contoso.com\", \"breakglass-e2e@contoso.com\","
            + " \"CONTOSO\\\\adele\"], \"revoke_sessions\": true, \"reason\": \"token theft\","
            + " \"requested_by\": \"analyst@contoso.com\"}";

    HttpResponse<String> first = connector.post("v1/accounts/disable", body);

    assertThat(first.statusCode()).isEqualTo(200);
    JsonNode results = json(first).get("results");
    assertThat(results.findValuesAsText("status"))
        .containsExactly("disabled", "refused", "unsupported");
    assertThat(results.get(0).path("user_id").asText()).isEqualTo(ADELE);
    assertThat(results.get(0).path("sessions_revoked").asBoolean()).isTrue();
    assertThat(results.get(1).path("reason").asText()).isEqualTo("protected");
    assertThat(json(first).path("comment_html").asText()).contains("breakglass-e2e@contoso.com");
    assertThat(graph.user(ADELE).path("accountEnabled").asBoolean()).isFalse();
    assertThat(graph.user(BREAK_GLASS).path("accountEnabled").asBoolean()).isTrue();

    HttpResponse<String> again = connector.post("v1/accounts/disable", body);

    assertThat(json(again).get("results").get(0).path("status").asText())
        .isEqualTo("already_disabled");
    assertThat(graph.inner()).filteredOn(inner -> inner.method().equals("PATCH")).hasSize(1);
  }

  @Test
  void theIdentityTheConnectorRunsAsIsNeverDisabledEvenWithAJustifiedOverride() {
    String body =
        "{\"accounts\": [\""
            + SELF
            + "\", \"soc-actions-mi@contoso.com\", \"AdeleV@contoso.com\"],"
            + " \"reason\": \"compromised\", \"override_guardrails\": true,"
            + " \"justification\": \"IR lead approved\"}";

    HttpResponse<String> response = connector.post("v1/accounts/disable", body);

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode results = json(response).get("results");
    assertThat(results.findValuesAsText("status"))
        .containsExactly("refused", "refused", "disabled");
    assertThat(results.get(0).path("reason").asText()).isEqualTo("self");
    assertThat(results.get(1).path("reason").asText()).isEqualTo("self");
    assertThat(results.get(0).path("detail").asText())
        .contains("the identity this connector runs as");
    assertThat(graph.user(SELF).path("accountEnabled").asBoolean()).isTrue();
    assertThat(graph.user(ADELE).path("accountEnabled").asBoolean()).isFalse();
    assertThat(identity.requests())
        .as("the connector asked its token endpoint for a Graph token")
        .anySatisfy(
            request ->
                assertThat(request.getUrl().queryParameter("resource")).isEqualTo(graph.baseUrl()));
  }

  @Test
  void hostileAccountStringsAnswerPerItemThroughTheHostNeverA500() {
    String body =
        "{\"accounts\": [\"bob@contoso.com\\u0000\", \""
            + "a".repeat(5000)
            + "\", \"x')?$filter=accountEnabled eq true&('@contoso.com\","
            + " \"%2F..%2Fdirectory@contoso.com\", \"../../directoryRoles@contoso.com\"],"
            + " \"reason\": \"hostile\"}";

    HttpResponse<String> response = connector.post("v1/accounts/disable", body);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(json(response).get("results").findValuesAsText("status"))
        .hasSize(5)
        .allSatisfy(status -> assertThat(status).isIn("invalid", "unsupported", "not_found"));
    assertThat(graph.inner())
        .extracting(FakeGraph.Inner::url)
        .allSatisfy(url -> assertThat(url).doesNotContain("'", "/../", "$filter", " "));
  }
}
