package com.socactions.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatusType;
import com.socactions.platform.Json;
import com.socactions.platform.RequestLogContext;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * One HTTP invocation, seen by a function class: the request, its correlation ids, a logger whose
 * every line names the Logic Apps run, and the two ways out (a JSON answer or a problem).
 *
 * <p>{@link #handle} is the single place where exceptions become responses: the services' domain
 * exceptions and the HTTP layer's own {@link ProblemException} become problem+json (see {@link
 * DomainProblems}); anything else is a bug on our side, logged with its stack trace and answered
 * 500 without details.
 */
public final class Invocation {
  /** Largest request body accepted: 1,000 items of the longest indicator fit well inside. */
  public static final int MAX_BODY_BYTES = 1024 * 1024;

  static final String CORRELATION_HEADER = "x-correlation-id";
  private static final String RUN_ID_HEADER = "x-ms-workflow-run-id";
  private static final String TRACKING_ID_HEADER = "x-ms-client-tracking-id";
  private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._:\\-]{1,128}");

  private final HttpRequestMessage<? extends Optional<?>> request;
  private final ExecutionContext context;
  private final Map<String, String> headers;
  private final String correlationId;
  private final String logPrefix;

  private Invocation(HttpRequestMessage<? extends Optional<?>> request, ExecutionContext context) {
    this.request = request;
    this.context = context;
    this.headers = lowerCaseKeys(request.getHeaders());
    String runId = headers.get(RUN_ID_HEADER);
    String trackingId = headers.get(TRACKING_ID_HEADER);
    this.correlationId =
        firstSafe(headers.get(CORRELATION_HEADER), trackingId, UUID.randomUUID().toString());
    this.logPrefix =
        "["
            + context.getFunctionName()
            + (runId == null ? "" : " run=" + runId)
            + (trackingId == null ? "" : " tracking=" + trackingId)
            + " correlation="
            + correlationId
            + "] ";
  }

  /**
   * Runs a function body and turns its outcome into the response: problems into problem+json, bugs
   * into a bare 500. Every response carries {@code x-correlation-id}.
   */
  public static HttpResponseMessage handle(
      HttpRequestMessage<? extends Optional<?>> request,
      ExecutionContext context,
      Function<Invocation, HttpResponseMessage> body) {
    Invocation invocation = new Invocation(request, context);
    try (RequestLogContext.Scope ignored =
        RequestLogContext.open(invocation.logPrefix, invocation.correlationId)) {
      invocation.log(Level.INFO, request.getHttpMethod() + " " + request.getUri().getPath());
      try {
        return body.apply(invocation);
      } catch (RuntimeException e) {
        ProblemException problem = DomainProblems.toProblem(e);
        if (problem == null) {
          invocation.log(Level.SEVERE, "Failed: " + e, e);
          problem =
              ProblemException.builder(
                      500,
                      "about:blank",
                      "Internal Server Error",
                      "The action failed on our side; quote correlation id "
                          + invocation.correlationId
                          + " when reporting it.")
                  .build();
        } else {
          invocation.log(Level.INFO, "Answered " + problem.status() + ": " + problem.getMessage());
        }
        return invocation.problem(problem);
      }
    }
  }

  public String correlationId() {
    return correlationId;
  }

  public HttpRequestMessage<? extends Optional<?>> request() {
    return request;
  }

  public Optional<String> header(String name) {
    return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
  }

  /**
   * The URL the app's routes hang under as the caller reached it, ending in a slash ({@code
   * https://app.azurewebsites.net/api/}): the forwarded host and scheme when a front end set them,
   * else the request's own. Links the app hands out ({@code Location}) start with it, so they reach
   * the same host, and a custom connector routes them through the same connection.
   */
  public String apiBase() {
    return urlBefore("/v1/");
  }

  /**
   * The URL of the request as the caller reached it (forwarded host and scheme when a front end set
   * them) up to the slash before {@code marker} in its path, that slash included; just the host and
   * {@code /} when the path does not hold {@code marker}.
   */
  public String urlBefore(String marker) {
    String host =
        header("x-forwarded-host")
            .or(() -> header("host"))
            .orElse(request.getUri().getAuthority())
            .split(",")[0]
            .trim();
    String scheme =
        header("x-forwarded-proto").orElse(request.getUri().getScheme()).split(",")[0].trim();
    String path = request.getUri().getPath();
    int routes = path == null ? -1 : path.indexOf(marker);
    String prefix = routes < 0 ? "/" : path.substring(0, routes + 1);
    return scheme + "://" + host + prefix;
  }

  public Optional<String> query(String name) {
    return Optional.ofNullable(request.getQueryParameters().get(name))
        .filter(value -> !value.isBlank());
  }

  /**
   * A {@code true}/{@code false} query parameter; absent means false.
   *
   * @throws ProblemException 400 naming the parameter for anything else
   */
  public boolean booleanQuery(String name) {
    Optional<String> value = query(name);
    if (value.isEmpty() || value.get().equalsIgnoreCase("false")) {
      return false;
    }
    if (value.get().equalsIgnoreCase("true")) {
      return true;
    }
    throw ProblemException.invalidField(name, "must be true or false");
  }

  /**
   * Logs one line, prefixed with the function, the Logic Apps run and tracking ids, and the
   * correlation id.
   */
  public void log(Level level, String message) {
    log(level, message, null);
  }

  public void log(Level level, String message, Throwable error) {
    Logger logger = context.getLogger();
    if (error == null) {
      logger.log(level, logPrefix + message);
    } else {
      logger.log(level, logPrefix + message, error);
    }
  }

  /**
   * The JSON body as a tree, after the checks every POST shares: present, at most {@link
   * #MAX_BODY_BYTES}, JSON (when a content type is given), a JSON object.
   */
  public JsonNode jsonObjectBody() {
    requireJsonContentType();
    header("content-length")
        .ifPresent(
            length -> {
              try {
                if (Long.parseLong(length.trim()) > MAX_BODY_BYTES) {
                  throw ProblemException.tooLarge(
                      null,
                      "The body is larger than " + MAX_BODY_BYTES + " bytes; split the batch");
                }
              } catch (NumberFormatException ignored) {
                // the body itself is measured below
              }
            });
    Object raw = request.getBody().orElse(null);
    String text =
        raw instanceof byte[] bytes
            ? new String(bytes, StandardCharsets.UTF_8)
            : raw == null ? "" : raw.toString();
    if (text.length() > MAX_BODY_BYTES / 3
        && text.getBytes(StandardCharsets.UTF_8).length > MAX_BODY_BYTES) {
      throw ProblemException.tooLarge(
          null, "The body is larger than " + MAX_BODY_BYTES + " bytes; split the batch");
    }
    if (text.isBlank()) {
      throw ProblemException.invalidField("body", "a JSON object is required");
    }
    JsonNode node = RequestJson.parse(text);
    if (node == null || !node.isObject()) {
      throw ProblemException.invalidField("body", "must be a JSON object");
    }
    return node;
  }

  /**
   * 415 unless the content type, when there is one, is JSON (or text, which Logic Apps sometimes
   * sends).
   */
  public void requireJsonContentType() {
    header("content-type")
        .ifPresent(
            type -> {
              String lower = type.toLowerCase(Locale.ROOT);
              if (!lower.startsWith("application/json")
                  && !lower.contains("+json")
                  && !lower.startsWith("text/plain")) {
                throw ProblemException.unsupportedMediaType(
                    "Send the body as application/json, not " + type);
              }
            });
  }

  /**
   * The body's bytes exactly as sent (a function declared with {@code dataType = "binary"} gets
   * them untouched, which signature checks need), at most {@link #MAX_BODY_BYTES}.
   */
  public byte[] rawBody() {
    Object raw = request.getBody().orElse(null);
    byte[] bytes =
        raw instanceof byte[] b
            ? b
            : raw == null ? new byte[0] : raw.toString().getBytes(StandardCharsets.UTF_8);
    if (bytes.length > MAX_BODY_BYTES) {
      throw ProblemException.tooLarge(null, "The body is larger than " + MAX_BODY_BYTES + " bytes");
    }
    return bytes;
  }

  /** 200 with the value as JSON. */
  public HttpResponseMessage ok(Object value) {
    return json(200, value);
  }

  public HttpResponseMessage json(int status, Object value) {
    // Bytes straight from Jackson: a 1,000-item answer is ~400 KB, not worth a String copy first.
    return respond(status, "application/json; charset=utf-8", writeBytes(value));
  }

  /**
   * A response with a body of text or bytes (the two body types the Functions host passes through
   * as is).
   */
  public HttpResponseMessage respond(int status, String contentType, Object body) {
    return respondWithHeaders(status, contentType, body);
  }

  /** {@link #respond} with extra headers: name, value, name, value, ... */
  public HttpResponseMessage respondWithHeaders(
      int status, String contentType, Object body, String... headers) {
    HttpResponseMessage.Builder builder =
        request
            .createResponseBuilder(HttpStatusType.custom(status))
            .header("Content-Type", contentType)
            .header(CORRELATION_HEADER, correlationId);
    for (int i = 0; i + 1 < headers.length; i += 2) {
      builder.header(headers[i], headers[i + 1]);
    }
    return builder.body(body).build();
  }

  /**
   * The problem as {@code application/problem+json}, with {@code Retry-After} when it has one and
   * any extra headers (name, value, ...).
   */
  HttpResponseMessage problem(ProblemException problem, String... extraHeaders) {
    Problem body = problem.toProblem(request.getUri().getPath(), correlationId);
    HttpResponseMessage.Builder builder =
        request
            .createResponseBuilder(HttpStatusType.custom(problem.status()))
            .header("Content-Type", Problem.MEDIA_TYPE)
            .header(CORRELATION_HEADER, correlationId)
            .body(write(body));
    for (int i = 0; i + 1 < extraHeaders.length; i += 2) {
      builder.header(extraHeaders[i], extraHeaders[i + 1]);
    }
    if (problem.retryAfter() != null) {
      builder.header("Retry-After", Long.toString(Math.max(1, problem.retryAfter().toSeconds())));
    }
    return builder.build();
  }

  private static byte[] writeBytes(Object value) {
    try {
      return Json.MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot serialise " + value.getClass().getSimpleName(), e);
    }
  }

  private static String write(Object value) {
    try {
      return Json.MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot serialise " + value.getClass().getSimpleName(), e);
    }
  }

  private static Map<String, String> lowerCaseKeys(Map<String, String> raw) {
    Map<String, String> lower = new HashMap<>();
    if (raw != null) {
      raw.forEach((name, value) -> lower.put(name.toLowerCase(Locale.ROOT), value));
    }
    return lower;
  }

  /** The first id that is safe to echo in a header and a log line (no spaces, bounded length). */
  private static String firstSafe(String... candidates) {
    for (String candidate : candidates) {
      if (candidate != null && SAFE_ID.matcher(candidate.trim()).matches()) {
        return candidate.trim();
      }
    }
    throw new IllegalArgumentException("no candidate");
  }
}
