package com.socactions.e2e;

import static com.socactions.e2e.RunningConnector.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.socactions.platform.Json;
import com.socactions.servicenow.FakeServiceNow;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code LookupAssets} and {@code LookupAccounts} with {@code provider: servicenow}, as a playbook
 * calls them: over HTTP through the local host, against the stateful ServiceNow fake holding its
 * small CMDB ({@link FakeServiceNow#seedCmdb()}). A connector per test, so the per-key cache of one
 * test never answers another's keys.
 */
class ServiceNowCmdbEndToEndTest {
  private static final String USER = "soc.integration";
  private static final String PASSWORD = "e2e-Pa55-never-shown";
  private static final String ASSETS = "v1/cmdb/assets/lookup";
  private static final String ACCOUNTS = "v1/cmdb/accounts/lookup";

  private FakeServiceNow serviceNow;
  private RunningConnector connector;

  @BeforeEach
  void start() throws Exception {
    serviceNow = FakeServiceNow.start(USER, PASSWORD).seedCmdb();
    connector =
        new RunningConnector(
            Map.of(
                "SERVICENOW_URL",
                serviceNow.url(),
                "SERVICENOW_USER",
                USER,
                "SERVICENOW_PASSWORD",
                PASSWORD));
  }

  @AfterEach
  void stop() {
    connector.close();
    serviceNow.close();
  }

  private static String body(String field, List<String> keys) {
    ObjectNode body = Json.MAPPER.createObjectNode().put("provider", "servicenow");
    ArrayNode list = body.putArray(field);
    keys.forEach(list::add);
    return body.toString();
  }

  private JsonNode lookupAssets(List<String> keys) {
    HttpResponse<String> response = connector.post(ASSETS, body("keys", keys));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json(response).get("assets");
  }

  @Test
  void assetsAreFoundByAddressShortNameAndFqdnInOneTableCall() {
    JsonNode assets =
        lookupAssets(
            List.of("10.20.0.11", "wks042", "db01.corp.contoso.com", "db01", "10.99.99.99"));

    assertThat(assets.findValuesAsText("key"))
        .containsExactly("10.20.0.11", "wks042", "db01.corp.contoso.com", "db01", "10.99.99.99");
    assertThat(assets.findValuesAsText("found"))
        .containsExactly("true", "true", "true", "true", "false");
    JsonNode web = assets.get(0);
    assertThat(web.get("name").asText()).isEqualTo("web01");
    assertThat(web.get("criticality").asText()).isEqualTo("critical");
    assertThat(web.get("is_hva").asBoolean()).isTrue();
    assertThat(web.get("owner").get("email").asText()).isEqualTo("dana.whitfield@contoso.com");
    assertThat(web.get("source").asText()).isEqualTo("servicenow");
    assertThat(web.get("url").asText())
        .startsWith(serviceNow.url() + "/nav_to.do?uri=cmdb_ci.do?sys_id=");
    // A CI named WKS042 is found by its name without case; db01 by its FQDN and by its first label.
    assertThat(assets.get(1).get("name").asText()).isEqualTo("WKS042");
    assertThat(assets.get(2).get("fqdn").asText()).isEqualTo("db01.corp.contoso.com");
    assertThat(assets.get(3).get("fqdn").asText()).isEqualTo("db01.corp.contoso.com");
    assertThat(serviceNow.tableCalls()).isEqualTo(1);
  }

  @Test
  void vipAccountsAreFlaggedByUserNameAndEmail() {
    HttpResponse<String> response =
        connector.post(
            ACCOUNTS,
            body(
                "accounts",
                List.of(
                    "alee",
                    "Alice.Lee@contoso.com",
                    "bob.jones@contoso.com",
                    "nobody@contoso.com")));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode accounts = json(response).get("accounts");
    assertThat(accounts.findValuesAsText("found")).containsExactly("true", "true", "true", "false");
    assertThat(accounts.get(0).get("is_vip").asBoolean()).isTrue();
    assertThat(accounts.get(0).get("display_name").asText()).isEqualTo("Alice Lee");
    assertThat(accounts.get(1).get("is_vip").asBoolean()).isTrue();
    assertThat(accounts.get(2).get("is_vip").asBoolean()).isFalse();
    assertThat(accounts.get(2).get("manager").asText()).isEqualTo("Alice Lee");
    assertThat(serviceNow.tableCalls()).isEqualTo(1);
  }

  @Test
  void aBatchOfAHundredKeysCostsAtMostTwoTableCalls() {
    List<String> keys = new ArrayList<>(List.of("10.20.0.11", "wks042", "db01.corp.contoso.com"));
    for (int i = 0; keys.size() < 100; i++) {
      keys.add(i % 2 == 0 ? "10.77.0." + i : "host" + i + ".corp.contoso.com");
    }

    JsonNode assets = lookupAssets(keys);

    assertThat(assets).hasSize(100);
    assertThat(assets.findValuesAsText("found").stream().filter(Boolean::parseBoolean)).hasSize(3);
    assertThat(serviceNow.tableCalls()).isLessThanOrEqualTo(2);
  }

  @Test
  void aHostileKeyMatchesNothingAndNeverReachesTheQuery() {
    JsonNode alone = lookupAssets(List.of("^ORname=*", "x^NQsys_idISNOTEMPTY"));

    assertThat(alone.findValuesAsText("found")).containsExactly("false", "false");
    assertThat(serviceNow.tableCalls()).isZero(); // a query that can match nothing is not sent

    JsonNode beside = lookupAssets(List.of("^ORname=*", "web01"));

    assertThat(beside.findValuesAsText("found")).containsExactly("false", "true");
    assertThat(serviceNow.tableCalls()).isEqualTo(1);
    String query = serviceNow.requests().get(0).getUrl().queryParameter("sysparm_query");
    assertThat(query).contains("web01").doesNotContain("*").doesNotContain("=");
  }

  @Test
  void refusedCredentialsAre422NamingTheCredentialSettings() {
    connector.close();
    connector =
        new RunningConnector(
            Map.of(
                "SERVICENOW_URL",
                serviceNow.url(),
                "SERVICENOW_USER",
                USER,
                "SERVICENOW_PASSWORD",
                "wrong-password"));

    HttpResponse<String> response = connector.post(ASSETS, body("keys", List.of("web01")));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
    assertThat(json(response).get("detail").asText())
        .contains("SERVICENOW_USER")
        .contains("SERVICENOW_PASSWORD");
    assertThat(response.body()).doesNotContain("wrong-password");
  }

  @Test
  void aLongRetryAfterIsPassedOnAs429WithRetryAfter() {
    serviceNow.failNext(3, 429, Map.of("Retry-After", "120"));

    HttpResponse<String> response = connector.post(ACCOUNTS, body("accounts", List.of("alee")));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(429);
    assertThat(response.headers().firstValue("Retry-After")).contains("120");
    // Too long to wait out inside the call: handed to Logic Apps after one try.
    assertThat(serviceNow.tableCalls()).isEqualTo(1);
  }
}
