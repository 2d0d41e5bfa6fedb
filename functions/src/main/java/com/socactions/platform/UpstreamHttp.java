package com.socactions.platform;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import okhttp3.Headers;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;

/**
 * One HTTP exchange with an upstream API, read the way every client here needs it: the body of a
 * 2xx as text (bounded), anything else as an {@link UpstreamException} carrying the status, a body
 * excerpt and {@code Retry-After} (seconds or an HTTP date). Never puts the request's headers
 * (credentials) into a message.
 */
public final class UpstreamHttp {
  /** Upstream answers larger than this are refused: nothing we call answers more for one page. */
  public static final long DEFAULT_MAX_BODY_BYTES = 16L * 1024 * 1024;

  private final String upstream;
  private final OkHttpClient http;
  private final Clock clock;
  private final long maxBodyBytes;

  public UpstreamHttp(String upstream, OkHttpClient http, Clock clock) {
    this(upstream, http, clock, DEFAULT_MAX_BODY_BYTES);
  }

  public UpstreamHttp(String upstream, OkHttpClient http, Clock clock, long maxBodyBytes) {
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
   * Sends the request once.
   *
   * @throws UpstreamException {@link UpstreamFailure#UNAVAILABLE} when there was no answer; the
   *     kind of the answer's status otherwise ({@link UpstreamFailure#ofHttpStatus}), with {@code
   *     Retry-After} when the upstream sent one
   */
  public Answer send(Request request) {
    try (Response response = http.newCall(request).execute()) {
      String body = read(response.body());
      if (response.isSuccessful()) {
        return new Answer(response.code(), body, response.headers());
      }
      throw UpstreamException.answered(
          upstream,
          response.code(),
          upstream
              + " answered HTTP "
              + response.code()
              + " to "
              + request.method()
              + " "
              + request.url().encodedPath(),
          body,
          retryAfter(response, clock));
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
    String value = response.header("Retry-After");
    if (value == null) {
      return null;
    }
    try {
      return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
    } catch (NumberFormatException notSeconds) {
      Date date = response.headers().getDate("Retry-After");
      if (date == null) {
        return null;
      }
      Duration until = Duration.between(clock.instant(), date.toInstant());
      return until.isNegative() ? Duration.ZERO : until;
    }
  }
}
