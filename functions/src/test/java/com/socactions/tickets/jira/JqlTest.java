package com.socactions.tickets.jira;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.socactions.platform.InvalidInputException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JqlTest {
  @Test
  void quotesAndBackslashesAreEscapedAndReservedWordsStayText() {
    assertThat(Jql.quote("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
    assertThat(Jql.quote("x OR labels != y ORDER BY key"))
        .isEqualTo("\"x OR labels != y ORDER BY key\"");
    assertThat(Jql.quote("")).isEqualTo("\"\"");
  }

  @Test
  void controlAndLineBreakCharactersAreRefused() {
    for (String value : new String[] {"a\nb", "a\rb", "a\u0000b", "a\u2028b", "a\tb"}) {
      assertThatThrownBy(() -> Jql.quote(value))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("control or line-break");
    }
  }

  @Test
  void clausesAreBuiltFromQuotedValues() {
    assertThat(Jql.projectAndLabel("SOC", "sentinel-abc"))
        .isEqualTo("project = \"SOC\" AND labels = \"sentinel-abc\"");
    assertThat(
            Jql.updatedSince(
                "SOC", Instant.parse("2025-03-01T10:00:59Z"), ZoneId.of("Europe/Amsterdam")))
        .isEqualTo("project = \"SOC\" AND updated >= \"2025-03-01 11:00\" ORDER BY updated ASC");
  }

  @Test
  void theChangeSearchOrdersByUpdateTimeThenKeyFromTheMinuteOfThePosition() {
    assertThat(
            Jql.labelUpdatedSince(
                "soc-actions", Instant.parse("2025-03-01T10:00:59.900Z"), ZoneId.of("UTC")))
        .isEqualTo(
            "labels = \"soc-actions\" AND updated >= \"2025-03-01 10:00\""
                + " ORDER BY updated ASC, key ASC");
  }

  @Test
  void keysSortByProjectThenByIssueNumberAsANumberWithTheEmptyStartFirst() {
    List<String> keys = new ArrayList<>(List.of("SOC-10", "ABC-2", "SOC-9", "", "SOC-100"));

    keys.sort(Jql.KEY_ORDER);

    assertThat(keys).containsExactly("", "ABC-2", "SOC-9", "SOC-10", "SOC-100");
  }

  @Test
  void theCorrelationLabelIsTheIncidentIdInLowerCaseWithoutSpaces() {
    assertThat(Jql.correlationLabel("1B0C6E2A-8F9C-4D4E-9D6A-0F3C1E2D3B4A"))
        .isEqualTo("sentinel-1b0c6e2a-8f9c-4d4e-9d6a-0f3c1e2d3b4a");
    assertThat(Jql.correlationLabel("soc-", "42")).isEqualTo("soc-42");
  }

  @Test
  void anIncidentIdThatCannotBeALabelAsIsIsRefusedRatherThanAltered() {
    for (String id : new String[] {"", "a b", "a\"b", "x".repeat(300), null}) {
      assertThatThrownBy(() -> Jql.correlationLabel(id)).isInstanceOf(InvalidInputException.class);
    }
    assertThatThrownBy(() -> Jql.correlationLabel("Bad Prefix ", "1"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
