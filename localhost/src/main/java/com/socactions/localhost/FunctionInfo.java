package com.socactions.localhost;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import java.util.Set;

/**
 * What the host discovered about one {@code @FunctionName} method, as shown in the startup table.
 *
 * @param name the function name from {@code @FunctionName}
 * @param trigger HTTP, TIMER or QUEUE
 * @param route HTTP only: the route template below {@code api/} (the function name when the
 *     annotation's route is empty); {@code null} for timers
 * @param methods HTTP only: the allowed methods; an <em>empty</em> set means every method is
 *     allowed
 * @param authLevel HTTP only: the authorization level; {@code null} for timers
 * @param schedule TIMER only: the schedule exactly as annotated (may be a {@code %SETTING%}
 *     reference); {@code null} for HTTP
 * @param queueName QUEUE only: the queue it listens on
 * @param connection QUEUE only: the app setting naming the queue's storage ({@code
 *     AzureWebJobsStorage} when the annotation leaves it empty)
 */
public record FunctionInfo(
    String name,
    TriggerKind trigger,
    String route,
    Set<HttpMethod> methods,
    AuthorizationLevel authLevel,
    String schedule,
    String queueName,
    String connection) {

  public FunctionInfo {
    methods = methods == null ? Set.of() : Set.copyOf(methods);
  }

  /** An HTTP or timer function. */
  public FunctionInfo(
      String name,
      TriggerKind trigger,
      String route,
      Set<HttpMethod> methods,
      AuthorizationLevel authLevel,
      String schedule) {
    this(name, trigger, route, methods, authLevel, schedule, null, null);
  }

  /** True when the function accepts {@code method}; an empty method set accepts everything. */
  public boolean allows(HttpMethod method) {
    return method != null && (methods.isEmpty() || methods.contains(method));
  }
}
