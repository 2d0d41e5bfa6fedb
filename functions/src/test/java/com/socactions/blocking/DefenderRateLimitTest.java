package com.socactions.blocking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.credential.AccessToken;
import com.socactions.platform.AzureCredentials;
import com.socactions.platform.HttpClients;
import com.socactions.platform.UpstreamException;
import com.socactions.testing.MutableClock;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.ratelimiter.RateLimiter;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * Defender's documented limit of 100 calls a minute, kept by the real policy the client is built
 * with ({@link DefenderIndicatorsClient#defaultPolicy}, a Resilience4j rate limiter) against the
 * stateful fake, read through the limiter's own metrics. The limiter counts on the JVM's clock;
 * every test makes its calls (at most 101 to loopback) well inside the one minute of its first
 * period, and asserts nothing about how long they took.
 */
class DefenderRateLimitTest {
  private static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJyYXRlIn0.c2lnbmF0dXJl";

  private final List<Duration> waits = new CopyOnWriteArrayList<>();
  private final AzureCredentials credentials =
      AzureCredentials.of(
          request -> Mono.just(new AccessToken(TOKEN, OffsetDateTime.now().plusHours(1))));
  private FakeDefenderApi defender;
  private DefenderIndicatorsClient client;

  @BeforeEach
  void start() throws Exception {
    defender = FakeDefenderApi.start(TOKEN).seedRecorded();
    client =
        new DefenderIndicatorsClient(
            HttpUrl.get(defender.baseUrl()),
            credentials,
            HttpClients.shared(),
            new MutableClock(Instant.parse("2025-03-01T10:00:00Z")),
            DefenderIndicatorsClient.defaultPolicy(waits::add));
  }

  @AfterEach
  void stop() {
    defender.close();
  }

  private RateLimiter.Metrics metrics() {
    return client.policy().rateLimiterMetrics().orElseThrow();
  }

  @Test
  void aHundredCallsPassInAMinuteAndTheNextIsRefusedWithoutReachingDefender() {
    assertThat(metrics().getAvailablePermissions())
        .isEqualTo(DefenderIndicatorsClient.DEFAULT_CALLS_PER_MINUTE);

    for (int i = 0; i < DefenderIndicatorsClient.DEFAULT_CALLS_PER_MINUTE; i++) {
      assertThat(client.listAll()).hasSize(2);
    }
    assertThat(metrics().getAvailablePermissions()).isZero();

    assertThatThrownBy(client::listAll)
        .isInstanceOfSatisfying(
            UpstreamException.class,
            e -> {
              assertThat(e.status()).isEqualTo(429);
              assertThat(e.isRetryable()).isTrue();
              assertThat(e.retryAfter()).hasValue(Duration.ofMinutes(1));
              assertThat(e.getMessage()).contains("rate limit");
            });
    assertThat(defender.listCalls()).isEqualTo(DefenderIndicatorsClient.DEFAULT_CALLS_PER_MINUTE);
    assertThat(waits).as("nothing waits for the next minute inside the request").isEmpty();
    assertThat(metrics().getNumberOfWaitingThreads()).isZero();
  }

  @Test
  void everyAttemptCountsAgainstTheLimitRetriesIncluded() {
    defender.failNext(1, 503);

    assertThat(client.listAll()).hasSize(2);

    assertThat(defender.listCalls()).isEqualTo(2);
    assertThat(waits).hasSize(1);
    assertThat(metrics().getAvailablePermissions())
        .isEqualTo(DefenderIndicatorsClient.DEFAULT_CALLS_PER_MINUTE - 2);
  }

  @Test
  void aRefusedCallLeavesTheCircuitClosedAndDefenderUnasked() {
    for (int i = 0; i < DefenderIndicatorsClient.DEFAULT_CALLS_PER_MINUTE; i++) {
      client.delete("no-such-id-" + i);
    }

    for (int i = 0; i < 25; i++) {
      assertThatThrownBy(() -> client.delete("one-more"))
          .isInstanceOfSatisfying(
              UpstreamException.class, e -> assertThat(e.status()).isEqualTo(429));
    }

    assertThat(defender.deleteCalls()).isEqualTo(DefenderIndicatorsClient.DEFAULT_CALLS_PER_MINUTE);
    assertThat(client.policy().circuitState())
        .as("our own limit is no failure of Defender's")
        .isEqualTo(CircuitBreaker.State.CLOSED);
  }
}
