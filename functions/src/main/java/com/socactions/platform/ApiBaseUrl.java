package com.socactions.platform;

import java.util.Set;
import okhttp3.HttpUrl;

/**
 * The base URL of an upstream API from its setting: https, or http on a loopback host only (local
 * fakes and tests), since a bearer token or a password travels with every call.
 */
public final class ApiBaseUrl {
  private static final Set<String> LOOPBACK_HOSTS = Set.of("127.0.0.1", "localhost", "::1");

  private ApiBaseUrl() {}

  /**
   * The URL in {@code setting}, or {@code defaultUrl} when it is not set.
   *
   * @throws ConfigurationException naming the setting when its value is not such a base URL (no
   *     query, no fragment; https unless the host is loopback)
   */
  public static HttpUrl fromSetting(Settings settings, String setting, String defaultUrl) {
    return parse(setting, settings.get(setting, defaultUrl), "the API's", defaultUrl);
  }

  /**
   * The URL in {@code setting}, which has no default.
   *
   * @param what whose base URL it is, for the message ({@code "the instance's"})
   * @param example a URL to show, such as {@code https://acme.service-now.com}
   * @throws ConfigurationException naming the setting when it is missing or not such a base URL
   */
  public static HttpUrl required(Settings settings, String setting, String what, String example) {
    String text =
        settings
            .get(setting)
            .orElseThrow(
                () ->
                    new ConfigurationException(
                        setting,
                        "Setting "
                            + setting
                            + " must name "
                            + what
                            + " base URL, e.g. "
                            + example));
    return parse(setting, text, what, example);
  }

  private static HttpUrl parse(String setting, String text, String what, String example) {
    HttpUrl url = HttpUrl.parse(text);
    if (url == null || url.querySize() > 0 || url.fragment() != null) {
      throw new ConfigurationException(
          setting,
          "Setting "
              + setting
              + " must be "
              + what
              + " base URL such as "
              + example
              + ", not '"
              + text
              + "'");
    }
    if (!url.isHttps() && !LOOPBACK_HOSTS.contains(url.host())) {
      throw new ConfigurationException(
          setting,
          "Setting "
              + setting
              + " must be an https URL (http only for a loopback host), not '"
              + text
              + "'");
    }
    return url;
  }

  /**
   * {@code <origin>/.default}, the Azure token scope of an API at {@code base}: no path, no
   * trailing slash.
   */
  public static String azureScope(HttpUrl base) {
    String origin = base.newBuilder().encodedPath("/").build().toString();
    return origin.substring(0, origin.length() - 1) + "/.default";
  }

  /**
   * A paging link ({@code nextLink}, {@code @odata.nextLink}) resolved against {@code base}, or
   * null when there is none. Followed only on the API's own origin, since the caller's token goes
   * with it.
   *
   * @throws UpstreamException {@link UpstreamFailure#BAD_RESPONSE} when the link points at another
   *     scheme, host or port
   */
  public static HttpUrl sameOriginLink(HttpUrl base, String link, String upstream) {
    if (link == null || link.isBlank()) {
      return null;
    }
    HttpUrl next = base.resolve(link);
    if (next == null
        || !next.scheme().equals(base.scheme())
        || !next.host().equals(base.host())
        || next.port() != base.port()) {
      throw UpstreamException.badResponse(
          upstream, upstream + " pointed the next page at another origin", null, null);
    }
    return next;
  }
}
