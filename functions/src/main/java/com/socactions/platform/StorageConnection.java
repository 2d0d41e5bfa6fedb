package com.socactions.platform;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;

/**
 * Where the state store is and how to authenticate to it, read from the settings the way Azure
 * Functions reads a storage connection. For each prefix in order, {@code STATE_STORAGE_CONNECTION}
 * then {@code AzureWebJobsStorage}, the first that has any setting wins:
 *
 * <ul>
 *   <li>{@code <prefix>}: a connection string (account key or SAS, or {@code
 *       UseDevelopmentStorage=true});
 *   <li>identity-based: {@code <prefix>__tableServiceUri} (any cloud), else {@code
 *       <prefix>__accountName} (public cloud: {@code https://<name>.table.core.windows.net});
 *       {@code <prefix>__credential=managedidentity} with an optional {@code <prefix>__clientId} or
 *       {@code <prefix>__managedIdentityResourceId} (not both) selects the managed identity;
 *       without it the process credential ({@link AzureCredentials}) is used.
 * </ul>
 *
 * <p>With no storage setting at all, Azurite's development storage is used, but only when not
 * running in Azure ({@code WEBSITE_INSTANCE_ID}/{@code WEBSITE_SITE_NAME} unset); in Azure that is
 * an error. Resolving never throws: a setting that names nothing usable gives a {@link
 * Kind#MISCONFIGURED} connection whose {@link #problem()} names the setting, never its value
 * (connection strings hold keys).
 */
public final class StorageConnection {
  public static final String STATE_PREFIX = "STATE_STORAGE_CONNECTION";
  public static final String FUNCTIONS_PREFIX = "AzureWebJobsStorage";
  static final List<String> PREFIXES = List.of(STATE_PREFIX, FUNCTIONS_PREFIX);
  public static final String DEVELOPMENT_STORAGE = "UseDevelopmentStorage=true";

  /**
   * Set by the App Service / Functions platform in Azure, never by Core Tools or our local host.
   */
  static final List<String> AZURE_MARKERS = List.of("WEBSITE_INSTANCE_ID", "WEBSITE_SITE_NAME");

  static final String MANAGED_IDENTITY = "managedidentity";
  private static final String PUBLIC_TABLE_ENDPOINT = "https://%s.table.core.windows.net";
  private static final Pattern ACCOUNT_NAME = Pattern.compile("[a-z0-9]{3,24}");
  private static final List<String> IDENTITY_PROPERTIES =
      List.of(
          "tableServiceUri", "accountName", "credential", "clientId", "managedIdentityResourceId");

  /** How the connection authenticates, or why it cannot. */
  public enum Kind {
    CONNECTION_STRING,
    IDENTITY,
    DEVELOPMENT_STORAGE,
    MISCONFIGURED
  }

  private final Kind kind;
  private final String setting;
  private final String connectionString;
  private final String tableEndpoint;
  private final boolean managedIdentity;
  private final Optional<String> clientId;
  private final Optional<String> resourceId;
  private final ConfigurationException problem;

  private StorageConnection(
      Kind kind,
      String setting,
      String connectionString,
      String tableEndpoint,
      boolean managedIdentity,
      Optional<String> clientId,
      Optional<String> resourceId,
      ConfigurationException problem) {
    this.kind = kind;
    this.setting = setting;
    this.connectionString = connectionString;
    this.tableEndpoint = tableEndpoint;
    this.managedIdentity = managedIdentity;
    this.clientId = clientId;
    this.resourceId = resourceId;
    this.problem = problem;
  }

  /** The connection these settings describe; never throws. */
  public static StorageConnection resolve(Settings settings) {
    for (String prefix : PREFIXES) {
      if (settings.isSet(prefix)) {
        return fromConnectionString(prefix, settings.get(prefix).orElseThrow());
      }
      if (IDENTITY_PROPERTIES.stream()
          .anyMatch(property -> settings.isSet(prefix + "__" + property))) {
        return fromIdentity(prefix, settings);
      }
    }
    if (AZURE_MARKERS.stream().anyMatch(settings::isSet)) {
      return misconfigured(
          FUNCTIONS_PREFIX,
          "No storage setting: in Azure set "
              + FUNCTIONS_PREFIX
              + " (or "
              + FUNCTIONS_PREFIX
              + "__accountName with a managed identity), or "
              + STATE_PREFIX);
    }
    return new StorageConnection(
        Kind.DEVELOPMENT_STORAGE,
        null,
        DEVELOPMENT_STORAGE,
        null,
        false,
        Optional.empty(),
        Optional.empty(),
        null);
  }

  private static StorageConnection fromConnectionString(String setting, String value) {
    Map<String, String> parts = new LinkedHashMap<>();
    for (String segment : value.split(";")) {
      if (segment.isBlank()) {
        continue;
      }
      int equals = segment.indexOf('=');
      if (equals <= 0) {
        return malformed(setting);
      }
      parts.put(
          segment.substring(0, equals).trim().toLowerCase(Locale.ROOT),
          segment.substring(equals + 1).trim());
    }
    boolean development = "true".equalsIgnoreCase(parts.get("usedevelopmentstorage"));
    boolean accountKey = present(parts, "accountname") && present(parts, "accountkey");
    boolean sas =
        present(parts, "sharedaccesssignature")
            && (present(parts, "accountname") || present(parts, "tableendpoint"));
    if (!development && !accountKey && !sas) {
      return malformed(setting);
    }
    return new StorageConnection(
        Kind.CONNECTION_STRING,
        setting,
        value,
        null,
        false,
        Optional.empty(),
        Optional.empty(),
        null);
  }

