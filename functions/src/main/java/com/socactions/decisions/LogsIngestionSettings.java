package com.socactions.decisions;

import com.socactions.platform.ConfigurationException;
import com.socactions.platform.Settings;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where decisions go in Azure Monitor, read from the settings: {@value #ENDPOINT} (the data
 * collection rule's logs ingestion endpoint, or a data collection endpoint's), {@value #RULE_ID}
 * (the rule's immutable id, {@code dcr-} and 32 hex digits) and {@value #STREAM} (default {@value
 * #DEFAULT_STREAM}). Off when neither of the first two is set; a half or malformed configuration is
 * a {@link ConfigurationException} naming the setting, which health shows (decisions are then not
 * sent, and operations are not affected).
 */
public record LogsIngestionSettings(URI endpoint, String ruleId, String stream) {
  public static final String ENDPOINT = "LOGS_INGESTION_ENDPOINT";
  public static final String RULE_ID = "LOGS_INGESTION_RULE_ID";
  public static final String STREAM = "LOGS_INGESTION_STREAM";
  public static final String DEFAULT_STREAM = "Custom-SOCActions_CL";

  private static final Pattern RULE_ID_PATTERN = Pattern.compile("dcr-[0-9a-f]{32}");
  private static final Pattern STREAM_PATTERN = Pattern.compile("(Custom|Microsoft)-[A-Za-z0-9_]+");

  /**
   * The configuration, or empty when it is off.
   *
   * @throws ConfigurationException when only one of {@value #ENDPOINT} and {@value #RULE_ID} is
   *     set, or a value is malformed
   */
  public static Optional<LogsIngestionSettings> from(Settings settings) {
    Optional<String> endpoint = settings.get(ENDPOINT);
    Optional<String> ruleId = settings.get(RULE_ID);
    if (endpoint.isEmpty() && ruleId.isEmpty()) {
      return Optional.empty();
    }
    if (endpoint.isEmpty()) {
      throw new ConfigurationException(
          ENDPOINT,
          "Setting "
              + ENDPOINT
              + " is missing: "
              + RULE_ID
              + " is set, so decisions need the rule's logs ingestion endpoint too");
    }
    if (ruleId.isEmpty()) {
      throw new ConfigurationException(
          RULE_ID,
          "Setting "
              + RULE_ID
              + " is missing: "
              + ENDPOINT
              + " is set, so decisions need the data collection rule's immutable id too");
    }
    return Optional.of(
        new LogsIngestionSettings(
            endpoint(endpoint.get()),
            ruleId(ruleId.get()),
            stream(settings.get(STREAM, DEFAULT_STREAM))));
  }

  private static URI endpoint(String value) {
    try {
      URI uri = URI.create(value.replaceAll("/+$", ""));
      if ("https".equals(uri.getScheme())
          && uri.getHost() != null
          && (uri.getPath() == null || uri.getPath().isEmpty())
          && uri.getQuery() == null) {
        return uri;
      }
    } catch (IllegalArgumentException e) {
      // Answered below with the setting's name.
    }
    throw new ConfigurationException(
        ENDPOINT,
        "Setting "
            + ENDPOINT
            + " must be an https URL without a path, such as"
            + " https://my-dcr-abcd.westeurope-1.ingest.monitor.azure.com, not '"
            + value
            + "'");
  }

  private static String ruleId(String value) {
    String id = value.toLowerCase(Locale.ROOT);
    if (!RULE_ID_PATTERN.matcher(id).matches()) {
      throw new ConfigurationException(
          RULE_ID,
          "Setting "
              + RULE_ID
              + " must be the data collection rule's immutable id (dcr- and 32 hex digits), not '"
              + value
              + "'");
    }
    return id;
  }

  private static String stream(String value) {
    if (!STREAM_PATTERN.matcher(value).matches()) {
      throw new ConfigurationException(
          STREAM,
          "Setting "
              + STREAM
              + " must name a stream of the rule, such as "
              + DEFAULT_STREAM
              + ", not '"
              + value
              + "'");
    }
    return value;
  }
}
