package com.socactions.e2e;

import static com.socactions.e2e.RunningConnector.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.socactions.enrichment.rdap.FakeRdapServer;
import com.socactions.testing.Azurite;
import com.socactions.testing.HostileBodies;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every hostile body of {@link HostileBodies} against every operation of the connector definition
 * that takes a body, and hostile path values against every operation with a path parameter: each
 * answer is a 2xx or a 4xx problem, never a 5xx. Operations are read from the served definition, so
 * a new operation is covered without touching this test.
 */
@ExtendWith(Azurite.class)
class HostileRequestsEndToEndTest {
  private static final List<String> HOSTILE_PATH_VALUES =
      List.of(
          "%00",
          "%2F",
          "..%2F..%2Fhealth",
          "%ED%A0%80",
          "%FF%FE",
          "a%20b",
          "%25",
          "x".repeat(8_000),
          URLEncoder.encode("<script>", StandardCharsets.UTF_8),
          URLEncoder.encode("' or 1=1 --", StandardCharsets.UTF_8));

  private static FakeRdapServer rdap;
  private static RunningConnector connector;
  private static JsonNode definition;

  @BeforeAll
  static void start() throws Exception {
    rdap = FakeRdapServer.start();
    Map<String, String> settings = RunningConnector.enrichmentSettings(rdap);
    settings.put("ENRICH_WHOIS_BUDGET", "PT3S");
    connector = new RunningConnector(settings);
    definition = json(connector.send(HttpRequest.newBuilder(connector.uri("openapi.json")).GET()));
  }

  @AfterAll
  static void stop() {
    connector.close();
    rdap.close();
  }

  @Test
  void everyHostileBodyOnEveryBodyOperationIsA2xxOrA4xxProblem() {
    List<Operation> operations = operations(true);
    assertThat(operations).as("operations with a body").isNotEmpty();
    SoftAssertions softly = new SoftAssertions();
    for (Operation operation : operations) {
      for (HostileBodies.Body body : HostileBodies.corpus()) {
        HttpResponse<String> response =
            connector.send(
                HttpRequest.newBuilder(connector.uri(operation.path()))
                    .header("x-functions-key", RunningConnector.KEY)
                    .header("Content-Type", "application/json")
                    .method(
                        operation.method(),
                        HttpRequest.BodyPublishers.ofString(body.forField(operation.listField()))));
        checkAnswer(softly, operation.id() + " / " + body.name(), response);
      }
    }
    softly.assertAll();
  }

  @Test
  void hostilePathValuesAreA2xxOrA4xxProblem() {
    SoftAssertions softly = new SoftAssertions();
    for (Operation operation : operations(false)) {
      if (!operation.path().contains("{")) {
        continue;
      }
      for (String value : HOSTILE_PATH_VALUES) {
        String path = operation.path().replaceAll("\\{[^}]+}", value);
        HttpResponse<String> response =
            connector.send(
                HttpRequest.newBuilder(connector.uri(path))
                    .header("x-functions-key", RunningConnector.KEY)
                    .GET());
        checkAnswer(softly, operation.id() + " / " + value, response);
      }
    }
    softly.assertAll();
  }

  @Test
  void aBodyThatIsNotJsonIsA415NamingTheMediaType() {
    for (Operation operation : operations(true)) {
      HttpResponse<String> response =
          connector.post(operation.path(), "application/xml", "<ips><ip>1.1.1.1</ip></ips>");
      assertThat(response.statusCode()).as(operation.id()).isEqualTo(415);
      assertThat(json(response).get("detail").asText()).contains("application/xml");
    }
  }

  private static void checkAnswer(
      SoftAssertions softly, String what, HttpResponse<String> response) {
    int status = response.statusCode();
    softly.assertThat(status).as(what).isLessThan(500);
    if (status >= 400 && status < 500 && status != 401) {
      softly
          .assertThat(response.headers().firstValue("content-type"))
          .as(what)
          .hasValue("application/problem+json");
      JsonNode problem = json(response);
      softly.assertThat(problem.get("status").asInt()).as(what).isEqualTo(status);
      softly.assertThat(problem.get("detail").asText()).as(what).isNotBlank();
      if (status == 400) {
        softly
            .assertThat(problem.path("errors").path(0).path("field").asText())
            .as(what + ": names the field")
            .isNotBlank();
      }
    }
  }

  /**
   * The definition's operations, with a body or without, and the list field their bodies require.
   */
  private static List<Operation> operations(boolean withBody) {
    List<Operation> operations = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> paths = definition.get("paths").fields();
    while (paths.hasNext()) {
      Map.Entry<String, JsonNode> path = paths.next();
      Iterator<Map.Entry<String, JsonNode>> methods = path.getValue().fields();
      while (methods.hasNext()) {
        Map.Entry<String, JsonNode> method = methods.next();
        JsonNode bodyParameter = null;
        for (JsonNode parameter : method.getValue().path("parameters")) {
          if (parameter.path("in").asText().equals("body")) {
            bodyParameter = parameter;
          }
        }
        if ((bodyParameter != null) == withBody) {
          String field =
              bodyParameter == null
                  ? null
                  : firstRequiredField(resolve(bodyParameter.get("schema")));
          String route = path.getKey().substring(1);
          if (withBody) {
            // A body operation with a path parameter gets the parameter's first valid value, so the
            // body is what is hostile.
            for (JsonNode parameter : method.getValue().path("parameters")) {
              if (parameter.path("in").asText().equals("path")) {
                route =
                    route.replace(
                        "{" + parameter.path("name").asText() + "}",
                        parameter.path("enum").path(0).asText("x"));
              }
            }
          }
          operations.add(
              new Operation(
                  method.getValue().get("operationId").asText(),
                  method.getKey().toUpperCase(),
                  route,
                  field));
        }
      }
    }
    return operations;
  }

  private static String firstRequiredField(JsonNode schema) {
    JsonNode required = schema.path("required");
    return required.isArray() && !required.isEmpty() ? required.get(0).asText() : "items";
  }

  private static JsonNode resolve(JsonNode schema) {
    String ref = schema.path("$ref").asText("");
    return ref.isEmpty() ? schema : definition.at(ref.substring(1));
  }

  private record Operation(String id, String method, String path, String listField) {}
}
