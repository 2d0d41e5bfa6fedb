package com.socactions.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.socactions.platform.UpstreamException;
import com.socactions.platform.UpstreamFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GraphIdentityProtectionTest {
  private static final List<String> RECORDED =
      List.of("29f270bb-4d23-4f68-8a57-dc73dc0d4caf", "20f91ec9-d140-4d90-9cd9-f618587a1471");
  private static final long SECOND = Duration.ofSeconds(1).toNanos();

  private GraphTesting t;
  private GraphIdentityProtection protection;

  @BeforeEach
  void start() throws Exception {
    t = new GraphTesting();
    protection = new GraphIdentityProtection(t.client);
  }

  @AfterEach
  void stop() {
    t.close();
  }

  private List<Long> gaps() {
    List<Long> stamps = t.graph.stamps();
    List<Long> gaps = new ArrayList<>();
    for (int i = 1; i < stamps.size(); i++) {
      gaps.add(stamps.get(i) - stamps.get(i - 1));
    }
    return gaps;
  }

  @Test
  void manyUsersAreConfirmedInOneCallEachOnce() {
    List<String> ids = new ArrayList<>(RECORDED);
    ids.add(RECORDED.get(0).toUpperCase());

    protection.confirmCompromised(ids);

    assertThat(t.graph.confirmed()).containsExactly(RECORDED);
    assertThat(t.graph.requests()).hasSize(1);
  }

  @Test
  void callsAreKeptOneSecondApart() {
    protection.confirmCompromised(RECORDED.subList(0, 1));
    t.ticker.advance(Duration.ofMillis(300));
    protection.confirmCompromised(RECORDED.subList(1, 2));
    protection.confirmCompromised(RECORDED);

    assertThat(gaps()).hasSize(2).allMatch(gap -> gap >= SECOND);
    // Turns are a second plus the budget's grace apart: a call may start up to the grace late
    // and still leave a second to the next.
    assertThat(t.ticker.sleeps()).containsExactly(Duration.ofMillis(950), Duration.ofMillis(1250));
  }

  @Test
  void throttlingWithoutRetryAfterBacksOffExponentially() {
    t.graph.failNext(2, 429, Map.of());

    protection.confirmCompromised(RECORDED);

    assertThat(t.graph.confirmed()).hasSize(1);
    assertThat(gaps()).containsExactly(2 * SECOND, 4 * SECOND);
  }

  @Test
  void aRefusalFailsTheWholeCall() {
    t.graph.failNext(1, 403, Map.of());

    assertThatThrownBy(() -> protection.confirmCompromised(RECORDED))
        .isInstanceOfSatisfying(
            UpstreamException.class,
            e -> assertThat(e.failure()).isEqualTo(UpstreamFailure.FORBIDDEN));
  }

  @Test
  void nothingToConfirmCallsNothingAndNonIdsAreRefused() {
    protection.confirmCompromised(List.of());
    assertThatThrownBy(() -> protection.confirmCompromised(List.of("alice@contoso.com")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(t.graph.requests()).isEmpty();
  }
}
