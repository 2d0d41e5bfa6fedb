package com.socactions.localhost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandLineTest {

  @Test
  void optionsAreParsed() {
    CommandLine.Options options =
        CommandLine.parse(
            new String[] {
              "--port", "8080", "--bind", "0.0.0.0", "--settings", "x.json", "--no-timers"
            });
    assertThat(options.port).isEqualTo(8080);
    assertThat(options.bind).isEqualTo("0.0.0.0");
    assertThat(options.settingsFile).isEqualTo(Path.of("x.json"));
    assertThat(options.timers).isFalse();
  }

  @Test
  void hostJsonIsFoundThroughTheHostJsonOptionElseLeftToTheDefaultLookup() {
    assertThat(CommandLine.parse(new String[] {"--host-json", "h.json"}).hostJsonFile)
        .isEqualTo(Path.of("h.json"));
    assertThat(CommandLine.parse(new String[0]).hostJsonFile).isNull();
  }

  @Test
  void badOptionsAreRejected() {
    assertThatThrownBy(() -> CommandLine.parse(new String[] {"--port", "http"}))
        .hasMessageContaining("port");
    assertThatThrownBy(() -> CommandLine.parse(new String[] {"--port"}))
        .hasMessageContaining("needs a value");
    assertThatThrownBy(() -> CommandLine.parse(new String[] {"--verbose"}))
        .hasMessageContaining("--verbose");
  }

  @Test
  void settingsValuesBecomeSystemPropertiesUnlessAlreadyDefined(@TempDir Path temp)
      throws Exception {
    Path file = temp.resolve("local.settings.json");
    Files.writeString(
        file,
        "{\"IsEncrypted\":false,\"Values\":{\"LH_TEST_A\":\"from-file\","
            + "\"LH_TEST_B\":\"from-file\",\"LH_TEST_N\":42},\"Host\":{\"LocalHttpPort\":7071}}");
    System.setProperty("LH_TEST_B", "from-command-line");
    try {
      CommandLine.loadSettings(file);
      assertThat(AppSettings.get("LH_TEST_A")).isEqualTo("from-file");
      assertThat(AppSettings.get("LH_TEST_B")).isEqualTo("from-command-line");
      assertThat(AppSettings.get("LH_TEST_N")).isEqualTo("42");
    } finally {
      System.clearProperty("LH_TEST_A");
      System.clearProperty("LH_TEST_B");
      System.clearProperty("LH_TEST_N");
    }
  }

  @Test
  void anEncryptedOrUnreadableSettingsFileIsRejected(@TempDir Path temp) throws Exception {
    Path encrypted = temp.resolve("enc.json");
    Files.writeString(encrypted, "{\"IsEncrypted\":true,\"Values\":{}}");
    assertThatThrownBy(() -> CommandLine.loadSettings(encrypted)).hasMessageContaining("encrypted");
    assertThatThrownBy(() -> CommandLine.loadSettings(temp.resolve("missing.json")))
        .hasMessageContaining("Cannot read");
  }

  @Test
  void theFunctionKeyDefaultsToTheSetting() {
    System.setProperty(KeyAuthorization.KEY_SETTING, "from-setting");
    try {
      LocalFunctionHost host =
          LocalFunctionHost.builder().scanPackage("com.socactions.localhost.samples.timer").build();
      assertThat(host.functionKey()).isEqualTo("from-setting");
    } finally {
      System.clearProperty(KeyAuthorization.KEY_SETTING);
    }
  }

  @Test
  void aGeneratedFunctionKeyIsUrlSafeAndRandom() {
    assertThat(KeyAuthorization.generateKey())
        .matches("[A-Za-z0-9_-]{43}")
        .isNotEqualTo(KeyAuthorization.generateKey());
  }
}
