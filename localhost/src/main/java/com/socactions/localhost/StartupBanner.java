package com.socactions.localhost;

import java.io.PrintStream;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Formats the startup table, e.g. {@code GET,POST http://127.0.0.1:7071/api/v1/health [FUNCTION]
 * GetHealth}.
 */
final class StartupBanner {
  static final String READY_LINE = "Local host ready";

  private StartupBanner() {}

  static void print(PrintStream out, LocalFunctionHost host) {
    List<FunctionInfo> functions = host.functions();
    out.println("Functions:");
    for (FunctionInfo f : functions) {
      if (f.trigger() == TriggerKind.HTTP) {
        String methods =
            f.methods().isEmpty()
                ? "ALL"
                : f.methods().stream().map(Enum::name).sorted().collect(Collectors.joining(","));
        out.printf(
            "  %-10s %s%s  [%s]  %s%n",
            methods, host.baseUrl(), stripSlash(f.route()), f.authLevel(), f.name());
      }
    }
    Map<String, ZonedDateTime> next = host.nextTimerRuns();
    for (FunctionInfo f : functions) {
      if (f.trigger() == TriggerKind.TIMER) {
        ZonedDateTime when = next.get(f.name());
        out.printf(
            "  %-10s %s  next: %s  %s%n",
            "TIMER", f.schedule(), when == null ? "not scheduled" : when, f.name());
      }
    }
    Map<String, String> queues = host.queues();
    for (FunctionInfo f : functions) {
      if (f.trigger() == TriggerKind.QUEUE) {
        String queue = queues.get(f.name());
        out.printf(
            "  %-10s %s  %s%n",
            "QUEUE", queue == null ? f.queueName() + " (not running)" : queue, f.name());
      }
    }
    out.println(READY_LINE);
    out.flush();
  }

  private static String stripSlash(String route) {
    return route.startsWith("/") ? route.substring(1) : route;
  }
}
