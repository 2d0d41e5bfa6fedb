package com.socactions.localhost;

import static org.assertj.core.api.Assertions.assertThat;

import com.socactions.localhost.samples.timer.EverySecondTimer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TimerRunnerTest {

  @Test
  void anEverySecondTimerKeepsRunningAfterAFailedRun() throws Exception {
    EverySecondTimer.RUNS.clear();
    try (LocalFunctionHost host =
        LocalFunctionHost.builder()
            .scanPackage("com.socactions.localhost.samples.timer")
            .port(0)
            .functionKey("k")
            .build()
            .start()) {
      assertThat(host.nextTimerRuns()).containsKey("EverySecond");
      // Waits for two runs, however slow the machine: a generous bound, not a timing assertion.
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (EverySecondTimer.RUNS.size() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
    }
    assertThat(EverySecondTimer.RUNS).hasSizeGreaterThanOrEqualTo(2);
    assertThat(EverySecondTimer.RUNS.get(0))
        .isEqualTo(
            "{\"Schedule\":{\"AdjustForDST\":true},\"ScheduleStatus\":null,\"IsPastDue\":false}");
    assertThat(EverySecondTimer.RUNS.get(1)).contains("\"Last\":").contains("\"IsPastDue\":false");
  }

  @Test
  void timersDoNotRunWhenDisabled() throws Exception {
    EverySecondTimer.RUNS.clear();
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
