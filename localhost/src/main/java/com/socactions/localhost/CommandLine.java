package com.socactions.localhost;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

/**
 * The {@code main} behind {@link LocalFunctionHost#main(String[])}: parses options, loads {@code
 * local.settings.json}, starts the host, prints the banner and runs until the JVM is stopped.
 */
final class CommandLine {
  private static final String USAGE =
      "Usage: LocalFunctionHost [--port N] [--bind ADDR] [--settings local.settings.json]"
          + " [--host-json host.json] [--no-timers] [--scan PACKAGE]...";

  private CommandLine() {}

  static void run(String[] args) {
    Options options;
    try {
      options = parse(args);
      if (options.settingsFile != null) {
        loadSettings(options.settingsFile);
      }
      if (options.port == null) {
        String fromSetting = AppSettings.getNonBlank("LOCAL_HOST_PORT");
        options.port = fromSetting == null ? 7071 : parsePort(fromSetting);
      }
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    LocalFunctionHost host;
    try {
      LocalFunctionHost.Builder builder =
          LocalFunctionHost.builder()
              .bindAddress(options.bind)
              .port(options.port)
              .timersEnabled(options.timers);
      options.packages.forEach(builder::scanPackage);
      if (options.hostJsonFile != null) {
        builder.hostJson(options.hostJsonFile);
      }
      host = builder.build().start();
    } catch (RuntimeException e) {
      FunctionLogging.hostLogger()
          .log(java.util.logging.Level.SEVERE, "Local host failed to start", e);
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  host.close();
                  stopped.countDown();
                },
                "localhost-shutdown"));
    host.printBanner(System.out);
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static Options parse(String[] args) {
    Options options = new Options();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--port" -> options.port = parsePort(value(args, ++i, "--port"));
        case "--bind" -> options.bind = value(args, ++i, "--bind");
        case "--settings" -> options.settingsFile = Path.of(value(args, ++i, "--settings"));
        case "--host-json" -> options.hostJsonFile = Path.of(value(args, ++i, "--host-json"));
        case "--no-timers" -> options.timers = false;
        case "--scan" -> options.packages.add(value(args, ++i, "--scan"));
        default -> throw new IllegalArgumentException("Unknown option: " + args[i]);
      }
    }
    return options;
  }

  private static String value(String[] args, int index, String option) {
    if (index >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[index];
  }

  private static int parsePort(String text) {
    try {
      int port = Integer.parseInt(text.strip());
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // fall through to the common message
    }
    throw new IllegalArgumentException("Not a port number: " + text);
  }

  /**
   * Copies the {@code Values} of a {@code local.settings.json} into system properties, where the
   * function code's settings ({@code Settings.fromProcess()}) and the host's read them. An
   * environment variable or an explicit {@code -D} property of the same name wins, so the shell can
   * override the file.
   *
   * @throws IllegalArgumentException when the file is unreadable, not JSON, or encrypted
   */
  static void loadSettings(Path file) {
    readSettings(file, AppSettings::get).forEach(System::setProperty);
  }

  /**
   * The {@code Values} of a {@code local.settings.json} that {@code defined} does not define yet
   * (it answers {@code null} for those), as text; null values are left out.
   *
   * @throws IllegalArgumentException when the file is unreadable, not JSON, or encrypted
   */
  static Map<String, String> readSettings(Path file, Function<String, String> defined) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(Files.readString(file));
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "Cannot read settings file " + file + ": " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("Settings file " + file + " is not a JSON object");
    }
    if (root.path("IsEncrypted").asBoolean(false)) {
      throw new IllegalArgumentException(
          "Settings file " + file + " is encrypted; decrypt it with Core Tools first");
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.path("Values").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      String name = entry.getKey();
      if (defined.apply(name) == null && !entry.getValue().isNull()) {
        values.put(name, entry.getValue().asText());
      }
    }
    return values;
  }

  static final class Options {
    Integer port;
    String bind = "127.0.0.1";
    Path settingsFile;
    // null: functions/host.json when present, else the defaults.
    Path hostJsonFile;
    boolean timers = true;
    final java.util.List<String> packages = new java.util.ArrayList<>();
  }
}
