package com.socactions.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.socactions.testing.NoDelaySockets;
import com.socactions.testing.SharedFixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;

/**
 * A fake App Service managed-identity endpoint on loopback, as Azure Identity 1.18 asks it (see
 * ARCHITECTURE.md, Credentials): {@code GET ?api-version=2019-08-01&resource=<scope without
 * /.default>} with header {@code X-IDENTITY-HEADER}. It answers the recorded shape of {@code
 * graph/token-managed-identity.json} with {@code access_token = }{@link #tokenFor
 * tokenFor(resource)} (an Entra ID v1 access token as a managed identity gets one: a JWT whose
 * {@code oid} is {@link #PRINCIPAL_ID}) and an {@code expires_on} an hour after the clock's now; a
 * wrong or missing header gets 400. Scripting: {@link #delay}, {@link #fail}. Public so that
 * end-to-end tests in other packages can point the app's real credential chain at it.
 *
 * <p>Use: settings {@code IDENTITY_ENDPOINT = fake.endpoint()}, {@code IDENTITY_HEADER =
 * FakeManagedIdentityEndpoint.HEADER}.
 */
public final class FakeManagedIdentityEndpoint implements AutoCloseable {
  public static final String HEADER = "853b9a84-5bfa-4b22-a3f3-0b9a43d9ad8a";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TOKEN_LIFETIME = Duration.ofHours(1);

  private final MockWebServer server = new MockWebServer();
  private final JsonNode recorded;
  private final Clock clock;
  private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
  private volatile Duration delay = Duration.ZERO;
  private volatile int failureStatus;

  private FakeManagedIdentityEndpoint(Clock clock) {
    this.clock = clock;
    try {
      this.recorded = JSON.readTree(SharedFixtures.read("graph/token-managed-identity.json"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static FakeManagedIdentityEndpoint start(Clock clock) throws IOException {
    FakeManagedIdentityEndpoint fake = new FakeManagedIdentityEndpoint(clock);
    fake.server.setDispatcher(fake.new TokenDispatcher());
    fake.server.setServerSocketFactory(
        NoDelaySockets.FACTORY); // no ~40 ms delayed-ACK wait per answer
    fake.server.start(InetAddress.getByName("127.0.0.1"), 0);
    return fake;
  }

  /** The object id of the managed identity this endpoint issues tokens for: its {@code oid}. */
  public static final String PRINCIPAL_ID = "6b9f3c1e-2d4a-4e8b-9c7d-5a1f0e2b3c4d";

  /** The tenant of the tokens ({@code tid}). */
  public static final String TENANT_ID = "aaaabbbb-0000-cccc-1111-dddd2222eeee";

  /**
   * The access token this endpoint issues for a resource (a scope without {@code /.default}), so an
   * upstream fake can accept exactly that token: a JWT shaped as Entra ID issues a managed identity
   * one (v1 claims: {@code aud} the resource, {@code iss}/{@code idp} the tenant's STS, {@code
   * appid} the identity's client id, {@code idtyp} {@code app}, {@code oid} and {@code sub} {@link
   * #PRINCIPAL_ID}, {@code tid}, {@code xms_mirid} the Function App). Its times are fixed so that
   * the same resource always gets the same token, and its signature is random-looking bytes: no one
   * on this side verifies it, as no one does in the connector (the token comes straight from the
   * endpoint).
   */
  public static String tokenFor(String resource) {
    String issuer = "https://sts.windows.net/" + TENANT_ID + "/";
    ObjectNode header =
        JSON.createObjectNode()
            .put("typ", "JWT")
            .put("alg", "RS256")
            .put("x5t", "q-23falevZhhD3hm9CQbkP5MQyU")
            .put("kid", "q-23falevZhhD3hm9CQbkP5MQyU");
    ObjectNode claims =
        JSON.createObjectNode()
            .put("aud", resource)
            .put("iss", issuer)
            .put("iat", 1_767_225_600L)
            .put("nbf", 1_767_225_600L)
            .put("exp", 1_767_312_300L)
            .put("aio", "k2JgYJj0Zb5+0aBcXtTzqqfO/Yt7AQA=")
            .put("appid", "5e29463d-71da-4fe0-8e69-999b57db23b0")
            .put("appidacr", "2")
            .put("idp", issuer)
            .put("idtyp", "app")
            .put("oid", PRINCIPAL_ID)
            .put("rh", "0.AXoAu7i4qrbv5k2ZGA8jAAAAAAAAAAAAAAAAAAAAAAAAAAA.")
            .put("sub", PRINCIPAL_ID)
            .put("tid", TENANT_ID)
            .put("uti", "c2VjcmV0LW5vdC1yZWFsAA")
            .put("ver", "1.0")
            .put(
                "xms_mirid",
                "/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/rg-soc"
                    + "/providers/Microsoft.Web/sites/soc-actions");
    String signed = base64Url(header.toString()) + "." + base64Url(claims.toString());
    byte[] signature = new byte[256]; // RS256 signs with a 2048-bit key
    byte[] digest = Digests.sha256(signed.getBytes(StandardCharsets.UTF_8));
    for (int i = 0; i < signature.length; i++) {
      signature[i] = digest[i % digest.length];
    }
    return signed + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
  }

  private static String base64Url(String json) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  /** The value for {@code IDENTITY_ENDPOINT}. */
  public String endpoint() {
    return "http://127.0.0.1:" + server.getPort() + "/MSI/token";
  }

  /** The identity settings that point Azure Identity here. */
  public Map<String, String> settings() {
    return Map.of("IDENTITY_ENDPOINT", endpoint(), "IDENTITY_HEADER", HEADER);
  }

  /** Every answer from now on waits this long before its headers. */
  public FakeManagedIdentityEndpoint delay(Duration value) {
    this.delay = value;
    return this;
  }

  /** Every request from now on answers this status (0 restores tokens). */
  public FakeManagedIdentityEndpoint fail(int status) {
    this.failureStatus = status;
    return this;
  }

  public List<RecordedRequest> requests() {
    return List.copyOf(requests);
  }

  @Override
  public void close() throws IOException {
    server.close();
  }

  private final class TokenDispatcher extends Dispatcher {
    @Override
    public MockResponse dispatch(RecordedRequest request) {
      requests.add(request);
      HttpUrl url = request.getUrl();
      MockResponse.Builder response =
          new MockResponse.Builder()
              .addHeader("Content-Type", "application/json")
              .headersDelay(delay.toMillis(), TimeUnit.MILLISECONDS);
      String resource = url.queryParameter("resource");
      if (failureStatus != 0) {
        return response.code(failureStatus).body("{\"error\":\"scripted failure\"}").build();
      }
      if (!HEADER.equals(request.getHeaders().get("X-IDENTITY-HEADER"))
          || resource == null
          || !"2019-08-01".equals(url.queryParameter("api-version"))) {
        return response.code(400).body("{\"error\":\"invalid_request\"}").build();
      }
      ObjectNode body = ((ObjectNode) recorded.path("response").path("body")).deepCopy();
      body.put("access_token", tokenFor(resource));
      body.put("resource", resource);
      body.put("expires_on", Long.toString(clock.instant().plus(TOKEN_LIFETIME).getEpochSecond()));
      return response.code(200).body(body.toString()).build();
    }
  }
}
