package com.socactions.platform;

import com.socactions.testing.NoDelaySockets;
import com.socactions.testing.TestKit;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;

/**
 * A fake Azure Table service over HTTPS on loopback (token credentials are only sent over HTTPS):
 * {@code GET /Tables} lists the tables as the service does ({@code {"value":[{"TableName":..}]}}),
 * {@code POST /Tables} creates one (201, or 409 {@code TableAlreadyExists}). Anything else is 404.
 * Every request is recorded with its headers; {@link #delay} slows every answer.
 */
final class FakeTableService implements AutoCloseable {
  private static final String JSON =
      "application/json;odata=minimalmetadata;streaming=true;charset=utf-8";

  private final MockWebServer server = new MockWebServer();
  private final HeldCertificate certificate =
      new HeldCertificate.Builder().addSubjectAlternativeName("127.0.0.1").build();
  private final Set<String> tables = ConcurrentHashMap.newKeySet();
  private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
  private volatile Duration delay = Duration.ZERO;

  static FakeTableService start() throws IOException {
    FakeTableService fake = new FakeTableService();
    HandshakeCertificates serverCertificates =
        new HandshakeCertificates.Builder().heldCertificate(fake.certificate).build();
    fake.server.useHttps(serverCertificates.sslSocketFactory());
    fake.server.setDispatcher(fake.new TablesDispatcher());
    fake.server.setServerSocketFactory(
        NoDelaySockets.FACTORY); // no ~40 ms delayed-ACK wait per answer
    fake.server.start(InetAddress.getByName("127.0.0.1"), 0);
    return fake;
  }

  /** The value for {@code <prefix>__tableServiceUri}. */
  String tableServiceUri() {
    return "https://127.0.0.1:" + server.getPort();
  }

  /** The shared client, trusting this fake's certificate. */
  /** A kit whose clients trust this fake's certificate. */
  UpstreamClients trustingKit() {
    return new UpstreamClients(trustingClient(), Clock.systemUTC(), Sleeper.SYSTEM);
  }

  OkHttpClient trustingClient() {
    HandshakeCertificates trust =
        new HandshakeCertificates.Builder()
            .addTrustedCertificate(certificate.certificate())
            .build();
    return TestKit.http()
        .newBuilder()
        .sslSocketFactory(trust.sslSocketFactory(), trust.trustManager())
        .build();
  }

  FakeTableService delay(Duration value) {
    this.delay = value;
    return this;
  }

  List<RecordedRequest> requests() {
    return List.copyOf(requests);
  }

  @Override
  public void close() throws IOException {
    server.close();
  }

  private final class TablesDispatcher extends Dispatcher {
    @Override
    public MockResponse dispatch(RecordedRequest request) {
      requests.add(request);
      MockResponse.Builder response =
          new MockResponse.Builder()
              .addHeader("Content-Type", JSON)
              .addHeader("x-ms-version", "2019-02-02")
              .headersDelay(delay.toMillis(), TimeUnit.MILLISECONDS);
      String path = request.getUrl().encodedPath();
      if ("GET".equals(request.getMethod()) && path.equals("/Tables")) {
        String value =
            tables.stream()
                .map(name -> "{\"TableName\":\"" + name + "\"}")
                .reduce((a, b) -> a + "," + b)
                .orElse("");
        return response.code(200).body("{\"value\":[" + value + "]}").build();
      }
      if ("POST".equals(request.getMethod()) && path.equals("/Tables")) {
        String name =
            request.getBody() == null
                ? ""
                : request
                    .getBody()
                    .utf8()
                    .replaceAll(".*\"TableName\"\\s*:\\s*\"([^\"]+)\".*", "$1");
        if (!tables.add(name)) {
          return response
              .code(409)
              .body(
                  "{\"odata.error\":{\"code\":\"TableAlreadyExists\",\"message\":{\"lang\":\"en-US\",\"value\":\"The"
                      + " table specified already exists.\"}}}")
              .build();
        }
        return response.code(201).body("{\"TableName\":\"" + name + "\"}").build();
      }
      return response.code(404).body("{\"odata.error\":{\"code\":\"ResourceNotFound\"}}").build();
    }
  }
}
