package com.socactions.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.socactions.platform.SettingsCatalog;
import com.socactions.platform.SettingsCatalog.Setting;
import com.socactions.platform.SettingsCatalog.Source;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/settings.md} and {@code functions/local.settings.example.json} are generated from
 * {@link SettingsCatalog}, and the catalog cannot fall behind the code or the deployment. To
 * regenerate after changing the catalog: {@code scripts/regenerate-content}, or {@code mvn -pl
 * functions test -Dtest=SettingsReferenceTest -Dsoc.content.regenerate=true}.
 */
class SettingsReferenceTest {
  static final Path REPOSITORY = Path.of("..");
  private static final boolean REGENERATE = Boolean.getBoolean("soc.content.regenerate");

  @Test
  void theCommittedSettingsReferenceIsTheOneGeneratedFromTheCatalog() throws IOException {
    assertGenerated(SettingsReference.DOC, SettingsReference.markdown());
  }

  @Test
  void theLocalSettingsExampleIsTheOneGeneratedFromTheCatalog() throws IOException {
    Path file = REPOSITORY.resolve(SettingsReference.LOCAL_EXAMPLE);
    if (!REGENERATE) {
      Map<String, String> committed = exampleValues(Files.readString(file));
      List<String> missing =
          SettingsCatalog.all().stream()
              .filter(Setting::local)
              .map(Setting::name)
              .filter(name -> !committed.containsKey(name))
              .toList();
      assertThat(missing)
          .as(
              "catalog settings %s lacks; regenerate it with %s",
              SettingsReference.LOCAL_EXAMPLE, SettingsReference.REGENERATE)
          .isEmpty();
      assertThat(committed.keySet())
          .as("settings in %s that the catalog does not know", SettingsReference.LOCAL_EXAMPLE)
          .allMatch(name -> SettingsCatalog.find(name).isPresent());
    }
    assertGenerated(SettingsReference.LOCAL_EXAMPLE, SettingsReference.localExample());
  }

  @Test
  void everySettingNameTheCodeReadsIsInTheCatalog() {
    Map<String, SettingNames.Found> read =
        SettingNames.readBy(
            REPOSITORY.resolve("functions/src/main/java"),
            REPOSITORY.resolve("localhost/src/main/java"));

    List<String> missing =
        read.values().stream()
            .filter(found -> SettingsCatalog.find(found.name()).isEmpty())
            .map(
                found ->
                    found.name()
                        + " ("
                        + REPOSITORY.relativize(found.file())
                        + ":"
                        + found.line()
                        + ")")
            .toList();
    assertThat(missing)
        .as(
            "settings the code reads that SettingsCatalog lacks: add each (or, if it is no"
                + " setting, to SettingNames.NOT_SETTINGS with what it is), then run %s",
            SettingsReference.REGENERATE)
        .isEmpty();
    // The scan itself must keep seeing the code's settings, or this test would pass on nothing.
    assertThat(read.keySet())
        .contains("AzureWebJobsStorage", "GEOIP_CITY_DB", "AZURE_CLIENT_ID", "LOCAL_FUNCTION_KEY");
  }

  @Test
  void everyAppSettingTheTemplateWritesIsInTheCatalog() {
    Set<String> written = SettingNames.writtenBy(REPOSITORY.resolve("arm/functionapp.json"));

    assertThat(written)
        .as("app settings arm/functionapp.json writes that SettingsCatalog lacks")
        .allMatch(name -> SettingsCatalog.find(name).isPresent());
    assertThat(written).contains("AzureWebJobsStorage", "FEED_TOKEN", "LOGS_INGESTION_RULE_ID");
  }

  @Test
  void settingsTheTemplateWritesForTheHostAreMarkedAsTheTemplates() {
    Set<String> written = SettingNames.writtenBy(REPOSITORY.resolve("arm/functionapp.json"));

    List<String> notWritten =
        SettingsCatalog.all().stream()
            .filter(setting -> setting.source() == Source.TEMPLATE)
            .map(Setting::name)
            .filter(name -> !written.contains(name))
            .toList();
    assertThat(notWritten).as("settings marked as the template's that it does not write").isEmpty();
  }

  @Test
  void theScanFindsLiteralsInCodeButNotInCommentsOrCaseLabels() {
    String source =
        """
        /** Reads {@code DOC_ONLY_SETTING}, "JAVADOC_LITERAL". */
        class Example {
          static final String NAME = "REAL_SETTING"; // "TRAILING_COMMENT"
          String url = "https://example.test/x"; /* "BLOCK_COMMENT" */
          String other = settings.get("INLINE_SETTING", "fallback_value");
          String kind(String s) {
            return switch (s) {
              case "SOME_STATE" -> "A";
              default -> Configuration.PROPERTY_AZURE_TENANT_ID;
            };
          }
        }
        """;

    List<String> names =
        SettingNames.inSource(Path.of("Example.java"), source).stream()
            .map(SettingNames.Found::name)
            .toList();

    assertThat(names).containsExactly("REAL_SETTING", "INLINE_SETTING", "AZURE_TENANT_ID");
  }

  @Test
  void everySettingIsDescribedOnOneLineWithItsDefaultOrWhatItsAbsenceMeans() {
    List<String> problems = new ArrayList<>();
    for (Setting setting : SettingsCatalog.all()) {
      if (setting.description().isBlank() || setting.description().contains("\n")) {
        problems.add(setting.name() + ": description must be one line");
      }
      if (setting.defaultValue() == null && setting.defaultNote() == null) {
        problems.add(setting.name() + ": say its default, or what its absence means");
      }
      if (setting.secret() && setting.defaultValue() != null) {
        problems.add(setting.name() + ": a secret has no default value");
      }
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void secretsAreBlankInTheLocalExample() {
    List<String> filled =
        SettingsCatalog.all().stream()
            .filter(setting -> setting.secret() && setting.local())
            .filter(setting -> !setting.exampleValue().isEmpty())
            .map(Setting::name)
            .collect(Collectors.toList());

    // The development storage connection names the emulator, not a key.
    assertThat(filled).containsExactly("AzureWebJobsStorage");
  }

  private static void assertGenerated(String relative, String generated) throws IOException {
    Path file = REPOSITORY.resolve(relative);
    if (REGENERATE) {
      Files.writeString(file, generated);
    }
    assertThat(Files.exists(file) ? Files.readString(file) : "")
        .as(
            "%s drifted from SettingsCatalog: regenerate it with %s",
            relative, SettingsReference.REGENERATE)
        .isEqualTo(generated);
  }

  private static Map<String, String> exampleValues(String json) throws IOException {
    JsonNode values = new ObjectMapper().readTree(json).path("Values");
    Map<String, String> result = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = values.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      result.put(entry.getKey(), entry.getValue().asText());
    }
    return result;
  }
}
