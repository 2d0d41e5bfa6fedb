package com.socactions.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.socactions.platform.ConfigurationException;
import com.socactions.platform.InvalidInputException;
import com.socactions.platform.PolicyRefusedException;
import com.socactions.platform.UpstreamException;
import com.socactions.platform.UpstreamFailure;
import java.time.Duration;
import java.util.List;
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
            UpstreamException.answered(
                "defender", 429, "Defender throttled the call", null, Duration.ofSeconds(7)));

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
            UpstreamException.answered("jira", 401, "Jira refused the API token", null, null));

    assertThat(problem.status()).isEqualTo(422);
    assertThat(problem.retryAfter()).isNull();
  }

  @Test
  void anUpstreamDenyingThePermissionIsA422LikeRefusedCredentials() {
    ProblemException problem =
        DomainProblems.toProblem(
            new UpstreamException(
                "Microsoft Graph", UpstreamFailure.FORBIDDEN, "no role", null, null));

    assertThat(problem.status()).isEqualTo(422);
    assertThat(problem.retryAfter()).isNull();
  }

  @Test
  void aGarbledAnswerIsA503WithRetryAfterLikeAnOutage() {
    ProblemException problem =
        DomainProblems.toProblem(
            UpstreamException.badResponse(
                "ServiceNow", "JSON that does not parse", "<html>", null));

    assertThat(problem.status()).isEqualTo(503);
    assertThat(problem.retryAfter()).isEqualTo(DomainProblems.DEFAULT_RETRY_AFTER);
  }

  @Test
  void aBusyLeaseIsA503WithTheLeasesWait() {
    ProblemException problem =
        DomainProblems.toProblem(
            UpstreamException.retryLater(
                "Table storage", "another instance held the lease", Duration.ofSeconds(60)));

    assertThat(problem.status()).isEqualTo(503);
    assertThat(problem.retryAfter()).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void anUpstreamRefusalThatARetryCannotMendIsA502() {
    for (UpstreamException refusal :
        List.of(
            UpstreamException.answered("Jira", 400, "bad field", null, null),
            UpstreamException.answered("Microsoft Sentinel", 404, "gone", null, null),
            UpstreamException.answered("Microsoft Sentinel", 409, "newer version", null, null))) {
      ProblemException problem = DomainProblems.toProblem(refusal);

      assertThat(problem.status()).as(refusal.getMessage()).isEqualTo(502);
      assertThat(problem.retryAfter()).isNull();
    }
  }

  @Test
  void anythingElseIsABugForTheCallerToReport() {
    assertThat(DomainProblems.toProblem(new IllegalStateException("bug"))).isNull();
  }

  private static Problem answer(RuntimeException e) {
    return DomainProblems.toProblem(e).toProblem("/api/v1/x", "correlation");
  }
}
