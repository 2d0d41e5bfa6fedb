package com.socactions.localhost;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Serves {@code /<routePrefix>/...}: routes the request, checks the function key, binds the
 * parameters, invokes the function and writes its response.
 *
 * <p>A missing or wrong function key gets what the Azure host answers: 401 with an empty body and
 * no {@code Content-Type}. The other host-generated errors are {@code application/problem+json}:
 * 404 when no route matches the path, 405 with {@code Allow} when routes match but none allows the
 * method, and 500 when the body cannot be bound as the Java worker would bind it, when the function
 * throws or outlives {@code functionTimeout}, or when it returns a body other than {@code
 * String}/{@code byte[]}. A 500 never carries the exception or stack trace; those go to the log.
 */
final class HttpTriggerHandler implements HttpHandler {
  private static final Logger LOG = FunctionLogging.hostLogger();

  private final RouteTable routes;
  // "/api/" for prefix "api", "/" for an empty prefix.
  private final String pathPrefix;
  private final KeyAuthorization authorization;
  private final FunctionInvoker invoker;

  /**
   * @param routePrefix host.json's {@code extensions.http.routePrefix}, without slashes
   */
  HttpTriggerHandler(
      RouteTable routes,
      String routePrefix,
      KeyAuthorization authorization,
      FunctionInvoker invoker) {
    this.routes = routes;
    this.pathPrefix = routePrefix.isEmpty() ? "/" : "/" + routePrefix + "/";
    this.authorization = authorization;
    this.invoker = invoker;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      // Always drain the body first: an unread body would break keep-alive for the next request.
      byte[] body = exchange.getRequestBody().readAllBytes();
      serve(exchange, body);
    } catch (IOException e) {
      LOG.log(Level.FINE, "Client connection failed: " + e);
    } catch (RuntimeException | Error e) {
      LOG.log(Level.SEVERE, "Local host failed to serve " + exchange.getRequestURI(), e);
    }
  }

  private void serve(HttpExchange exchange, byte[] body) throws IOException {
    String methodName = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
    String rawPath = exchange.getRequestURI().getRawPath();
    String displayPath = exchange.getRequestURI().getPath();
    if (!(rawPath + "/").regionMatches(true, 0, pathPrefix, 0, pathPrefix.length())) {
      notFound(exchange, methodName, displayPath);
      return;
    }
    String relativePath =
        rawPath.length() <= pathPrefix.length() ? "" : rawPath.substring(pathPrefix.length());
    HttpMethod method = parseMethod(methodName);
    RouteTable.Resolution resolution = routes.resolve(method, relativePath);
    if (resolution instanceof RouteTable.NotFound) {
      notFound(exchange, methodName, displayPath);
    } else if (resolution instanceof RouteTable.MethodNotAllowed notAllowed) {
      String allow =
          notAllowed.allowed().stream().map(Enum::name).sorted().collect(Collectors.joining(", "));
      ResponseWriter.problem(
          exchange,
          405,
          "Method Not Allowed",
          "No function serves " + methodName + " " + displayPath,
          Map.of("Allow", allow));
    } else if (resolution instanceof RouteTable.Found found) {
      Map<String, String> headers = headers(exchange);
      Map<String, String> query = queryParameters(exchange.getRequestURI().getRawQuery());
      if (!authorization.permits(
          found.function().info().authLevel(), headers.get("x-functions-key"), query.get("code"))) {
        ResponseWriter.write(exchange, 401, Map.of(), new byte[0]);
        return;
      }
      FunctionDefinition function = found.function();
      Object boundBody;
      try {
        boundBody =
            function.bodyType().bind(body, headers.get("content-type"), function.binaryBody());
      } catch (BodyType.BodyBindingException e) {
        LOG.severe(
            "Function " + function.name() + " cannot take this request body: " + e.getMessage());
        failed(exchange, function);
        return;
      }
      LocalHttpRequest<Object> request =
          new LocalHttpRequest<>(uri(exchange), method, headers, query, boundBody);
      invoke(exchange, found, request);
    }
  }

  private void invoke(
      HttpExchange exchange, RouteTable.Found found, LocalHttpRequest<Object> request)
      throws IOException {
    FunctionDefinition function = found.function();
    LocalExecutionContext context =
        new LocalExecutionContext(
            function.name(),
            function.logger(),
            W3CTraceContext.from(
                request.getHeaders().get("traceparent"), request.getHeaders().get("tracestate")));
    Object[] arguments = new Object[function.parameters().size()];
    for (int i = 0; i < arguments.length; i++) {
      ParameterSource source = function.parameters().get(i);
      if (source instanceof ParameterSource.HttpRequest) {
        arguments[i] = request;
      } else if (source instanceof ParameterSource.Context) {
        arguments[i] = context;
      } else if (source instanceof ParameterSource.Binding binding) {
        // Route values first, then the query string, as the Functions host binds them.
        String value = found.routeValues().get(binding.name());
        arguments[i] = value != null ? value : request.getQueryParameters().get(binding.name());
      }
    }
    long started = System.nanoTime();
    Object result;
    try {
      result = invoker.invoke(function, arguments);
    } catch (FunctionInvoker.FunctionTimeoutException e) {
      // Worded as the Azure host logs it, which then answers the caller 500.
      LOG.severe(
          e.getMessage() + " (Id: " + context.getInvocationId() + "). Initiating cancellation.");
      LOG.severe(executed(function, context, "Failed", started));
      failed(exchange, function);
      return;
    } catch (FunctionInvoker.FunctionFailedException e) {
      LOG.log(Level.SEVERE, executed(function, context, "Failed", started), e.getCause());
      failed(exchange, function);
      return;
    }
    if (!send(exchange, function, result)) {
      return;
    }
    LOG.info(executed(function, context, "Succeeded", started));
  }

  /**
   * @return false when the result could not be sent and a 500 problem was written instead
   */
  private boolean send(HttpExchange exchange, FunctionDefinition function, Object result)
      throws IOException {
    int status = 200;
    Map<String, String> headers = new LinkedHashMap<>();
    Object body = result;
    if (result == null) {
      status = 204;
    } else if (result instanceof LocalResponseBuilder.LocalHttpResponse response) {
      status = response.getStatusCode();
      headers.putAll(response.headers());
      body = response.body();
    } else if (result instanceof HttpResponseMessage response) {
      // A response type we did not build: only its status, body and Content-Type are knowable.
      status = response.getStatusCode();
      String contentType = response.getHeader("Content-Type");
      if (contentType != null) {
        headers.put("Content-Type", contentType);
      }
      body = response.getBody();
    }
    byte[] bytes;
    String defaultType;
    if (body == null) {
      bytes = new byte[0];
      defaultType = null;
    } else if (body instanceof String text) {
      bytes = text.getBytes(StandardCharsets.UTF_8);
      defaultType = "text/plain; charset=utf-8";
    } else if (body instanceof byte[] raw) {
      bytes = raw;
      defaultType = "application/octet-stream";
    } else {
      LOG.severe(
          "Function "
              + function.name()
              + " returned a body of type "
              + body.getClass().getName()
              + "; the local host only sends String or byte[] bodies (serialize JSON yourself)");
      failed(exchange, function);
      return false;
    }
    if (defaultType != null
        && headers.keySet().stream().noneMatch(n -> n.equalsIgnoreCase("Content-Type"))) {
      headers.put("Content-Type", defaultType);
    }
    ResponseWriter.write(exchange, status, headers, bytes);
    return true;
  }

  private static String executed(
      FunctionDefinition function,
      LocalExecutionContext context,
      String outcome,
      long startedNanos) {
    return "Executed 'Functions."
        + function.name()
        + "' ("
        + outcome
        + ", Id="
        + context.getInvocationId()
        + ", Duration="
        + (System.nanoTime() - startedNanos) / 1_000_000
        + "ms)";
  }

  private static void failed(HttpExchange exchange, FunctionDefinition function)
      throws IOException {
    ResponseWriter.problem(
        exchange,
        500,
        "Internal Server Error",
        "function " + function.name() + " failed",
        Map.of());
  }

  private static void notFound(HttpExchange exchange, String method, String path)
      throws IOException {
    ResponseWriter.problem(
        exchange, 404, "Not Found", "No function serves " + method + " " + path, Map.of());
  }

  private static HttpMethod parseMethod(String name) {
    try {
      return HttpMethod.valueOf(name);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Lower-cased names; repeated headers (or names differing only in case) joined with ", ". */
  static Map<String, String> headers(HttpExchange exchange) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> entry : exchange.getRequestHeaders().entrySet()) {
      String name = entry.getKey().toLowerCase(Locale.ROOT);
      String value = String.join(", ", entry.getValue());
      headers.merge(name, value, (a, b) -> a + ", " + b);
    }
    return headers;
  }

  /**
   * Decoded query parameters; the first occurrence of a name wins; a name without '=' has value "".
   */
  static Map<String, String> queryParameters(String rawQuery) {
    Map<String, String> query = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return query;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String name = decodeQuery(equals < 0 ? pair : pair.substring(0, equals));
      String value = equals < 0 ? "" : decodeQuery(pair.substring(equals + 1));
      query.putIfAbsent(name, value);
    }
    return query;
  }

  private static String decodeQuery(String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return text;
    }
  }

  private static URI uri(HttpExchange exchange) {
    URI requestUri = exchange.getRequestURI();
    String host = exchange.getRequestHeaders().getFirst("Host");
    if (host == null || host.isBlank()) {
      var local = exchange.getLocalAddress();
      host = local.getAddress().getHostAddress() + ":" + local.getPort();
    }
    String query = requestUri.getRawQuery();
    try {
      return URI.create(
          "http://" + host + requestUri.getRawPath() + (query == null ? "" : "?" + query));
    } catch (IllegalArgumentException e) {
      var local = exchange.getLocalAddress();
      return URI.create(
          "http://"
              + local.getAddress().getHostAddress()
              + ":"
              + local.getPort()
              + requestUri.getRawPath()
              + (query == null ? "" : "?" + query));
    }
  }
}
