package com.socactions.localhost.samples.settingschedule;

import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.TimerTrigger;

/** A timer whose schedule is an app setting, as {@code %NAME%}. */
public class SettingScheduleTimer {
  @FunctionName("FromSetting")
  public void run(@TimerTrigger(name = "timer", schedule = "%LH_TIMER_SCHEDULE%") String info) {}
}
