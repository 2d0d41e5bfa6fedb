package com.socactions.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.socactions.platform.Json;
import com.socactions.testing.HostileBodies;
import org.junit.jupiter.api.Test;

class RequestJsonTest {

  @Test
  void everyHostileBodyEitherParsesOrIsA400NamingTheBody() {
    for (HostileBodies.Body body : HostileBodies.corpus()) {
      Throwable thrown = catchThrowable(() -> RequestJson.parse(body.forField("ips")));
      if (thrown != null) {
        assertThat(thrown).as(body.name()).isInstanceOf(ProblemException.class);
        ProblemException problem = (ProblemException) thrown;
        assertThat(problem.status()).as(body.name()).isEqualTo(400);
        assertThat(problem.toProblem("/", "c").errors())
            .as(body.name())
            .extracting("field")
            .containsExactly("body");
      }
    }
  }

  @Test
  void nestingBeyondTheLimitIsRefusedWithItsReason() {
    String deep =
        "{\"a\":".repeat(RequestJson.MAX_NESTING_DEPTH + 1)
            + "1"
            + "}".repeat(RequestJson.MAX_NESTING_DEPTH + 1);

    assertThatThrownBy(() -> RequestJson.parse(deep))
        .isInstanceOf(ProblemException.class)
        .hasMessageContaining("body: not valid JSON: too deeply nested or too long")
        .hasMessageNotContaining("StreamReadConstraints");
  }

  @Test
  void duplicateKeysAndTrailingContentAreRefusedRatherThanGuessed() {
    assertThatThrownBy(() -> RequestJson.parse("{\"dry_run\": false, \"dry_run\": true}"))
        .hasMessageContaining("Duplicate field 'dry_run'");
    assertThatThrownBy(() -> RequestJson.parse("{\"ips\": []} {\"ips\": []}"))
        .isInstanceOf(ProblemException.class);
  }

  @Test
  void loneSurrogatesBecomeReplacementCharactersSoAnswersCanBeWritten() throws Exception {
    JsonNode node =
        RequestJson.parse(
            "{\"ips\": [\"a\\ud800b\", \"\\udc00\", \"ok \\ud83d\\ude00\"], \"n\": {\"x\":"
                + " \"\\ud800\"}}");

    assertThat(node.get("ips").get(0).asText()).isEqualTo("a\uFFFDb");
    assertThat(node.get("ips").get(1).asText()).isEqualTo("\uFFFD");
    assertThat(node.get("ips").get(2).asText()).isEqualTo("ok \ud83d\ude00");
    assertThat(node.at("/n/x").asText()).isEqualTo("\uFFFD");
    assertThat(Json.MAPPER.writeValueAsBytes(node)).isNotEmpty();
  }

  @Test
  void anOrdinaryBodyParsesUnchanged() {
    JsonNode node = RequestJson.parse("{\"ips\": [\"81.2.69.142\"], \"lookups\": [\"geo\"]}");

    assertThat(node.get("ips").get(0).asText()).isEqualTo("81.2.69.142");
  }
}
