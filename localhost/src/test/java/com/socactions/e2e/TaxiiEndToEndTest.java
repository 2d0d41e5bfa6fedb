package com.socactions.e2e;

import static com.socactions.e2e.RunningConnector.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.socactions.taxii.TaxiiServer;
import com.socactions.testing.Azurite;
import com.socactions.testing.MutableClock;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A playbook blocks and unblocks; Sentinel's "Threat intelligence - TAXII" data connector polls the
 * TAXII server as it does in Azure: over plain HTTP with Basic credentials and no function key.
 */
@ExtendWith(Azurite.class)
class TaxiiEndToEndTest {
  private static final String USER = "sentinel-taxii";
  private static final String PASSWORD = "e2e-taxii-password";
  private static final String TAXII = "application/taxii+json;version=2.1";

  private static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
  private static RunningConnector connector;

  @BeforeAll
  static void start() {
    connector =
        new RunningConnector(
            Map.of(
                "STATE_STORAGE_CONNECTION",
                Azurite.connectionString(),
                "TAXII_USER",
                USER,
                "TAXII_PASSWORD",
                PASSWORD),
            CLOCK);
  }

  @AfterAll
  static void stop() {
    connector.close();
  }

  @Test
  void sentinelDiscoversTheRootAndPollsBlocksAndTheirRevocationWithBasicAuthAndNoFunctionKey() {
    JsonNode discovery = json(ok(taxii("taxii2/", basic(USER, PASSWORD))));
    String root = connector.baseUrl() + "taxii2/blocks/";
    assertThat(discovery.path("api_roots").get(0).asText()).isEqualTo(root);
    JsonNode collections = json(ok(taxii("taxii2/blocks/collections/", basic(USER, PASSWORD))));
    String all = null;
    for (JsonNode collection : collections.path("collections")) {
      if (collection.path("alias").asText().equals("all-blocks")) {
        all = collection.path("id").asText();
      }
    }
    assertThat(all).isNotNull();
    String objects = "taxii2/blocks/collections/" + all + "/objects/";

    HttpResponse<String> blocked =
        connector.post(
            "v1/indicators/block",
            "{\"indicators\": [\"185.220.101.7\", \"evil-e2e.example\"], \"reason\": \"c2\","
                + " \"requested_by\": \"analyst@contoso.com\"}");
    assertThat(json(blocked).get("results").findValuesAsText("status"))
        .containsExactly("blocked", "blocked");
    CLOCK.advance(TaxiiServer.VISIBILITY_DELAY.plusSeconds(1));

    HttpResponse<String> page = ok(taxii(objects, basic(USER, PASSWORD)));
    assertThat(patterns(json(page)))
        .contains(
            "[ipv4-addr:value = '185.220.101.7']", "[domain-name:value = 'evil-e2e.example']");
    String last = page.headers().firstValue("X-TAXII-Date-Added-Last").orElseThrow();

    CLOCK.advance(Duration.ofMinutes(5));
    HttpResponse<String> unblocked =
        connector.post(
            "v1/indicators/unblock",
            "{\"indicators\": [\"185.220.101.7\"], \"reason\": \"false positive\"}");
    assertThat(json(unblocked).get("results").findValuesAsText("status"))
        .containsExactly("unblocked");
    CLOCK.advance(TaxiiServer.VISIBILITY_DELAY.plusSeconds(1));

    JsonNode changed = json(ok(taxii(objects + "?added_after=" + last, basic(USER, PASSWORD))));
    assertThat(patterns(changed))
        .contains("[ipv4-addr:value = '185.220.101.7']")
        .doesNotContain("[domain-name:value = 'evil-e2e.example']");
    for (JsonNode object : changed.path("objects")) {
      if (object.path("pattern").asText().contains("185.220.101.7")) {
        assertThat(object.path("revoked").asBoolean()).isTrue();
      }
    }
  }

  @Test
  void aClientPagesOneObjectAtATimeByNextWithTheMatchParametersUrlEncoded() {
    HttpResponse<String> blocked =
        connector.post(
            "v1/indicators/block",
            "{\"indicators\": [\"185.220.101.21\", \"185.220.101.22\"], \"reason\": \"scan\"}");
    assertThat(json(blocked).get("results").findValuesAsText("status"))
        .containsExactly("blocked", "blocked");
    CLOCK.advance(TaxiiServer.VISIBILITY_DELAY.plusSeconds(1));
    String objects =
        "taxii2/blocks/collections/da04c5bc-b268-5007-b32f-0f5c3defee1a/objects/"
            + "?limit=1&match%5Btype%5D=indicator";

    List<String> seen = new ArrayList<>();
    String next = null;
    int pages = 0;
    do {
      JsonNode envelope =
          json(ok(taxii(objects + (next == null ? "" : "&next=" + next), basic(USER, PASSWORD))));
      assertThat(envelope.path("objects")).hasSizeLessThanOrEqualTo(1);
      envelope
          .path("objects")
          .forEach(o -> assertThat(o.path("type").asText()).isEqualTo("indicator"));
      seen.addAll(patterns(envelope));
      next = envelope.path("more").asBoolean() ? envelope.path("next").asText() : null;
    } while (next != null && ++pages < 100);

    assertThat(seen)
        .doesNotHaveDuplicates()
        .contains("[ipv4-addr:value = '185.220.101.21']", "[ipv4-addr:value = '185.220.101.22']");
  }

  @Test
  void withoutBasicCredentialsTheFunctionKeyOpensNothing() {
    HttpResponse<String> none = taxii("taxii2/", null);
    HttpResponse<String> keyOnly =
        connector.send(
            HttpRequest.newBuilder(connector.uri("taxii2/"))
                .header("x-functions-key", RunningConnector.KEY)
                .header("Accept", TAXII)
                .GET());
    HttpResponse<String> wrong = taxii("taxii2/", basic(USER, "guess"));

    for (HttpResponse<String> refused : List.of(none, keyOnly, wrong)) {
      assertThat(refused.statusCode()).isEqualTo(401);
      assertThat(refused.headers().firstValue("www-authenticate"))
          .hasValueSatisfying(value -> assertThat(value).startsWith("Basic realm="));
      assertThat(json(refused).path("http_status").asText()).isEqualTo("401");
    }
  }

  @Test
  void anAppWithoutTaxiiCredentialsServesNoTaxiiAtAll() {
    try (RunningConnector off =
        new RunningConnector(Map.of("STATE_STORAGE_CONNECTION", Azurite.connectionString()))) {
      HttpResponse<String> response =
          off.send(
              HttpRequest.newBuilder(off.uri("taxii2/"))
                  .header("Authorization", basic(USER, PASSWORD))
                  .header("Accept", TAXII)
                  .GET());

      assertThat(response.statusCode()).isEqualTo(404);
    }
  }

  private static HttpResponse<String> taxii(String path, String authorization) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(connector.uri(path)).header("Accept", TAXII).GET();
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return connector.send(request);
  }

  private static HttpResponse<String> ok(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue(TAXII);
    return response;
  }

  private static List<String> patterns(JsonNode envelope) {
    List<String> patterns = new ArrayList<>();
    envelope.path("objects").forEach(o -> patterns.add(o.path("pattern").asText()));
    return patterns;
  }

  private static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }
}
