package com.socactions.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.socactions.graph.GraphClient;
import com.socactions.platform.AzureCredentials;
import com.socactions.platform.ConfigurationException;
import com.socactions.platform.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The object id of the identity the connector runs as, which identity response never disables:
 * {@value #SETTING} when set, else the {@code oid} claim of the app's own Microsoft Graph token (an
 * Entra ID access token names the service principal or managed identity it was issued to; the token
 * is only decoded, not verified: it came straight from the token endpoint). Empty when neither is
 * known; the guardrail then refuses (fails closed).
 */
public final class SelfIdentity {
  public static final String SETTING = "CONNECTOR_OBJECT_ID";

  /** How long a guardrail waits for the token before refusing. */
  public static final Duration TOKEN_WAIT = Duration.ofSeconds(10);

  private static final Pattern GUID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private SelfIdentity() {}

  /**
   * @param configured {@value #SETTING}, when set
   * @throws ConfigurationException naming {@value #SETTING} when it is set but not a GUID
   */
  public static Optional<String> objectId(
      Optional<String> configured, AzureCredentials credentials, GraphClient graph) {
    if (configured.isPresent()) {
      if (!GUID.matcher(configured.get().strip()).matches()) {
        throw new ConfigurationException(
            SETTING,
            "Setting " + SETTING + " must be the object id (a GUID) of the connector's identity");
      }
      return configured.map(id -> id.strip().toLowerCase(Locale.ROOT));
    }
    return oidOf(credentials.token(graph.scope(), TOKEN_WAIT).getToken());
  }

  /** The {@code oid} claim of a JWT access token; empty when it is not a JWT or has none. */
  static Optional<String> oidOf(String token) {
    String[] parts = token == null ? new String[0] : token.split("\\.");
    if (parts.length < 2) {
      return Optional.empty();
    }
    try {
      JsonNode claims =
          Json.MAPPER.readTree(
              new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
      String oid = claims.path("oid").asText("");
      return GUID.matcher(oid).matches()
          ? Optional.of(oid.toLowerCase(Locale.ROOT))
          : Optional.empty();
    } catch (IOException | IllegalArgumentException notAJwt) {
      return Optional.empty();
    }
  }
}
