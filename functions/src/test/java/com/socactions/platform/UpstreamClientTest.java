package com.socactions.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.azure.core.credential.AccessToken;
import com.socactions.testing.LogCapture;
import com.socactions.testing.MutableClock;
import com.socactions.testing.TestKit;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;
import okhttp3.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * The upstream-client kit on a local HTTP server: what every client it builds sends (credential,
 * correlation id), what it logs (never a secret), and how its policy retries.
 */
class UpstreamClientTest {
  private static final String SECRET = "s3cr3t-never-logged";

  private final MockWebServer server = new MockWebServer();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
  private final List<Duration> waits = new CopyOnWriteArrayList<>();
  private final UpstreamClients kit = TestKit.kit(clock, waits::add);
  private LogCapture log;

  @BeforeEach
  void start() throws Exception {
    server.start(InetAddress.getByName("127.0.0.1"), 0);
    log = LogCapture.of(UpstreamClient.class.getName(), Level.FINE);
  }

  @AfterEach
  void stop() {
    log.close();
    server.close();
  }

  private HttpUrl base() {
    return server.url("/api/");
  }

  private void answer(int status, String body) {
    server.enqueue(
        new MockResponse.Builder()
            .code(status)
            .addHeader("Content-Type", "application/json")
            .body(body)
            .build());
  }

  private RecordedRequest taken() throws InterruptedException {
    RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(request).as("a request reached the server").isNotNull();
    return request;
  }

  @Test
  void basicAuthGoesOnEveryCallAndIntoNoLogLine() throws Exception {
    UpstreamClient client = kit.client("Vendor").baseUrl(base()).basicAuth("soc", SECRET).build();
    answer(200, "{\"ok\":true}");
    answer(200, "{}");

    assertThat(
            client
                .callJson(
                    new Request.Builder().url(client.url().addPathSegment("a").build()).build())
                .path("ok")
                .asBoolean())
        .isTrue();
    client.call(new Request.Builder().url(client.url().addPathSegment("b").build()).build());

    String expected =
        "Basic "
            + Base64.getEncoder()
                .encodeToString(("soc:" + SECRET).getBytes(StandardCharsets.UTF_8));
    assertThat(taken().getHeaders().get("Authorization")).isEqualTo(expected);
    assertThat(taken().getHeaders().get("Authorization")).isEqualTo(expected);
    assertThat(log.lines).hasSize(2).allSatisfy(line -> assertThat(line).contains("Vendor GET"));
    assertThat(String.join("\n", log.lines))
        .doesNotContain(SECRET)
        .doesNotContain(expected.substring("Basic ".length()));
  }

  @Test
  void anApiKeyGoesInItsVendorsHeaderAndQueryValuesAreRedactedInTheLog() throws Exception {
    UpstreamClient client =
        kit.client("PAN-OS").baseUrl(base()).apiKey("X-PAN-KEY", SECRET).build();
    answer(200, "<response status=\"success\"/>");

    client.call(
        new Request.Builder()
            .url(
                client
                    .url()
                    .addQueryParameter("type", "op")
                    .addQueryParameter("key", SECRET)
                    .build())
            .build());

    assertThat(taken().getHeaders().get("X-PAN-KEY")).isEqualTo(SECRET);
    assertThat(log.lines)
        .singleElement()
        .satisfies(
            line -> {
              assertThat(line).contains("type=***").contains("key=***").contains("-> 200");
              assertThat(line).doesNotContain(SECRET).doesNotContain("op");
            });
  }

  @Test
  void anAzureTokenForTheScopeIsTheBearerOfEveryCall() throws Exception {
    List<String> scopes = new CopyOnWriteArrayList<>();
    AzureCredentials credentials =
        AzureCredentials.of(
            request -> {
              scopes.addAll(request.getScopes());
              return Mono.just(new AccessToken(SECRET, OffsetDateTime.now().plusHours(1)));
            });
    UpstreamClient client =
        kit.client("Azure API")
            .baseUrl(base())
            .bearerToken(credentials, "https://management.example/.default")
            .build();
    answer(200, "{}");

    client.call(new Request.Builder().url(client.url().build()).build());

    assertThat(taken().getHeaders().get("Authorization")).isEqualTo("Bearer " + SECRET);
    assertThat(scopes).containsExactly("https://management.example/.default");
    assertThat(client.scope()).isEqualTo("https://management.example/.default");
    assertThat(String.join("\n", log.lines)).doesNotContain(SECRET);
  }

  @Test
  void theRequestsCorrelationIdTravelsInTheUpstreamsHeader() throws Exception {
    UpstreamClient plain = kit.client("Vendor").baseUrl(base()).build();
    UpstreamClient arm =
        kit.client("ARM").baseUrl(base()).correlationHeader("x-ms-client-request-id", true).build();
    String guid = "0f8fad5b-d9cb-469f-a165-70867728950e";
    for (int i = 0; i < 4; i++) {
      answer(200, "{}");
    }

    try (RequestLogContext.Scope ignored = RequestLogContext.open("[T] ", "run-42")) {
      plain.call(new Request.Builder().url(plain.url().build()).build());
      arm.call(new Request.Builder().url(arm.url().build()).build());
    }
    try (RequestLogContext.Scope ignored = RequestLogContext.open("[T] ", guid)) {
      arm.call(new Request.Builder().url(arm.url().build()).build());
    }
    plain.call(new Request.Builder().url(plain.url().build()).build());

    assertThat(taken().getHeaders().get(UpstreamClients.DEFAULT_CORRELATION_HEADER))
        .isEqualTo("run-42");
    assertThat(taken().getHeaders().get("x-ms-client-request-id"))
        .as("an id that is not a GUID is left out where the API documents a GUID")
        .isNull();
    assertThat(taken().getHeaders().get("x-ms-client-request-id")).isEqualTo(guid);
    assertThat(taken().getHeaders().get(UpstreamClients.DEFAULT_CORRELATION_HEADER))
        .as("outside a request there is no id to send")
        .isNull();
  }

