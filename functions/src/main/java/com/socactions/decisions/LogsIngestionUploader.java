package com.socactions.decisions;

import com.azure.core.credential.TokenCredential;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.http.policy.BearerTokenAuthenticationPolicy;
import com.azure.core.http.policy.RequestIdPolicy;
import com.azure.core.http.policy.UserAgentPolicy;
import com.azure.core.util.Context;
import com.azure.core.util.serializer.JsonSerializer;
import com.azure.core.util.serializer.TypeReference;
import com.azure.monitor.ingestion.LogsIngestionClient;
import com.azure.monitor.ingestion.LogsIngestionClientBuilder;
import com.azure.monitor.ingestion.models.LogsUploadOptions;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.socactions.platform.Json;
import com.socactions.platform.UpstreamClients;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * The Azure Monitor Logs Ingestion API, through Microsoft's client ({@code
 * azure-monitor-ingestion}): {@code POST
 * {endpoint}/dataCollectionRules/{ruleId}/streams/{stream}?api-version=2023-01-01}, a
 * gzip-compressed JSON array, a bearer token for {@value #SCOPE}; 204 when accepted. The client
 * splits a batch into calls of at most 1 MB (the API's limit, compressed or not).
 *
 * <p>No retries here: a call that fails is answered as a {@link Failure} with its rows, status and
 * {@code Retry-After}, and the caller decides (the decision log keeps them for later). Built once
 * per process, on the shared OkHttp client.
 */
final class LogsIngestionUploader {
  /** The token scope the API documents. */
  static final String SCOPE = "https://monitor.azure.com/.default";

  /** One call; a healthy endpoint answers a 1 MB call in well under a second. */
  static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(30);

  /** The API takes at most 1 MB a call; a margin below it for the client's own framing. */
  static final int MAX_CALL_BYTES = 1_000_000;

  private static final ObjectMapper ROWS = Json.UPSTREAM;

  private final LogsIngestionSettings settings;
  private final LogsIngestionClient client;

  /**
   * @param kit the SDK's pipeline runs on its connection pool (the Azure SDK signs and retries)
   */
  LogsIngestionUploader(
      LogsIngestionSettings settings, TokenCredential credential, UpstreamClients kit) {
    this.settings = settings;
    HttpPipeline pipeline =
        new HttpPipelineBuilder()
            .httpClient(kit.azureHttpClient(http -> http.callTimeout(DEFAULT_CALL_TIMEOUT)))
            .policies(
                new UserAgentPolicy("soc-actions"),
                new RequestIdPolicy(),
                // The scope the REST API documents (the 1.1 client asks for ".../.default" with a
                // double slash, which Entra ID also accepts; this one is the documented form).
                new BearerTokenAuthenticationPolicy(credential, SCOPE))
            .build();
    this.client =
        new LogsIngestionClientBuilder()
            .endpoint(settings.endpoint().toString())
            .credential(credential)
            .pipeline(pipeline)
            .buildClient();
  }

  /** Where it sends, for health: endpoint, rule and stream (no secrets in any of them). */
  String describe() {
    return settings.endpoint()
        + " (rule "
        + settings.ruleId()
        + ", stream "
        + settings.stream()
        + ")";
  }

  /**
   * Sends the rows (each a JSON object of the stream's columns).
   *
   * @return the calls that failed, each with its rows; empty when every row was accepted. Never
   *     throws: a network or token failure is one {@link Failure} of every row, status 0.
   */
  List<Failure> upload(List<Map<String, Object>> rows) {
    List<Failure> failures = new ArrayList<>();
    for (List<Map<String, Object>> call : calls(rows)) {
      failures.addAll(uploadCall(call));
    }
    return failures;
  }

  /**
   * The rows cut into calls of at most {@link #MAX_CALL_BYTES} of JSON. The client cuts at 1 MB
   * too, but counts the rows without the commas and brackets between them, so a call of hundreds of
   * rows can pass 1 MB by a few hundred bytes and get a 413; cutting a little lower first keeps
   * every call the client makes under the limit.
   */
  static List<List<Map<String, Object>>> calls(List<Map<String, Object>> rows) {
    List<List<Map<String, Object>>> calls = new ArrayList<>();
    List<Map<String, Object>> call = new ArrayList<>();
    long bytes = 2;
    for (Map<String, Object> row : rows) {
      long size = size(row) + 1;
      if (!call.isEmpty() && bytes + size > MAX_CALL_BYTES) {
        calls.add(call);
        call = new ArrayList<>();
        bytes = 2;
      }
      call.add(row);
      bytes += size;
    }
    if (!call.isEmpty()) {
      calls.add(call);
    }
    return calls;
  }

  private static long size(Map<String, Object> row) {
    try {
      return ROWS.writeValueAsBytes(row).length;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private List<Failure> uploadCall(List<Map<String, Object>> rows) {
    List<Failure> failures = new ArrayList<>();
    LogsUploadOptions options =
        new LogsUploadOptions()
            .setObjectSerializer(new RowSerializer())
            .setMaxConcurrency(1)
            .setLogsUploadErrorConsumer(
                error -> failures.add(failure(error.getResponseException(), rows(error))));
    try {
      client.upload(
          settings.ruleId(), settings.stream(), new ArrayList<Object>(rows), options, Context.NONE);
    } catch (RuntimeException e) {
      // Before or between calls (no token, connection refused, timeout): nothing is known to
      // have arrived except what the error consumer did not name, so all of it is retried.
      return List.of(new Failure(rows, Failure.NO_ANSWER, null, "not sent: " + firstLine(e)));
    }
    return failures;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> rows(
      com.azure.monitor.ingestion.models.LogsUploadError error) {
    List<Map<String, Object>> rows = new ArrayList<>();
    error.getFailedLogs().forEach(log -> rows.add((Map<String, Object>) log));
    return rows;
  }

  private static Failure failure(HttpResponseException e, List<Map<String, Object>> rows) {
    int status = e.getResponse() == null ? Failure.NO_ANSWER : e.getResponse().getStatusCode();
    Duration retryAfter =
        e.getResponse() == null
            ? null
            : retryAfter(e.getResponse().getHeaderValue(HttpHeaderName.RETRY_AFTER));
    return new Failure(rows, status, retryAfter, firstLine(e));
  }

  /** {@code Retry-After} in seconds or as an HTTP date; null when absent or unreadable. */
  static Duration retryAfter(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
    } catch (NumberFormatException e) {
      try {
        var at = DateTimeFormatter.RFC_1123_DATE_TIME.parse(value.trim());
        long seconds =
            ChronoUnit.SECONDS.between(
                java.time.Instant.now(), java.time.Instant.from(at)); // an absolute date
        return Duration.ofSeconds(Math.max(0, seconds));
      } catch (RuntimeException unreadable) {
        return null;
      }
    }
  }

  private static String firstLine(Throwable e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    String line = message.lines().findFirst().orElse("");
    return line.length() > 300 ? line.substring(0, 300) + "..." : line;
  }

  /**
   * One call that Log Analytics did not take.
   *
   * @param status the HTTP status, or {@link #NO_ANSWER}
   * @param retryAfter the answer's {@code Retry-After}, or null
   */
  record Failure(List<Map<String, Object>> rows, int status, Duration retryAfter, String message) {
    static final int NO_ANSWER = 0;

    /** "HTTP 503", or "no answer": for messages. */
    String answer() {
      return status == NO_ANSWER ? "no answer" : "HTTP " + status;
    }

    /** Throttled, unavailable, or no answer: the same rows may go through later. */
    boolean isRetryable() {
      return status == NO_ANSWER
          || com.socactions.platform.UpstreamFailure.ofHttpStatus(status).isRetryable();
    }

    /** The call was larger than the API takes (1 MB): smaller calls may go through. */
    boolean isTooLarge() {
      return status == 413;
    }
  }

  /** Rows are maps of column names to text, numbers and booleans: plain Jackson. */
  private static final class RowSerializer implements JsonSerializer {
    @Override
    public <T> T deserialize(InputStream stream, TypeReference<T> typeReference) {
      try {
        return ROWS.readValue(stream, ROWS.constructType(typeReference.getJavaType()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public <T> Mono<T> deserializeAsync(InputStream stream, TypeReference<T> typeReference) {
      return Mono.fromCallable(() -> deserialize(stream, typeReference));
    }

    @Override
    public void serialize(OutputStream stream, Object value) {
      try {
        ROWS.writeValue(stream, value);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public Mono<Void> serializeAsync(OutputStream stream, Object value) {
      return Mono.fromRunnable(() -> serialize(stream, value));
    }
  }
}
