package com.socactions.platform;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The App Service / Azure Functions managed-identity protocol (API version 2019-08-01), reading
 * {@code IDENTITY_ENDPOINT} and {@code IDENTITY_HEADER} from our {@link Settings}.
 *
 * <p>Why not Azure Identity's {@code ManagedIdentityCredential}: in azure-identity 1.18.2 it goes
 * through MSAL4J, which reads those two variables from {@code System.getenv} and ignores the {@code
 * Configuration} it is given, so settings-only runs (tests, the local host) would ask the wrong
 * endpoint (IMDS). Asks once per call, no retries: {@link AzureCredentials} caps the wait and
 * shares one fetch per scope; the SDK pipelines cache the token until shortly before expiry.
 */
final class AppServiceManagedIdentity implements TokenCredential {
  static final String ENDPOINT_SETTING = "IDENTITY_ENDPOINT";
  static final String HEADER_SETTING = "IDENTITY_HEADER";
  private static final String API_VERSION = "2019-08-01";
  private static final String DEFAULT_SUFFIX = "/.default";

  private final HttpUrl endpoint;
  private final String header;
  private final Optional<String> clientId;
  private final Optional<String> resourceId;
  private final OkHttpClient http;

  private AppServiceManagedIdentity(
      HttpUrl endpoint,
      String header,
      Optional<String> clientId,
      Optional<String> resourceId,
      OkHttpClient http) {
    this.endpoint = endpoint;
    this.header = header;
    this.clientId = clientId;
    this.resourceId = resourceId;
    this.http = http;
  }

  /** Present when both settings are; a malformed endpoint is a {@link ConfigurationException}. */
  static Optional<AppServiceManagedIdentity> fromSettings(
      Settings settings,
      Optional<String> clientId,
      Optional<String> resourceId,
      OkHttpClient http) {
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
    return Optional.of(
        new AppServiceManagedIdentity(url, header.get(), clientId, resourceId, http));
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
    HttpUrl.Builder url =
        endpoint
            .newBuilder()
            .addQueryParameter("api-version", API_VERSION)
            .addQueryParameter("resource", resource);
    clientId.ifPresent(id -> url.addQueryParameter("client_id", id));
    resourceId.ifPresent(id -> url.addQueryParameter("mi_res_id", id));
    Request call =
        new Request.Builder().url(url.build()).header("X-IDENTITY-HEADER", header).get().build();
    try (Response response = http.newCall(call).execute()) {
      ResponseBody body = response.body();
      String text = body == null ? "" : body.string();
      if (!response.isSuccessful()) {
        throw UpstreamException.answered(
            AzureCredentials.UPSTREAM,
            response.code(),
            "The managed-identity endpoint answered " + response.code() + " for " + resource,
            text,
            null);
      }
      JsonNode json = Json.UPSTREAM.readTree(text);
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
    } catch (IOException e) {
      throw new UpstreamException(
          AzureCredentials.UPSTREAM,
          "The managed-identity endpoint did not answer: " + e.getMessage(),
          e);
    }
  }
}
