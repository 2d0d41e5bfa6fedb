package com.socactions.docs;

import com.azure.core.util.Configuration;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds the setting names the code reads and the deployment writes, for the catalog's drift tests.
 *
 * <p>In Java source a setting name is a string literal shaped like one: upper-case words joined by
 * underscores ({@code GEOIP_CITY_DB}) or the Functions host's {@code AzureWebJobs*}, outside
 * comments and {@code case} labels, plus the Azure Identity variables the code names through {@code
 * Configuration.PROPERTY_*}. Every literal of that shape in this code base is a setting name except
 * the few in {@link #NOT_SETTINGS}, each listed with what it is instead.
 */
final class SettingNames {
  private static final Pattern SHAPE =
      Pattern.compile("[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|AzureWebJobs[A-Za-z]+");
  private static final Pattern AZURE_PROPERTY =
      Pattern.compile("\\bConfiguration\\.(PROPERTY_[A-Z0-9_]+)\\b");
  private static final Pattern CASE_LABEL = Pattern.compile("^\\s*case\\s");
  private static final Pattern CREATE_OBJECT = Pattern.compile("\\bcreateObject\\(");
  private static final Pattern QUOTED = Pattern.compile("'([^']*)'");
  private static final Pattern VARIABLE = Pattern.compile("variables\\('([^']+)'\\)");

  /** Literals of a setting's shape that name something else. */
  static final Map<String, String> NOT_SETTINGS =
      Map.of(
          "NOT_ACTIVE", "an outcome of the expiry timer's lift (BlockDecisions)",
          "NOT_DUE", "an outcome of the expiry timer's lift (BlockDecisions)");

  private SettingNames() {}

  /** A setting name found in a file, with where, for messages. */
  record Found(String name, Path file, int line) {}

  /** Setting names read by the Java code under these source roots, by name. */
  static Map<String, Found> readBy(Path... roots) {
    Map<String, Found> found = new TreeMap<>();
    for (Path root : roots) {
      try (Stream<Path> files = Files.walk(root)) {
        for (Path file : files.filter(path -> path.toString().endsWith(".java")).toList()) {
          for (Found name : inSource(file, Files.readString(file))) {
            found.putIfAbsent(name.name(), name);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return found;
  }

  /** The setting names in one Java source file. */
  static List<Found> inSource(Path file, String source) {
    List<Found> names = new ArrayList<>();
    JavaText text = JavaText.of(source);
    for (JavaText.Literal literal : text.literals()) {
      String line = text.codeLine(literal.line());
      if (SHAPE.matcher(literal.value()).matches()
          && !NOT_SETTINGS.containsKey(literal.value())
          && !CASE_LABEL.matcher(line).find()) {
        names.add(new Found(literal.value(), file, literal.line()));
      }
    }
    Matcher property = AZURE_PROPERTY.matcher(text.code());
    while (property.find()) {
      names.add(new Found(azureProperty(property.group(1)), file, text.lineOf(property.start())));
    }
    return names;
  }

  /** The value of one of azure-core's {@code Configuration.PROPERTY_*} names. */
  private static String azureProperty(String field) {
    try {
      return (String) Configuration.class.getField(field).get(null);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("Configuration." + field + " is not an azure-core name", e);
    }
  }

  /**
   * The app settings {@code arm/functionapp.json} writes: the keys of every {@code createObject} in
   * its {@code Microsoft.Web/sites/config} {@code appsettings} resources, variables resolved, its
   * nested deployments' included (the embedded Logs Ingestion template sets {@code
   * LOGS_INGESTION_*}).
   */
  static Set<String> writtenBy(Path template) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(Files.readString(template));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Set<String> names = new TreeSet<>();
    collectWritten(root, names);
    if (names.isEmpty()) {
      throw new IllegalStateException(template + " writes no app settings this scan can read");
    }
    return names;
  }

  private static void collectWritten(JsonNode template, Set<String> names) {
    for (JsonNode resource : template.path("resources")) {
      String type = resource.path("type").asText();
      if (type.equals("Microsoft.Web/sites/config")
          && resource.path("name").asText().contains("/appsettings")) {
        names.addAll(
            createObjectKeys(resource.path("properties").asText(), template.path("variables")));
      } else if (type.equals("Microsoft.Resources/deployments")) {
        collectWritten(resource.path("properties").path("template"), names);
      }
    }
  }

  private static List<String> createObjectKeys(String expression, JsonNode variables) {
    List<String> keys = new ArrayList<>();
    Matcher call = CREATE_OBJECT.matcher(expression);
    while (call.find()) {
      List<String> arguments = arguments(expression, call.end());
      for (int i = 0; i < arguments.size(); i += 2) {
        keys.add(key(arguments.get(i).strip(), variables));
      }
    }
    return keys;
  }

  private static String key(String argument, JsonNode variables) {
    Matcher variable = VARIABLE.matcher(argument);
    if (variable.matches()) {
      return variables.path(variable.group(1)).asText();
    }
    Matcher quoted = QUOTED.matcher(argument);
    if (quoted.matches()) {
      return quoted.group(1);
    }
    throw new IllegalStateException("An app setting's name this scan cannot read: " + argument);
  }

  /** The top-level arguments of the call whose argument list starts at {@code start}. */
  private static List<String> arguments(String expression, int start) {
    List<String> arguments = new ArrayList<>();
    int depth = 0;
    boolean quoted = false;
    StringBuilder current = new StringBuilder();
    for (int i = start; i < expression.length(); i++) {
      char c = expression.charAt(i);
      if (c == '\'') {
        quoted = !quoted;
      } else if (!quoted && c == '(') {
        depth++;
      } else if (!quoted && c == ')') {
        if (depth == 0) {
          if (!current.toString().isBlank()) {
            arguments.add(current.toString());
          }
          return arguments;
        }
        depth--;
      } else if (!quoted && c == ',' && depth == 0) {
        arguments.add(current.toString());
        current.setLength(0);
        continue;
      }
      current.append(c);
    }
    throw new IllegalStateException("Unbalanced createObject( in an ARM expression");
  }
}
