package com.socactions.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.socactions.testing.NoDelaySockets;
import com.socactions.testing.SharedFixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
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
 * graph/token-managed-identity.json} with {@code access_token = "token-for-" + resource} and an
 * {@code expires_on} an hour after the clock's now; a wrong or missing header gets 400. Scripting:
 * {@link #delay}, {@link #fail}. Public so that end-to-end tests in other packages can point the
 * app's real credential chain at it.
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

  /**
   * The access token this endpoint issues for a resource (a scope without {@code /.default}), so an
   * upstream fake can accept exactly that token.
   */
  public static String tokenFor(String resource) {
    return "token-for-" + resource;
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
