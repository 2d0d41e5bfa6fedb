package com.socactions.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchRuntimeException;

import com.azure.core.credential.AccessToken;
import com.socactions.platform.AzureCredentials;
import com.socactions.sentinel.ArmIncidentId;
import com.socactions.sentinel.FakeSentinelApi;
import com.socactions.sentinel.SentinelClient;
import com.socactions.testing.TestKit;
import java.time.Clock;
import java.time.OffsetDateTime;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** How Sentinel's refusals reach a playbook: through the one mapping of domain exceptions. */
class SentinelProblemsTest {

  @Test
  void sentinelRefusingTheAppsTokenIsTheCredentialRefusedProblemThatLogicAppsDoesNotRetry()
      throws Exception {
    try (FakeSentinelApi sentinel =
        FakeSentinelApi.start("the token Sentinel accepts").seedRecorded()) {
      AzureCredentials credentials =
          AzureCredentials.of(
              request ->
                  Mono.just(
                      new AccessToken(
                          "a token Sentinel refuses", OffsetDateTime.now().plusHours(1))));
      SentinelClient client =
          SentinelClient.create(
              TestKit.kit(
                  Clock.systemUTC(),
                  wait -> {
                    throw new AssertionError("a refusal is not retried");
                  }),
              HttpUrl.get(sentinel.baseUrl()),
              credentials);

      RuntimeException refused =
          catchRuntimeException(
              () -> client.getIncident(ArmIncidentId.parse(FakeSentinelApi.recordedIncidentId())));
      Problem problem = DomainProblems.toProblem(refused).toProblem("/api/v1/x", "correlation");

      assertThat(problem.status()).isEqualTo(422);
      assertThat(problem.type()).endsWith("upstream-refused-credentials");
      assertThat(problem.detail()).contains("Microsoft Sentinel Responder");
    }
  }
}
