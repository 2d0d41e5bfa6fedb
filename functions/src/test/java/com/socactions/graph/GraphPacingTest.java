package com.socactions.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.credential.AccessToken;
import com.socactions.platform.AzureCredentials;
import com.socactions.platform.UpstreamBudgets;
import com.socactions.platform.UpstreamException;
import com.socactions.platform.UpstreamFailure;
import com.socactions.testing.Azurite;
import com.socactions.testing.CountedTable;
import com.socactions.testing.CountedTable.Kind;
import com.socactions.testing.TestKit;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Mono;

/**
 * Identity Protection's one request a second per tenant, kept by several instances together: each
 * instance a Graph client of its own with its own budgets object, on one Azurite table and one fake
 * Graph. Time is the manual ticker's, moved by every wait.
 */
@ExtendWith(Azurite.class)
class GraphPacingTest {
  private static final String USER = "29f270bb-4d23-4f68-8a57-dc73dc0d4caf";
  private static final long SECOND = Duration.ofSeconds(1).toNanos();

  private final ManualTicker ticker = new ManualTicker();
  private FakeGraph graph;
  private CountedTable table;

  @BeforeEach
  void start() throws Exception {
    graph = FakeGraph.start(GraphTesting.TOKEN).seedRecorded();
    graph.stampWith(ticker::read);
    table = CountedTable.create("pacing");
  }

  @AfterEach
  void stop() {
    graph.close();
  }

  private GraphIdentityProtection instance() {
    AzureCredentials credentials =
        AzureCredentials.of(
            request ->
                Mono.just(new AccessToken(GraphTesting.TOKEN, OffsetDateTime.now().plusHours(1))));
    GraphClient client =
        GraphClient.create(
            TestKit.kit(ticker.clock(), ticker),
            HttpUrl.get(graph.baseUrl()),
            credentials,
            UpstreamBudgets.in(table.client(), ticker.clock(), ticker));
    return new GraphIdentityProtection(client);
  }

  private List<Long> gaps() {
    List<Long> stamps = graph.stamps();
    List<Long> gaps = new ArrayList<>();
    for (int i = 1; i < stamps.size(); i++) {
      gaps.add(stamps.get(i) - stamps.get(i - 1));
    }
    return gaps;
  }

  @Test
  void threeInstancesMakeOneRequestASecondBetweenThemNotOneEach() {
    List<GraphIdentityProtection> instances = List.of(instance(), instance(), instance());

    for (int i = 0; i < 9; i++) {
      instances.get(i % 3).confirmCompromised(List.of(USER));
    }

    assertThat(graph.confirmed()).hasSize(9);
    assertThat(gaps()).hasSize(8).allMatch(gap -> gap >= SECOND);
    assertThat(table.count(Kind.QUERY)).isZero();
  }

  @Test
  void aThrottleOneInstanceSeesHoldsTheOthersBackToo() {
    GraphIdentityProtection first = instance();
    GraphIdentityProtection second = instance();
    first.confirmCompromised(List.of(USER));
    graph.failNext(1, 429, Map.of("Retry-After", "25")); // longer than a call waits: handed back

    assertThatThrownBy(() -> first.confirmCompromised(List.of(USER)))
        .isInstanceOfSatisfying(
            UpstreamException.class,
            e -> assertThat(e.failure()).isEqualTo(UpstreamFailure.THROTTLED));
    second.confirmCompromised(List.of(USER));

    // The second instance never saw the 429, yet waits it out.
    assertThat(gaps()).containsExactly(1_250_000_000L, 25 * SECOND);
  }
}
