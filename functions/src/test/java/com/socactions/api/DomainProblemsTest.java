package com.socactions.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.socactions.platform.ConfigurationException;
import com.socactions.platform.InvalidInputException;
import com.socactions.platform.PolicyRefusedException;
import com.socactions.platform.UpstreamException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DomainProblemsTest {

  @Test
  void invalidInputIsA400NamingTheField() {
    Problem problem =
        answer(InvalidInputException.of("duration", "must be an ISO-8601 duration such as PT24H"));

    assertThat(problem.status()).isEqualTo(400);
    assertThat(problem.errors()).extracting("field").containsExactly("duration");
  }

  @Test
  void aPolicyRefusalIsA422WithItsReason() {
    Problem problem =
        answer(
            new PolicyRefusedException(
                "justification_required", "override_guardrails needs a justification"));

    assertThat(problem.status()).isEqualTo(422);
    assertThat(problem.reason()).isEqualTo("justification_required");
    assertThat(problem.type()).endsWith("policy-refused");
  }

  @Test
  void aMissingSettingIsA422NamingItSoLogicAppsDoesNotRetryInVain() {
    Problem problem =
        answer(
            new ConfigurationException(
                "PANOS_URL", "Setting PANOS_URL is required for provider panos"));

    assertThat(problem.status()).isEqualTo(422);
    assertThat(problem.setting()).isEqualTo("PANOS_URL");
    assertThat(problem.type()).endsWith("not-configured");
  }

  @Test
  void aThrottlingUpstreamIsA429WithItsRetryAfter() {
    ProblemException problem =
        DomainProblems.toProblem(
            new UpstreamException(
                "defender", 429, "Defender throttled the call", null, Duration.ofSeconds(7), null));

    assertThat(problem.status()).isEqualTo(429);
    assertThat(problem.retryAfter()).isEqualTo(Duration.ofSeconds(7));
  }

  @Test
  void anUpstreamThatIsDownIsA503WithADefaultRetryAfter() {
    ProblemException problem =
        DomainProblems.toProblem(new UpstreamException("servicenow", "connection refused", null));

    assertThat(problem.status()).isEqualTo(503);
    assertThat(problem.retryAfter()).isEqualTo(DomainProblems.DEFAULT_RETRY_AFTER);
  }

  @Test
  void anUpstreamRefusingOurCredentialsIsNotRetried() {
    ProblemException problem =
        DomainProblems.toProblem(
            new UpstreamException("jira", 401, "Jira refused the API token", null, null, null));

    assertThat(problem.status()).isEqualTo(422);
    assertThat(problem.retryAfter()).isNull();
  }

  @Test
  void anythingElseIsABugForTheCallerToReport() {
    assertThat(DomainProblems.toProblem(new IllegalStateException("bug"))).isNull();
  }

  private static Problem answer(RuntimeException e) {
    return DomainProblems.toProblem(e).toProblem("/api/v1/x", "correlation");
  }
}
