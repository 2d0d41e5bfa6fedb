package com.socactions.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import com.socactions.identity.AccountCommand;
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
        request, context, call -> call.ok(services.identity().service().disable(command(call))));
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
        request, context, call -> call.ok(services.identity().service().enable(command(call))));
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
        request,
        context,
        call -> call.ok(services.identity().service().revokeSessions(command(call))));
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
        request,
        context,
        call -> call.ok(services.identity().service().confirmCompromised(command(call))));
  }

  private static AccountCommand command(Invocation call) {
    JsonNode body = call.jsonObjectBody();
    return new AccountCommand(
        BatchInput.items(body, "accounts"),
        BodyFields.flag(body, "revoke_sessions"),
        BodyFields.text(body, "reason").orElse(null),
        BodyFields.text(body, "incident_id").orElse(null),
        BodyFields.flag(body, "dry_run"),
        BodyFields.override(body),
        call.header("x-ms-workflow-run-id").orElse(null),
        BodyFields.text(body, "requested_by").orElse(null));
  }
}
