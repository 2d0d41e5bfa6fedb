package com.socactions.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.socactions.platform.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The connector definition ({@code openapi/apiDefinition.swagger.json}), packaged on the classpath:
 * served as is (with the serving host) and used to tell a wrong method from an unknown path.
 */
final class OpenApiDefinition {
  static final String RESOURCE = "/openapi/apiDefinition.swagger.json";
  private static final ObjectNode DEFINITION = read();
  private static final List<PathMethods> PATHS = index(DEFINITION);

  private OpenApiDefinition() {}

  /**
   * The definition as served by {@code host}: its {@code host} set, and {@code http} as the scheme
   * when that is how it was reached (the local host), so "Import from URL" just works.
   */
  static ObjectNode servedFrom(String host, String scheme) {
    ObjectNode copy = DEFINITION.deepCopy();
    copy.put("host", host);
    if ("http".equalsIgnoreCase(scheme)) {
      copy.putArray("schemes").add("http");
    }
    return copy;
  }

  /**
   * The methods the definition allows on a request path such as {@code /api/v1/health}
   * (comma-separated, for an {@code Allow} header); empty when no operation has that path.
   */
  static Optional<String> allowedMethods(String requestPath) {
    String basePath = DEFINITION.path("basePath").asText("");
    String path =
        requestPath.startsWith(basePath) ? requestPath.substring(basePath.length()) : requestPath;
    for (PathMethods candidate : PATHS) {
      if (candidate.pattern.matcher(path).matches()) {
        return Optional.of(String.join(", ", candidate.methods));
      }
    }
    return Optional.empty();
  }

  private static ObjectNode read() {
    try (InputStream in = OpenApiDefinition.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            RESOURCE + " is not on the classpath; the build copies it from openapi/");
      }
      return (ObjectNode) Json.UPSTREAM.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<PathMethods> index(JsonNode definition) {
    List<PathMethods> paths = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> entries = definition.path("paths").fields();
    while (entries.hasNext()) {
      Map.Entry<String, JsonNode> entry = entries.next();
      List<String> methods = new ArrayList<>();
      entry
          .getValue()
          .fieldNames()
          .forEachRemaining(
              name -> {
                if (name.matches("get|put|post|delete|patch|head|options")) {
                  methods.add(name.toUpperCase(Locale.ROOT));
                }
              });
      String regex =
          "(?i)" + Pattern.quote(entry.getKey()).replaceAll("\\{[^}/]+}", "\\\\E[^/]+\\\\Q") + "/?";
      paths.add(new PathMethods(Pattern.compile(regex), methods));
    }
    return paths;
  }

  private record PathMethods(Pattern pattern, List<String> methods) {}
}
