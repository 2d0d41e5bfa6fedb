package com.socactions.localhost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
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
  void settingsValuesAreTakenUnlessAlreadyDefined(@TempDir Path temp) throws Exception {
    Path file = temp.resolve("local.settings.json");
    Files.writeString(
        file,
        "{\"IsEncrypted\":false,\"Values\":{\"LH_TEST_A\":\"from-file\","
            + "\"LH_TEST_B\":\"from-file\",\"LH_TEST_N\":42,\"LH_TEST_NULL\":null},"
            + "\"Host\":{\"LocalHttpPort\":7071}}");
    Map<String, String> commandLine = Map.of("LH_TEST_B", "from-command-line");

    Map<String, String> taken = CommandLine.readSettings(file, commandLine::get);

    assertThat(taken).containsExactly(entry("LH_TEST_A", "from-file"), entry("LH_TEST_N", "42"));
  }

  @Test
  void anEncryptedOrUnreadableSettingsFileIsRejected(@TempDir Path temp) throws Exception {
    Path encrypted = temp.resolve("enc.json");
    Files.writeString(encrypted, "{\"IsEncrypted\":true,\"Values\":{}}");
    assertThatThrownBy(() -> CommandLine.readSettings(encrypted, name -> null))
        .hasMessageContaining("encrypted");
    assertThatThrownBy(() -> CommandLine.readSettings(temp.resolve("missing.json"), name -> null))
        .hasMessageContaining("Cannot read");
  }

  @Test
  void theFunctionKeyDefaultsToTheSetting() {
    LocalFunctionHost host =
        LocalFunctionHost.builder()
            .scanPackage("com.socactions.localhost.samples.timer")
            .settings(Map.of(KeyAuthorization.KEY_SETTING, "from-setting")::get)
            .build();

    assertThat(host.functionKey()).isEqualTo("from-setting");
  }

  @Test
  void aGeneratedFunctionKeyIsUrlSafeAndRandom() {
    assertThat(KeyAuthorization.generateKey())
        .matches("[A-Za-z0-9_-]{43}")
        .isNotEqualTo(KeyAuthorization.generateKey());
  }
}
