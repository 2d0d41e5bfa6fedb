package com.socactions.localhost;

import static org.assertj.core.api.Assertions.assertThat;

import com.socactions.localhost.samples.timer.EverySecondTimer;
import com.socactions.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TimerRunnerTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00.200Z"));

  /** The runs the runner scheduled, in order, each with its delay; the test runs them. */
  private final Deque<Scheduled> scheduled = new ArrayDeque<>();

  private record Scheduled(Runnable task, Duration delay) {}

  private TimerRunner runner;

  @BeforeEach
  void start() {
    EverySecondTimer.RUNS.clear();
    List<FunctionDefinition> timers =
        FunctionScanner.scan(
            "com.socactions.localhost.samples.timer",
            Thread.currentThread().getContextClassLoader());
    runner =
        new TimerRunner(
            timers,
            new FunctionInvoker(new NoArgConstructorInjector(), null, null),
            clock,
            (task, delay) -> scheduled.add(new Scheduled(task, delay)),
            name -> null);
  }

  /** Moves the clock to the next scheduled run, plus {@code late}, and runs it. */
  private void runNext(Duration late) {
    Scheduled next = scheduled.poll();
    assertThat(next).as("a run is scheduled").isNotNull();
    clock.advance(next.delay().plus(late));
    next.task().run();
  }

  @Test
  void anEverySecondTimerKeepsRunningAfterAFailedRun() {
    runner.start();

    assertThat(runner.nextRuns())
        .containsEntry(
            "EverySecond", Instant.parse("2026-03-01T10:00:01Z").atZone(clock.getZone()));
    assertThat(scheduled.peek().delay()).isEqualTo(Duration.ofMillis(800));
    runNext(Duration.ZERO); // throws inside: logged, and the next run is scheduled
    assertThat(scheduled.peek().delay()).isEqualTo(Duration.ofSeconds(1));
    runNext(Duration.ZERO);

    assertThat(EverySecondTimer.RUNS).hasSize(2);
    assertThat(EverySecondTimer.RUNS.get(0))
        .isEqualTo(
            "{\"Schedule\":{\"AdjustForDST\":true},\"ScheduleStatus\":null,\"IsPastDue\":false}");
    assertThat(EverySecondTimer.RUNS.get(1))
        .isEqualTo(
            "{\"Schedule\":{\"AdjustForDST\":true},\"ScheduleStatus\":{\"Last\":"
                + "\"2026-03-01T10:00:01Z\",\"Next\":\"2026-03-01T10:00:03Z\",\"LastUpdated\":"
                + "\"2026-03-01T10:00:01Z\"},\"IsPastDue\":false}");
  }

  @Test
  void aRunStartedMoreThanASecondLateIsPastDueAndTheOccurrencesItMissedAreSkipped() {
    runner.start();
    runNext(Duration.ZERO);

    runNext(Duration.ofMillis(3_500));

    assertThat(EverySecondTimer.RUNS.get(1)).contains("\"IsPastDue\":true");
    assertThat(runner.nextRuns())
        .as("the next occurrence after the late run, not the ones it overlapped")
        .containsEntry(
            "EverySecond", Instant.parse("2026-03-01T10:00:06Z").atZone(clock.getZone()));
  }

  @Test
  void aRunStartedWithinASecondOfItsTimeIsNotPastDue() {
    runner.start();

    runNext(Duration.ofMillis(999));

    assertThat(EverySecondTimer.RUNS.get(0)).contains("\"IsPastDue\":false");
  }

  @Test
  void nothingIsScheduledOnceClosed() {
    runner.start();
    runner.close();

    runNext(Duration.ZERO);

    assertThat(scheduled).isEmpty();
  }

  @Test
  void aScheduleNamingAnAppSettingIsReadFromTheHostsSettings() {
    TimerRunner fromSetting =
        new TimerRunner(
            FunctionScanner.scan(
                "com.socactions.localhost.samples.settingschedule",
                Thread.currentThread().getContextClassLoader()),
            new FunctionInvoker(new NoArgConstructorInjector(), null, null),
            clock,
            (task, delay) -> scheduled.add(new Scheduled(task, delay)),
            Map.of("LH_TIMER_SCHEDULE", "30 * * * * *")::get);

    fromSetting.start();

    assertThat(fromSetting.nextRuns())
        .containsEntry(
            "FromSetting", Instant.parse("2026-03-01T10:00:30Z").atZone(clock.getZone()));
  }

  @Test
  void timersDoNotRunWhenDisabled() throws Exception {
    try (LocalFunctionHost host =
        LocalFunctionHost.builder()
            .scanPackage("com.socactions.localhost.samples.timer")
            .port(0)
            .functionKey("k")
            .timersEnabled(false)
            .build()
            .start()) {
      assertThat(host.nextTimerRuns()).isEmpty();
      assertThat(host.functions()).extracting(FunctionInfo::name).containsExactly("EverySecond");
    }
  }
}
