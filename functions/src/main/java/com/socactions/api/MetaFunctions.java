package com.socactions.api;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import com.socactions.health.HealthReport;
import com.socactions.health.ProviderInfo;
import com.socactions.health.ProviderList;
import com.socactions.providers.Capability;
import java.time.Duration;
import java.util.Optional;

/** Readiness, the provider list for designer dropdowns, and the connector definition. */
public class MetaFunctions {
  /** How long a caller should wait before asking an unhealthy instance again. */
  private static final Duration UNHEALTHY_RETRY_AFTER = Duration.ofSeconds(30);

  private final AppServices services;

  public MetaFunctions(AppServices services) {
    this.services = services;
  }

  @FunctionName("GetHealth")
  public HttpResponseMessage getHealth(
      @HttpTrigger(
              name = "request",
              methods = {HttpMethod.GET},
              route = "v1/health",
              authLevel = AuthorizationLevel.FUNCTION)
          HttpRequestMessage<Optional<String>> request,
      ExecutionContext context) {
    return Invocation.handle(
        request,
        context,
        call -> {
          boolean strict = call.booleanQuery("strict");
          HealthReport report = services.health().check();
          if (strict && report.status() == HealthReport.Status.UNHEALTHY) {
            throw ProblemException.unavailable(
                "Unhealthy: " + String.join("; ", report.warnings()), UNHEALTHY_RETRY_AFTER);
          }
          return call.ok(report);
        });
  }

  @FunctionName("ListProviders")
  public HttpResponseMessage listProviders(
      @HttpTrigger(
              name = "request",
              methods = {HttpMethod.GET},
              route = "v1/providers",
              authLevel = AuthorizationLevel.FUNCTION)
          HttpRequestMessage<Optional<String>> request,
      ExecutionContext context) {
    return Invocation.handle(
        request,
        context,
        call -> {
          Optional<Capability> capability = call.query("capability").map(MetaFunctions::capability);
          boolean includeUnconfigured = call.booleanQuery("include_unconfigured");
          return call.ok(
              new ProviderList(
                  services.providers().list(capability, includeUnconfigured).stream()
                      .map(ProviderInfo::of)
                      .toList()));
        });
  }

  /**
   * The connector definition, with {@code host} set to the host that serves it, so "Import from
   * URL" in the custom connector wizard gets a working definition.
   */
  @FunctionName("GetOpenApiDefinition")
  public HttpResponseMessage getOpenApiDefinition(
      @HttpTrigger(
              name = "request",
              methods = {HttpMethod.GET},
              route = "openapi.json",
              authLevel = AuthorizationLevel.ANONYMOUS)
          HttpRequestMessage<Optional<String>> request,
      ExecutionContext context) {
    return Invocation.handle(
        request,
        context,
        call -> {
          String host =
              call.header("x-forwarded-host")
                  .or(() -> call.header("host"))
                  .orElse(request.getUri().getAuthority());
          String scheme = call.header("x-forwarded-proto").orElse(request.getUri().getScheme());
          return call.ok(OpenApiDefinition.servedFrom(host.split(",")[0].trim(), scheme));
        });
  }

  /**
   * Lowest-precedence route: answers unknown paths with a 404 problem and known paths called with
   * the wrong method with a 405 problem naming the allowed methods.
   */
  @FunctionName("NotFound")
  public HttpResponseMessage notFound(
      @HttpTrigger(name = "request", route = "{*path}", authLevel = AuthorizationLevel.ANONYMOUS)
          HttpRequestMessage<Optional<String>> request,
      ExecutionContext context) {
    return Invocation.handle(
        request,
        context,
        call -> {
          String path = request.getUri().getPath();
          Optional<String> allowed = OpenApiDefinition.allowedMethods(path);
          if (allowed.isPresent()) {
            return call.problem(
                ProblemException.methodNotAllowed(
                    request.getHttpMethod()
                        + " is not allowed on "
                        + path
                        + "; use "
                        + allowed.get()),
                "Allow",
                allowed.get());
          }
          throw ProblemException.notFound(
              "No operation at "
                  + request.getHttpMethod()
                  + " "
                  + path
                  + "; the operations are listed in /api/openapi.json");
        });
  }

  private static Capability capability(String name) {
    return Capability.parse(name)
        .orElseThrow(
            () ->
                ProblemException.invalidField(
                    "capability", "'" + name + "' is not one of " + Capability.allNames()));
  }
}
