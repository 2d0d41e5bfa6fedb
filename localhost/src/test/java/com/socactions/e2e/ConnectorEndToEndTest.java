package com.socactions.e2e;

import static com.socactions.e2e.RunningConnector.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.socactions.enrichment.rdap.FakeRdapServer;
import com.socactions.testing.Azurite;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The connector as a playbook sees it: over HTTP, through the local host, with Azurite and a fake
 * RDAP.
 */
@ExtendWith(Azurite.class)
class ConnectorEndToEndTest {
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

  @Test
  void healthReportsStorageTheGeoIpDatabasesAndTheProviders() {
    HttpResponse<String> response = connector.get("v1/health");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode health = json(response);
    Map<String, JsonNode> components = byName(health.get("components"));
    assertThat(components.get("storage").get("status").asText()).isEqualTo("ok");
    assertThat(components.get("geoip").get("type").asText()).isEqualTo("GeoIP2-City");
    assertThat(components.get("geoip").get("build_date").asText()).isNotBlank();
    assertThat(components.get("asn").get("type").asText()).isEqualTo("GeoLite2-ASN");
    assertThat(components.get("rdap").get("status").asText()).isEqualTo("ok");
    assertThat(health.get("providers").findValuesAsText("id"))
        .containsExactly(
            "geoip",
            "asn",
            "rdap",
            "edl",
            "defender",
            "panos",
            "entra-named-location",
            "builtin",
            "servicenow",
            "jira",
            "sentinel",
            "graph");
    assertThat(health.get("version").asText()).isEqualTo(System.getProperty("soc.project.version"));
  }

  @Test
  void listProvidersFiltersByCapabilityAndOffersOnlyConfiguredOnesByDefault() {
    JsonNode enrich = json(connector.get("v1/providers?capability=enrich"));
    assertThat(enrich.get("value").findValuesAsText("id")).containsExactly("geoip", "asn", "rdap");
    assertThat(enrich.get("value").findValuesAsText("configured")).containsOnly("true");

    // The built-in list is in use by default; Defender and PAN-OS only once configured.
    JsonNode block = json(connector.get("v1/providers?capability=block"));
    assertThat(block.get("value").findValuesAsText("id")).containsExactly("edl");
    JsonNode everyBlock =
        json(connector.get("v1/providers?capability=block&include_unconfigured=true"));
    assertThat(everyBlock.get("value").findValuesAsText("id"))
        .containsExactly("edl", "defender", "panos", "entra-named-location");
  }

  @Test
  void withoutTheFunctionKeyEveryOperationAnswers401() {
    for (String path : new String[] {"v1/health", "v1/providers", "v1/enrich/ips/81.2.69.142"}) {
      HttpResponse<String> response =
          connector.send(HttpRequest.newBuilder(connector.uri(path)).GET());
      assertThat(response.statusCode()).as(path).isEqualTo(401);
    }
    HttpResponse<String> wrongKey =
        connector.send(
            HttpRequest.newBuilder(connector.uri("v1/enrich/ips"))
                .header("x-functions-key", "wrong")
                .POST(HttpRequest.BodyPublishers.ofString("{\"ips\":[\"1.1.1.1\"]}")));
    assertThat(wrongKey.statusCode()).isEqualTo(401);
  }

  @Test
  void theKeyMayAlsoComeAsTheCodeQueryParameter() {
    HttpResponse<String> response =
        connector.send(
            HttpRequest.newBuilder(connector.uri("v1/providers?code=" + RunningConnector.KEY))
                .GET());
    assertThat(response.statusCode()).isEqualTo(200);
  }

  @Test
  void anUnknownRouteIs404AndAWrongMethodIs405AsProblems() {
    HttpResponse<String> unknown = connector.get("v1/nothing-here");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.headers().firstValue("content-type")).hasValue("application/problem+json");
    assertThat(json(unknown).get("status").asInt()).isEqualTo(404);