  @Test
  void aThrottledCallIsRetriedAfterTheWaitTheUpstreamAsked() throws Exception {
    UpstreamClient client = kit.client("Vendor").baseUrl(base()).build();
    server.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "7").build());
    server.enqueue(new MockResponse.Builder().code(503).build());
    answer(200, "{\"done\":1}");

    assertThat(
            client
                .callJson(new Request.Builder().url(client.url().build()).build())
                .path("done")
                .asInt())
        .isEqualTo(1);

    assertThat(server.getRequestCount()).isEqualTo(3);
    assertThat(waits).hasSize(2).first().isEqualTo(Duration.ofSeconds(7));
  }

  @Test
  void aClientErrorIsNotRetriedAndFailsWithTheUpstreamsStatus() {
    UpstreamClient client = kit.client("Vendor").baseUrl(base()).build();
    answer(404, "{\"error\":\"no such thing\"}");

    UpstreamException failure =
        catchThrowableOfType(
            UpstreamException.class,
            () -> client.call(new Request.Builder().url(client.url().build()).build()));

    assertThat(failure.failure()).isEqualTo(UpstreamFailure.NOT_FOUND);
    assertThat(failure.httpStatus()).hasValue(404);
    assertThat(failure.upstream()).isEqualTo("Vendor");
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(waits).isEmpty();
  }

  @Test
  void anOAuthTokenIsFetchedOnceReusedAndItsSecretNeverLogged() throws Exception {
    HttpUrl tokenUrl = server.url("/oauth_token.do");
    UpstreamClient client =
        kit.client("Vendor")
            .baseUrl(base())
            .oauthClientCredentials(
                tokenUrl, "client-1", SECRET, "VENDOR_CLIENT_ID and VENDOR_SECRET")
            .build();
    answer(200, "{\"access_token\":\"tok-1\",\"expires_in\":1800}");
    answer(200, "{}");
    answer(200, "{}");

    client.call(new Request.Builder().url(client.url().build()).build());
    client.call(new Request.Builder().url(client.url().build()).build());

    RecordedRequest token = taken();
    assertThat(token.getUrl().encodedPath()).isEqualTo("/oauth_token.do");
    assertThat(token.getBody().utf8())
        .contains("grant_type=client_credentials")
        .contains("client_id=client-1");
    assertThat(taken().getHeaders().get("Authorization")).isEqualTo("Bearer tok-1");
    assertThat(taken().getHeaders().get("Authorization")).isEqualTo("Bearer tok-1");
    assertThat(String.join("\n", log.lines)).doesNotContain(SECRET).doesNotContain("tok-1");
  }

  @Test
  void aRefusedOAuthClientNamesTheSettingsAndQuotesNoSecret() {
    UpstreamClient client =
        kit.client("Vendor")
            .baseUrl(base())
            .oauthClientCredentials(
                server.url("/oauth_token.do"), "client-1", SECRET, "VENDOR_CLIENT_SECRET")
            .build();
    answer(401, "{\"error\":\"invalid_client\",\"echo\":\"" + SECRET + "\"}");

    UpstreamException failure =
        catchThrowableOfType(
            UpstreamException.class,
            () -> client.call(new Request.Builder().url(client.url().build()).build()));

    assertThat(failure.failure()).isEqualTo(UpstreamFailure.UNAUTHORIZED);
    assertThat(failure.getMessage()).contains("VENDOR_CLIENT_SECRET").doesNotContain(SECRET);
    assertThat(String.valueOf(failure.bodyExcerpt())).doesNotContain(SECRET);
  }

  @Test
  void aClientSignsWithOneCredentialOnly() {
    assertThatThrownBy(
            () ->
                kit.client("Vendor")
                    .baseUrl(base())
                    .basicAuth("soc", SECRET)
                    .apiKey("X-Key", SECRET)
                    .build())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(
            () ->
                kit.client("Vendor")
                    .baseUrl(base())
                    .basicAuth("soc", SECRET)
                    .bearerToken(
                        AzureCredentials.of(request -> Mono.empty()), "https://x.example/.default")
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageNotContaining(SECRET);
  }

  @Test
  void theRedactedUrlKeepsQueryNamesAndDropsValuesAndUserInfo() {
    HttpUrl url =
        HttpUrl.get("https://user:" + SECRET + "@fw.example/api/?type=op&key=" + SECRET + "#frag");

    assertThat(UpstreamLog.redacted(url)).isEqualTo("https://fw.example/api/?type=***&key=***");
  }
}
