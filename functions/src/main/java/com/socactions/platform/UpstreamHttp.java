package com.socactions.platform;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Headers;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;

/**
 * One HTTP exchange with an upstream API, read the way every client here needs it: the body as text
 * (bounded), the status, the headers and {@code Retry-After} (seconds or an HTTP date); {@link
 * #send} turns anything but a 2xx into an {@link UpstreamException} carrying the status, a body
 * excerpt and {@code Retry-After}. Never puts the request's headers (credentials) into a message.
 * Built by {@link UpstreamClient.Builder}, on the upstream's own OkHttp client.
 */
public final class UpstreamHttp {
  /** Upstream answers larger than this are refused: nothing we call answers more for one page. */
  public static final long DEFAULT_MAX_BODY_BYTES = 16L * 1024 * 1024;

  private final String upstream;
  private final OkHttpClient http;
  private final Clock clock;
  private final long maxBodyBytes;

  UpstreamHttp(String upstream, OkHttpClient http, Clock clock) {
    this(upstream, http, clock, DEFAULT_MAX_BODY_BYTES);
  }

  UpstreamHttp(String upstream, OkHttpClient http, Clock clock, long maxBodyBytes) {
    this.upstream = upstream;
    this.http = http;
    this.clock = clock;
    this.maxBodyBytes = maxBodyBytes;
  }

  /** A 2xx answer: its status, body text ("" when empty) and headers (paging links, counts). */
  public record Answer(int status, String body, Headers headers) {
    public Answer(int status, String body) {
      this(status, body, Headers.of());
    }
  }

  /**
   * Any answer: status, body text ("" when empty), headers, and the {@code Retry-After} it asked
   * for (null when none or unreadable).
   */
  public record Reply(int status, String body, Headers headers, Duration retryAfter) {
    public boolean isSuccessful() {
      return status >= 200 && status < 300;
    }
  }

  /**
   * Sends the request once.
   *
   * @throws UpstreamException {@link UpstreamFailure#UNAVAILABLE} when there was no answer; the
   *     kind of the answer's status otherwise ({@link UpstreamFailure#ofHttpStatus}), with {@code
   *     Retry-After} when the upstream sent one
   */
  public Answer send(Request request) {
    return send(request, null);
  }

  /** As {@link #send(Request)}, the whole call (connect, write, read) cut to {@code timeout}. */
  public Answer send(Request request, Duration timeout) {
    Reply reply = exchange(request, timeout);
    if (reply.isSuccessful()) {
      return new Answer(reply.status(), reply.body(), reply.headers());
    }
    throw UpstreamException.answered(
        upstream,
        reply.status(),
        upstream
            + " answered HTTP "
            + reply.status()
            + " to "
            + request.method()
            + " "
            + request.url().encodedPath(),
        reply.body(),
        reply.retryAfter());
  }

  /**
   * Sends the request once and returns whatever status came back.
   *
   * @param timeout the whole call's timeout, or null for the client's
   * @throws UpstreamException {@link UpstreamFailure#UNAVAILABLE} when there was no answer (the
   *     {@link IOException} as its cause)
   */
  public Reply exchange(Request request, Duration timeout) {
    Call call = http.newCall(request);
    if (timeout != null) {
      call.timeout().timeout(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
    }
    try (Response response = call.execute()) {
      String body = read(response.body());
      return new Reply(response.code(), body, response.headers(), retryAfter(response, clock));
    } catch (IOException e) {
      throw new UpstreamException(
          upstream,
          upstream
              + " did not answer "
              + request.method()
              + " "
              + request.url().encodedPath()
              + " ("
              + e.getClass().getSimpleName()
              + ": "
              + e.getMessage()
              + ")",
          e);
    }
  }

  private String read(ResponseBody body) throws IOException {
    if (body == null) {
      return "";
    }
    BufferedSource source = body.source();
    if (source.request(maxBodyBytes + 1)) {
      throw new IOException("answer larger than " + maxBodyBytes + " bytes");
    }
    return source.readUtf8();
  }

  /** The answer's {@code Retry-After}: seconds or an HTTP date; null when absent or unreadable. */
  public static Duration retryAfter(Response response, Clock clock) {
    return retryAfter(response.headers(), clock);
  }

  /** {@code Retry-After} of these headers: seconds or an HTTP date; null when absent/unreadable. */
  public static Duration retryAfter(Headers headers, Clock clock) {
    String value = headers.get("Retry-After");
    if (value == null) {
      return null;
    }
    try {
      return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
    } catch (NumberFormatException notSeconds) {
      Date date = headers.getDate("Retry-After");
      if (date == null) {
        return null;
      }
      Duration until = Duration.between(clock.instant(), date.toInstant());
      return until.isNegative() ? Duration.ZERO : until;
    }
  }
}
