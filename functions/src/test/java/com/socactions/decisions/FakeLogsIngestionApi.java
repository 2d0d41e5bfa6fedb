package com.socactions.decisions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.socactions.platform.FakeManagedIdentityEndpoint;
import com.socactions.platform.Sleeper;
import com.socactions.platform.UpstreamClients;
import com.socactions.testing.NoDelaySockets;
import com.socactions.testing.TestKit;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;

/**
 * A fake Azure Monitor Logs Ingestion endpoint (a data collection rule's or a DCE's), over HTTPS on
 * loopback, as the REST API documents it: {@code POST
 * /dataCollectionRules/{immutableId}/streams/{stream}?api-version=2023-01-01} with {@code
 * Authorization: Bearer}, a JSON array of objects as the body (plain or {@code Content-Encoding:
 * gzip}), 204 when taken. Errors carry the API's {@code {"error":{"code","message"}}} body and an
 * {@code x-ms-error-code} header: 401 without a bearer token, 404 for another rule, 400 for another
 * stream, a body that is not an array of objects or a row that does not fit the stream, 413 for a
 * body over the 1 MB limit (compressed or not, as the service limits say).
 *
 * <p>Stateful: the rule's stream declaration is read from the shipped template ({@code
 * arm/logs-ingestion.json}), and every taken row is kept, so a test reads back what arrived.
 * Stricter than the service on purpose: a column the stream does not declare, or a value of the
 * wrong JSON type, is a 400 (the service would drop or null it), so the test catches drift between
 * the connector's rows and the deployed schema. Scriptable: the next answers (429 with {@code
 * Retry-After}, 503, 403, ...), and a lower body limit.
 */
final class FakeLogsIngestionApi implements AutoCloseable {
  static final String RULE_ID = "dcr-00112233445566778899aabbccddeeff";
  static final String STREAM = "Custom-SOCActions_CL";
  static final String API_VERSION = "2023-01-01";

  /**
   * The token the app's managed identity gets for {@code https://monitor.azure.com/.default} (from
   * {@link FakeManagedIdentityEndpoint}): a token for any other resource is refused.
   */
  static final String TOKEN = FakeManagedIdentityEndpoint.tokenFor("https://monitor.azure.com");

  /** The service's limit per call, compressed and uncompressed. */
  static final int MAX_BODY_BYTES = 1024 * 1024;

  static final Path TEMPLATE = Path.of("..", "arm", "logs-ingestion.json");

  private static final ObjectMapper JSON = new ObjectMapper();

  private final MockWebServer server = new MockWebServer();
  private final HeldCertificate certificate =
      new HeldCertificate.Builder().addSubjectAlternativeName("127.0.0.1").build();
  private final Map<String, String> columns;
  private final List<ObjectNode> rows = new CopyOnWriteArrayList<>();
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final Deque<MockResponse> scripted = new ConcurrentLinkedDeque<>();
  private volatile MockResponse always;
  private volatile int maxBodyBytes = MAX_BODY_BYTES;

  /** One request as it arrived: its path, headers that matter, and body sizes. */
  record Call(
      String path,
      String authorization,
      String contentEncoding,
      int wireBytes,
      int jsonBytes,
      int rowCount,
      int status) {}

  private FakeLogsIngestionApi(Map<String, String> columns) {
    this.columns = columns;
  }

  static FakeLogsIngestionApi start() throws IOException {
    FakeLogsIngestionApi fake = new FakeLogsIngestionApi(streamColumns());
    HandshakeCertificates tls =
        new HandshakeCertificates.Builder().heldCertificate(fake.certificate).build();
    fake.server.useHttps(tls.sslSocketFactory());
    fake.server.setServerSocketFactory(NoDelaySockets.FACTORY);
    fake.server.setDispatcher(fake.new IngestionDispatcher());
    fake.server.start(InetAddress.getByName("127.0.0.1"), 0);
    return fake;
  }

