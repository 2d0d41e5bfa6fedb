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

/** Malformed settings: health still answers and names them; operations say which setting to fix. */
@ExtendWith(Azurite.class)
class MisconfiguredEndToEndTest {
  private static RunningConnector connector;

  @BeforeAll
  static void start() {
    connector =
        new RunningConnector(
            Map.of(
                "STATE_STORAGE_CONNECTION",
                Azurite.connectionString(),
                "GEOIP_CITY_DB",
                SharedFixtures.path("geoip/GeoIP2-City-Test.mmdb").toString(),
                "GEOIP_STALE_AFTER_DAYS",
                "a month",
                "RDAP_CALL_TIMEOUT",
                "15 seconds"));
  }

  @AfterAll
  static void stop() {
    connector.close();
  }

  @Test
  void healthAnswersAndNamesEachMalformedSetting() {
    HttpResponse<String> response = connector.get("v1/health");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode health = json(response);
    assertThat(health.get("status").asText()).isEqualTo("unhealthy");
    assertThat(health.get("warnings").toString())
        .contains("GEOIP_STALE_AFTER_DAYS")
        .contains("RDAP_CALL_TIMEOUT");
    assertThat(health.at("/components/0/status").asText()).isEqualTo("ok");
  }

  @Test
  void anOperationThatNeedsAMalformedSettingIsA422NamingIt() {
    HttpResponse<String> response =
        connector.post("v1/enrich/ips", "{\"ips\": [\"81.2.69.142\"], \"lookups\": [\"geo\"]}");

    assertThat(response.statusCode()).isEqualTo(422);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/problem+json");
    assertThat(json(response).get("setting").asText()).isEqualTo("GEOIP_STALE_AFTER_DAYS");
    assertThat(response.headers().firstValue("retry-after")).isEmpty();
  }
}
