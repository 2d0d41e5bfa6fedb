package com.socactions.sentinelcontent;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.socactions.testing.NpmCache;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Microsoft's Kusto language service ({@code @kusto/language-service-next} on npm, pinned {@value
 * #VERSION}) run offline by Node: parses and analyzes KQL against given table schemas and answers
 * each query's diagnostics and result columns. Installed on first use into {@code
 * ~/.cache/soc-actions} (never into the repository), as the {@code Azurite} extension installs
 * Azurite; the driver script is {@code src/test/resources/kql/validate-kql.js}.
 */
final class KustoLanguageService {
  static final String VERSION = "12.4.1";
  private static final String PACKAGE = "@kusto/language-service-next";
  private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(2);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One diagnostic of the language service. */
  record Diagnostic(String severity, String message, int start, int length) {}

  /** What the language service found for one query. */
  record Analysis(String id, List<Diagnostic> diagnostics, List<String> columns) {
    List<Diagnostic> errors() {
      return diagnostics.stream().filter(d -> "Error".equals(d.severity())).toList();
    }
  }

  private KustoLanguageService() {}

  /**
   * Analyzes every query (id to KQL) against the tables (name to {@code (column:type, ...)}).
   *
   * @return the analyses by query id
   */
  static Map<String, Analysis> analyze(Map<String, String> tables, Map<String, String> queries) {
    Path packageDir = install();
    try {
      Map<String, Object> request = new LinkedHashMap<>();
      request.put("tables", tables);
      request.put(
          "queries",
          queries.entrySet().stream()
              .map(entry -> Map.of("id", entry.getKey(), "text", entry.getValue()))
              .toList());
      Path script = Files.createTempFile("validate-kql", ".js");
      try (InputStream in =
          KustoLanguageService.class.getResourceAsStream("/kql/validate-kql.js")) {
        Files.write(script, in.readAllBytes());
      }
      Process node =
          new ProcessBuilder("node", script.toString(), packageDir.toString())
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      node.getOutputStream().write(JSON.writeValueAsBytes(request));
      node.getOutputStream().close();
      byte[] out = node.getInputStream().readAllBytes();
      if (!node.waitFor(RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS) || node.exitValue() != 0) {
        node.destroyForcibly();
        throw new IllegalStateException(
            "The Kusto language service failed: " + new String(out, StandardCharsets.UTF_8));
      }
      Files.deleteIfExists(script);
      List<Analysis> analyses = JSON.readValue(out, new TypeReference<List<Analysis>>() {});
      Map<String, Analysis> byId = new LinkedHashMap<>();
      analyses.forEach(analysis -> byId.put(analysis.id(), analysis));
      return byId;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Path install() {
    return NpmCache.install(
            PACKAGE + "@" + VERSION,
            "kusto-" + VERSION,
            home -> Files.exists(packageDir(home).resolve("Kusto.Language.Bridge.js")),
            INSTALL_TIMEOUT,
            "the KQL validation needs Node.js 20 and the npm registry")
        .resolve("node_modules")
        .resolve(PACKAGE);
  }

  private static Path packageDir(Path home) {
    return home.resolve("node_modules").resolve(PACKAGE);
  }
}
