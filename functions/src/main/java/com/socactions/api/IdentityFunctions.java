package com.socactions.api;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import java.util.Optional;

/** HTTP operations of identity response (Microsoft Entra ID accounts). */
public class IdentityFunctions {
  private final AppServices services;

  public IdentityFunctions(AppServices services) {
    this.services = services;
  }

  @FunctionName("DisableAccounts")
  public HttpResponseMessage disableAccounts(
      @HttpTrigger(
              name = "request",
              methods = {HttpMethod.POST},
              route = "v1/accounts/disable",
              authLevel = AuthorizationLevel.FUNCTION)
          HttpRequestMessage<Optional<String>> request,
      ExecutionContext context) {
    return Invocation.handle(
        request, context, call -> LongRequests.run(call, services, "DisableAccounts"));
  }

  @FunctionName("EnableAccounts")
  public HttpResponseMessage enableAccounts(
      @HttpTrigger(
              name = "request",
              methods = {HttpMethod.POST},
              route = "v1/accounts/enable",
              authLevel = AuthorizationLevel.FUNCTION)
          HttpRequestMessage<Optional<String>> request,
      ExecutionContext context) {
    return Invocation.handle(
        request, context, call -> LongRequests.run(call, services, "EnableAccounts"));
  }

  @FunctionName("RevokeSessions")
  public HttpResponseMessage revokeSessions(
      @HttpTrigger(
              name = "request",
              methods = {HttpMethod.POST},
              route = "v1/accounts/revoke-sessions",
              authLevel = AuthorizationLevel.FUNCTION)
          HttpRequestMessage<Optional<String>> request,
      ExecutionContext context) {
    return Invocation.handle(
        request, context, call -> LongRequests.run(call, services, "RevokeSessions"));
  }

  @FunctionName("ConfirmCompromised")
  public HttpResponseMessage confirmCompromised(
      @HttpTrigger(
              name = "request",
              methods = {HttpMethod.POST},
              route = "v1/accounts/confirm-compromised",
              authLevel = AuthorizationLevel.FUNCTION)
          HttpRequestMessage<Optional<String>> request,
      ExecutionContext context) {
    return Invocation.handle(
        request, context, call -> LongRequests.run(call, services, "ConfirmCompromised"));
  }
}
