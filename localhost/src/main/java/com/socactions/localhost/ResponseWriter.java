package com.socactions.localhost;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Writes a status, headers and body to an exchange, including the host's own problem+json answers.
 */
final class ResponseWriter {
  static final String PROBLEM_JSON = "application/problem+json";

  private ResponseWriter() {}

  /**
   * Sends the response. {@code Content-Length} and {@code Transfer-Encoding} set by the caller are
   * dropped because the server derives them from the body; HEAD requests and 1xx/204/304 statuses
   * get no body.
   */
  static void write(HttpExchange exchange, int status, Map<String, String> headers, byte[] body)
      throws IOException {
    var responseHeaders = exchange.getResponseHeaders();
    headers.forEach(
        (name, value) -> {
          if (!name.equalsIgnoreCase("Content-Length")
              && !name.equalsIgnoreCase("Transfer-Encoding")) {
            responseHeaders.set(name, value == null ? "" : value);
          }
        });
    boolean noBody =
        exchange.getRequestMethod().equalsIgnoreCase("HEAD")
            || status < 200
            || status == 204
            || status == 304
            || body.length == 0;
    exchange.sendResponseHeaders(status, noBody ? -1 : body.length);
    if (!noBody) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /**
   * Sends an RFC 9457 problem: {@code {"type":"about:blank","title":..,"status":..,"detail":..}}.
   */
  static void problem(
      HttpExchange exchange,
      int status,
      String title,
      String detail,
      Map<String, String> extraHeaders)
      throws IOException {
    var problem = new java.util.LinkedHashMap<String, Object>();
    problem.put("type", "about:blank");
    problem.put("title", title);
    problem.put("status", status);
    problem.put("detail", detail);
    String json = Json.write(problem);
    var headers = new java.util.LinkedHashMap<>(extraHeaders);
    headers.put("Content-Type", PROBLEM_JSON);
    write(exchange, status, headers, json.getBytes(StandardCharsets.UTF_8));
  }
}
