package com.socactions.tickets.jira;

import com.socactions.platform.ApiBaseUrl;
import com.socactions.platform.ConfigurationException;
import com.socactions.platform.Settings;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;

/**
 * Where the Jira Cloud site is, how to sign in and which project tickets go to, read from the app
 * settings:
 *
 * <ul>
 *   <li>{@code JIRA_URL}: the site, e.g. {@code https://acme.atlassian.net}; https, or http on a
 *       loopback host only (local fakes), since the API token travels with every call.
 *   <li>{@code JIRA_EMAIL} and {@code JIRA_API_TOKEN}: the account's e-mail address and an API
 *       token of that account (basic auth {@code email:token}, the Jira Cloud way for scripts).
 *   <li>{@code JIRA_PROJECT}: the key of the project tickets are created in, e.g. {@code SOC}.
 * </ul>
 *
 * <p>{@code JIRA_WEBHOOK_SECRET} (inbound webhooks) is read by {@link JiraWebhook}, not here: the
 * outbound client works without it. Failures are {@link ConfigurationException}s naming the
 * setting; no message, log line or {@link #toString()} holds the API token.
 *
 * @param site the site's base URL (scheme, host, port; no path, query or fragment)
 * @param email the account's e-mail address
 * @param apiToken the account's API token (a secret)
 * @param project the project key
 */
public record JiraSettings(HttpUrl site, String email, String apiToken, String project) {
  public static final String URL = "JIRA_URL";
  public static final String EMAIL = "JIRA_EMAIL";
  public static final String API_TOKEN_SETTING = "JIRA_API_TOKEN";
  public static final String PROJECT = "JIRA_PROJECT";
  private static final String EXAMPLE_URL = "https://acme.atlassian.net";

  /** Jira project keys: an upper-case letter, then upper-case letters, digits or underscores. */
  private static final Pattern PROJECT_KEY = Pattern.compile("[A-Z][A-Z0-9_]{0,254}");

  /**
   * Whether the site, the sign-in and the project are set, i.e. the {@code jira} provider is
   * available.
   */
  public static boolean isConfigured(Settings settings) {
    return settings.isSet(URL)
        && settings.isSet(EMAIL)
        && settings.isSet(API_TOKEN_SETTING)
        && settings.isSet(PROJECT);
  }

  /**
   * Reads and checks the settings.
   *
   * @throws ConfigurationException naming the setting that is missing or malformed
   */
  public static JiraSettings from(Settings settings) {
    HttpUrl url = ApiBaseUrl.required(settings, URL, "the Jira Cloud site's", EXAMPLE_URL);
    if (!(url.encodedPath().equals("/") || url.encodedPath().isEmpty())) {
      throw new ConfigurationException(
          URL,
          "Setting "
              + URL
              + " must be the site's base URL such as "
              + EXAMPLE_URL
              + ", without a path, not '"
              + url
              + "'");
    }
    String email = required(settings, EMAIL);
    String token = required(settings, API_TOKEN_SETTING);
    String project = required(settings, PROJECT);
    if (!PROJECT_KEY.matcher(project).matches()) {
      throw new ConfigurationException(
          PROJECT,
          "Setting "
              + PROJECT
              + " must be a Jira project key such as SOC (upper-case letters, digits, underscores),"
              + " not '"
              + project
              + "'");
    }
    return new JiraSettings(url, email, token, project);
  }

  /** The settings an administrator checks when Jira refuses the credentials. */
  public String credentialSettings() {
    return EMAIL + " and " + API_TOKEN_SETTING;
  }

  /** Never prints the API token (a record's default would). */
  @Override
  public String toString() {
    return "JiraSettings[site=" + site + ", email=" + email + ", project=" + project + "]";
  }

  private static String required(Settings settings, String name) {
    return settings.required(
        name, "Jira needs " + URL + ", " + EMAIL + ", " + API_TOKEN_SETTING + " and " + PROJECT);
  }
}