  private static boolean present(Map<String, String> parts, String key) {
    return parts.get(key) != null && !parts.get(key).isEmpty();
  }

  private static StorageConnection malformed(String setting) {
    return misconfigured(
        setting,
        "Setting "
            + setting
            + " is not a usable storage connection string: it needs AccountName and AccountKey, or"
            + " a SharedAccessSignature with AccountName or TableEndpoint, or"
            + " UseDevelopmentStorage=true (the value is not shown: it holds keys)");
  }

  private static StorageConnection fromIdentity(String prefix, Settings settings) {
    String uriSetting = prefix + "__tableServiceUri";
    String accountSetting = prefix + "__accountName";
    String credentialSetting = prefix + "__credential";
    String clientIdSetting = prefix + "__clientId";
    String resourceIdSetting = prefix + "__managedIdentityResourceId";
    String endpoint;
    String setting;
    if (settings.isSet(uriSetting)) {
      setting = uriSetting;
      HttpUrl url = HttpUrl.parse(settings.get(uriSetting).orElseThrow());
      if (url == null || !url.isHttps()) {
        return misconfigured(
            uriSetting,
            "Setting "
                + uriSetting
                + " must be the https URL of a table service, such as"
                + " https://<account>.table.core.windows.net");
      }
      endpoint = url.toString().replaceAll("/+$", "");
    } else if (settings.isSet(accountSetting)) {
      setting = accountSetting;
      String account = settings.get(accountSetting).orElseThrow();
      if (!ACCOUNT_NAME.matcher(account).matches()) {
        return misconfigured(
            accountSetting,
            "Setting "
                + accountSetting
                + " must be a storage account name: 3 to 24 lowercase letters and digits");
      }
      endpoint = String.format(PUBLIC_TABLE_ENDPOINT, account);
    } else {
      return misconfigured(
          accountSetting,
          "Identity-based storage connection "
              + prefix
              + " names no account: set "
              + accountSetting
              + " or "
              + uriSetting);
    }
    Optional<String> credential = settings.get(credentialSetting);
    if (credential.isPresent() && !credential.get().equalsIgnoreCase(MANAGED_IDENTITY)) {
      return misconfigured(
          credentialSetting,
          "Setting " + credentialSetting + " must be '" + MANAGED_IDENTITY + "' or unset");
    }
    Optional<String> clientId = settings.get(clientIdSetting);
    Optional<String> resourceId = settings.get(resourceIdSetting);
    if (clientId.isPresent() && resourceId.isPresent()) {
      return misconfigured(
          clientIdSetting, "Set " + clientIdSetting + " or " + resourceIdSetting + ", not both");
    }
    boolean managed = credential.isPresent() || clientId.isPresent() || resourceId.isPresent();
    return new StorageConnection(
        Kind.IDENTITY, setting, null, endpoint, managed, clientId, resourceId, null);
  }

  private static StorageConnection misconfigured(String setting, String message) {
    return new StorageConnection(
        Kind.MISCONFIGURED,
        setting,
        null,
        null,
        false,
        Optional.empty(),
        Optional.empty(),
        new ConfigurationException(setting, message));
  }

  public Kind kind() {
    return kind;
  }

  /**
   * The setting this connection came from (or that is to blame); empty for the emulator default.
   */
  public Optional<String> setting() {
    return Optional.ofNullable(setting);
  }

  /** The connection string (a secret: never show it); empty for identity-based connections. */
  Optional<String> connectionString() {
    return Optional.ofNullable(connectionString);
  }

  /** The table service endpoint of an identity-based connection. */
  Optional<String> tableEndpoint() {
    return Optional.ofNullable(tableEndpoint);
  }

  /**
   * Whether an identity-based connection asks for the managed identity rather than the process
   * credential.
   */
  boolean managedIdentity() {
    return managedIdentity;
  }

  Optional<String> clientId() {
    return clientId;
  }

  Optional<String> resourceId() {
    return resourceId;
  }

  /** Why this connection cannot work, naming the setting; empty when it may. */
  public Optional<ConfigurationException> problem() {
    return Optional.ofNullable(problem);
  }

  /** One line for health, without secrets. */
  public String describe() {
    return switch (kind) {
      case CONNECTION_STRING -> "connection string in " + setting;
      case IDENTITY ->
          "identity-based connection "
              + setting
              + (managedIdentity ? " with the managed identity" : "");
      case DEVELOPMENT_STORAGE -> "local storage emulator: no storage setting";
      case MISCONFIGURED -> problem.getMessage();
    };
  }

  @Override
  public String toString() {
    return "StorageConnection[" + kind + ", " + describe() + "]";
  }
}
