package com.socactions.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.socactions.testing.TestKit;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UpstreamPolicyTest {
  private final MockWebServer server = new MockWebServer();
  private final List<Duration> waits = new ArrayList<>();
  private final Sleeper recording = waits::add;
  private UpstreamHttp http;

  @BeforeEach
  void start() throws Exception {
    server.start();
    http = new UpstreamHttp("fake", TestKit.http(), Clock.systemUTC());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void aThrottledCallWaitsAsLongAsRetryAfterSaysThenSucceeds() {
    server.enqueue(
        new MockResponse.Builder()
            .code(429)
            .addHeader("Retry-After", "3")
            .body("slow down")
            .build());
    server.enqueue(new MockResponse.Builder().code(200).body("{\"ok\":true}").build());
    UpstreamPolicy policy =
        new UpstreamPolicy("fake", UpstreamPolicy.Options.defaults(), recording);

    UpstreamHttp.Answer answer = policy.call(() -> http.send(get()));

    assertThat(answer.body()).isEqualTo("{\"ok\":true}");
    assertThat(waits).containsExactly(Duration.ofSeconds(3));
  }

  @Test
  void withoutRetryAfterTheBackOffDoubles() {
    server.enqueue(new MockResponse.Builder().code(503).build());
    server.enqueue(new MockResponse.Builder().code(502).build());
    server.enqueue(new MockResponse.Builder().code(200).body("done").build());
    UpstreamPolicy policy =
        new UpstreamPolicy(
            "fake",
            UpstreamPolicy.Options.defaults()
                .backoff(Duration.ofMillis(100), Duration.ofSeconds(1)),
            recording);

    assertThat(policy.call(() -> http.send(get())).body()).isEqualTo("done");
    assertThat(waits).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
  }

  @Test
  void aRetryAfterLongerThanTheCapIsHandedToTheCallerWithoutWaiting() {
    server.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "120").build());
    UpstreamPolicy policy =
        new UpstreamPolicy("fake", UpstreamPolicy.Options.defaults(), recording);

    assertThatThrownBy(() -> policy.call(() -> http.send(get())))
        .isInstanceOfSatisfying(
            UpstreamException.class,
            e -> {
              assertThat(e.failure()).isEqualTo(UpstreamFailure.THROTTLED);
              assertThat(e.retryAfter()).contains(Duration.ofSeconds(120));
            });
    assertThat(waits).isEmpty();
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void aClientErrorIsNotRetriedAndKeepsTheUpstreamsExplanation() {
    server.enqueue(
        new MockResponse.Builder()
            .code(400)
            .body("{\"error\":{\"code\":\"InvalidRequestBody\"}}")
            .build());
    UpstreamPolicy policy =
        new UpstreamPolicy("fake", UpstreamPolicy.Options.defaults(), recording);

    assertThatThrownBy(() -> policy.call(() -> http.send(get())))
        .isInstanceOfSatisfying(
            UpstreamException.class,
            e -> {
              assertThat(e.failure()).isEqualTo(UpstreamFailure.REJECTED);
              assertThat(e.bodyExcerpt()).contains("InvalidRequestBody");
            });
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void aFailingUpstreamOpensItsCircuitAndFurtherCallsFailFastWith503() {
    for (int i = 0; i < 10; i++) {
      server.enqueue(new MockResponse.Builder().code(500).build());
    }
    UpstreamPolicy policy =
        new UpstreamPolicy(
            "fake",
            UpstreamPolicy.Options.defaults()
                .maxAttempts(1)
                .circuitBreaker(50, 4, Duration.ofSeconds(30)),
            recording);

    for (int i = 0; i < 4; i++) {
      assertThatThrownBy(() -> policy.call(() -> http.send(get())))
          .isInstanceOf(UpstreamException.class);
    }
    int sent = server.getRequestCount();

    assertThat(policy.circuitState()).isEqualTo(CircuitBreaker.State.OPEN);
    assertThatThrownBy(() -> policy.call(() -> http.send(get())))
        .isInstanceOfSatisfying(
            UpstreamException.class,
            e -> {
              assertThat(e.failure()).isEqualTo(UpstreamFailure.UNAVAILABLE);
              assertThat(e.retryAfter()).contains(Duration.ofSeconds(30));
            });
    assertThat(server.getRequestCount()).isEqualTo(sent);
  }

  @Test
  void noAnswerAtAllIsStatusZeroAndRetryable() throws Exception {
    String url = server.url("/").toString();
    server.close();
    UpstreamPolicy policy =
        new UpstreamPolicy("fake", UpstreamPolicy.Options.defaults().maxAttempts(2), recording);

    assertThatThrownBy(() -> policy.call(() -> http.send(new Request.Builder().url(url).build())))
        .isInstanceOfSatisfying(
            UpstreamException.class,
            e -> assertThat(e.failure()).isEqualTo(UpstreamFailure.UNAVAILABLE));
    assertThat(waits).hasSize(1);
  }

  private Request get() {
    return new Request.Builder()
        .url(server.url("/api/thing"))
        .header("Authorization", "Bearer secret")
        .build();
  }
}
