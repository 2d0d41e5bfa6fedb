package com.socactions.localhost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NCrontabScheduleTest {
  private static final ZonedDateTime WED_NOON =
      ZonedDateTime.of(2025, 1, 15, 12, 0, 0, 0, ZoneOffset.UTC);

  private static ZonedDateTime utc(int y, int mo, int d, int h, int mi, int s) {
    return ZonedDateTime.of(y, mo, d, h, mi, s, 0, ZoneOffset.UTC);
  }

  @Test
  void everyFiveMinutesFiresOnTheNextMultipleOfFive() {
    NCrontabSchedule schedule = NCrontabSchedule.parse("0 */5 * * * *");
    assertThat(schedule.next(utc(2025, 1, 15, 12, 3, 10))).isEqualTo(utc(2025, 1, 15, 12, 5, 0));
    assertThat(schedule.next(utc(2025, 1, 15, 12, 5, 0))).isEqualTo(utc(2025, 1, 15, 12, 10, 0));
    assertThat(schedule.next(utc(2025, 1, 15, 23, 58, 0))).isEqualTo(utc(2025, 1, 16, 0, 0, 0));
  }

  @Test
  void weekdayMorningsSkipTheWeekend() {
    NCrontabSchedule schedule = NCrontabSchedule.parse("0 30 9 * * 1-5");
    // 2025-01-17 is a Friday.
    assertThat(schedule.next(utc(2025, 1, 17, 9, 0, 0))).isEqualTo(utc(2025, 1, 17, 9, 30, 0));
    assertThat(schedule.next(utc(2025, 1, 17, 9, 30, 0))).isEqualTo(utc(2025, 1, 20, 9, 30, 0));
  }

  @Test
  void newYearWithAMonthNameFiresOnceAYear() {
    NCrontabSchedule schedule = NCrontabSchedule.parse("0 0 0 1 JAN *");
    assertThat(schedule.next(WED_NOON)).isEqualTo(utc(2026, 1, 1, 0, 0, 0));
    assertThat(schedule.next(utc(2025, 12, 31, 23, 59, 59))).isEqualTo(utc(2026, 1, 1, 0, 0, 0));
  }

  @Test
  void aSettingReferenceIsResolvedBeforeParsing() {
    NCrontabSchedule schedule =
        NCrontabSchedule.parse("%SCHEDULE%", Map.of("SCHEDULE", "0 0 */6 * * *")::get);
    assertThat(schedule.expression()).isEqualTo("0 0 */6 * * *");
    assertThat(schedule.next(WED_NOON)).isEqualTo(utc(2025, 1, 15, 18, 0, 0));
  }

  @Test
  void anUnsetSettingReferenceIsRejectedNamingTheSetting() {
    assertThatThrownBy(() -> NCrontabSchedule.parse("%NOPE%", name -> null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NOPE");
  }

  @Test
  void fiveFieldsMeanSecondZero() {
    assertThat(NCrontabSchedule.parse("15 10 * * *").next(WED_NOON))
        .isEqualTo(utc(2025, 1, 16, 10, 15, 0));
  }

  @Test
  void listsRangesWithStepsAndDayNamesCombine() {
    NCrontabSchedule schedule = NCrontabSchedule.parse("10,20 0-30/15 8 * * sun,Sat");
    // 2025-01-18 is a Saturday.
    assertThat(schedule.next(WED_NOON)).isEqualTo(utc(2025, 1, 18, 8, 0, 10));
    assertThat(schedule.next(utc(2025, 1, 18, 8, 0, 20))).isEqualTo(utc(2025, 1, 18, 8, 15, 10));
    assertThat(schedule.next(utc(2025, 1, 18, 8, 30, 20))).isEqualTo(utc(2025, 1, 19, 8, 0, 10));
  }

  @Test
  void sevenIsSundayToo() {
    assertThat(NCrontabSchedule.parse("0 0 0 * * 7").next(WED_NOON))
        .isEqualTo(utc(2025, 1, 19, 0, 0, 0));
  }

  @Test
  void dayAndDayOfWeekMustBothMatch() {
    // The next Friday the 13th after mid-January 2025 is in June.
    assertThat(NCrontabSchedule.parse("0 0 0 13 * FRI").next(WED_NOON))
        .isEqualTo(utc(2025, 6, 13, 0, 0, 0));
  }

  @Test
  void everySecondFiresOneSecondLaterEvenFromAFractionalInstant() {
    ZonedDateTime after = WED_NOON.plusNanos(500_000_000);
    assertThat(NCrontabSchedule.parse("* * * * * *").next(after))
        .isEqualTo(utc(2025, 1, 15, 12, 0, 1));
  }

  @Test
  void theResultKeepsTheTimeZoneOfTheStartingPoint() {
    ZoneId paris = ZoneId.of("Europe/Paris");
    ZonedDateTime next =
        NCrontabSchedule.parse("0 0 9 * * *").next(WED_NOON.withZoneSameInstant(paris));
    assertThat(next).isEqualTo(ZonedDateTime.of(2025, 1, 16, 9, 0, 0, 0, paris));
  }

  @Test
  void malformedFieldsAreRejectedNamingTheField() {
    assertThatThrownBy(() -> NCrontabSchedule.parse("0 61 * * * *")).hasMessageContaining("minute");
    assertThatThrownBy(() -> NCrontabSchedule.parse("0 0 25 * * *")).hasMessageContaining("hour");
    assertThatThrownBy(() -> NCrontabSchedule.parse("0 0 0 * FOO *")).hasMessageContaining("month");
    assertThatThrownBy(() -> NCrontabSchedule.parse("0 0 0 * * MON-XYZ"))
        .hasMessageContaining("day-of-week");
    assertThatThrownBy(() -> NCrontabSchedule.parse("0 */0 * * * *"))
        .hasMessageContaining("minute");
    assertThatThrownBy(() -> NCrontabSchedule.parse("* * *")).hasMessageContaining("6 fields");
  }

  @Test
  void anImpossibleDateFailsInsteadOfLoopingForever() {
    NCrontabSchedule schedule = NCrontabSchedule.parse("0 0 0 30 FEB *");
    assertThatThrownBy(() -> schedule.next(WED_NOON)).isInstanceOf(IllegalStateException.class);
  }
}
