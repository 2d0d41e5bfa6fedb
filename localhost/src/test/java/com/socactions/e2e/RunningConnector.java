package com.socactions.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.socactions.api.AppServices;
import com.socactions.localhost.LocalFunctionHost;
import com.socactions.platform.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * The Function App served by the local host on a free loopback port, with the given settings
 * (set as system properties for the run, restored on close), called over real HTTP.
 */
final class RunningConnector implements AutoCloseable {
  static final String KEY = "e2e-function-key";

  private final Map<String, String> settings;
  private final LocalFunctionHost host;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  RunningConnector(Map<String, String> settings) {
    this.settings = settings;
    settings.forEach(System::setProperty);
    AppServices.reset();
    this.host = LocalFunctionHost.builder()
        .scanPackage("com.socactions.api")
        .bindAddress("127.0.0.1")
        .port(0)
        .functionKey(KEY)
        .timersEnabled(false)
        .build()
        .start();
  }

  String baseUrl() {
    return host.baseUrl();
  }

  int port() {
    return host.port();
  }

  HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).header("x-functions-key", KEY).GET());
  }

  HttpResponse<String> post(String path, String json) {
    return send(HttpRequest.newBuilder(uri(path)).header("x-functions-key", KEY)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  URI uri(String path) {
    return URI.create(baseUrl() + (path.startsWith("/") ? path.substring(1) : path));
  }

  static JsonNode json(HttpResponse<String> response) {
    try {
      return Json.UPSTREAM.readTree(response.body());
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + response.body(), e);
    }
  }

  @Override
  public void close() {
    host.close();
    settings.keySet().forEach(System::clearProperty);
    AppServices.reset();
  }
}
