package com.socactions.e2e;

import static com.socactions.e2e.RunningConnector.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.socactions.testing.Azurite;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A playbook blocks on the built-in list; a firewall pulls the feed; an analyst reads the ledger.
 */
@ExtendWith(Azurite.class)
class BlockingEndToEndTest {
  private static final String FEED_TOKEN = "e2e-feed-secret";
  private static RunningConnector connector;

  @BeforeAll
  static void start() {
    connector =
        new RunningConnector(
            Map.of(
                "STATE_STORAGE_CONNECTION",
                Azurite.connectionString(),
                "FEED_TOKEN",
                FEED_TOKEN,
                "RDAP_BOOTSTRAP_URL",
                "http://127.0.0.1:9/"));
  }

  @AfterAll
  static void stop() {
    connector.close();
  }

  @Test
  void blocksReachTheFirewallFeedAndAnUnchangedFeedIs304() {
    HttpResponse<String> blocked =
        connector.send(
            HttpRequest.newBuilder(connector.uri("v1/indicators/block"))
                .header("x-functions-key", RunningConnector.KEY)
                .header("Content-Type", "application/json")
                .header("x-ms-workflow-run-id", "08585-e2e-block")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"indicators\": [\"185.220.101.1\","
                            + " \"hxxps://evil[.]example[.]com/login\", \"evil.example.net\","
                            + " \"10.1.2.3\"], \"reason\": \"phishing\", \"requested_by\":"
                            + " \"analyst@contoso.com\"}")));

    assertThat(blocked.statusCode()).isEqualTo(200);
    assertThat(json(blocked).get("results").findValuesAsText("status"))
        .containsExactly("blocked", "blocked", "blocked", "refused");

    HttpResponse<String> ips = feed("block-ip", FEED_TOKEN, null);
    assertThat(ips.statusCode()).isEqualTo(200);
    assertThat(ips.headers().firstValue("content-type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
    assertThat(ips.body().lines()).contains("185.220.101.1").doesNotContain("10.1.2.3");
    assertThat(feed("block-url", FEED_TOKEN, null).body().lines())
        .contains("evil.example.com/login");
    assertThat(feed("block-domain", FEED_TOKEN, null).body().lines()).contains("evil.example.net");

    String etag = ips.headers().firstValue("etag").orElseThrow();
    HttpResponse<String> unchanged = feed("block-ip", FEED_TOKEN, etag);
    assertThat(unchanged.statusCode()).isEqualTo(304);
    assertThat(unchanged.body()).isEmpty();
  }

  @Test
  void theFeedTakesItsSecretAsTheBasicAuthPasswordAndRefusesAWrongOne() {
    String basic =
        "Basic "
            + Base64.getEncoder()
                .encodeToString(("firewall:" + FEED_TOKEN).getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> withBasic =
        connector.send(
            HttpRequest.newBuilder(connector.uri("v1/feeds/block-ip"))
                .header("Authorization", basic)
                .GET());
    HttpResponse<String> wrong = feed("block-ip", "guess", null);
    HttpResponse<String> withFunctionKeyOnly = connector.get("v1/feeds/block-ip");

    assertThat(withBasic.statusCode()).isEqualTo(200);
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.headers().firstValue("www-authenticate"))
        .hasValueSatisfying(value -> assertThat(value).startsWith("Basic"));
    assertThat(withFunctionKeyOnly.statusCode()).isEqualTo(401);
  }

  @Test
  void theLedgerSaysWhoBlockedWhatAndWhy() {
    connector.post(
        "v1/indicators/block",
        "{\"indicators\": [\"185.220.101.2\"], \"reason\": \"c2 beacon\", \"incident_id\":"
            + " \"/subscriptions/s/providers/Microsoft.SecurityInsights/Incidents/7\","
            + " \"requested_by\": \"tier2@contoso.com\"}");

    HttpResponse<String> listed = connector.get("v1/indicators?value=185.220.101.2");

    assertThat(listed.statusCode()).isEqualTo(200);
    JsonNode entry = json(listed).at("/value/0");
    assertThat(entry.get("state").asText()).isEqualTo("active");
    assertThat(entry.get("action").asText()).isEqualTo("block");
    assertThat(entry.get("reason").asText()).isEqualTo("c2 beacon");
    assertThat(entry.get("requested_by").asText()).isEqualTo("tier2@contoso.com");
    assertThat(entry.get("incident_id").asText()).endsWith("/Incidents/7");
    assertThat(entry.get("expires_at").asText()).isNotBlank();
    assertThat(entry.get("history").size()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void anAssetTheCmdbMarksCriticalIsRefusedUnlessAJustifiedOverrideLiftsIt() {
    HttpResponse<String> refused =
        connector.post(
            "v1/indicators/block", "{\"indicators\": [\"dc01.contoso.com\"], \"dry_run\": true}");
    HttpResponse<String> overridden =
        connector.post(
            "v1/indicators/block",
            "{\"indicators\": [\"dc01.contoso.com\"], \"dry_run\": true, \"override_guardrails\":"
                + " true, \"justification\": \"DC is compromised; approved by the CISO\"}");

    assertThat(json(refused).at("/results/0/status").asText()).isEqualTo("refused");
    assertThat(json(refused).at("/results/0/reason").asText()).isEqualTo("critical_asset");
    assertThat(json(refused).at("/results/0/detail").asText()).contains("dc01");
    assertThat(json(overridden).at("/results/0/status").asText()).isEqualTo("would_block");
  }

  private static HttpResponse<String> feed(String list, String token, String ifNoneMatch) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(connector.uri("v1/feeds/" + list + "?token=" + token)).GET();
    if (ifNoneMatch != null) {
      request.header("If-None-Match", ifNoneMatch);
    }
    return connector.send(request);
  }
}
