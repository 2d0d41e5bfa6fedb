package com.socactions.content;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The resource types the shipped content may deploy, each with the API versions it may use. A new
 * type or version is added here on purpose, after checking it in the ARM template reference: a
 * version picked at random from an old sample is how templates quietly lose properties.
 */
final class ApiVersions {
  private static final Map<String, Set<String>> KNOWN =
      Map.ofEntries(
          Map.entry("microsoft.logic/workflows", Set.of("2019-05-01", "2017-07-01")),
          Map.entry("microsoft.web/connections", Set.of("2016-06-01")),
          Map.entry("microsoft.web/customapis", Set.of("2016-06-01")),
          Map.entry("microsoft.web/sites", Set.of("2023-12-01", "2024-04-01")),
          Map.entry("microsoft.web/sites/config", Set.of("2023-12-01", "2024-04-01")),
          Map.entry(
              "microsoft.web/sites/basicpublishingcredentialspolicies",
              Set.of("2023-12-01", "2024-04-01")),
          Map.entry("microsoft.web/serverfarms", Set.of("2023-12-01", "2024-04-01")),
          Map.entry("microsoft.storage/storageaccounts", Set.of("2023-05-01")),
          Map.entry("microsoft.storage/storageaccounts/blobservices", Set.of("2023-05-01")),
          Map.entry(
              "microsoft.storage/storageaccounts/blobservices/containers", Set.of("2023-05-01")),
          Map.entry("microsoft.insights/components", Set.of("2020-02-02")),
          Map.entry("microsoft.operationalinsights/workspaces", Set.of("2023-09-01")),
          Map.entry("microsoft.keyvault/vaults", Set.of("2023-07-01")),
          Map.entry("microsoft.keyvault/vaults/secrets", Set.of("2023-07-01")),
          Map.entry("microsoft.authorization/roleassignments", Set.of("2022-04-01")),
          Map.entry("microsoft.resources/deployments", Set.of("2022-09-01")),
          Map.entry(
              "microsoft.securityinsights/automationrules", Set.of("2023-02-01", "2024-03-01")));

  private ApiVersions() {}

  /**
   * Whether {@code type} (case-insensitive, as ARM compares it) may be deployed with {@code
   * apiVersion}.
   */
  static boolean isKnown(String type, String apiVersion) {
    return KNOWN.getOrDefault(type.toLowerCase(Locale.ROOT), Set.of()).contains(apiVersion);
  }
}
