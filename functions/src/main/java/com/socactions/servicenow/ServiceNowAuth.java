package com.socactions.servicenow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.socactions.platform.Json;
import com.socactions.platform.UpstreamException;
import com.socactions.platform.UpstreamFailure;
import com.socactions.platform.UpstreamHttp;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import okhttp3.Credentials;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.Request;

/**
 * The {@code Authorization} header of ServiceNow calls: basic auth, or an OAuth bearer token from
 * the client credentials grant, fetched once and reused until shortly before it expires.
 * Thread-safe; concurrent callers share one token fetch.
 */
abstract class ServiceNowAuth {
  /**
   * A token is renewed this long before ServiceNow says it expires, so no call carries a dying one.
   */
  static final Duration DEFAULT_EXPIRY_MARGIN = Duration.ofSeconds(60);

  /**
   * ServiceNow's default access token lifespan (1,800 s), used when the answer has no {@code
   * expires_in}.
   */
  static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofMinutes(30);

  /**
   * The header value; for OAuth may fetch a token (throws {@link UpstreamException} as calls do).
   */
  abstract String authorization();

  /**
   * The instance refused {@code presented} with 401: forget it if it is the cached token.
   *
   * @return whether asking again with a fresh credential may help (a cached token that expired
   *     early)
   */
  abstract boolean rejected(String presented);

  static ServiceNowAuth of(ServiceNowSettings settings, UpstreamHttp http, Clock clock) {
    if (settings.usesOAuth()) {
      return new ClientCredentials(settings, http, clock);
    }
    String header = Credentials.basic(settings.user(), settings.password(), StandardCharsets.UTF_8);
    return new ServiceNowAuth() {
      @Override
      String authorization() {
        return header;
      }

      @Override
      boolean rejected(String presented) {
        return false;
      }
    };
  }

  /** OAuth 2.0 client credentials against {@code POST <instance>/oauth_token.do}. */
  static final class ClientCredentials extends ServiceNowAuth {
    private final ServiceNowSettings settings;
    private final UpstreamHttp http;
    private final Clock clock;
    private final HttpUrl tokenUrl;
    private String header;
    private Instant renewAt = Instant.MIN;
    private int fetches;

    ClientCredentials(ServiceNowSettings settings, UpstreamHttp http, Clock clock) {
      this.settings = settings;
      this.http = http;
      this.clock = clock;
      this.tokenUrl = settings.instance().newBuilder().encodedPath("/oauth_token.do").build();
    }

    @Override
    synchronized String authorization() {
      if (header == null || !clock.instant().isBefore(renewAt)) {
        fetch();
      }
      return header;
    }

    @Override
    synchronized boolean rejected(String presented) {
      if (header != null && header.equals(presented)) {
        header = null;
        return true;
      }
      return false;
    }

    /** How many tokens were fetched; for tests of reuse. */
    synchronized int fetches() {
      return fetches;
    }

    private void fetch() {
      FormBody form =
          new FormBody.Builder()
              .add("grant_type", "client_credentials")
              .add("client_id", settings.clientId())
              .add("client_secret", settings.clientSecret())
              .build();
      Request request =
          new Request.Builder()
              .url(tokenUrl)
              .post(form)
              .header("Accept", "application/json")
              .build();
      Instant asked = clock.instant();
      String body;
      try {
        body = http.send(request).body();
      } catch (UpstreamException e) {
        if (e.failure() == UpstreamFailure.REJECTED
            || e.failure() == UpstreamFailure.UNAUTHORIZED) {
          // The body may echo the request; the excerpt is dropped so no secret can travel on.
          throw e.explainedWithoutBody(
              "ServiceNow refused the OAuth client ("
                  + e.answerText()
                  + " from /oauth_token.do); check "
                  + settings.credentialSettings()
                  + " and that the client credentials grant is enabled for it");
        }
        throw e;
      }
      fetches++;
      JsonNode token;
      try {
        token = Json.UPSTREAM.readTree(body);
      } catch (JsonProcessingException e) {
        throw UpstreamException.badResponse(
            ServiceNowTableClient.UPSTREAM,
            "ServiceNow answered /oauth_token.do with JSON that does not parse",
            null,
            null);
      }
      String accessToken = token.path("access_token").asText("");
      if (accessToken.isEmpty()) {
        throw UpstreamException.badResponse(
            ServiceNowTableClient.UPSTREAM,
            "ServiceNow answered /oauth_token.do without an access_token",
            null,
            null);
      }
      long seconds = token.path("expires_in").asLong(DEFAULT_TOKEN_LIFETIME.toSeconds());
      Duration lifetime = Duration.ofSeconds(Math.max(0, seconds));
      // A token shorter-lived than the margin is still used once rather than fetched for every
      // call.
      Duration usable =
          lifetime.compareTo(DEFAULT_EXPIRY_MARGIN.multipliedBy(2)) > 0
              ? lifetime.minus(DEFAULT_EXPIRY_MARGIN)
              : lifetime.dividedBy(2);
      header = "Bearer " + accessToken;
      renewAt = asked.plus(usable);
    }
  }
}
