package com.socactions.localhost;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs timer functions on their NCRONTAB schedules in a time zone (UTC unless {@code
 * WEBSITE_TIME_ZONE}).
 *
 * <p>Each run is scheduled for the next occurrence after the previous one finished, so runs of one
 * function never overlap (like the real host's singleton timer lock); a slow run skips the
 * occurrences it overlapped rather than queueing them. A failing run is logged and the schedule
 * continues. A timer whose schedule cannot be parsed (or whose {@code %SETTING%} is unset) is
 * logged and not run; the others still are.
 */
final class TimerRunner implements AutoCloseable {
  private static final Logger LOG = FunctionLogging.hostLogger();
  private static final long PAST_DUE_TOLERANCE_MS = 1_000;

  private final List<FunctionDefinition> timers;
  private final FunctionInvoker invoker;
  private final Clock clock;
  private final Function<String, String> settings;
  private final Scheduler scheduler;
  private final ScheduledExecutorService pool;
  private final Map<String, ZonedDateTime> nextRuns = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /** Runs a task once after a delay: the host's thread pool, or a test running them by hand. */
  @FunctionalInterface
  interface Scheduler {
    void schedule(Runnable task, Duration delay);
  }

  /**
   * Timers on the wall clock in {@code zone}, run by a small pool of daemon threads.
   *
   * @param settings resolves {@code %NAME%} schedules
   */
  TimerRunner(
      List<FunctionDefinition> timers,
      FunctionInvoker invoker,
      ZoneId zone,
      Function<String, String> settings) {
    this(timers, invoker, Clock.system(zone), null, settings);
  }

  /**
   * Timers on {@code clock} (its zone is the schedules' zone), run by {@code scheduler} (a test's),
   * or by a pool of daemon threads when it is null.
   */
  TimerRunner(
      List<FunctionDefinition> timers,
      FunctionInvoker invoker,
      Clock clock,
      Scheduler scheduler,
      Function<String, String> settings) {
    this.timers = List.copyOf(timers);
    this.invoker = invoker;
    this.clock = clock;
    this.settings = settings;
    if (scheduler != null) {
      this.pool = null;
      this.scheduler = scheduler;
    } else {
      AtomicInteger count = new AtomicInteger();
      this.pool =
          Executors.newScheduledThreadPool(
              Math.max(1, Math.min(4, timers.size())),
              runnable -> {
                Thread thread = new Thread(runnable, "localhost-timer-" + count.incrementAndGet());
                thread.setDaemon(true);
                return thread;
              });
      this.scheduler = (task, delay) -> pool.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  /** Parses every schedule and schedules each timer's first run. */
  void start() {
    for (FunctionDefinition timer : timers) {
      NCrontabSchedule schedule;
      try {
        schedule = NCrontabSchedule.parse(timer.info().schedule(), settings);
      } catch (IllegalArgumentException e) {
        LOG.severe("Timer " + timer.name() + " will not run: " + e.getMessage());
        continue;
      }
      scheduleAfter(timer, schedule, ZonedDateTime.now(clock), null);
    }
  }

  /** The next planned run of each scheduled timer, by function name. */
  Map<String, ZonedDateTime> nextRuns() {
    return new TreeMap<>(nextRuns);
  }

  private void scheduleAfter(
      FunctionDefinition timer,
      NCrontabSchedule schedule,
      ZonedDateTime after,
      ZonedDateTime last) {
    if (closed) {
      return;
    }
    ZonedDateTime next;
    try {
      next = schedule.next(after);
    } catch (IllegalStateException e) {
      LOG.severe("Timer " + timer.name() + " stops: " + e.getMessage());
      nextRuns.remove(timer.name());
      return;
    }
    nextRuns.put(timer.name(), next);
    Duration delay = Duration.between(ZonedDateTime.now(clock), next);
    try {
      scheduler.schedule(
          () -> run(timer, schedule, next, last), delay.isNegative() ? Duration.ZERO : delay);
    } catch (RejectedExecutionException e) {
      // Closed concurrently; nothing left to schedule.
    }
  }

  private void run(
      FunctionDefinition timer,
      NCrontabSchedule schedule,
      ZonedDateTime scheduled,
      ZonedDateTime last) {
    ZonedDateTime started = ZonedDateTime.now(clock);
    try {
      boolean pastDue = Duration.between(scheduled, started).toMillis() > PAST_DUE_TOLERANCE_MS;
      ZonedDateTime following = schedule.next(scheduled);
      String timerInfo = timerInfo(last, following, pastDue);
      LocalExecutionContext context =
          new LocalExecutionContext(timer.name(), timer.logger(), W3CTraceContext.from(null, null));
      Object[] arguments = new Object[timer.parameters().size()];
      for (int i = 0; i < arguments.length; i++) {
        ParameterSource source = timer.parameters().get(i);
        if (source instanceof ParameterSource.TimerInfo) {
          arguments[i] = timerInfo;
        } else if (source instanceof ParameterSource.Context) {
          arguments[i] = context;
        }
      }
      invoker.invoke(timer, arguments);
      LOG.info(
          "Executed 'Functions."
              + timer.name()
              + "' (Succeeded, Id="
              + context.getInvocationId()
              + ", Duration="
              + Duration.between(started, ZonedDateTime.now(clock)).toMillis()
              + "ms)");
    } catch (FunctionInvoker.FunctionTimeoutException e) {
      LOG.severe(e.getMessage() + ". Initiating cancellation.");
      LOG.severe("Executed 'Functions." + timer.name() + "' (Failed)");
    } catch (FunctionInvoker.FunctionFailedException e) {
      LOG.log(Level.SEVERE, "Executed 'Functions." + timer.name() + "' (Failed)", e.getCause());
    } catch (RuntimeException | Error e) {
      LOG.log(Level.SEVERE, "Timer " + timer.name() + " run failed", e);
    } finally {
      ZonedDateTime now = ZonedDateTime.now(clock);
      scheduleAfter(timer, schedule, now.isAfter(scheduled) ? now : scheduled, scheduled);
    }
  }

  /** The JSON the real host passes as a String timer parameter. */
  static String timerInfo(ZonedDateTime last, ZonedDateTime next, boolean pastDue) {
    Map<String, Object> status = null;
    if (last != null) {
      status = new LinkedHashMap<>();
      status.put("Last", iso(last));
      status.put("Next", iso(next));
      status.put("LastUpdated", iso(last));
    }
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("Schedule", Map.of("AdjustForDST", true));
    info.put("ScheduleStatus", status);
    info.put("IsPastDue", pastDue);
    return Json.write(info);
  }

  private static String iso(ZonedDateTime time) {
    return time.toOffsetDateTime().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
  }

  @Override
  public void close() {
    closed = true;
    if (pool != null) {
      pool.shutdownNow();
    }
  }
}
