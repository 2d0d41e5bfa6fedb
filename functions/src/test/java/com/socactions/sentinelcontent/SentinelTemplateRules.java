package com.socactions.sentinelcontent;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What Azure-Sentinel's detection-template validation accepts (its {@code
 * .script/tests/detectionTemplateSchemaValidation}: {@code ScheduledTemplateInternalModel} with its
 * attributes, {@code ValidEntityMappingsAttribute}, {@code EntityMappingIdentifiers}, {@code
 * AttackTactic}, {@code ValidConnectorIds.json}), as checks over one parsed YAML template. Each
 * check answers the problems it found, in words; an empty list is a pass.
 */
final class SentinelTemplateRules {
  /** {@code AttackTactic}. */
  static final Set<String> TACTICS =
      Set.of(
          "InitialAccess",
          "Execution",
          "Persistence",
          "PrivilegeEscalation",
          "DefenseEvasion",
          "CredentialAccess",
          "Discovery",
          "LateralMovement",
          "Collection",
          "Exfiltration",
          "CommandAndControl",
          "Impact",
          "Reconnaissance",
          "ResourceDevelopment",
          "ImpairProcessControl",
          "InhibitResponseFunction");

  /**
   * The MITRE ATT&CK tactics of each technique the content uses ({@code
   * NoTechniquesWithoutMatchingTactics}: a technique needs one of its tactics listed).
   */
  static final Map<String, Set<String>> TECHNIQUE_TACTICS =
      Map.of(
          "T1071", Set.of("CommandAndControl"),
          "T1078", Set.of("DefenseEvasion", "Persistence", "PrivilegeEscalation", "InitialAccess"),
          "T1562", Set.of("DefenseEvasion"),
          "T1531", Set.of("Impact"),
          "T1098", Set.of("Persistence", "PrivilegeEscalation"));

  /** The entries of {@code ValidConnectorIds.json} the content uses, with their tables. */
  static final Map<String, Set<String>> CONNECTORS =
      Map.of(
          "AzureActiveDirectory", Set.of("SigninLogs"),
          "CEF", Set.of("CommonSecurityLog"),
          "MicrosoftThreatProtection", Set.of("DeviceNetworkEvents"));

  /** {@code EntityMappingIdentifiers}: valid identifiers and the required ones (any one set). */
  record Identifiers(Set<String> valid, List<Set<String>> required) {}

  static final Map<String, Identifiers> ENTITIES =
      Map.of(
          "Account",
          new Identifiers(
              Set.of(
                  "Name",
                  "FullName",
                  "NTDomain",
                  "DnsDomain",
                  "UPNSuffix",
                  "Sid",
                  "AadTenantId",
                  "AadUserId",
                  "PUID",
                  "IsDomainJoined",
                  "DisplayName",
                  "ObjectGuid"),
              List.of(
                  Set.of("FullName"),
                  Set.of("Sid"),
                  Set.of("Name"),
                  Set.of("AadUserId"),
                  Set.of("PUID"),
                  Set.of("ObjectGuid"))),
          "Host",
          new Identifiers(
              Set.of(
                  "DnsDomain",
                  "NTDomain",
                  "HostName",
                  "FullName",
                  "NetBiosName",
                  "AzureID",
                  "OMSAgentID",
                  "OSFamily",
                  "OSVersion",
                  "IsDomainJoined"),
              List.of(
                  Set.of("FullName"),
                  Set.of("HostName"),
                  Set.of("NetBiosName"),
                  Set.of("AzureID"),
                  Set.of("OMSAgentID"))),
          "IP",
          new Identifiers(Set.of("Address"), List.of(Set.of("Address"))),
          "DNS",
          new Identifiers(Set.of("DomainName"), List.of(Set.of("DomainName"))),
          "URL",
          new Identifiers(Set.of("Url"), List.of(Set.of("Url"))),
          "FileHash",
          new Identifiers(Set.of("Algorithm", "Value"), List.of(Set.of("Algorithm", "Value"))));

