package com.socactions.content;

import java.time.LocalDate;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The resource types the shipped content may deploy, each with the one API version it uses. A new
 * type or version is added here on purpose, after checking it in the ARM template reference or the
 * azure-rest-api-specs repository: a version picked at random from an old sample is how templates
 * quietly lose properties.
 *
 * <p>ARM-TTK's {@code apiVersions-Should-Be-Recent} fails a version older than two years when a
 * newer one exists, so each entry is either younger than two years on {@link #CHECKED_ON} or marked
 * as the newest stable version the provider has ({@code ApiVersionsTest} keeps both true). Update
 * {@link #CHECKED_ON} when the list is checked again.
 */
final class ApiVersions {
  /** When the list was last checked against the providers' published versions. */
  static final LocalDate CHECKED_ON = LocalDate.of(2026, 12, 5);

  /**
   * One allowed version; {@code newestStable} is why an old one stays allowed: no newer stable
   * version exists (checked on {@link #CHECKED_ON}).
   */
  record Version(String version, boolean newestStable) {
    LocalDate date() {
      return LocalDate.parse(version.substring(0, 10));
    }
  }

  private static Version recent(String version) {
    return new Version(version, false);
  }

  private static Version newest(String version) {
    return new Version(version, true);
  }

  static final Map<String, Version> KNOWN =
      Map.ofEntries(
          // Logic Apps: 2019-05-01 is the newest stable workflows version.
          Map.entry("microsoft.logic/workflows", newest("2019-05-01")),
          // API connections and custom connectors have one version.
          Map.entry("microsoft.web/connections", newest("2016-06-01")),
          Map.entry("microsoft.web/customapis", newest("2016-06-01")),
          Map.entry("microsoft.web/sites", recent("2025-03-01")),
          Map.entry("microsoft.web/sites/config", recent("2025-03-01")),
          Map.entry("microsoft.web/sites/extensions", recent("2025-03-01")),
          Map.entry("microsoft.web/sites/host/functionkeys", recent("2025-03-01")),
          Map.entry("microsoft.web/sites/basicpublishingcredentialspolicies", recent("2025-03-01")),
          Map.entry("microsoft.web/serverfarms", recent("2025-03-01")),
          Map.entry("microsoft.storage/storageaccounts", recent("2025-01-01")),
          Map.entry(
              "microsoft.storage/storageaccounts/blobservices/containers", recent("2025-01-01")),
          // Application Insights components: 2020-02-02 is the newest stable version.
          Map.entry("microsoft.insights/components", newest("2020-02-02")),
          Map.entry("microsoft.operationalinsights/workspaces", recent("2025-02-01")),
          Map.entry("microsoft.keyvault/vaults", recent("2025-05-01")),
          Map.entry("microsoft.keyvault/vaults/secrets", recent("2025-05-01")),
          // Role assignments: 2022-04-01 is the newest stable version.
          Map.entry("microsoft.authorization/roleassignments", newest("2022-04-01")),
          Map.entry("microsoft.resources/deployments", recent("2025-04-01")),
          // 2025-09-01: PropertyChanged and Boolean (Or) conditions, content packages/templates.
          Map.entry("microsoft.securityinsights/automationrules", recent("2025-09-01")),
          Map.entry(
              "microsoft.operationalinsights/workspaces/providers/contentpackages",
              recent("2025-09-01")),
          Map.entry(
              "microsoft.operationalinsights/workspaces/providers/contenttemplates",
              recent("2025-09-01")),
          Map.entry(
              "microsoft.operationalinsights/workspaces/providers/metadata", recent("2025-09-01")));

  private ApiVersions() {}

  /** The version {@code type} (case-insensitive, as ARM compares it) is deployed with. */
  static Optional<Version> of(String type) {
    return Optional.ofNullable(KNOWN.get(type.toLowerCase(Locale.ROOT)));
  }

  /**
   * Whether {@code type} (case-insensitive, as ARM compares it) may be deployed with {@code
   * apiVersion}.
   */
  static boolean isKnown(String type, String apiVersion) {
    return of(type).map(v -> v.version().equals(apiVersion)).orElse(false);
  }
}
