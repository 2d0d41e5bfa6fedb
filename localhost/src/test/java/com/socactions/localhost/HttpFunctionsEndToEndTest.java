package com.socactions.localhost;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Drives the sample functions in {@code samples.http} through a real HTTP connection. */
class HttpFunctionsEndToEndTest {
  private static final String KEY = "test-key";
  private static LocalFunctionHost host;
  private static HttpClient client;

  @BeforeAll
  static void startHost() {
    host =
        LocalFunctionHost.builder()
            .scanPackage("com.socactions.localhost.samples.http")
            .port(0)
            .functionKey(KEY)
            .timersEnabled(false)
            .build()
            .start();
    client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  @AfterAll
  static void stopHost() {
    host.close();
  }

  @Test
  void aStartedHostHasTheJdkServerTurnNaglesAlgorithmOff() {
    // What this changes is latency (a small answer no longer waits ~40 ms for a delayed ACK), and
    // tests do not assert on wall-clock time: this pins down that the host asks for it.
    assertThat(System.getProperty(LocalFunctionHost.NO_DELAY_PROPERTY)).isEqualTo("true");
  }

  private static HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(host.baseUrl() + path))
        .timeout(Duration.ofSeconds(10));
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return send(request(path).GET());
  }

  @Test
  void theBaseUrlIsLoopbackWithTheApiPrefix() {
    assertThat(host.baseUrl()).isEqualTo("http://127.0.0.1:" + host.port() + "/api/");
  }

  @Test
  void aLiteralRouteBeatsParameterRoutes() throws Exception {
    assertThat(get("items/new").body()).isEqualTo("literal");
    assertThat(get("ITEMS/New").body()).isEqualTo("literal");
  }

  @Test
  void aConstrainedParameterBeatsAPlainOne() throws Exception {
    assertThat(get("items/42").body()).isEqualTo("int:42");
    assertThat(get("items/forty-two").body()).isEqualTo("name:forty-two");
    assertThat(get("items/a%2Fb%20c").body()).isEqualTo("name:a%2Fb c");
  }

  @Test
  void aGuidOrAlphaConstraintPicksTheRightFunction() throws Exception {
    assertThat(get("typed/3f2504e0-4f89-11d3-9a0c-0305e82c3301").body())
        .isEqualTo("guid:3f2504e0-4f89-11d3-9a0c-0305e82c3301");
    assertThat(get("typed/abc").body()).isEqualTo("alpha:abc");
    assertThat(get("typed/abc1").statusCode()).isEqualTo(404);
  }

  @Test
  void theSameRouteCanBeSplitAcrossFunctionsByMethod() throws Exception {
    assertThat(send(request("items/7").PUT(HttpRequest.BodyPublishers.noBody())).body())
        .isEqualTo("update:7");
    assertThat(send(request("items/7").DELETE()).body()).isEqualTo("update:7");
  }

  @Test
  void aCatchAllParameterReceivesTheRestOfThePath() throws Exception {
    assertThat(get("files/a/b/c.txt").body()).isEqualTo("rest:a/b/c.txt");
  }

  @Test
  void bindingNamesComeFromTheRouteThenFromTheQuery() throws Exception {
    assertThat(get("greet/ann?lang=fr&name=ignored").body())
        .isEqualTo("hello ann suffix=null lang=fr");
    assertThat(get("greet/ann/jr").body()).isEqualTo("hello ann suffix=jr lang=null");
  }

  @Test
  void anEmptyRouteDefaultsToTheFunctionNameForAllMethods() throws Exception {
    assertThat(get("defaultrouted").body()).isEqualTo("default route, method GET");
    assertThat(
            send(request("DefaultRouted").method("PATCH", HttpRequest.BodyPublishers.noBody()))
                .body())
        .isEqualTo("default route, method PATCH");
  }

  @Test
  void aKnownPathWithAnUnsupportedMethodGets405WithAllow() throws Exception {
    HttpResponse<String> response =
        send(request("items/7").POST(HttpRequest.BodyPublishers.ofString("x")));
    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.headers().firstValue("Allow")).hasValue("DELETE, GET, PUT");
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(response.body())
        .isEqualTo(
            "{\"type\":\"about:blank\",\"title\":\"Method Not Allowed\","
                + "\"status\":405,\"detail\":\"No function serves POST /api/items/7\"}");
  }

  @Test
  void anUnknownPathGets404Problem() throws Exception {
    HttpResponse<String> response = get("x");
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(response.body())
        .isEqualTo(
            "{\"type\":\"about:blank\",\"title\":\"Not Found\","
                + "\"status\":404,\"detail\":\"No function serves GET /api/x\"}");
    assertThat(
            send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + host.port() + "/other")))
                .statusCode())
        .isEqualTo(404);
  }

  @Test
  void aRequestWithoutTheKeyIsRejectedWith401AndAnEmptyBodyAsInAzure() throws Exception {
    HttpResponse<String> response = get("v1/health");
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("Content-Type")).isEmpty();
    assertThat(response.body()).isEmpty();
  }

  @Test
  void aWrongKeyIsRejectedWith401() throws Exception {
    HttpResponse<String> response = send(request("v1/health").header("x-functions-key", "wrong"));
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.body()).isEmpty();
    assertThat(get("v1/health?code=wrong").statusCode()).isEqualTo(401);
  }

  @Test
  void theKeyIsAcceptedInTheHeader() throws Exception {
    HttpResponse<String> response = send(request("v1/health").header("x-functions-key", KEY));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("healthy");
  }

  @Test
  void theKeyIsAcceptedAsTheCodeQueryParameter() throws Exception {
    assertThat(get("v1/health?code=" + KEY).statusCode()).isEqualTo(200);
  }

  @Test
  void anAnonymousFunctionNeedsNoKey() throws Exception {
    assertThat(get("open").body()).isEqualTo("open");
  }

  @Test
  void theFunctionSeesTheFullUriLowerCasedHeadersAndDecodedQuery() throws Exception {
    HttpResponse<String> response =
        send(
            request("echo?q=a%20b&q=second&flag&x=1%2B1")
                .header("x-functions-key", KEY)
                .header("X-Custom-Header", "Value")
                .header("X-Multi", "one")
                .header("X-Multi", "two")
                .header("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body())
        .contains(
            "uri=http://127.0.0.1:" + host.port() + "/api/echo?q=a%20b&q=second&flag&x=1%2B1\n")
        .contains("method=GET\n")
        .contains("header.x-custom-header=Value\n")
        .contains("header.x-multi=one, two\n")
        .contains("query.q=a b\n")
        .contains("query.flag=\n")
        .contains("query.x=1+1\n")
        .contains("body=empty\n")
        .contains("function=Echo\n")
        .containsPattern("traceparent=00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01\n")
        .doesNotContain("header.X-");
  }

  @Test
  void eachInvocationGetsItsOwnIdAndANewTraceWhenNoneIsSent() throws Exception {
    String first = send(request("echo").header("x-functions-key", KEY)).body();
    String second = send(request("echo").header("x-functions-key", KEY)).body();
    assertThat(line(first, "invocation=")).isNotEqualTo(line(second, "invocation="));
    assertThat(line(first, "traceparent=")).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
  }

  private static String line(String body, String prefix) {
    return body.lines()
        .filter(l -> l.startsWith(prefix))
        .findFirst()
        .orElseThrow()
        .substring(prefix.length());
  }

  @Test
  void anOptionalStringBodyCarriesTheUtf8Text() throws Exception {
    HttpResponse<String> response =
        send(
            request("echo")
                .header("x-functions-key", KEY)
                .POST(HttpRequest.BodyPublishers.ofString("héllo", StandardCharsets.UTF_8)));
    assertThat(response.body()).contains("body=present:héllo\n").contains("method=POST\n");
  }

  @Test
  void aStringBodyIsBoundAsText() throws Exception {
    assertThat(send(request("text").POST(HttpRequest.BodyPublishers.ofString("ab€"))).body())
        .isEqualTo("chars=3");
    assertThat(send(request("text").POST(HttpRequest.BodyPublishers.noBody())).body())
        .isEqualTo("chars=0");
  }

  @Test
  void aLargeByteBodyRoundTripsUnchanged() throws Exception {
    byte[] body = new byte[1024 * 1024];
    new Random(7).nextBytes(body);
    HttpResponse<byte[]> response =
        client.send(
            request("bytes").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(body);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
    assertThat(response.headers().firstValue("X-Length")).hasValue(String.valueOf(body.length));
  }

  @Test
  void aChunkedUploadIsReadCompletely() throws Exception {
    byte[] body = new byte[300_000];
    new Random(3).nextBytes(body);
    // An InputStream publisher has no known length, so the client sends Transfer-Encoding: chunked.
    HttpResponse<String> response =
        send(
            request("bytes")
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(body))));
    assertThat(response.headers().firstValue("X-Sha256"))
        .hasValue(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)));
  }

  @Test
  void anOptionalByteBodyIsEmptyWithoutABody() throws Exception {
    assertThat(send(request("optional-bytes").POST(HttpRequest.BodyPublishers.noBody())).body())
        .isEqualTo("no body");
  }

  @Test
  void withoutDataTypeBinaryAnOctetStreamBodyStillArrivesAsBytes() throws Exception {
    assertThat(
            send(request("optional-bytes")
                    .header("Content-Type", "application/octet-stream")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {1, 2})))
                .body())
        .isEqualTo("bytes=2");
    assertThat(
            send(request("optional-bytes")
                    .header("Content-Type", "multipart/form-data; boundary=x")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {1, 2, 3})))
                .body())
        .isEqualTo("bytes=3");
  }

  @Test
  void withoutDataTypeBinaryATextBodyCannotBindToBytesAsInTheJavaWorker() throws Exception {
    HttpResponse<String> response =
        send(
            request("optional-bytes")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.body()).contains("function OptionalBytes failed");
  }

  @Test
  void withDataTypeBinaryTheBytesAreExactlyThoseSentWhateverTheContentType() throws Exception {
    // A UTF-8 byte order mark, then bytes that are not UTF-8: text decoding would alter both.
    byte[] body = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '{', (byte) 0xC3, (byte) 0x28, '}'};
    for (String contentType :
        new String[] {"application/json", "text/plain; charset=iso-8859-1", "application/xml"}) {
      HttpResponse<byte[]> response =
          client.send(
              request("bytes")
                  .header("Content-Type", contentType)
                  .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertThat(response.body()).as(contentType).isEqualTo(body);
    }
  }

  @Test
  void aTextBodyIsDecodedAsTheHostDoesDroppingTheByteOrderMark() throws Exception {
    byte[] body = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, 'h', 'i', (byte) 0xFF};
    HttpResponse<String> response =
        send(
            request("echo")
                .header("x-functions-key", KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    assertThat(response.body()).contains("body=present:hi\uFFFD\n");
  }

  @Test
  void anOctetStreamBodyCannotBindToAStringAsInTheJavaWorker() throws Exception {
    HttpResponse<String> response =
        send(
            request("echo")
                .header("x-functions-key", KEY)
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofString("hi")));
    assertThat(response.statusCode()).isEqualTo(500);
  }

  @Test
  void statusAndHeadersSetByTheFunctionReachTheClient() throws Exception {
    HttpResponse<String> response = get("status/201");
    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(response.headers().allValues("X-Custom")).containsExactly("second");
    assertThat(response.headers().firstValue("Location")).hasValue("/api/things/1");
    assertThat(response.body()).isEqualTo("{\"code\":201}");
    assertThat(get("status/418").statusCode()).isEqualTo(418);
  }

  @Test
  void aStringBodyWithoutContentTypeIsSentAsUtf8PlainText() throws Exception {
    assertThat(get("open").headers().firstValue("Content-Type"))
        .hasValue("text/plain; charset=utf-8");
  }

  @Test
  void aHeadRequestGetsHeadersButNoBody() throws Exception {
    HttpResponse<String> response =
        send(request("status/200").method("HEAD", HttpRequest.BodyPublishers.noBody()));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("X-Custom")).hasValue("second");
    assertThat(response.body()).isEmpty();
  }

  @Test
  void aThrowingFunctionGives500ProblemWithoutTheStackTrace() throws Exception {
    PrintStream originalErr = System.err;
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    HttpResponse<String> response;
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    try {
      response = get("boom");
    } finally {
      System.setErr(originalErr);
    }
    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(response.body())
        .isEqualTo(
            "{\"type\":\"about:blank\",\"title\":\"Internal Server Error\","
                + "\"status\":500,\"detail\":\"function Boom failed\"}");
    assertThat(log.toString(StandardCharsets.UTF_8))
        .contains("secret internal detail")
        .contains("at com.socactions.localhost.samples.http.EchoFunctions.boom");
  }

  @Test
  void aBodyThatIsNeitherStringNorBytesGives500() throws Exception {
    HttpResponse<String> response = get("bad-body");
    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.body()).contains("function BadBody failed");
  }

  @Test
  void concurrentRequestsAreServedInParallel() throws Exception {
    var futures =
        new java.util.ArrayList<java.util.concurrent.CompletableFuture<HttpResponse<String>>>();
    for (int i = 0; i < 40; i++) {
      futures.add(
          client.sendAsync(request("items/" + i).build(), HttpResponse.BodyHandlers.ofString()));
    }
    for (int i = 0; i < futures.size(); i++) {
      assertThat(futures.get(i).get().body()).isEqualTo("int:" + i);
    }
  }
}
