package com.socactions.localhost;

import com.microsoft.azure.functions.HttpMethod;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Chooses the HTTP function for a method and path.
 *
 * <p>All templates matching the path are tried in {@link RouteTemplate#PRECEDENCE} order and the
 * first that allows the method wins, so a catch-all only serves a request when no more specific
 * route accepts both path and method. When some route matches the path but none allows the method,
 * the result is {@link MethodNotAllowed} with the union of allowed methods; when no route matches,
 * {@link NotFound}.
 */
final class RouteTable {
  private final List<Route> routes = new ArrayList<>();

  /**
   * @throws IllegalArgumentException when a function's route template is malformed (message names
   *     the function)
   */
  RouteTable(List<FunctionDefinition> httpFunctions) {
    for (FunctionDefinition function : httpFunctions) {
      try {
        routes.add(new Route(RouteTemplate.parse(function.info().route()), function));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "Function " + function.name() + ": " + e.getMessage(), e);
      }
    }
    routes.sort(
        Comparator.comparing(Route::template, RouteTemplate.PRECEDENCE)
            .thenComparing(r -> r.function().name()));
  }

  /**
   * @param method the request method, or {@code null} when it is not one {@link HttpMethod} knows
   * @param rawPath the still-encoded path below {@code /api/}
   */
  Resolution resolve(HttpMethod method, String rawPath) {
    Set<HttpMethod> allowed = EnumSet.noneOf(HttpMethod.class);
    boolean pathMatched = false;
    for (Route route : routes) {
      Optional<Map<String, String>> values = route.template().match(rawPath);
      if (values.isEmpty()) {
        continue;
      }
      pathMatched = true;
      if (route.function().info().allows(method)) {
        return new Found(route.function(), values.get());
      }
      Set<HttpMethod> methods = route.function().info().methods();
      allowed.addAll(methods.isEmpty() ? EnumSet.allOf(HttpMethod.class) : methods);
    }
    return pathMatched ? new MethodNotAllowed(allowed) : new NotFound();
  }

  private record Route(RouteTemplate template, FunctionDefinition function) {}

  sealed interface Resolution {}

  record Found(FunctionDefinition function, Map<String, String> routeValues)
      implements Resolution {}

  record MethodNotAllowed(Set<HttpMethod> allowed) implements Resolution {}

  record NotFound() implements Resolution {}
}