  /** The stream's columns (name to type) as the shipped data collection rule declares them. */
  static Map<String, String> streamColumns() {
    try {
      JsonNode template = JSON.readTree(Files.readString(TEMPLATE));
      Map<String, String> columns = new LinkedHashMap<>();
      for (JsonNode column : template.at("/variables/streamColumns")) {
        columns.put(column.path("name").asText(), column.path("type").asText());
      }
      return Collections.unmodifiableMap(columns);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The value for {@code LOGS_INGESTION_ENDPOINT}. */
  String endpoint() {
    return "https://127.0.0.1:" + server.getPort();
  }

  /** The shared client, trusting this fake's certificate. */
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

  /** A kit whose clients trust this fake's certificate, on {@code clock}. */
  UpstreamClients trustingKit(Clock clock) {
    return new UpstreamClients(trustingClient(), clock, Sleeper.SYSTEM);
  }

  /** Every row taken so far, in arrival order. */
  List<ObjectNode> rows() {
    return List.copyOf(rows);
  }

  List<Call> calls() {
    return List.copyOf(calls);
  }

  /** The next {@code n} calls get this status (and {@code Retry-After} when not null). */
  FakeLogsIngestionApi failNext(int n, int status, Integer retryAfterSeconds) {
    for (int i = 0; i < n; i++) {
      scripted.add(error(status, code(status), "scripted failure", retryAfterSeconds));
    }
    return this;
  }

  /** Every call gets this status until {@link #recover()}. */
  FakeLogsIngestionApi failAll(int status, Integer retryAfterSeconds) {
    always = error(status, code(status), "scripted failure", retryAfterSeconds);
    return this;
  }

  FakeLogsIngestionApi recover() {
    always = null;
    scripted.clear();
    return this;
  }

  /** A lower body limit than the service's, to see a 413 with small batches. */
  FakeLogsIngestionApi maxBodyBytes(int value) {
    this.maxBodyBytes = value;
    return this;
  }

  @Override
  public void close() throws IOException {
    server.close();
  }

  private static String code(int status) {
    return switch (status) {
      case 403 -> "AuthorizationFailed";
      case 413 -> "ContentLengthLimitExceeded";
      case 429 -> "TooManyRequests";
      case 503 -> "ServiceUnavailable";
      default -> "Error" + status;
    };
  }

  private static MockResponse error(int status, String code, String message, Integer retryAfter) {
    ObjectNode body = JSON.createObjectNode();
    body.putObject("error").put("code", code).put("message", message);
    MockResponse.Builder builder =
        new MockResponse.Builder()
            .code(status)
            .setHeader("Content-Type", "application/json")
            .setHeader("x-ms-error-code", code)
            .body(body.toString());
    if (retryAfter != null) {
      builder.setHeader("Retry-After", retryAfter.toString());
    }
    return builder.build();
  }

  private final class IngestionDispatcher extends Dispatcher {
    @Override
    public MockResponse dispatch(RecordedRequest request) {
      byte[] wire = request.getBody() == null ? new byte[0] : request.getBody().toByteArray();
      String encoding = request.getHeaders().get("Content-Encoding");
      String authorization = request.getHeaders().get("Authorization");
      String path = request.getUrl().encodedPath();
      Answer answer = answer(request, wire, encoding, authorization, path);
      calls.add(
          new Call(
              path + "?" + request.getUrl().encodedQuery(),
              authorization,
              encoding,
              wire.length,
              answer.jsonBytes,
              answer.rowCount,
              answer.response.getCode()));
      return answer.response;
    }

    private record Answer(MockResponse response, int jsonBytes, int rowCount) {}

    private Answer answer(
        RecordedRequest request, byte[] wire, String encoding, String authorization, String path) {
      if (!"POST".equals(request.getMethod())) {
        return new Answer(error(405, "MethodNotAllowed", "POST only", null), 0, 0);
      }
      if (authorization == null || !authorization.equals("Bearer " + TOKEN)) {
        return new Answer(
            error(401, "InvalidToken", "An Azure AD bearer token is required", null), 0, 0);
      }
      String[] parts = path.split("/");
      // "", "dataCollectionRules", "{id}", "streams", "{stream}"
      if (parts.length != 5
          || !"dataCollectionRules".equals(parts[1])
          || !"streams".equals(parts[3])) {
        return new Answer(error(404, "NotFound", "No such route: " + path, null), 0, 0);
      }
      if (!API_VERSION.equals(request.getUrl().queryParameter("api-version"))) {
        return new Answer(
            error(400, "InvalidApiVersion", "api-version " + API_VERSION, null), 0, 0);
      }
      if (!RULE_ID.equals(parts[2])) {
        return new Answer(
            error(
                404,
                "NotFound",
                "Data collection rule with immutable Id '" + parts[2] + "' not found",
                null),
            0,
            0);
      }
      if (!STREAM.equals(parts[4])) {
        return new Answer(
            error(400, "InvalidStream", "Stream " + parts[4] + " is not declared", null), 0, 0);
      }
      if (wire.length > maxBodyBytes) {
        return new Answer(error(413, code(413), "Body over the limit", null), 0, 0);
      }
      byte[] json;
      try {
        json =
            "gzip".equalsIgnoreCase(encoding)
                ? new GZIPInputStream(new ByteArrayInputStream(wire)).readAllBytes()
                : wire;
      } catch (IOException e) {
        return new Answer(error(400, "InvalidContent", "Not gzip", null), 0, 0);
      }
      if (json.length > maxBodyBytes) {
        return new Answer(error(413, code(413), "Body over the limit", null), json.length, 0);
      }
      MockResponse scriptedAnswer = always != null ? always : scripted.poll();
      if (scriptedAnswer != null) {
        return new Answer(scriptedAnswer, json.length, 0);
      }
      JsonNode body;
      try {
        body = JSON.readTree(json);
      } catch (IOException e) {
        return new Answer(error(400, "InvalidJson", "Body is not JSON", null), json.length, 0);
      }
      if (!body.isArray()) {
        return new Answer(error(400, "InvalidJson", "Body is not an array", null), json.length, 0);
      }
      List<ObjectNode> taken = new ArrayList<>();
      for (JsonNode row : body) {
        String problem = problem(row);
        if (problem != null) {
          return new Answer(error(400, "InvalidData", problem, null), json.length, 0);
        }
        taken.add((ObjectNode) row);
      }
      rows.addAll(taken);
      return new Answer(new MockResponse.Builder().code(204).build(), json.length, taken.size());
    }

    private String problem(JsonNode row) {
      if (!row.isObject()) {
        return "An element is not an object";
      }
      var fields = row.fields();
      while (fields.hasNext()) {
        var field = fields.next();
        String type = columns.get(field.getKey());
        if (type == null) {
          return "Column " + field.getKey() + " is not declared in " + STREAM;
        }
        JsonNode value = field.getValue();
        boolean fits =
            switch (type) {
              case "string" -> value.isTextual();
              case "int", "long" -> value.isIntegralNumber();
              case "boolean" -> value.isBoolean();
              case "datetime" -> value.isTextual() && parses(value.asText());
              case "real" -> value.isNumber();
              default -> true;
            };
        if (!fits) {
          return "Column " + field.getKey() + " is " + type + ", not " + value;
        }
      }
      return row.has("TimeGenerated") ? null : "TimeGenerated is missing";
    }

    private static boolean parses(String text) {
      try {
        java.time.Instant.parse(text);
        return true;
      } catch (RuntimeException e) {
        return false;
      }
    }
  }
}
