package com.socactions.localhost;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The app's own {@code {*path}} fallback must only serve what no other function serves (path and
 * method).
 */
class CatchAllPrecedenceTest {
  private static LocalFunctionHost host;
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void startHost() {
    host =
        LocalFunctionHost.builder()
            .scanPackage("com.socactions.localhost.samples.http")
            .scanPackage("com.socactions.localhost.samples.catchall")
            .port(0)
            .functionKey("k")
            .timersEnabled(false)
            .build()
            .start();
  }

  @AfterAll
  static void stopHost() {
    host.close();
  }

  private static HttpResponse<String> send(String method, String path) throws Exception {
    return CLIENT.send(
        HttpRequest.newBuilder(URI.create(host.baseUrl() + path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theCatchAllLosesToLiteralRoutes() throws Exception {
    assertThat(send("GET", "items/new").body()).isEqualTo("literal");
  }

  @Test
  void theCatchAllLosesToParameterRoutes() throws Exception {
    assertThat(send("GET", "items/42").body()).isEqualTo("int:42");
    assertThat(send("GET", "items/abc").body()).isEqualTo("name:abc");
  }

  @Test
  void theCatchAllLosesToAMoreSpecificCatchAll() throws Exception {
    assertThat(send("GET", "files/x/y").body()).isEqualTo("rest:x/y");
  }

  @Test
  void theCatchAllServesUnknownPaths() throws Exception {
    HttpResponse<String> response = send("GET", "no/such/thing");
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).isEqualTo("catch-all:no/such/thing");
  }

  @Test
  void theCatchAllServesAKnownPathWhenNoOtherFunctionAllowsTheMethod() throws Exception {
    assertThat(send("POST", "items/42").body()).isEqualTo("catch-all:items/42");
  }

  @Test
  void theCatchAllServesTheApiRootWithoutAPath() throws Exception {
    assertThat(send("GET", "").body()).isEqualTo("catch-all:null");
  }
}
