package com.socactions.e2e;

import static com.socactions.e2e.RunningConnector.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.socactions.testing.Azurite;
import com.socactions.testing.SharedFixtures;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A corrupt GeoIP file is a clear health error and a per-item error, never a crash or a 500. */
@ExtendWith(Azurite.class)
class BrokenDatabaseEndToEndTest {
  private static final String BROKEN = "GeoIP2-City-Test-Broken-Double-Format.mmdb";
  private static RunningConnector connector;

  @BeforeAll
  static void start() {
    connector =
        new RunningConnector(
            Map.of(
                "STATE_STORAGE_CONNECTION",
                Azurite.connectionString(),
                "GEOIP_CITY_DB",
                SharedFixtures.path("geoip/" + BROKEN).toString(),
                "RDAP_BOOTSTRAP_URL",
                "http://127.0.0.1:9/",
                "RDAP_ALLOW_INSECURE",
                "true"));
  }

  @AfterAll
  static void stop() {
    connector.close();
  }

  @Test
  void healthNamesTheBrokenDatabaseAndIsUnhealthy() {
    HttpResponse<String> response = connector.get("v1/health");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode health = json(response);
    assertThat(health.get("status").asText()).isEqualTo("unhealthy");
    JsonNode geo = null;
    for (JsonNode component : health.get("components")) {
      if (component.get("name").asText().equals("geoip")) {
        geo = component;
      }
    }
    assertThat(geo.get("status").asText()).isEqualTo("error");
    assertThat(geo.get("detail").asText()).contains(BROKEN);
  }

  @Test
  void strictHealthIs503WithRetryAfter() {
    HttpResponse<String> response = connector.get("v1/health?strict=true");
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("retry-after")).isPresent();
    assertThat(json(response).get("detail").asText()).contains(BROKEN);
  }

  @Test
  void enrichmentAnswersPerItemErrorsInsteadOfFailing() {
    HttpResponse<String> response =
        connector.post("v1/enrich/ips", "{\"ips\": [\"81.2.69.142\"], \"lookups\": [\"geo\"]}");
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode item = json(response).at("/results/0");
    assertThat(item.get("lookup_status").asText()).isEqualTo("failed");
    assertThat(item.get("errors").get(0).asText()).contains(BROKEN);
  }

  @Test
  void anUnreachableRdapAnswersEveryItemWithAnError() {
    HttpResponse<String> response =
        connector.post(
            "v1/enrich/ips",
            "{\"ips\": [\"1.1.1.1\", \"8.8.8.8\", \"2606:4700:4700::1111\"], \"lookups\":"
                + " [\"whois\"]}");
    assertThat(response.statusCode()).isEqualTo(200);
    for (JsonNode item : json(response).get("results")) {
      assertThat(item.get("lookup_status").asText()).isEqualTo("failed");
      assertThat(item.get("errors").get(0).asText()).startsWith("whois:");
    }
  }
}
