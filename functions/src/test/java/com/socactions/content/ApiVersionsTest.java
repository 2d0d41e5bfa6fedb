package com.socactions.content;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

/**
 * The kept list of API versions ({@link ApiVersions}) passes ARM-TTK's {@code
 * apiVersions-Should-Be-Recent} on the day it was checked: each version is under two years old (730
 * days) or the newest stable one its provider has. The content linter holds every template to the
 * list, so a template cannot use an older version than the list.
 */
class ApiVersionsTest {
  @Test
  void everyKeptVersionIsUnderTwoYearsOldOrTheNewestStableOne() {
    assertThat(ApiVersions.KNOWN)
        .allSatisfy(
            (type, version) ->
                assertThat(
                        version.newestStable()
                            || ChronoUnit.DAYS.between(version.date(), ApiVersions.CHECKED_ON)
                                <= 730)
                    .as("%s@%s", type, version.version())
                    .isTrue());
  }

  @Test
  void noKeptVersionIsAPreview() {
    assertThat(ApiVersions.KNOWN.values()).noneMatch(v -> v.version().contains("-preview"));
  }

  @Test
  void theListWasCheckedWithinTheLastYear() {
    assertThat(ChronoUnit.DAYS.between(ApiVersions.CHECKED_ON, java.time.LocalDate.now()))
        .as("ApiVersions.CHECKED_ON: check the versions against the providers again")
        .isLessThanOrEqualTo(365);
  }
}
