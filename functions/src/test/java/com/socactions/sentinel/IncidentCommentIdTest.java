package com.socactions.sentinel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class IncidentCommentIdTest {
  @Test
  void theSamePartsAlwaysNameTheSameCommentAndTheNameIsAVersion8Guid() {
    String first = IncidentCommentId.derive(List.of("servicenow", "a1b2", "note-7"));
    String again = IncidentCommentId.derive(List.of("servicenow", "a1b2", "note-7"));

    assertThat(first).isEqualTo(again).matches("[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab].*");
    UUID parsed = UUID.fromString(first);
    assertThat(parsed.version()).isEqualTo(8);
    assertThat(parsed.variant()).isEqualTo(2);
  }

  @Test
  void differentPartsOrPartsSplitDifferentlyNameDifferentComments() {
    Set<String> names = new HashSet<>();
    names.add(IncidentCommentId.derive(List.of("servicenow", "a1b2", "note-7")));
    names.add(IncidentCommentId.derive(List.of("jira", "a1b2", "note-7")));
    names.add(IncidentCommentId.derive(List.of("servicenow", "a1b2", "note-8")));
    names.add(IncidentCommentId.derive(List.of("servicenow", "a1b", "2note-7")));
    names.add(IncidentCommentId.derive(List.of("servicenow", "a1b2note-7")));
    names.add(IncidentCommentId.derive(List.of("servicenow", "a1b2", "note-7", "")));

    assertThat(names).hasSize(6);
  }

  @Test
  void noPartsOrANullPartIsAProgrammingError() {
    assertThatThrownBy(() -> IncidentCommentId.derive(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> IncidentCommentId.derive(Arrays.asList("jira", null)))
        .isInstanceOf(NullPointerException.class);
  }
}
