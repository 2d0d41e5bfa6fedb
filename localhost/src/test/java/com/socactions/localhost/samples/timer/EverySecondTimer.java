package com.socactions.localhost.samples.timer;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records each run; the first run throws to prove a failure does not stop the schedule. */
public class EverySecondTimer {
  public static final List<String> RUNS = new CopyOnWriteArrayList<>();

  @FunctionName("EverySecond")
  public void run(
      @TimerTrigger(name = "timer", schedule = "* * * * * *") String timerInfo,
      ExecutionContext context) {
    RUNS.add(timerInfo);
    context.getLogger().info("tick " + RUNS.size());
    if (RUNS.size() == 1) {
      throw new IllegalStateException("first run fails on purpose");
    }
  }
}
