package com.socactions.localhost.samples.queue;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.QueueTrigger;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * Queue functions for the queue runner's tests: each records what it saw. A message {@code fail}
 * throws; a message {@code hang} waits until the test lets it go (or its host is closed).
 */
public class QueueFunctions {
  /** Every invocation: the message and its dequeue count. */
  public static final List<String> SEEN = new CopyOnWriteArrayList<>();

  /** Every message that reached the poison queue's function. */
  public static final List<String> POISONED = new CopyOnWriteArrayList<>();

  public static volatile CountDownLatch release = new CountDownLatch(1);

  @FunctionName("Work")
  public void work(
      @QueueTrigger(name = "message", queueName = "work", connection = "SAMPLE_QUEUES")
          String message,
      @BindingName("DequeueCount") String dequeueCount,
      ExecutionContext context)
      throws InterruptedException {
    SEEN.add(message + "#" + dequeueCount);
    if (message.equals("fail")) {
      throw new IllegalStateException("told to fail");
    }
    if (message.equals("hang")) {
      release.await();
    }
  }

  @FunctionName("WorkPoison")
  public void poison(
      @QueueTrigger(name = "message", queueName = "work-poison", connection = "SAMPLE_QUEUES")
          String message) {
    POISONED.add(message);
  }
}
