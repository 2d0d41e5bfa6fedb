package com.socactions.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import java.util.List;
import java.util.Optional;

/** HTTP operations of the CMDB capability: asset and VIP lookups. */
public class CmdbFunctions {
  private final AppServices services;

  public CmdbFunctions(AppServices services) {
    this.services = services;
  }

  @FunctionName("LookupAssets")
  public HttpResponseMessage lookupAssets(
      @HttpTrigger(
              name = "request",
              methods = {HttpMethod.POST},
              route = "v1/cmdb/assets/lookup",
              authLevel = AuthorizationLevel.FUNCTION)
          HttpRequestMessage<Optional<String>> request,
      ExecutionContext context) {
    return Invocation.handle(
        request,
        context,
        call -> {
          JsonNode body = call.jsonObjectBody();
          List<String> keys = BatchInput.items(body, "keys");
          return call.ok(
              services.cmdb().service().lookupAssets(keys, BodyFields.text(body, "provider")));
        });
  }

  @FunctionName("LookupAccounts")
  public HttpResponseMessage lookupAccounts(
      @HttpTrigger(
              name = "request",
              methods = {HttpMethod.POST},
              route = "v1/cmdb/accounts/lookup",
              authLevel = AuthorizationLevel.FUNCTION)
          HttpRequestMessage<Optional<String>> request,
      ExecutionContext context) {
    return Invocation.handle(
        request,
        context,
        call -> {
          JsonNode body = call.jsonObjectBody();
          List<String> accounts = BatchInput.items(body, "accounts");
          return call.ok(
              services
                  .cmdb()
                  .service()
                  .lookupAccounts(accounts, BodyFields.text(body, "provider")));
        });
  }
}
