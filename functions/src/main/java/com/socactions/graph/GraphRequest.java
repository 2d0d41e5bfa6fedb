package com.socactions.graph;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Objects;

/**
 * One Graph request as JSON batching carries it: an id unique within its list, a method, a URL
 * relative to {@code <GRAPH_URL>/v1.0} (starting with {@code /}, path segments already encoded by
 * {@link GraphPaths}), an optional JSON body and extra headers ({@code Content-Type} is added for a
 * body).
 */
public record GraphRequest(
    String id, String method, String url, JsonNode body, Map<String, String> headers) {
  public GraphRequest {
    Objects.requireNonNull(id, "'id' cannot be null.");
    Objects.requireNonNull(method, "'method' cannot be null.");
    Objects.requireNonNull(url, "'url' cannot be null.");
    if (!url.startsWith("/") || url.startsWith("//")) {
      throw new IllegalArgumentException(
          "'url' must be relative to the API version and start with one '/', not " + url);
    }
    headers = headers == null ? Map.of() : Map.copyOf(headers);
  }

  public static GraphRequest get(String id, String url) {
    return new GraphRequest(id, "GET", url, null, Map.of());
  }

  public static GraphRequest post(String id, String url, JsonNode body) {
    return new GraphRequest(id, "POST", url, body, Map.of());
  }

  public static GraphRequest patch(String id, String url, JsonNode body) {
    return new GraphRequest(id, "PATCH", url, body, Map.of());
  }

  /** The path without the query, e.g. {@code /users/abc}. */
  String path() {
    int query = url.indexOf('?');
    return query < 0 ? url : url.substring(0, query);
  }
}
