package com.socactions.api;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import com.socactions.taxii.TaxiiServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The TAXII 2.1 server of the block ledger, under {@code /api/taxii2/}. Anonymous at the host: a
 * TAXII client such as Sentinel's data connector cannot send a function key, so the server checks
 * HTTP Basic credentials of its own ({@code TAXII_USER}, {@code TAXII_PASSWORD}) and is off (404)
 * without them. Kept out of the connector definition: these are not playbook actions.
 */
public class TaxiiFunctions {
  /** The function names, for the checks that keep them out of the connector. */
  public static final List<String> NAMES =
      List.of(
          "GetTaxiiDiscovery",
          "GetTaxiiApiRoot",
          "ListTaxiiCollections",
          "GetTaxiiCollection",
          "GetTaxiiObjects",
          "GetTaxiiObject",
          "GetTaxiiObjectVersions",
          "GetTaxiiManifest");

  private static final String DISCOVERY_MARKER = "/taxii2";

  private final AppServices services;

  public TaxiiFunctions(AppServices services) {
    this.services = services;
  }

  @FunctionName("GetTaxiiDiscovery")
  public HttpResponseMessage discovery(
      @HttpTrigger(
              name = "request",
              methods = {HttpMethod.GET},
              route = "taxii2",
              authLevel = AuthorizationLevel.ANONYMOUS)
          HttpRequestMessage<Optional<String>> request,
      ExecutionContext context) {
    return serve(request, context, taxii -> server().discovery(taxii));
  }

  @FunctionName("GetTaxiiApiRoot")
  public HttpResponseMessage apiRoot(
      @HttpTrigger(
              name = "request",
              methods = {HttpMethod.GET},
              route = "taxii2/{root}",
              authLevel = AuthorizationLevel.ANONYMOUS)
          HttpRequestMessage<Optional<String>> request,
      @BindingName("root") String root,
      ExecutionContext context) {
    return serve(request, context, taxii -> server().apiRoot(taxii, root));
  }

  @FunctionName("ListTaxiiCollections")
  public HttpResponseMessage collections(
      @HttpTrigger(
              name = "request",
              methods = {HttpMethod.GET},
              route = "taxii2/{root}/collections",
              authLevel = AuthorizationLevel.ANONYMOUS)
          HttpRequestMessage<Optional<String>> request,
      @BindingName("root") String root,
      ExecutionContext context) {
    return serve(request, context, taxii -> server().collections(taxii, root));
  }

  @FunctionName("GetTaxiiCollection")
  public HttpResponseMessage collection(
      @HttpTrigger(
              name = "request",
              methods = {HttpMethod.GET},
              route = "taxii2/{root}/collections/{collection}",
              authLevel = AuthorizationLevel.ANONYMOUS)
          HttpRequestMessage<Optional<String>> request,
      @BindingName("root") String root,
      @BindingName("collection") String collection,
      ExecutionContext context) {
    return serve(request, context, taxii -> server().collection(taxii, root, collection));
  }

  @FunctionName("GetTaxiiObjects")
  public HttpResponseMessage objects(
      @HttpTrigger(
              name = "request",
              methods = {HttpMethod.GET},
              route = "taxii2/{root}/collections/{collection}/objects",
              authLevel = AuthorizationLevel.ANONYMOUS)
          HttpRequestMessage<Optional<String>> request,
      @BindingName("root") String root,
      @BindingName("collection") String collection,
      ExecutionContext context) {
    return serve(request, context, taxii -> server().objects(taxii, root, collection));
  }

  @FunctionName("GetTaxiiObject")
  public HttpResponseMessage object(
      @HttpTrigger(
              name = "request",
              methods = {HttpMethod.GET},
              route = "taxii2/{root}/collections/{collection}/objects/{object}",
              authLevel = AuthorizationLevel.ANONYMOUS)
          HttpRequestMessage<Optional<String>> request,
      @BindingName("root") String root,
      @BindingName("collection") String collection,
      @BindingName("object") String object,
      ExecutionContext context) {
    return serve(request, context, taxii -> server().object(taxii, root, collection, object));
  }

  @FunctionName("GetTaxiiObjectVersions")
  public HttpResponseMessage versions(
      @HttpTrigger(
              name = "request",
              methods = {HttpMethod.GET},
              route = "taxii2/{root}/collections/{collection}/objects/{object}/versions",
              authLevel = AuthorizationLevel.ANONYMOUS)
          HttpRequestMessage<Optional<String>> request,
      @BindingName("root") String root,
      @BindingName("collection") String collection,
      @BindingName("object") String object,
      ExecutionContext context) {
    return serve(request, context, taxii -> server().versions(taxii, root, collection, object));
  }

  @FunctionName("GetTaxiiManifest")
  public HttpResponseMessage manifest(
      @HttpTrigger(
              name = "request",
              methods = {HttpMethod.GET},
              route = "taxii2/{root}/collections/{collection}/manifest",
              authLevel = AuthorizationLevel.ANONYMOUS)
          HttpRequestMessage<Optional<String>> request,
      @BindingName("root") String root,
      @BindingName("collection") String collection,
      ExecutionContext context) {
    return serve(request, context, taxii -> server().manifest(taxii, root, collection));
  }

  private TaxiiServer server() {
    return services.taxii().server();
  }

  private static HttpResponseMessage serve(
      HttpRequestMessage<Optional<String>> request,
      ExecutionContext context,
      Function<TaxiiServer.Request, TaxiiServer.Response> operation) {
    return Invocation.handle(
        request,
        context,
        call -> {
          TaxiiServer.Response response =
              operation.apply(
                  new TaxiiServer.Request(
                      call.urlBefore(DISCOVERY_MARKER) + "taxii2/",
                      call.header("accept").orElse(null),
                      call.header("authorization").orElse(null),
                      request.getQueryParameters()));
          List<String> headers = new ArrayList<>();
          response
              .headers()
              .forEach(
                  (name, value) -> {
                    headers.add(name);
                    headers.add(value);
                  });
          return call.respondWithHeaders(
              response.status(),
              response.contentType(),
              response.body(),
              headers.toArray(String[]::new));
        });
  }
}
