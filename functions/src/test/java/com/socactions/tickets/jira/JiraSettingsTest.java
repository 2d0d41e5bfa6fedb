package com.socactions.tickets.jira;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.socactions.platform.ConfigurationException;
import com.socactions.platform.Settings;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JiraSettingsTest {
  private static final String TOKEN = "ATATT-never-shown-0123";

  private static Map<String, String> complete() {
    Map<String, String> values = new HashMap<>();
    values.put("JIRA_URL", "https://acme.atlassian.net");
    values.put("JIRA_EMAIL", "soc-bot@contoso.com");
    values.put("JIRA_API_TOKEN", TOKEN);
    values.put("JIRA_PROJECT", "SOC");
    return values;
  }

  @Test
  void completeSettingsAreReadAndNeverPrintTheToken() {
    JiraSettings settings = JiraSettings.from(Settings.of(complete()));

    assertThat(settings.site().host()).isEqualTo("acme.atlassian.net");
    assertThat(settings.project()).isEqualTo("SOC");
    assertThat(settings.toString()).doesNotContain(TOKEN).contains("soc-bot@contoso.com");
    assertThat(JiraSettings.isConfigured(Settings.of(complete()))).isTrue();
  }

  @Test
  void eachMissingSettingIsNamed() {
    for (String name : new String[] {"JIRA_URL", "JIRA_EMAIL", "JIRA_API_TOKEN", "JIRA_PROJECT"}) {
      Map<String, String> values = complete();
      values.remove(name);

      assertThat(JiraSettings.isConfigured(Settings.of(values))).isFalse();
      assertThatThrownBy(() -> JiraSettings.from(Settings.of(values)))
          .isInstanceOfSatisfying(
              ConfigurationException.class, e -> assertThat(e.setting()).contains(name));
    }
  }

  @Test
  void aPlainHttpSiteIsRefusedUnlessItIsLoopback() {
    Map<String, String> values = complete();
    values.put("JIRA_URL", "http://acme.atlassian.net");
    assertThatThrownBy(() -> JiraSettings.from(Settings.of(values))).hasMessageContaining("https");

    values.put("JIRA_URL", "http://127.0.0.1:8080");
    assertThat(JiraSettings.from(Settings.of(values)).site().port()).isEqualTo(8080);
  }

  @Test
  void aSiteWithAPathOrAMalformedProjectKeyIsRefusedWithoutShowingTheToken() {
    Map<String, String> values = complete();
    values.put("JIRA_URL", "https://acme.atlassian.net/jira");
    assertThatThrownBy(() -> JiraSettings.from(Settings.of(values)))
        .isInstanceOfSatisfying(
            ConfigurationException.class, e -> assertThat(e.setting()).contains("JIRA_URL"));

    Map<String, String> project = complete();
    project.put("JIRA_PROJECT", "soc project");
    assertThatThrownBy(() -> JiraSettings.from(Settings.of(project)))
        .isInstanceOfSatisfying(
            ConfigurationException.class,
            e -> {
              assertThat(e.setting()).contains("JIRA_PROJECT");
              assertThat(e.getMessage()).doesNotContain(TOKEN);
            });
  }
}
