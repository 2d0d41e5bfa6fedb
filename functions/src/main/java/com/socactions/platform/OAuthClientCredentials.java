package com.socactions.platform;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * OAuth 2.0 client credentials (RFC 6749, section 4.4) as the bearer token of every call: {@code
 * POST <token url>} with {@code grant_type=client_credentials}, {@code client_id} and {@code
 * client_secret} in the form body, fetched once and reused until shortly before it expires.
 * Thread-safe; concurrent callers share one fetch. A 401 to a call that carried the cached token
 * (revoked, or expired early) is asked once more with a fresh one.
 *
 * <p>Failures are {@link UpstreamException}s of the upstream: a refused client (a 400 or 401 from
 * the token endpoint: {@link UpstreamFailure#REJECTED} or {@link UpstreamFailure#UNAUTHORIZED})
 * says which settings to check and drops the body, which may echo the request; no message holds the
 * secret or a token.
 */
final class OAuthClientCredentials implements Interceptor {
  /**
   * A token is renewed this long before the upstream says it expires, so no call carries a dying
   * one.
   */
  static final Duration DEFAULT_EXPIRY_MARGIN = Duration.ofSeconds(60);

  /** The lifetime assumed when the answer has no {@code expires_in} (ServiceNow's default). */
  static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofMinutes(30);

  private final String upstream;
  private final HttpUrl tokenUrl;
  private final String clientId;
  private final String clientSecret;
  private final String settingsHint;
  private final UpstreamHttp http;
  private final Clock clock;
  private String header;
  private Instant renewAt = Instant.MIN;
  private int fetches;

  /**
   * @param http the upstream's client without this interceptor, for the token request itself
   * @param settingsHint the settings an administrator checks when the client is refused
   */
  OAuthClientCredentials(
      String upstream,
      HttpUrl tokenUrl,
      String clientId,
      String clientSecret,
      String settingsHint,
      UpstreamHttp http,
      Clock clock) {
    this.upstream = upstream;
    this.tokenUrl = tokenUrl;
    this.clientId = clientId;
    this.clientSecret = clientSecret;
    this.settingsHint = settingsHint;
    this.http = http;
    this.clock = clock;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    String presented = authorization();
    Response response = chain.proceed(withToken(chain.request(), presented));
    if (response.code() != 401 || !rejected(presented)) {
      return response;
    }
    response.close();
    return chain.proceed(withToken(chain.request(), authorization()));
  }

  /** The header value, fetching a token when none is held or it is due for renewal. */
  synchronized String authorization() {
    if (header == null || !clock.instant().isBefore(renewAt)) {
      fetch();
    }
    return header;
  }

  /** How many tokens were fetched; for tests of reuse. */
  synchronized int fetches() {
    return fetches;
  }

  /** Forgets {@code presented} if it is the cached token; whether asking again may help. */
  private synchronized boolean rejected(String presented) {
    if (header != null && header.equals(presented)) {
      header = null;
      return true;
    }
    return false;
  }

  private static Request withToken(Request request, String authorization) {
    return request.newBuilder().header("Authorization", authorization).build();
  }

  private void fetch() {
    FormBody form =
        new FormBody.Builder()
            .add("grant_type", "client_credentials")
            .add("client_id", clientId)
            .add("client_secret", clientSecret)
            .build();
    Request request =
        new Request.Builder().url(tokenUrl).post(form).header("Accept", "application/json").build();
    Instant asked = clock.instant();
    String body;
    try {
      body = http.send(request).body();
    } catch (UpstreamException e) {
      if (e.failure() == UpstreamFailure.REJECTED || e.failure() == UpstreamFailure.UNAUTHORIZED) {
        // The body may echo the request; the excerpt is dropped so no secret can travel on.
        throw e.explainedWithoutBody(
            upstream
                + " refused the OAuth client ("
                + e.answerText()
                + " from "
                + tokenUrl.encodedPath()
                + "); check "
                + settingsHint
                + " and that the client credentials grant is enabled for it");
      }
      throw e;
    }
    fetches++;
    JsonNode token;
    try {
      token = UpstreamJson.parse(upstream, body);
    } catch (UpstreamException notJson) {
      throw badAnswer("with JSON that does not parse");
    }
    String accessToken = token.path("access_token").asText("");
    if (accessToken.isEmpty()) {
      throw badAnswer("without an access_token");
    }
    long seconds = token.path("expires_in").asLong(DEFAULT_TOKEN_LIFETIME.toSeconds());
    Duration lifetime = Duration.ofSeconds(Math.max(0, seconds));
    // A token shorter-lived than the margin is still used once rather than fetched for every call.
    Duration usable =
        lifetime.compareTo(DEFAULT_EXPIRY_MARGIN.multipliedBy(2)) > 0
            ? lifetime.minus(DEFAULT_EXPIRY_MARGIN)
            : lifetime.dividedBy(2);
    header = "Bearer " + accessToken;
    renewAt = asked.plus(usable);
  }

  /** A token answer that cannot be used: the upstream's fault, quoted without its body. */
  private UpstreamException badAnswer(String how) {
    return UpstreamException.badResponse(
        upstream, upstream + " answered " + tokenUrl.encodedPath() + " " + how, null, null);
  }
}
