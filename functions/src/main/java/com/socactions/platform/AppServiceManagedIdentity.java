package com.socactions.platform;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.HttpUrl;
import okhttp3.Request;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The App Service / Azure Functions managed-identity protocol (API version 2019-08-01), reading
 * {@code IDENTITY_ENDPOINT} and {@code IDENTITY_HEADER} from our {@link Settings}.
 *
 * <p>Why not Azure Identity's {@code ManagedIdentityCredential}: in azure-identity 1.18.2 it goes
 * through MSAL4J, which reads those two variables from {@code System.getenv} and ignores the {@code
 * Configuration} it is given, so settings-only runs (tests, the local host) would ask the wrong
 * endpoint (IMDS). Asks once per fetch, no retries: {@link AzureCredentials} caps the wait and
 * shares one fetch per scope. Like Azure Identity's credentials, it keeps each resource's token
 * until {@link #REFRESH_MARGIN} before it expires, so the calls that carry it do not each ask the
 * endpoint again.
 */
final class AppServiceManagedIdentity implements TokenCredential {
  static final String ENDPOINT_SETTING = "IDENTITY_ENDPOINT";
  static final String HEADER_SETTING = "IDENTITY_HEADER";

  /** A token is fetched again this long before it expires (as Azure Identity does). */
  static final Duration REFRESH_MARGIN = Duration.ofMinutes(5);

  private static final String API_VERSION = "2019-08-01";
  private static final String DEFAULT_SUFFIX = "/.default";

  private final UpstreamClient endpoint;
  private final Optional<String> clientId;
  private final Optional<String> resourceId;
  private final Clock clock;
  private final Map<String, AccessToken> tokens = new ConcurrentHashMap<>();

  private AppServiceManagedIdentity(
      UpstreamClient endpoint,
      Optional<String> clientId,
      Optional<String> resourceId,
      Clock clock) {
    this.endpoint = endpoint;
    this.clientId = clientId;
    this.resourceId = resourceId;
    this.clock = clock;
  }

  /** Present when both settings are; a malformed endpoint is a {@link ConfigurationException}. */
  static Optional<AppServiceManagedIdentity> fromSettings(
      Settings settings,
      Optional<String> clientId,
      Optional<String> resourceId,
      UpstreamClients kit) {
    Optional<String> endpoint = settings.get(ENDPOINT_SETTING);
    Optional<String> header = settings.get(HEADER_SETTING);
    if (endpoint.isEmpty() || header.isEmpty()) {
      return Optional.empty();
    }
    HttpUrl url = HttpUrl.parse(endpoint.get());
    if (url == null) {
      throw new ConfigurationException(
          ENDPOINT_SETTING, "Setting " + ENDPOINT_SETTING + " must be an http(s) URL");
    }
    UpstreamClient client =
        kit.client(AzureCredentials.UPSTREAM)
            .baseUrl(url)
            // Token endpoints answer in well under a second when healthy; the cap bounds the rest.
            .callTimeout(AzureCredentials.TOKEN_CALL_TIMEOUT)
            // The endpoint's secret, on every token request (never in a log line).
            .apiKey("X-IDENTITY-HEADER", header.get())
            .build();
    return Optional.of(new AppServiceManagedIdentity(client, clientId, resourceId, kit.clock()));
  }

  @Override
  public Mono<AccessToken> getToken(TokenRequestContext request) {
    return Mono.fromCallable(() -> getTokenSync(request)).subscribeOn(Schedulers.boundedElastic());
  }

  @Override
  public AccessToken getTokenSync(TokenRequestContext request) {
    List<String> scopes = request.getScopes();
    if (scopes.size() != 1) {
      throw new IllegalArgumentException(
          "A managed identity token is for exactly one scope, not " + scopes);
    }
    String scope = scopes.get(0);
    String resource =
        scope.endsWith(DEFAULT_SUFFIX)
            ? scope.substring(0, scope.length() - DEFAULT_SUFFIX.length())
            : scope;
    AccessToken kept = tokens.get(resource);
    if (kept != null && clock.instant().isBefore(refreshAt(kept))) {
      return kept;
    }
    AccessToken fresh = fetch(resource);
    tokens.put(resource, fresh);
    return fresh;
  }

  private static Instant refreshAt(AccessToken token) {
    return token.getExpiresAt().toInstant().minus(REFRESH_MARGIN);
  }

  private AccessToken fetch(String resource) {
    HttpUrl.Builder url =
        endpoint
            .url()
            .addQueryParameter("api-version", API_VERSION)
            .addQueryParameter("resource", resource);
    clientId.ifPresent(id -> url.addQueryParameter("client_id", id));
    resourceId.ifPresent(id -> url.addQueryParameter("mi_res_id", id));
    Request call = new Request.Builder().url(url.build()).get().build();
    UpstreamHttp.Answer answer;
    try {
      answer = endpoint.send(call);
    } catch (UpstreamException e) {
      throw e.explained(
          e.httpStatus().isEmpty()
              ? "The managed-identity endpoint did not answer: " + e.getMessage()
              : "The managed-identity endpoint answered " + e.answerText() + " for " + resource);
    }
    JsonNode json = UpstreamJson.parse(AzureCredentials.UPSTREAM, answer.body());
    String token = json.path("access_token").asText("");
    long expiresOn = json.path("expires_on").asLong(0);
    if (token.isEmpty() || expiresOn == 0) {
      throw UpstreamException.badResponse(
          AzureCredentials.UPSTREAM,
          "The managed-identity endpoint sent no access_token/expires_on for " + resource,
          null,
          null);
    }
    return new AccessToken(
        token, OffsetDateTime.ofInstant(Instant.ofEpochSecond(expiresOn), ZoneOffset.UTC));
  }
}
