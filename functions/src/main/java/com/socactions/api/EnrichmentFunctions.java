package com.socactions.api;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import com.socactions.enrichment.Lookup;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** HTTP operations of the enrichment capability: IP addresses and domains. */
public class EnrichmentFunctions {
  private final AppServices services;

  public EnrichmentFunctions(AppServices services) {
    this.services = services;
  }

  @FunctionName("EnrichIpAddresses")
  public HttpResponseMessage enrichIpAddresses(
      @HttpTrigger(
              name = "request",
              methods = {HttpMethod.POST},
              route = "v1/enrich/ips",
              authLevel = AuthorizationLevel.FUNCTION)
          HttpRequestMessage<Optional<String>> request,
      ExecutionContext context) {
    return Invocation.handle(
        request, context, call -> LongRequests.run(call, services, "EnrichIpAddresses"));
  }

  @FunctionName("EnrichIpAddress")
  public HttpResponseMessage enrichIpAddress(
      @HttpTrigger(
              name = "request",
              methods = {HttpMethod.GET},
              route = "v1/enrich/ips/{ip}",
              authLevel = AuthorizationLevel.FUNCTION)
          HttpRequestMessage<Optional<String>> request,
      @BindingName("ip") String ip,
      ExecutionContext context) {
    return Invocation.handle(
        request,
        context,
        call -> {
          Set<Lookup> lookups =
              BatchInput.options(call.query("lookups").orElse(null), "lookups", Lookup.class);
          return call.ok(services.enrichment().service().enrichIps(List.of(ip), lookups));
        });
  }

  @FunctionName("EnrichDomains")
  public HttpResponseMessage enrichDomains(
      @HttpTrigger(
              name = "request",
              methods = {HttpMethod.POST},
              route = "v1/enrich/domains",
              authLevel = AuthorizationLevel.FUNCTION)
          HttpRequestMessage<Optional<String>> request,
      ExecutionContext context) {
    return Invocation.handle(
        request, context, call -> LongRequests.run(call, services, "EnrichDomains"));
  }
}
