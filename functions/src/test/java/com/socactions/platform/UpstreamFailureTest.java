package com.socactions.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.exception.HttpResponseException;
import org.junit.jupiter.api.Test;

class UpstreamFailureTest {

  @Test
  void anUpstreamsAnswerIsToldApartByWhatACallerCanDoAboutIt() {
    assertThat(UpstreamFailure.ofHttpStatus(429)).isEqualTo(UpstreamFailure.THROTTLED);
    assertThat(UpstreamFailure.ofHttpStatus(503)).isEqualTo(UpstreamFailure.UNAVAILABLE);
    assertThat(UpstreamFailure.ofHttpStatus(500)).isEqualTo(UpstreamFailure.UNAVAILABLE);
    assertThat(UpstreamFailure.ofHttpStatus(408)).isEqualTo(UpstreamFailure.UNAVAILABLE);
    assertThat(UpstreamFailure.ofHttpStatus(401)).isEqualTo(UpstreamFailure.UNAUTHORIZED);
    assertThat(UpstreamFailure.ofHttpStatus(403)).isEqualTo(UpstreamFailure.FORBIDDEN);
    assertThat(UpstreamFailure.ofHttpStatus(404)).isEqualTo(UpstreamFailure.NOT_FOUND);
    assertThat(UpstreamFailure.ofHttpStatus(410)).isEqualTo(UpstreamFailure.NOT_FOUND);
    assertThat(UpstreamFailure.ofHttpStatus(409)).isEqualTo(UpstreamFailure.CONFLICT);
    assertThat(UpstreamFailure.ofHttpStatus(412)).isEqualTo(UpstreamFailure.CONFLICT);
    assertThat(UpstreamFailure.ofHttpStatus(400)).isEqualTo(UpstreamFailure.REJECTED);
    assertThat(UpstreamFailure.ofHttpStatus(422)).isEqualTo(UpstreamFailure.REJECTED);
    assertThat(UpstreamFailure.ofHttpStatus(302)).isEqualTo(UpstreamFailure.REJECTED);
    assertThat(UpstreamFailure.ofHttpStatus(200)).isEqualTo(UpstreamFailure.BAD_RESPONSE);
  }

  @Test
  void onlyThrottlingOutagesAndGarbledAnswersAreWorthAnotherTry() {
    assertThat(UpstreamFailure.values())
        .filteredOn(UpstreamFailure::isRetryable)
        .containsExactlyInAnyOrder(
            UpstreamFailure.THROTTLED, UpstreamFailure.UNAVAILABLE, UpstreamFailure.BAD_RESPONSE);
    assertThat(UpstreamFailure.values())
        .filteredOn(UpstreamFailure::isUpstreamFault)
        .as("a circuit counts the upstream's faults, not its refusals")
        .containsExactlyInAnyOrder(UpstreamFailure.UNAVAILABLE, UpstreamFailure.BAD_RESPONSE);
  }

  @Test
  void anAzureCallWithoutAnAnswerIsUnavailableAndOneWithAnAnswerTakesItsKind() {
    assertThat(UpstreamFailure.of(new HttpResponseException("no answer", null)))
        .isEqualTo(UpstreamFailure.UNAVAILABLE);

    UpstreamException wrapped =
        UpstreamException.ofAzure(
            "Table storage",
            "Table storage could not read",
            new IllegalStateException("connection reset\nat somewhere"));
    assertThat(wrapped.failure()).isEqualTo(UpstreamFailure.UNAVAILABLE);
    assertThat(wrapped.httpStatus()).isEmpty();
    assertThat(wrapped.getMessage()).isEqualTo("Table storage could not read: connection reset");
  }

  @Test
  void theUpstreamsStatusStaysAsDiagnosticDetailWhenAClientExplainsAFailure() {
    UpstreamException answered =
        UpstreamException.answered("Jira", 403, "Jira answered HTTP 403", "{\"x\":1}", null);

    UpstreamException explained = answered.explained("Jira denied the account the right to read");

    assertThat(explained.failure()).isEqualTo(UpstreamFailure.FORBIDDEN);
    assertThat(explained.httpStatus()).hasValue(403);
    assertThat(explained.answerText()).isEqualTo("HTTP 403");
    assertThat(explained.bodyExcerpt()).isEqualTo("{\"x\":1}");
    assertThat(explained.getCause()).isSameAs(answered);
    assertThat(answered.explainedWithoutBody("refused").bodyExcerpt()).isNull();
  }
}
