package com.socactions.localhost;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parts of {@code host.json} the local host honours: {@code extensions.http.routePrefix},
 * {@code functionTimeout} and {@code extensions.queues}. Everything else in the file is ignored.
 *
 * @param routePrefix the prefix before every route, without slashes; {@code ""} serves routes at
 *     the root
 * @param functionTimeout the longest an invocation may run, or {@code null} for no limit ({@code
 *     "-1"} in host.json)
 * @param queues the queue trigger's settings
 */
public record HostJson(String routePrefix, Duration functionTimeout, Queues queues) {

  /**
   * {@code extensions.queues}, with the Storage Queues extension's defaults (5.x) for what the file
   * leaves out.
   *
   * @param batchSize messages fetched at once (1 to 32; default 16)
   * @param newBatchThreshold a new batch is fetched once no more than this many run (default half
   *     the batch size)
   * @param maxDequeueCount tries of a message before it moves to {@code <queue>-poison} (default 5)
   * @param visibilityTimeout how long a message that failed stays invisible before its next try
   *     (default zero: at once)
   * @param maxPollingInterval the longest wait between two polls of an empty queue (default one
   *     minute)
   * @param base64 whether messages are base64 ({@code messageEncoding}, default {@code base64})
   */
  public record Queues(
      int batchSize,
      int newBatchThreshold,
      int maxDequeueCount,
      Duration visibilityTimeout,
      Duration maxPollingInterval,
      boolean base64) {
    public static final Queues DEFAULTS =
        new Queues(16, 8, 5, Duration.ZERO, Duration.ofMinutes(1), true);
  }

  /** With the queue trigger's defaults. */
  public HostJson(String routePrefix, Duration functionTimeout) {
    this(routePrefix, functionTimeout, Queues.DEFAULTS);
  }

  /** The Functions host's default prefix. */
  public static final String DEFAULT_ROUTE_PREFIX = "api";

  /**
   * The Functions host's default outside the Consumption plan (there it is 5 minutes), which is
   * what Core Tools applies on a developer machine.
   */
  public static final Duration DEFAULT_FUNCTION_TIMEOUT = Duration.ofMinutes(30);

  /** Where the host looks when no file is named: relative to the working directory. */
  public static final Path DEFAULT_LOCATION = Path.of("functions", "host.json");

  // .NET TimeSpan "[-][d.]hh:mm:ss[.fffffff]", the format host.json uses.
  private static final Pattern TIME_SPAN =
      Pattern.compile("(?:(\\d+)\\.)?(\\d{1,2}):(\\d{1,2}):(\\d{1,2})(?:\\.(\\d{1,7}))?");
  private static final ObjectMapper MAPPER = new ObjectMapper();

  public HostJson {
    routePrefix = trimSlashes(routePrefix == null ? DEFAULT_ROUTE_PREFIX : routePrefix);
    queues = queues == null ? Queues.DEFAULTS : queues;
  }

  /** The Functions host's defaults: prefix {@code api}, a 30-minute timeout. */
  public static HostJson defaults() {
    return new HostJson(DEFAULT_ROUTE_PREFIX, DEFAULT_FUNCTION_TIMEOUT);
  }