  private static final Pattern GUID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  private static final Pattern TECHNIQUE = Pattern.compile("T\\d{4}(\\.\\d{3})?");
  private static final Pattern COLUMN = Pattern.compile("^[a-zA-Z_]+\\w*$");
  private static final Pattern DETAIL_KEY = Pattern.compile("^[a-zA-Z]+\\w*$");
  private static final Pattern SEMVER = Pattern.compile("\\d+\\.\\d+\\.\\d+");
  private static final Pattern PERIOD = Pattern.compile("(\\d+)([mhd])");
  private static final Set<String> SEVERITIES = Set.of("Informational", "Low", "Medium", "High");
  private static final Set<String> OPERATORS = Set.of("gt", "lt", "eq", "ne");

  private SentinelTemplateRules() {}

  /** A scheduled analytic rule. */
  static List<String> scheduledRuleProblems(JsonNode rule) {
    List<String> problems = new ArrayList<>(commonProblems(rule));
    for (String field :
        List.of(
            "severity",
            "queryFrequency",
            "queryPeriod",
            "triggerOperator",
            "triggerThreshold",
            "version",
            "kind")) {
      if (!rule.has(field)) {
        problems.add("missing " + field);
      }
    }
    if (!"Scheduled".equals(rule.path("kind").asText())) {
      problems.add("kind must be Scheduled, not " + rule.path("kind").asText());
    }
    if (!SEVERITIES.contains(rule.path("severity").asText())) {
      problems.add("severity " + rule.path("severity").asText());
    }
    Duration frequency = period(rule.path("queryFrequency").asText(), problems);
    Duration lookback = period(rule.path("queryPeriod").asText(), problems);
    if (frequency != null && lookback != null && lookback.compareTo(frequency) < 0) {
      problems.add("queryPeriod shorter than queryFrequency");
    }
    if (!OPERATORS.contains(rule.path("triggerOperator").asText())) {
      problems.add("triggerOperator " + rule.path("triggerOperator").asText());
    }
    int threshold = rule.path("triggerThreshold").asInt(-1);
    if (!rule.path("triggerThreshold").isInt() || threshold < 0 || threshold > 10_000) {
      problems.add("triggerThreshold must be 0..10000");
    }
    if (!rule.has("entityMappings")) {
      problems.add("an analytic rule of this solution maps entities");
    }
    JsonNode details = rule.path("customDetails");
    if (details.size() > 20) {
      problems.add("more than 20 customDetails");
    }
    details
        .fields()
        .forEachRemaining(
            field -> {
              if (field.getKey().length() > 20 || !DETAIL_KEY.matcher(field.getKey()).matches()) {
                problems.add("customDetails key " + field.getKey());
              }
              if (!COLUMN.matcher(field.getValue().asText()).matches()) {
                problems.add("customDetails value " + field.getValue().asText());
              }
            });
    return problems;
  }

  /** A hunting query (the same fields less the scheduling). */
  static List<String> huntingQueryProblems(JsonNode query) {
    return commonProblems(query);
  }

