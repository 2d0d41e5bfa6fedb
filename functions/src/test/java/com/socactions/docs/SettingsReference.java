package com.socactions.docs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.socactions.platform.SettingsCatalog;
import com.socactions.platform.SettingsCatalog.Capability;
import com.socactions.platform.SettingsCatalog.Setting;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Renders {@link SettingsCatalog} as {@code docs/settings.md} and as {@code
 * functions/local.settings.example.json}; {@link SettingsReferenceTest} keeps both committed files
 * equal to what this renders.
 */
final class SettingsReference {
  static final String DOC = "docs/settings.md";
  static final String LOCAL_EXAMPLE = "functions/local.settings.example.json";
  static final String REGENERATE = "scripts/regenerate-content";

  private SettingsReference() {}

  /** The fragment of a setting's row in {@code docs/settings.md}. */
  static String anchor(String name) {
    return name.toLowerCase(Locale.ROOT);
  }

  static String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("# Settings reference\n\n")
        .append("<!-- GENERATED from SettingsCatalog")
        .append(" (functions/src/main/java/com/socactions/platform/SettingsCatalog.java)")
        .append(" by SettingsReferenceTest: do not edit. Change the catalog, then run ")
        .append(REGENERATE)
        .append(". -->\n\n")
        .append(
            """
            Every setting SOC Actions reads, or its deployment writes, with its default. Settings \
            are environment variables: in Azure the Function App's app settings (secrets as Key \
            Vault references, which the template writes for you); on a developer machine \
            `local.settings.json` at the top of the repository (copy \
            [`functions/local.settings.example.json`](../functions/local.settings.example.json), \
            which lists every setting a local run may set) or environment variables, which win \
            over the file. A blank value counts as absent.

            A malformed value never stops the app: health reports that component as `error` \
            naming the setting, and the operations that need it answer `422` with `setting` \
            naming it (see the [runbook](runbook.md#a-setting-is-malformed)). A secret's value is \
            never shown in a message, a log line or an answer.

            **Set by**: *you* (an app setting; optional when it has a default), *the template* \
            (`arm/functionapp.json` writes it for the Functions host), or *Azure* (the platform \
            sets it on the Function App; never set it there by hand).

            """);
    md.append("## Contents\n\n");
    for (Capability capability : Capability.values()) {
      md.append("- [")
          .append(capability.title())
          .append("](#")
          .append(Markdown.slug(capability.title()))
          .append(")\n");
    }
    md.append("- [All settings A-Z](#all-settings-a-z)\n");
    for (Capability capability : Capability.values()) {
      List<Setting> settings = SettingsCatalog.of(capability);
      md.append("\n## ").append(capability.title()).append("\n\n");
      md.append("How it works: [")
          .append(capability.doc().replaceAll("#.*", ""))
          .append("](")
          .append(capability.doc())
          .append(")\n\n");
      md.append("| setting | default | secret | set by | what it does |\n");
      md.append("|---|---|---|---|---|\n");
      for (Setting setting : settings) {
        md.append("| <a id=\"")
            .append(anchor(setting.name()))
            .append("\"></a>`")
            .append(setting.name())
            .append("` | ")
            .append(cell(defaultText(setting)))
            .append(" | ")
            .append(setting.secret() ? "yes" : "no")
            .append(" | ")
            .append(setting.source().label())
            .append(" | ")
            .append(cell(setting.description()))
            .append(" |\n");
      }
    }
    md.append("\n## All settings A-Z\n\n");
    md.append(
        SettingsCatalog.all().stream()
            .sorted(Comparator.comparing(setting -> setting.name().toUpperCase(Locale.ROOT)))
            .map(setting -> "[`" + setting.name() + "`](#" + anchor(setting.name()) + ")")
            .collect(Collectors.joining(" ·\n")));
    md.append("\n");
    return md.toString();
  }

  /** {@code local.settings.json}'s shape: every setting a local run may set, with its value. */
  static String localExample() {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode root = mapper.createObjectNode();
    root.put("IsEncrypted", false);
    ObjectNode values = root.putObject("Values");
    for (Setting setting : SettingsCatalog.all()) {
      if (setting.local()) {
        values.put(setting.name(), setting.exampleValue());
      }
    }
    DefaultPrettyPrinter printer =
        new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n"));
    try {
      return mapper.writer(printer).writeValueAsString(root).replace("\" : ", "\": ") + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String defaultText(Setting setting) {
    if (setting.defaultValue() == null) {
      return setting.defaultNote() == null ? "none" : setting.defaultNote();
    }
    String value = "`" + setting.defaultValue() + "`";
    return setting.defaultNote() == null ? value : value + " (" + setting.defaultNote() + ")";
  }

  /** Text safe in a table cell: pipes escaped (GitHub unescapes them inside code spans too). */
  private static String cell(String text) {
    return text.replace("|", "\\|");
  }
}
