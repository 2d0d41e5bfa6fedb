package com.socactions.servicenow;

import com.socactions.platform.ApiBaseUrl;
import com.socactions.platform.ConfigurationException;
import com.socactions.platform.Settings;
import okhttp3.HttpUrl;

/**
 * Where the ServiceNow instance is and how to sign in, read from the app settings:
 *
 * <ul>
 *   <li>{@code SERVICENOW_URL}: the instance, e.g. {@code https://acme.service-now.com}; https, or
 *       http on a loopback host only (local fakes), since credentials travel with every call.
 *   <li>Basic auth: {@code SERVICENOW_USER} and {@code SERVICENOW_PASSWORD} (a web-service-only
 *       integration user).
 *   <li>Or OAuth client credentials: {@code SERVICENOW_CLIENT_ID} and {@code
 *       SERVICENOW_CLIENT_SECRET} of an OAuth application registry entry with the client
 *       credentials grant enabled; tokens come from {@code POST /oauth_token.do}.
 * </ul>
 *
 * <p>Exactly one of the two sign-ins must be complete. Failures are {@link ConfigurationException}s
 * naming the setting to fix; no message holds a secret.
 *
 * @param instance the instance's base URL (scheme, host, port; no query)
 * @param user the basic-auth user, or null for OAuth
 * @param password the basic-auth password, or null for OAuth
 * @param clientId the OAuth client id, or null for basic auth
 * @param clientSecret the OAuth client secret, or null for basic auth
 */
public record ServiceNowSettings(
    HttpUrl instance, String user, String password, String clientId, String clientSecret) {
  public static final String URL = "SERVICENOW_URL";
  public static final String USER = "SERVICENOW_USER";
  public static final String PASSWORD_SETTING = "SERVICENOW_PASSWORD";
  public static final String CLIENT_ID = "SERVICENOW_CLIENT_ID";
  public static final String CLIENT_SECRET_SETTING = "SERVICENOW_CLIENT_SECRET";
  private static final String EXAMPLE_URL = "https://acme.service-now.com";

  /**
   * Whether the instance and a sign-in are set, i.e. the {@code servicenow} provider is available.
   */
  public static boolean isConfigured(Settings settings) {
    return settings.isSet(URL)
        && ((settings.isSet(USER) && settings.isSet(PASSWORD_SETTING))
            || (settings.isSet(CLIENT_ID) && settings.isSet(CLIENT_SECRET_SETTING)));
  }

  /**
   * Reads and checks the settings.
   *
   * @throws ConfigurationException naming the setting that is missing, malformed or in conflict
   */
  public static ServiceNowSettings from(Settings settings) {
    HttpUrl url = ApiBaseUrl.required(settings, URL, "the ServiceNow instance's", EXAMPLE_URL);
    boolean basic = settings.isSet(USER) || settings.isSet(PASSWORD_SETTING);
    boolean oauth = settings.isSet(CLIENT_ID) || settings.isSet(CLIENT_SECRET_SETTING);
    if (basic && oauth) {
      throw new ConfigurationException(
          CLIENT_ID,
          "Set either "
              + USER
              + " and "
              + PASSWORD_SETTING
              + " (basic auth) or "
              + CLIENT_ID
              + " and "
              + CLIENT_SECRET_SETTING
              + " (OAuth client credentials) for ServiceNow, not both");
    }
    if (oauth) {
      return new ServiceNowSettings(
          url,
          null,
          null,
          required(settings, CLIENT_ID),
          required(settings, CLIENT_SECRET_SETTING));
    }
    if (!basic) {
      throw new ConfigurationException(
          USER,
          "ServiceNow needs "
              + USER
              + " and "
              + PASSWORD_SETTING
              + ", or "
              + CLIENT_ID
              + " and "
              + CLIENT_SECRET_SETTING);
    }
    return new ServiceNowSettings(
        url, required(settings, USER), required(settings, PASSWORD_SETTING), null, null);
  }

  public boolean usesOAuth() {
    return clientId != null;
  }

  /** The settings an administrator checks when the instance refuses the credentials. */
  public String credentialSettings() {
    return usesOAuth()
        ? CLIENT_ID + " and " + CLIENT_SECRET_SETTING
        : USER + " and " + PASSWORD_SETTING;
  }

  /** Never prints the secrets (a record's default would). */
  @Override
  public String toString() {
    return "ServiceNowSettings[instance="
        + instance
        + ", "
        + (usesOAuth() ? "oauth client " + clientId : "user " + user)
        + "]";
  }

  private static String required(Settings settings, String name) {
    return settings.required(name, "ServiceNow sign-in is half configured");
  }
}
