package com.socactions.localhost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostJsonTest {
  @TempDir Path dir;

  private HostJson read(String json) throws Exception {
    Path file = dir.resolve("host.json");
    Files.writeString(file, json);
    return HostJson.read(file);
  }

  @Test
  void theProjectsHostJsonSetsApiTenMinutesAndTheJobQueueSettings() {
    // The module's tests run in localhost/, so the Function App's file is one level up.
    HostJson hostJson = HostJson.read(Path.of("..", "functions", "host.json"));
    assertThat(hostJson.routePrefix()).isEqualTo("api");
    assertThat(hostJson.functionTimeout()).isEqualTo(Duration.ofMinutes(10));
    assertThat(hostJson.queues())
        .isEqualTo(
            new HostJson.Queues(2, 1, 5, Duration.ofSeconds(30), Duration.ofSeconds(2), true));
  }

  @Test
  void queueSettingsLeftOutTakeTheExtensionsDefaults() throws Exception {
    HostJson hostJson = read("{\"extensions\": {\"queues\": {\"batchSize\": 4}}}");

    assertThat(hostJson.queues())
        .isEqualTo(new HostJson.Queues(4, 2, 5, Duration.ZERO, Duration.ofMinutes(1), true));
  }

  @Test
  void aMaxPollingIntervalInMillisecondsIsReadAsVersionOneWroteIt() throws Exception {
    HostJson hostJson = read("{\"extensions\": {\"queues\": {\"maxPollingInterval\": 2000}}}");

    assertThat(hostJson.queues().maxPollingInterval()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void aBatchSizeOverThirtyTwoIsRefusedNamingIt() {
    assertThatThrownBy(() -> read("{\"extensions\": {\"queues\": {\"batchSize\": 64}}}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("extensions.queues.batchSize");
  }

  @Test
  void settingsLeftOutTakeTheHostDefaults() throws Exception {
    assertThat(read("{\"version\":\"2.0\"}")).isEqualTo(HostJson.defaults());
    assertThat(HostJson.defaults().routePrefix()).isEqualTo("api");
    assertThat(HostJson.defaults().functionTimeout()).isEqualTo(Duration.ofMinutes(30));
  }

  @Test
  void anEmptyRoutePrefixIsKeptAndSlashesAreTrimmed() throws Exception {
    assertThat(read("{\"extensions\":{\"http\":{\"routePrefix\":\"\"}}}").routePrefix()).isEmpty();
    assertThat(read("{\"extensions\":{\"http\":{\"routePrefix\":\"/v2/x/\"}}}").routePrefix())
        .isEqualTo("v2/x");
  }

  @Test
  void functionTimeoutIsADotNetTimeSpanOrMinusOneForNoLimit() {
    assertThat(HostJson.parseTimeout("00:05:00")).isEqualTo(Duration.ofMinutes(5));
    assertThat(HostJson.parseTimeout("1.02:03:04"))
        .isEqualTo(Duration.ofDays(1).plusHours(2).plusMinutes(3).plusSeconds(4));
    assertThat(HostJson.parseTimeout("00:00:00.25")).isEqualTo(Duration.ofMillis(250));
    assertThat(HostJson.parseTimeout("-1")).isNull();
  }

  @Test
  void aMalformedFunctionTimeoutNamesTheSettingAndTheFile() {
    assertThatThrownBy(() -> read("{\"functionTimeout\":\"5 minutes\"}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("functionTimeout")
        .hasMessageContaining("host.json")
        .hasMessageContaining("5 minutes");
    assertThatThrownBy(() -> read("{\"functionTimeout\":\"00:61:00\"}"))
        .hasMessageContaining("functionTimeout");
  }

  @Test
  void timeSpansAreFormattedAsTheHostLogsThem() {
    assertThat(HostJson.formatTimeSpan(Duration.ofSeconds(110))).isEqualTo("00:01:50");
    assertThat(HostJson.formatTimeSpan(Duration.ofMillis(250))).isEqualTo("00:00:00.2500000");
  }
}
