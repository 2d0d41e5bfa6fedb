package com.socactions.localhost.samples.skipped;

import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.QueueTrigger;

/** A trigger the local host cannot drive: skipped, not fatal. */
public class QueueFunction {

  @FunctionName("FromQueue")
  public void run(@QueueTrigger(name = "msg", queueName = "q", connection = "C") String message) {}
}