  /**
   * Reads a host.json; settings it leaves out take the defaults.
   *
   * @throws IllegalArgumentException naming the file (and the setting) when it cannot be read, is
   *     not JSON, or a setting is malformed
   */
  public static HostJson read(Path file) {
    JsonNode root;
    try {
      root = MAPPER.readTree(Files.readString(file));
    } catch (IOException e) {
      throw new IllegalArgumentException("Cannot read " + file + ": " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(file + " is not a JSON object");
    }
    JsonNode prefix = root.path("extensions").path("http").path("routePrefix");
    if (!prefix.isMissingNode() && !prefix.isNull() && !prefix.isTextual()) {
      throw new IllegalArgumentException(
          file + ": extensions.http.routePrefix must be a string, not " + prefix);
    }
    JsonNode timeout = root.path("functionTimeout");
    Duration functionTimeout = DEFAULT_FUNCTION_TIMEOUT;
    if (!timeout.isMissingNode() && !timeout.isNull()) {
      try {
        functionTimeout = parseTimeout(timeout.asText());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(file + ": functionTimeout " + e.getMessage(), e);
      }
    }
    return new HostJson(
        prefix.isTextual() ? prefix.asText() : null,
        functionTimeout,
        queues(root.path("extensions").path("queues"), file));
  }

  private static Queues queues(JsonNode node, Path file) {
    if (node.isMissingNode() || node.isNull()) {
      return Queues.DEFAULTS;
    }
    if (!node.isObject()) {
      throw new IllegalArgumentException(file + ": extensions.queues must be an object");
    }
    int batchSize = intSetting(node, "batchSize", Queues.DEFAULTS.batchSize(), 1, 32, file);
    int threshold = intSetting(node, "newBatchThreshold", batchSize / 2, 0, 1_000, file);
    int dequeues =
        intSetting(node, "maxDequeueCount", Queues.DEFAULTS.maxDequeueCount(), 1, 1_000, file);
    Duration visibility =
        spanSetting(node, "visibilityTimeout", Queues.DEFAULTS.visibilityTimeout(), file);
    Duration polling =
        spanSetting(node, "maxPollingInterval", Queues.DEFAULTS.maxPollingInterval(), file);
    String encoding = node.path("messageEncoding").asText("base64");
    if (!encoding.equalsIgnoreCase("base64") && !encoding.equalsIgnoreCase("none")) {
      throw new IllegalArgumentException(
          file + ": extensions.queues.messageEncoding must be base64 or none, not " + encoding);
    }
    return new Queues(
        batchSize, threshold, dequeues, visibility, polling, encoding.equalsIgnoreCase("base64"));
  }

  private static int intSetting(
      JsonNode node, String name, int defaultValue, int min, int max, Path file) {
    JsonNode value = node.path(name);
    if (value.isMissingNode() || value.isNull()) {
      return defaultValue;
    }
    if (!value.canConvertToInt() || value.asInt() < min || value.asInt() > max) {
      throw new IllegalArgumentException(
          file + ": extensions.queues." + name + " must be a number from " + min + " to " + max);
    }
    return value.asInt();
  }

  /** A TimeSpan, or (as version 1 of host.json had it) a number of milliseconds. */
  private static Duration spanSetting(
      JsonNode node, String name, Duration defaultValue, Path file) {
    JsonNode value = node.path(name);
    if (value.isMissingNode() || value.isNull()) {
      return defaultValue;
    }
    if (value.isNumber()) {
      return Duration.ofMillis(value.asLong());
    }
    if (value.asText().strip().equals("00:00:00")) {
      return Duration.ZERO;
    }
    try {
      Duration span = parseTimeout(value.asText());
      if (span == null) {
        throw new IllegalArgumentException("'-1' is not a time span here");
      }
      return span;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          file + ": extensions.queues." + name + " " + e.getMessage(), e);
    }
  }

  /**
   * The file named, else {@link #DEFAULT_LOCATION} when it exists, else {@link #defaults()}.
   *
   * @param file an explicitly named host.json, or {@code null}
   * @throws IllegalArgumentException when the file cannot be read or is malformed
   */
  public static HostJson locate(Path file) {
    if (file != null) {
      return read(file);
    }
    return Files.isRegularFile(DEFAULT_LOCATION) ? read(DEFAULT_LOCATION) : defaults();
  }

  /**
   * Parses a {@code functionTimeout}: a .NET TimeSpan such as {@code 00:05:00} or {@code
   * 1.00:00:00}, or {@code -1} for no limit.
   *
   * @return the timeout, or {@code null} for no limit
   * @throws IllegalArgumentException when the text is neither
   */
  static Duration parseTimeout(String text) {
    String value = text.strip();
    if (value.equals("-1")) {
      return null;
    }
    Matcher m = TIME_SPAN.matcher(value);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a time span like 00:05:00 (or -1 for no limit)");
    }
    int hours = Integer.parseInt(m.group(2));
    int minutes = Integer.parseInt(m.group(3));
    int seconds = Integer.parseInt(m.group(4));
    if (hours > 23 || minutes > 59 || seconds > 59) {
      throw new IllegalArgumentException("'" + text + "' has a field out of range");
    }
    Duration duration =
        Duration.ofDays(m.group(1) == null ? 0 : Long.parseLong(m.group(1)))
            .plusHours(hours)
            .plusMinutes(minutes)
            .plusSeconds(seconds);
    if (m.group(5) != null) {
      // Up to seven fraction digits: ticks of 100 ns.
      String ticks = (m.group(5) + "000000").substring(0, 7);
      duration = duration.plusNanos(Long.parseLong(ticks) * 100);
    }
    if (duration.isZero()) {
      throw new IllegalArgumentException("'" + text + "' must be longer than zero");
    }
    return duration;
  }

  /** Formats like .NET's TimeSpan default format, as the host quotes it in its log. */
  static String formatTimeSpan(Duration duration) {
    long days = duration.toDays();
    String time =
        String.format(
            "%02d:%02d:%02d",
            duration.toHoursPart(), duration.toMinutesPart(), duration.toSecondsPart());
    if (duration.toNanosPart() != 0) {
      time += String.format(".%07d", duration.toNanosPart() / 100);
    }
    return days > 0 ? days + "." + time : time;
  }

  private static String trimSlashes(String prefix) {
    String trimmed = prefix.strip();
    while (trimmed.startsWith("/")) {
      trimmed = trimmed.substring(1);
    }
    while (trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    return trimmed;
  }
}
