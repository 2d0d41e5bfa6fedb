package com.socactions.localhost;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** host.json's routePrefix and functionTimeout, through real HTTP. */
class HostJsonHonouredTest {
  @TempDir Path dir;

  private final HttpClient client = HttpClient.newHttpClient();

  private LocalFunctionHost start(String hostJson) throws Exception {
    Path file = dir.resolve("host.json");
    Files.writeString(file, hostJson);
    return LocalFunctionHost.builder()
        .scanPackage("com.socactions.localhost.samples.slow")
        .port(0)
        .functionKey("k")
        .timersEnabled(false)
        .hostJson(file)
        .build()
        .start();
  }

  private HttpResponse<String> get(String url) throws Exception {
    // The client's own timeout only guards the test run against a hang; nothing asserts on time.
    return client.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theRoutePrefixReplacesApi() throws Exception {
    try (LocalFunctionHost host = start("{\"extensions\":{\"http\":{\"routePrefix\":\"fn\"}}}")) {
      assertThat(host.baseUrl()).isEqualTo("http://127.0.0.1:" + host.port() + "/fn/");
      assertThat(get(host.baseUrl() + "quick").body()).isEqualTo("quick");
      assertThat(get("http://127.0.0.1:" + host.port() + "/api/quick").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void anEmptyRoutePrefixServesRoutesAtTheRoot() throws Exception {
    try (LocalFunctionHost host = start("{\"extensions\":{\"http\":{\"routePrefix\":\"\"}}}")) {
      assertThat(host.baseUrl()).isEqualTo("http://127.0.0.1:" + host.port() + "/");
      assertThat(get(host.baseUrl() + "quick").body()).isEqualTo("quick");
    }
  }

  @Test
  void anInvocationOutlivingFunctionTimeoutGets500AndIsLoggedAsTheHostLogsIt() throws Exception {
    PrintStream originalErr = System.err;
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    HttpResponse<String> response;
    try (LocalFunctionHost host = start("{\"functionTimeout\":\"00:00:00.2\"}")) {
      System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
      try {
        response = get(host.baseUrl() + "block");
      } finally {
        System.setErr(originalErr);
      }
      assertThat(get(host.baseUrl() + "quick").body()).isEqualTo("quick");
    }
    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.body()).contains("function Block failed");
    assertThat(log.toString(StandardCharsets.UTF_8))
        .contains("Timeout value of 00:00:00.2000000 exceeded by function 'Functions.Block'")
        .contains("Initiating cancellation");
  }
}