    HttpResponse<String> wrongMethod =
        connector.send(
            HttpRequest.newBuilder(connector.uri("v1/enrich/ips"))
                .header("x-functions-key", RunningConnector.KEY)
                .DELETE());
    assertThat(wrongMethod.statusCode()).isEqualTo(405);
    assertThat(wrongMethod.headers().firstValue("allow")).hasValue("POST");
    assertThat(json(wrongMethod).get("detail").asText()).contains("POST");
  }

  @Test
  void aBatchResolvesTheDocumentedAddressesAndAnswersInvalidItemsPerItem() {
    HttpResponse<String> response =
        connector.post(
            "v1/enrich/ips",
            "{\"ips\": [\"81.2.69.142\", \"1.0.0.1\", \"nonsense\", 42, \"10.0.0.1\"], \"lookups\":"
                + " [\"geo\", \"asn\"]}");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode results = json(response).get("results");
    assertThat(results.get(0).at("/geo/country_code").asText()).isEqualTo("GB");
    assertThat(results.get(0).at("/geo/city").asText()).isEqualTo("London");
    assertThat(results.get(1).at("/asn/number").asLong()).isEqualTo(15169);
    assertThat(results.get(2).get("lookup_status").asText()).isEqualTo("invalid");
    assertThat(results.get(3).get("lookup_status").asText()).isEqualTo("invalid");
    assertThat(results.get(4).get("scope").asText()).isEqualTo("private");
    assertThat(json(response).at("/summary/invalid").asInt()).isEqualTo(2);
    assertThat(json(response).get("comment_html").asText()).startsWith("<p><b>");
  }

  @Test
  void whoisComesFromTheRegistryFoundThroughTheBootstrap() {
    HttpResponse<String> response = connector.get("v1/enrich/ips/1.1.1.1?lookups=whois");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode whois = json(response).at("/results/0/whois");
    assertThat(whois.get("registry").asText()).isEqualTo("APNIC");
    assertThat(whois.get("network").asText()).isEqualTo("1.1.1.0/24");
    assertThat(whois.get("abuse_email").asText()).contains("@");
  }

  @Test
  void aThousandAddressesInOneNetworkCostOneRdapCall() {
    // ARIN's NET-13-64-0-0-1 covers 13.64.0.0 - 13.107.255.255: spread the batch over all of it.
    String ips =
        IntStream.range(0, 1_000)
            .mapToObj(
                i -> "\"13." + (64 + i % 44) + "." + (i * 7 % 256) + "." + (i % 250 + 1) + "\"")
            .collect(Collectors.joining(","));
    int rdapCallsBefore = rdap.rdapRequestCount();
    int bootstrapBefore = rdap.bootstrapRequestCount("ipv4.json");

    HttpResponse<String> response =
        connector.post("v1/enrich/ips", "{\"ips\": [" + ips + "], \"lookups\": [\"whois\"]}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(json(response).at("/summary/ok").asInt()).isEqualTo(1_000);
    assertThat(json(response).at("/results/999/whois/handle").asText())
        .isEqualTo("NET-13-64-0-0-1");
    assertThat(rdap.rdapRequestCount() - rdapCallsBefore).isEqualTo(1);
    assertThat(rdap.bootstrapRequestCount("ipv4.json") - bootstrapBefore).isLessThanOrEqualTo(1);
  }

  @Test
  void domainsAreEnrichedWithTheirRegistration() {
    HttpResponse<String> response =
        connector.post("v1/enrich/domains", "{\"domains\": [\"www.google.com\", \"co.uk\"]}");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode results = json(response).get("results");
    assertThat(results.get(0).get("registrable_domain").asText()).isEqualTo("google.com");
    assertThat(results.get(0).get("registrar").asText()).containsIgnoringCase("MarkMonitor");
    assertThat(results.get(0).get("age_days").asLong()).isGreaterThan(9000);
    assertThat(results.get(0).get("newly_registered").asBoolean()).isFalse();
    assertThat(results.get(1).get("lookup_status").asText()).isEqualTo("invalid");
  }

  @Test
  void malformedRequestsAre400ProblemsThatNameTheField() {
    HttpResponse<String> notJson = connector.post("v1/enrich/ips", "{\"ips\": [");
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(json(notJson).at("/errors/0/field").asText()).isEqualTo("body");
    assertThat(json(notJson).get("detail").asText()).contains("line 1").doesNotContain("Source");

    HttpResponse<String> missing =
        connector.post("v1/enrich/ips", "{\"addresses\": [\"1.1.1.1\"]}");
    assertThat(missing.statusCode()).isEqualTo(400);
    assertThat(json(missing).at("/errors/0/field").asText()).isEqualTo("ips");

    HttpResponse<String> badLookup =
        connector.post(
            "v1/enrich/ips", "{\"ips\": [\"1.1.1.1\"], \"lookups\": [\"geo\", \"dns\"]}");
    assertThat(badLookup.statusCode()).isEqualTo(400);
    assertThat(json(badLookup).at("/errors/0/field").asText()).isEqualTo("lookups[1]");

    HttpResponse<String> badCapability = connector.get("v1/providers?capability=coffee");
    assertThat(badCapability.statusCode()).isEqualTo(400);
    assertThat(json(badCapability).at("/errors/0/field").asText()).isEqualTo("capability");
  }

  @Test
  void moreThanFiveThousandItemsOrAnOversizedBodyIs413() {
    String ips =
        IntStream.range(0, 5_001)
            .mapToObj(i -> "\"81.2.69." + (i % 256) + "\"")
            .collect(Collectors.joining(","));
    HttpResponse<String> tooMany = connector.post("v1/enrich/ips", "{\"ips\": [" + ips + "]}");
    assertThat(tooMany.statusCode()).isEqualTo(413);
    assertThat(json(tooMany).at("/errors/0/field").asText()).isEqualTo("ips");

    String padding = "x".repeat(1_100_000);
    HttpResponse<String> tooBig =
        connector.post("v1/enrich/ips", "{\"ips\": [\"1.1.1.1\"], \"pad\": \"" + padding + "\"}");
    assertThat(tooBig.statusCode()).isEqualTo(413);
  }

  @Test
  void aThousandAddressesAnswerInOneCallWithoutA500() {
    String ips =
        IntStream.range(0, 1_000)
            .mapToObj(i -> "\"81.2." + (i / 256) + "." + (i % 256) + "\"")
            .collect(Collectors.joining(","));
    HttpResponse<String> response =
        connector.post(
            "v1/enrich/ips", "{\"ips\": [" + ips + "], \"lookups\": [\"geo\", \"asn\"]}");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(json(response).get("results").size()).isEqualTo(1_000);
    assertThat(json(response).get("comment_html").asText().length()).isLessThanOrEqualTo(30_000);
  }

  @Test
  void theCorrelationIdIsEchoedAndTheRunIdIsAccepted() {
    HttpResponse<String> response =
        connector.send(
            HttpRequest.newBuilder(connector.uri("v1/providers"))
                .header("x-functions-key", RunningConnector.KEY)
                .header("x-ms-workflow-run-id", "08585123456789")
                .header("x-ms-client-tracking-id", "tracking-42")
                .GET());
    assertThat(response.headers().firstValue("x-correlation-id")).hasValue("tracking-42");

    HttpResponse<String> generated = connector.get("v1/providers");
    assertThat(generated.headers().firstValue("x-correlation-id"))
        .hasValueSatisfying(id -> assertThat(id).hasSizeGreaterThan(8));
  }

  @Test
  void everyLogLineOfARequestNamesItsLogicAppsRunAlsoFromTheLookupThreads() {
    List<LogRecord> records = new CopyOnWriteArrayList<>();
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            if (record.getLoggerName() != null
                && record.getLoggerName().startsWith("com.socactions")) {
              records.add(record);
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Logger ours = Logger.getLogger("com.socactions");
    Level levelBefore = ours.getLevel();
    ours.setLevel(Level.FINE); // the RDAP client logs each upstream call at FINE
    Logger.getLogger("").addHandler(capture);
    try {
      // RIPE's address: ARIN answers with a redirect, so the lookup thread logs two upstream calls.
      HttpResponse<String> response =
          connector.send(
              HttpRequest.newBuilder(connector.uri("v1/enrich/ips/130.59.31.80?lookups=whois"))
                  .header("x-functions-key", RunningConnector.KEY)
                  .header("x-ms-workflow-run-id", "08585-e2e-run")
                  .GET());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(json(response).at("/results/0/whois/registry").asText()).isEqualTo("RIPE NCC");
    } finally {
      Logger.getLogger("").removeHandler(capture);
      ours.setLevel(levelBefore);
    }

    assertThat(records)
        .filteredOn(record -> record.getLoggerName().contains(".rdap."))
        .as("lines written by the RDAP client on its lookup threads")
        .isNotEmpty();
    assertThat(records)
        .allSatisfy(
            record ->
                assertThat(record.getMessage())
                    .as(record.getLoggerName())
                    .contains("run=08585-e2e-run"));
  }

  @Test
  void theConnectorDefinitionIsServedWithTheServingHost() {
    HttpResponse<String> response =
        connector.send(HttpRequest.newBuilder(connector.uri("openapi.json")).GET());
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode definition = json(response);
    assertThat(definition.get("swagger").asText()).isEqualTo("2.0");
    assertThat(definition.get("host").asText()).isEqualTo("127.0.0.1:" + connector.port());
    assertThat(definition.at("/paths/~1v1~1enrich~1ips/post/operationId").asText())
        .isEqualTo("EnrichIpAddresses");
  }

  private static Map<String, JsonNode> byName(JsonNode components) {
    Map<String, JsonNode> byName = new HashMap<>();
    components.forEach(component -> byName.put(component.get("name").asText(), component));
    return byName;
  }
}
