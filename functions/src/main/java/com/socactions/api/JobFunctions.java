package com.socactions.api;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import com.microsoft.azure.functions.annotation.QueueTrigger;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import com.socactions.jobs.JobQueue;
import com.socactions.jobs.Jobs;
import java.util.Optional;
import java.util.logging.Level;

/**
 * Long work: where Logic Apps polls a job ({@code GetJob}), the queue-triggered worker ({@code
 * RunJob}), the poison-queue handler that ends a job that kept failing ({@code FailJob}), and the
 * expiry timer ({@code ExpireJobs}).
 */
public class JobFunctions {
  private final AppServices services;

  public JobFunctions(AppServices services) {
    this.services = services;
  }

  /**
   * 202 with the job's progress while it runs (with {@code Location} and {@code Retry-After}, as
   * Logic Apps polls), then the status and body the synchronous call would have given; 404 for an
   * unknown or expired job.
   */
  @FunctionName("GetJob")
  public HttpResponseMessage getJob(
      @HttpTrigger(
              name = "request",
              methods = {HttpMethod.GET},
              route = "v1/jobs/{id}",
              authLevel = AuthorizationLevel.FUNCTION)
          HttpRequestMessage<Optional<String>> request,
      @BindingName("id") String id,
      ExecutionContext context) {
    return Invocation.handle(
        request,
        context,
        call -> {
          Optional<Jobs.View> view = services.jobs().jobs().find(id);
          if (view.isEmpty()) {
            throw ProblemException.notFound(
                "No job '"
                    + id
                    + "': it never existed or has expired (jobs are kept "
                    + services.jobs().jobs().retention().toHours()
                    + " hours after their request)");
          }
          if (view.get() instanceof Jobs.Running running) {
            return LongRequests.accepted(call, running.progress(), running.retryAfter());
          }
          return LongRequests.answer(call, ((Jobs.Finished) view.get()).answer());
        });
  }

  /**
   * Runs a job from its checkpoint. A failure is rethrown after the job row recorded it, so the
   * host retries the message (and moves it to the poison queue after its dequeue limit).
   */
  @FunctionName("RunJob")
  public void runJob(
      @QueueTrigger(
              name = "message",
              queueName = JobQueue.QUEUE,
              connection = JobQueue.CONNECTION_SETTING)
          String message,
      ExecutionContext context) {
    String id = message.strip();
    if (!Jobs.isJobId(id)) {
      // Not one of ours: retrying cannot make it one, so it is dropped (and said so).
      context.getLogger().warning("Ignoring a job message that names no job: " + excerpt(id));
      return;
    }
    context.getLogger().info("Running job " + id);
    services.jobs().jobs().work(id);
  }

  /**
   * A job whose message failed {@code maxDequeueCount} times: ends it with what ran and the rest
   * answered failed, naming what failed.
   */
  @FunctionName("FailJob")
  public void failJob(
      @QueueTrigger(
              name = "message",
              queueName = JobQueue.POISON_QUEUE,
              connection = JobQueue.CONNECTION_SETTING)
          String message,
      ExecutionContext context) {
    String id = message.strip();
    if (!Jobs.isJobId(id)) {
      context.getLogger().warning("Ignoring a poisoned message that names no job: " + excerpt(id));
      return;
    }
    context.getLogger().warning("Job " + id + " was poisoned: ending it with its failure");
    services.jobs().jobs().fail(id);
  }

  private static String excerpt(String text) {
    return text.length() <= 80 ? text : text.substring(0, 80) + "...";
  }

  /** Every ten minutes: deletes the jobs whose retention has passed, by the expiry index. */
  @FunctionName("ExpireJobs")
  public void expireJobs(
      @TimerTrigger(name = "timer", schedule = "0 */10 * * * *") String timerInfo,
      ExecutionContext context) {
    int deleted = services.jobs().jobs().expire();
    context.getLogger().log(Level.INFO, "Jobs expired: " + deleted);
  }
}
