package com.socactions.localhost.samples.http;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import java.util.Optional;

/** Overlapping routes that only precedence can disambiguate. */
public class RoutingFunctions {

  @FunctionName("ItemsNew")
  public HttpResponseMessage itemsNew(
      @HttpTrigger(
              name = "req",
              route = "items/new",
              methods = {HttpMethod.GET},
              authLevel = AuthorizationLevel.ANONYMOUS)
          HttpRequestMessage<Optional<String>> request) {
    return text(request, "literal");
  }

  @FunctionName("ItemById")
  public HttpResponseMessage itemById(
      @HttpTrigger(
              name = "req",
              route = "items/{id:int}",
              methods = {HttpMethod.GET},
              authLevel = AuthorizationLevel.ANONYMOUS)
          HttpRequestMessage<Optional<String>> request,
      @BindingName("id") String id) {
    return text(request, "int:" + id);
  }

  @FunctionName("ItemByName")
  public HttpResponseMessage itemByName(
      @HttpTrigger(
              name = "req",
              route = "items/{name}",
              methods = {HttpMethod.GET},
              authLevel = AuthorizationLevel.ANONYMOUS)
          HttpRequestMessage<Optional<String>> request,
      @BindingName("name") String name) {
    return text(request, "name:" + name);
  }

  @FunctionName("ItemUpdate")
  public HttpResponseMessage itemUpdate(
      @HttpTrigger(
              name = "req",
              route = "items/{id:int}",
              methods = {HttpMethod.PUT, HttpMethod.DELETE},
              authLevel = AuthorizationLevel.ANONYMOUS)
          HttpRequestMessage<Optional<String>> request,
      @BindingName("id") String id) {
    return text(request, "update:" + id);
  }

  @FunctionName("Typed")
  public HttpResponseMessage typed(
      @HttpTrigger(
              name = "req",
              route = "typed/{value:guid}",
              methods = {HttpMethod.GET},
              authLevel = AuthorizationLevel.ANONYMOUS)
          HttpRequestMessage<Optional<String>> request,
      @BindingName("value") String value) {
    return text(request, "guid:" + value);
  }

  @FunctionName("TypedAlpha")
  public HttpResponseMessage typedAlpha(
      @HttpTrigger(
              name = "req",
              route = "typed/{value:alpha}",
              methods = {HttpMethod.GET},
              authLevel = AuthorizationLevel.ANONYMOUS)
          HttpRequestMessage<Optional<String>> request,
      @BindingName("value") String value) {
    return text(request, "alpha:" + value);
  }

  @FunctionName("Files")
  public HttpResponseMessage files(
      @HttpTrigger(
              name = "req",
              route = "files/{*rest}",
              methods = {HttpMethod.GET},
              authLevel = AuthorizationLevel.ANONYMOUS)
          HttpRequestMessage<Optional<String>> request,
      @BindingName("rest") String rest) {
    return text(request, "rest:" + rest);
  }

  @FunctionName("Greet")
  public HttpResponseMessage greet(
      @HttpTrigger(
              name = "req",
              route = "greet/{name}/{suffix?}",
              methods = {HttpMethod.GET},
              authLevel = AuthorizationLevel.ANONYMOUS)
          HttpRequestMessage<Optional<String>> request,
      @BindingName("name") String name,
      @BindingName("suffix") String suffix,
      @BindingName("lang") String lang) {
    return text(request, "hello " + name + " suffix=" + suffix + " lang=" + lang);
  }

  @FunctionName("DefaultRouted")
  public HttpResponseMessage defaultRouted(
      @HttpTrigger(name = "req", authLevel = AuthorizationLevel.ANONYMOUS)
          HttpRequestMessage<Optional<String>> request) {
    return text(request, "default route, method " + request.getHttpMethod());
  }

  private static HttpResponseMessage text(HttpRequestMessage<?> request, String body) {
    return request.createResponseBuilder(HttpStatus.OK).body(body).build();
  }
}
