package com.socactions.sentinelcontent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Sentinel content of the solution over {@code SOCActions_CL}: analytic rules, hunting queries,
 * the workbook and the logs-ingestion template, read from {@code Solutions/SOC Actions/}; and the
 * table schemas their KQL is checked against (the standard tables from the shared fixtures, {@code
 * SOCActions_CL} from the template that creates it).
 */
final class SentinelContent {
  static final Path SOLUTION = Path.of("..", "Solutions", "SOC Actions");
  static final Path RULES = SOLUTION.resolve("Analytic Rules");
  static final Path HUNTING = SOLUTION.resolve("Hunting Queries");
  static final Path WORKBOOK = SOLUTION.resolve("Workbooks").resolve("SOCActions.json");
  static final Path WORKBOOKS_METADATA = SOLUTION.resolve("WorkbooksMetadata.json");
  static final Path LOGS_INGESTION = Path.of("..", "arm", "logs-ingestion.json");

  /**
   * The standard tables the content queries, recorded in the test resources' {@code
   * recorded/sentinel-schemas/} (sources in {@code recorded/SOURCES.md}).
   */
  static final List<String> STANDARD_TABLES =
      List.of("SigninLogs", "CommonSecurityLog", "DeviceNetworkEvents");

  /** What workbook parameters expand to when the workbook runs (a 7-day range, all providers). */
  static final Map<String, String> WORKBOOK_PARAMETERS =
      Map.of(
          "{TimeRange}",
              "between (datetime(2026-12-01T00:00:00Z) .. datetime(2026-12-08T00:00:00Z))",
          "{TimeRange:start}", "datetime(2026-12-01T00:00:00Z)",
          "{TimeRange:end}", "datetime(2026-12-08T00:00:00Z)",
          "{TimeRange:grain}", "1h",
          "{Provider}", "'*'");

  private static final Pattern PARAMETER = Pattern.compile("\\{[A-Za-z][A-Za-z0-9_:]*\\}");
  static final ObjectMapper JSON = new ObjectMapper();
  static final YAMLMapper YAML = new YAMLMapper();

  private SentinelContent() {}

  static Map<String, JsonNode> rules() {
    return yamls(RULES);
  }

  static Map<String, JsonNode> huntingQueries() {
    return yamls(HUNTING);
  }

  static JsonNode workbook() {
    return read(WORKBOOK);
  }

  static JsonNode read(Path file) {
    try {
      return JSON.readTree(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, JsonNode> yamls(Path folder) {
    Map<String, JsonNode> found = new LinkedHashMap<>();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : files.sorted().toList()) {
        found.put(file.getFileName().toString(), YAML.readTree(Files.readString(file)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return found;
  }

  /** The workbook's queries (parameters expanded), by item or parameter name. */
  static Map<String, String> workbookQueries() {
    Map<String, String> queries = new LinkedHashMap<>();
    collect(workbook(), "workbook", queries);
    return queries;
  }

  private static void collect(JsonNode node, String name, Map<String, String> queries) {
    if (node.isObject()) {
      String here = node.path("name").isTextual() ? node.path("name").asText() : name;
      if (node.path("query").isTextual()) {
        queries.put("workbook: " + here, expand(node.path("query").asText()));
      }
      node.fields().forEachRemaining(field -> collect(field.getValue(), here, queries));
    } else if (node.isArray()) {
      node.forEach(child -> collect(child, name, queries));
    }
  }

  /**
   * The query as the workbook runs it.
   *
   * @throws IllegalStateException for a parameter the workbook does not declare
   */
  static String expand(String query) {
    String expanded = query;
    for (Map.Entry<String, String> parameter : WORKBOOK_PARAMETERS.entrySet()) {
      expanded = expanded.replace(parameter.getKey(), parameter.getValue());
    }
    Matcher left = PARAMETER.matcher(expanded);
    if (left.find()) {
      throw new IllegalStateException("An undeclared workbook parameter " + left.group());
    }
    return expanded;
  }

  /** Every query of the content, by a readable id. */
  static Map<String, String> allQueries() {
    Map<String, String> queries = new LinkedHashMap<>();
    rules().forEach((file, rule) -> queries.put("rule: " + file, rule.path("query").asText()));
    huntingQueries()
        .forEach((file, query) -> queries.put("hunting: " + file, query.path("query").asText()));
    queries.putAll(workbookQueries());
    return queries;
  }

  /** The tables and their schemas ({@code (column:type, ...)}) the queries may use. */
  static Map<String, String> tables() {
    Map<String, String> tables = new LinkedHashMap<>();
    for (String table : STANDARD_TABLES) {
      JsonNode schema = readRecorded("sentinel-schemas/" + table + ".json");
      List<String> columns = new ArrayList<>();
      for (JsonNode column : schema.path("Properties")) {
        columns.add(column.path("Name").asText() + ":" + kustoType(column.path("Type").asText()));
      }
      tables.put(schema.path("Name").asText(), "(" + String.join(", ", columns) + ")");
    }
    tables.put("SOCActions_CL", "(" + String.join(", ", socActionsColumns()) + ")");
    return tables;
  }

  /**
   * {@code SOCActions_CL}'s columns as the template creates the table (plus Type, as any table).
   */
  static List<String> socActionsColumns() {
    List<String> columns = new ArrayList<>();
    for (JsonNode column : read(LOGS_INGESTION).at("/variables/columns")) {
      columns.add(column.path("name").asText() + ":" + kustoType(column.path("type").asText()));
    }
    columns.add("Type:string");
    return columns;
  }

  /** Public data this repository records for its tests, under the test resources' recorded/. */
  static JsonNode readRecorded(String relative) {
    try (InputStream in = SentinelContent.class.getResourceAsStream("/recorded/" + relative)) {
      if (in == null) {
        throw new IllegalStateException("Not recorded: " + relative);
      }
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A column type as Log Analytics or Azure-Sentinel's schema files spell it, in Kusto's terms. */
  static String kustoType(String type) {
    return switch (type.toLowerCase(Locale.ROOT)) {
      case "string" -> "string";
      case "datetime" -> "datetime";
      case "int" -> "int";
      case "long", "bigint" -> "long";
      case "real", "float", "double" -> "real";
      case "bool", "boolean" -> "bool";
      case "dynamic" -> "dynamic";
      case "guid" -> "guid";
      case "timespan" -> "timespan";
      default -> throw new IllegalArgumentException("Unknown column type " + type);
    };
  }
}
