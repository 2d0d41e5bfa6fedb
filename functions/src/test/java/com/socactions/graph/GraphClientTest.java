package com.socactions.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.socactions.platform.ConfigurationException;
import com.socactions.platform.Json;
import com.socactions.platform.Settings;
import com.socactions.platform.UpstreamException;
import com.socactions.platform.UpstreamFailure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GraphClientTest {
  private GraphTesting t;

  @BeforeEach
  void start() throws Exception {
    t = new GraphTesting();
  }

  @AfterEach
  void stop() {
    t.close();
  }

  private static List<GraphRequest> userGets(List<String> ids) {
    return ids.stream().map(id -> GraphRequest.get(id, "/users/" + id)).toList();
  }

  @Test
  void fortyFiveRequestsCostThreeBatchCallsAndComeBackByIdInTheOrderGiven() {
    List<String> ids = t.addUsers(45);

    Map<String, GraphResponse> answers = t.client.batch(userGets(ids));

    assertThat(t.graph.batchCalls()).isEqualTo(3);
    assertThat(answers.keySet()).containsExactlyElementsOf(ids);
    assertThat(answers.get(ids.get(44)).body().path("userPrincipalName").asText())
        .isEqualTo("user45@contoso.com");
  }

  @Test
  void aThrottledRequestInsideABatchIsRetriedAloneAfterItsRetryAfter() {
    List<String> ids = t.addUsers(5);
    t.graph.throttle(ids.get(2), 1, "3");

    Map<String, GraphResponse> answers = t.client.batch(userGets(ids));

    assertThat(answers.values()).allMatch(GraphResponse::isSuccess);
    assertThat(t.graph.batchCalls()).isEqualTo(2);
    assertThat(t.graph.inner().stream().filter(inner -> inner.url().contains(ids.get(2))))
        .hasSize(2);
    assertThat(t.graph.inner()).hasSize(6);
    assertThat(t.ticker.sleeps()).containsExactly(Duration.ofSeconds(3));
  }

  @Test
  void aThrottledRequestWithoutRetryAfterIsRetriedAfterADoublingBackoff() {
    List<String> ids = t.addUsers(2);
    t.graph.throttle(ids.get(0), 2, null);

    Map<String, GraphResponse> answers = t.client.batch(userGets(ids));

    assertThat(answers.get(ids.get(0)).isSuccess()).isTrue();
    assertThat(t.ticker.sleeps()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
  }

  @Test
  void aRequestThatStaysThrottledAnswersThrottledAfterTheLastRound() {
    List<String> ids = t.addUsers(2);
    t.graph.throttle(ids.get(1), 100, "1.5");

    Map<String, GraphResponse> answers = t.client.batch(userGets(ids));

    assertThat(answers.get(ids.get(0)).isSuccess()).isTrue();
    assertThat(answers.get(ids.get(1)).failure()).contains(GraphFailure.THROTTLED);
    assertThat(t.graph.batchCalls()).isEqualTo(GraphClient.DEFAULT_MAX_BATCH_ROUNDS);
    assertThat(t.ticker.sleeps()).allMatch(wait -> wait.equals(Duration.ofMillis(1500)));
  }

  @Test
  void aThrottledBatchCallIsRetriedWholeAfterItsRetryAfter() {
    List<String> ids = t.addUsers(3);
    t.graph.failNext(1, 429, Map.of("Retry-After", "2"));

    Map<String, GraphResponse> answers = t.client.batch(userGets(ids));

    assertThat(answers.values()).allMatch(GraphResponse::isSuccess);
    assertThat(t.graph.requests()).hasSize(2);
    assertThat(t.ticker.sleeps()).containsExactly(Duration.ofSeconds(2));
  }

  @Test
  void aBatchCallThatKeepsFailingFailsEachOfItsRequestsNotTheList() {
    List<String> ids = t.addUsers(21);
    t.graph.failNext(3, 503, Map.of());

    Map<String, GraphResponse> answers = t.client.batch(userGets(ids));

    assertThat(answers.values().stream().limit(20))
        .allMatch(answer -> answer.failure().orElseThrow() == GraphFailure.UNAVAILABLE);
    assertThat(answers.get(ids.get(20)).isSuccess()).as("the second batch still ran").isTrue();
  }

  @Test
  void graphErrorBodiesBecomePerItemReasons() {
    String missing = "68be84bf-a585-4776-80b3-30aa5207aa22";

    GraphResponse answer = t.client.batch(userGets(List.of(missing))).get(missing);

    assertThat(answer.failure()).contains(GraphFailure.NOT_FOUND);
    assertThat(answer.reason())
        .startsWith("HTTP 404 Request_ResourceNotFound: Resource '" + missing);
  }

  @Test
  void callsCarryABearerTokenForTheGraphScopeAndAWrongOneIsForbiddenPerItem() throws Exception {
    t.client.batch(userGets(t.addUsers(1)));
    assertThat(t.scopes).containsOnly(t.graph.baseUrl() + "/.default");
    assertThat(t.graph.requests().get(0).getHeaders().get("Authorization"))
        .isEqualTo("Bearer " + GraphTesting.TOKEN);

    try (GraphTesting wrong = new GraphTesting("not-the-token")) {
      String id = wrong.addUsers(1).get(0);
      assertThat(wrong.client.batch(userGets(List.of(id))).get(id).failure())
          .contains(GraphFailure.FORBIDDEN);
      assertThatThrownBy(() -> wrong.client.send(GraphRequest.get("1", "/users/" + id)))
          .isInstanceOfSatisfying(
              UpstreamException.class,
              e -> {
                assertThat(e.failure()).isEqualTo(UpstreamFailure.UNAUTHORIZED);
                assertThat(e.getMessage())
                    .contains("InvalidAuthenticationToken")
                    .doesNotContain("not-the-token");
              });
    }
  }

  @Test
  void pacedAreasAreNeverBatchedAndIdsMustBeUnique() {
    assertThatThrownBy(
            () ->
                t.client.batch(
                    List.of(GraphRequest.get("1", "/identity/conditionalAccess/namedLocations"))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                t.client.batch(
                    List.of(GraphRequest.get("1", "/users/a"), GraphRequest.get("1", "/users/b"))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(t.graph.requests()).isEmpty();
  }

  @Test
  void retryAfterInFractionsOfASecondIsRead() {
    assertThat(GraphClient.retryAfterSeconds("2.128")).isEqualTo(Duration.ofMillis(2128));
    assertThat(GraphClient.retryAfterSeconds("10")).isEqualTo(Duration.ofSeconds(10));
    assertThat(GraphClient.retryAfterSeconds("soon")).isNull();
  }

  @Test
  void theGraphUrlMustBeHttpsUnlessLoopback() {
    assertThat(GraphModule.Options.from(Settings.of(Map.of())).url().toString())
        .isEqualTo("https://graph.microsoft.com/");
    assertThatThrownBy(
            () ->
                GraphModule.Options.from(
                    Settings.of(Map.of("GRAPH_URL", "http://graph.example.com"))))
        .isInstanceOfSatisfying(
            ConfigurationException.class, e -> assertThat(e.setting()).contains("GRAPH_URL"));
  }

  @Test
  void aNextPageOnAnotherOriginIsRefused() {
    ObjectNode page =
        Json.UPSTREAM
            .createObjectNode()
            .put("@odata.nextLink", "https://evil.example.com/v1.0/users?$skiptoken=x");
    assertThatThrownBy(() -> t.client.nextPage(page)).isInstanceOf(UpstreamException.class);
    ObjectNode own =
        Json.UPSTREAM
            .createObjectNode()
            .put("@odata.nextLink", t.graph.baseUrl() + "/v1.0/users?$skiptoken=x");
    assertThat(t.client.nextPage(own)).contains("/users?$skiptoken=x");
  }
}
