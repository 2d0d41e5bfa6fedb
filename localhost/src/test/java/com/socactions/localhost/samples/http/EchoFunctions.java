package com.socactions.localhost.samples.http;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.HttpStatusType;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Functions that reflect what they received, so tests can check the binding. */
public class EchoFunctions {

  @FunctionName("Health")
  public HttpResponseMessage health(
      @HttpTrigger(
              name = "req",
              route = "v1/health",
              methods = {HttpMethod.GET},
              authLevel = AuthorizationLevel.FUNCTION)
          HttpRequestMessage<Optional<String>> request) {
    return request.createResponseBuilder(HttpStatus.OK).body("healthy").build();
  }

  @FunctionName("Open")
  public HttpResponseMessage open(
      @HttpTrigger(
              name = "req",
              route = "open",
              methods = {HttpMethod.GET},
              authLevel = AuthorizationLevel.ANONYMOUS)
          HttpRequestMessage<Optional<String>> request) {
    return request.createResponseBuilder(HttpStatus.OK).body("open").build();
  }

  /** Answers with one {@code key=value} line per fact about the request. */
  @FunctionName("Echo")
  public HttpResponseMessage echo(
      @HttpTrigger(
              name = "req",
              route = "echo",
              methods = {HttpMethod.GET, HttpMethod.POST},
              authLevel = AuthorizationLevel.FUNCTION)
          HttpRequestMessage<Optional<String>> request,
      ExecutionContext context) {
    StringBuilder out = new StringBuilder();
    out.append("uri=").append(request.getUri()).append('\n');
    out.append("method=").append(request.getHttpMethod()).append('\n');
    new TreeMap<>(request.getHeaders())
        .forEach((k, v) -> out.append("header.").append(k).append('=').append(v).append('\n'));
    new TreeMap<>(request.getQueryParameters())
        .forEach((k, v) -> out.append("query.").append(k).append('=').append(v).append('\n'));
    out.append("body=")
        .append(request.getBody().map(b -> "present:" + b).orElse("empty"))
        .append('\n');
    out.append("function=").append(context.getFunctionName()).append('\n');
    out.append("invocation=").append(context.getInvocationId()).append('\n');
    out.append("traceparent=").append(context.getTraceContext().getTraceparent()).append('\n');
    context.getLogger().info("echoed " + request.getUri());
    return request.createResponseBuilder(HttpStatus.OK).body(out.toString()).build();
  }

  @FunctionName("Text")
  public HttpResponseMessage text(
      @HttpTrigger(
              name = "req",
              route = "text",
              methods = {HttpMethod.POST},
              authLevel = AuthorizationLevel.ANONYMOUS)
          HttpRequestMessage<String> request) {
    return request
        .createResponseBuilder(HttpStatus.OK)
        .body("chars=" + request.getBody().length())
        .build();
  }

  /** Returns the body unchanged, with its length and SHA-256 in headers. */
  @FunctionName("Bytes")
  public HttpResponseMessage bytes(
      @HttpTrigger(
              name = "req",
              route = "bytes",
              dataType = "binary",
              methods = {HttpMethod.POST},
              authLevel = AuthorizationLevel.ANONYMOUS)
          HttpRequestMessage<byte[]> request)
      throws NoSuchAlgorithmException {
    byte[] body = request.getBody();
    return request
        .createResponseBuilder(HttpStatus.OK)
        .header("X-Length", String.valueOf(body.length))
        .header(
            "X-Sha256", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)))
        .body(body)
        .build();
  }

  @FunctionName("OptionalBytes")
  public HttpResponseMessage optionalBytes(
      @HttpTrigger(
              name = "req",
              route = "optional-bytes",
              methods = {HttpMethod.POST},
              authLevel = AuthorizationLevel.ANONYMOUS)
          HttpRequestMessage<Optional<byte[]>> request) {
    return request
        .createResponseBuilder(HttpStatus.OK)
        .body(request.getBody().map(b -> "bytes=" + b.length).orElse("no body"))
        .build();
  }

  /** Answers with the status from the path and a fixed set of headers. */
  @FunctionName("Status")
  public HttpResponseMessage status(
      @HttpTrigger(
              name = "req",
              route = "status/{code:int}",
              methods = {HttpMethod.GET, HttpMethod.HEAD},
              authLevel = AuthorizationLevel.ANONYMOUS)
          HttpRequestMessage<Optional<String>> request,
      @BindingName("code") String code) {
    return request
        .createResponseBuilder(HttpStatusType.custom(Integer.parseInt(code)))
        .header("Content-Type", "application/json")
        .header("X-Custom", "first")
        .header("x-custom", "second")
        .header("Location", "/api/things/1")
        .body("{\"code\":" + code + "}")
        .build();
  }

  @FunctionName("Boom")
  public HttpResponseMessage boom(
      @HttpTrigger(
              name = "req",
              route = "boom",
              methods = {HttpMethod.GET},
              authLevel = AuthorizationLevel.ANONYMOUS)
          HttpRequestMessage<Optional<String>> request) {
    throw new IllegalStateException("secret internal detail");
  }

  @FunctionName("BadBody")
  public HttpResponseMessage badBody(
      @HttpTrigger(
              name = "req",
              route = "bad-body",
              methods = {HttpMethod.GET},
              authLevel = AuthorizationLevel.ANONYMOUS)
          HttpRequestMessage<Optional<String>> request) {
    return request.createResponseBuilder(HttpStatus.OK).body(Map.of("a", 1)).build();
  }
}