  private static List<String> commonProblems(JsonNode template) {
    List<String> problems = new ArrayList<>();
    for (String field :
        List.of(
            "id",
            "name",
            "description",
            "requiredDataConnectors",
            "tactics",
            "relevantTechniques",
            "query",
            "version")) {
      if (!template.has(field)) {
        problems.add("missing " + field);
      }
    }
    if (!GUID.matcher(template.path("id").asText()).matches()) {
      problems.add("id is not a lower-case GUID");
    }
    if (template.path("name").asText().isBlank() || template.path("name").asText().length() > 256) {
      problems.add("name must be 1..256 characters");
    }
    if (template.path("description").asText().isBlank()
        || template.path("description").asText().length() > 5000) {
      problems.add("description must be 1..5000 characters");
    }
    String query = template.path("query").asText();
    if (query.isBlank() || query.length() > 10_000) {
      problems.add("query must be 1..10000 characters");
    }
    if (!SEMVER.matcher(template.path("version").asText()).matches()) {
      problems.add("version must be x.y.z");
    }
    Set<String> tactics = new HashSet<>();
    template
        .path("tactics")
        .forEach(
            tactic -> {
              tactics.add(tactic.asText());
              if (!TACTICS.contains(tactic.asText())) {
                problems.add("unknown tactic " + tactic.asText());
              }
            });
    template
        .path("relevantTechniques")
        .forEach(
            technique -> {
              String id = technique.asText();
              if (!TECHNIQUE.matcher(id).matches()) {
                problems.add("technique " + id);
                return;
              }
              Set<String> its = TECHNIQUE_TACTICS.get(id.substring(0, 5));
              if (its == null) {
                problems.add("technique " + id + " has no recorded tactics here: add them");
              } else if (its.stream().noneMatch(tactics::contains)) {
                problems.add("technique " + id + " without one of its tactics " + its);
              }
            });
    template
        .path("requiredDataConnectors")
        .forEach(
            connector -> {
              Set<String> tables = CONNECTORS.get(connector.path("connectorId").asText());
              if (tables == null) {
                problems.add("connectorId " + connector.path("connectorId").asText());
                return;
              }
              connector
                  .path("dataTypes")
                  .forEach(
                      type -> {
                        if (!tables.contains(type.asText())) {
                          problems.add(type.asText() + " is not a data type of its connector");
                        } else if (!query.contains(type.asText())) {
                          problems.add(type.asText() + " is required but not queried");
                        }
                      });
            });
    problems.addAll(entityMappingProblems(template.path("entityMappings")));
    return problems;
  }

  /** {@code ValidEntityMappingsAttribute(1, 5, 1, 3)}. */
  static List<String> entityMappingProblems(JsonNode mappings) {
    List<String> problems = new ArrayList<>();
    if (mappings.isMissingNode()) {
      return problems;
    }
    if (mappings.size() < 1 || mappings.size() > 5) {
      problems.add("entityMappings must have 1..5 entries");
    }
    for (JsonNode mapping : mappings) {
      String type = mapping.path("entityType").asText();
      Identifiers identifiers = ENTITIES.get(type);
      if (identifiers == null) {
        problems.add("entity type " + type + " (not one this check knows)");
        continue;
      }
      JsonNode fields = mapping.path("fieldMappings");
      if (fields.size() < 1 || fields.size() > 3) {
        problems.add(type + ": fieldMappings must have 1..3 entries");
      }
      Set<String> used = new HashSet<>();
      for (JsonNode field : fields) {
        String identifier = field.path("identifier").asText();
        if (!identifiers.valid().contains(identifier)) {
          problems.add(type + ": identifier " + identifier);
        }
        if (!used.add(identifier)) {
          problems.add(type + ": identifier " + identifier + " twice");
        }
        if (!COLUMN.matcher(field.path("columnName").asText()).matches()) {
          problems.add(type + ": columnName " + field.path("columnName").asText());
        }
      }
      if (identifiers.required().stream().noneMatch(used::containsAll)) {
        problems.add(type + ": none of the required identifiers " + identifiers.required());
      }
    }
    return problems;
  }

  /** {@code 5m..14d} ({@code RangeTimeSpanIsoFormat("00:05:00", "14.00:00:00")}). */
  private static Duration period(String text, List<String> problems) {
    var matcher = PERIOD.matcher(text);
    if (!matcher.matches()) {
      problems.add("period " + text);
      return null;
    }
    long n = Long.parseLong(matcher.group(1));
    Duration duration =
        switch (matcher.group(2)) {
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        };
    if (duration.compareTo(Duration.ofMinutes(5)) < 0
        || duration.compareTo(Duration.ofDays(14)) > 0) {
      problems.add("period " + text + " outside 5m..14d");
    }
    return duration;
  }
}
