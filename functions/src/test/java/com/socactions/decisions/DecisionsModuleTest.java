package com.socactions.decisions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.socactions.platform.AzureCredentials;
import com.socactions.platform.FakeManagedIdentityEndpoint;
import com.socactions.platform.Settings;
import com.socactions.platform.TableStorage;
import com.socactions.providers.Readiness;
import com.socactions.testing.Azurite;
import com.socactions.testing.MutableClock;
import com.socactions.testing.TestKit;
import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(Azurite.class)
class DecisionsModuleTest {
  private static final Instant NOW = Instant.parse("2026-12-05T08:00:00Z");
  private final MutableClock clock = new MutableClock(NOW);
  private FakeLogsIngestionApi fake;
  private FakeManagedIdentityEndpoint identity;

  @BeforeEach
  void setUp() throws IOException {
    fake = FakeLogsIngestionApi.start();
    identity = FakeManagedIdentityEndpoint.start(clock);
  }

  @AfterEach
  void tearDown() throws IOException {
    fake.close();
    identity.close();
  }

  private DecisionsModule module(Map<String, String> extra) {
    Map<String, String> values = new HashMap<>(identity.settings());
    values.put(TableStorage.CONNECTION_SETTING, Azurite.connectionString());
    values.putAll(extra);
    Settings settings = Settings.of(values);
    AzureCredentials credentials = TestKit.credentials(settings);
    TableStorage storage = new TableStorage(settings, credentials, TestKit.kit());
    return new DecisionsModule(
        settings, fake.trustingKit(clock), credentials, () -> storage, false);
  }

  private static Decision refusal() {
    return Decision.builder(DecisionOperation.BLOCK_INDICATORS, "refused", NOW)
        .provider("edl")
        .indicator("10.0.0.1", "ip")
        .guardrail("private_range")
        .build();
  }

  @Test
  void withoutTheSettingsNothingIsSentAndHealthSaysNotConfigured() {
    DecisionsModule module = module(Map.of(LogsIngestionSettings.STREAM, "Custom-Other_CL"));

    module.log().record(refusal());

    assertThat(module.running()).isEmpty();
    assertThat(fake.calls()).isEmpty();
    assertThat(identity.requests()).isEmpty();
    Readiness readiness = module.readiness();
    assertThat(readiness.status()).isEqualTo(Readiness.Status.NOT_CONFIGURED);
    assertThat(readiness.detail()).contains("LOGS_INGESTION_ENDPOINT");
  }

  @Test
  void anEndpointWithoutARuleIdNeverFailsARecordAndHealthNamesTheMissingSetting() {
    DecisionsModule module = module(Map.of(LogsIngestionSettings.ENDPOINT, fake.endpoint()));

    assertThatCode(() -> module.log().record(refusal())).doesNotThrowAnyException();

    assertThat(fake.calls()).isEmpty();
    Readiness readiness = module.readiness();
    assertThat(readiness.status()).isEqualTo(Readiness.Status.ERROR);
    assertThat(readiness.detail()).contains("LOGS_INGESTION_RULE_ID");
  }

  @Test
  void aRuleIdThatIsNotAnImmutableIdIsNamedInHealth() {
    DecisionsModule module =
        module(
            Map.of(
                LogsIngestionSettings.ENDPOINT,
                fake.endpoint(),
                LogsIngestionSettings.RULE_ID,
                "dcr-soc-actions"));

    module.log().record(refusal());

    assertThat(module.readiness().status()).isEqualTo(Readiness.Status.ERROR);
    assertThat(module.readiness().detail())
        .contains("LOGS_INGESTION_RULE_ID")
        .contains("immutable id");
    assertThat(fake.calls()).isEmpty();
  }

  @Test
  void withTheSettingsDecisionsGoThroughTheAppsManagedIdentityToTheRulesStream() {
    DecisionsModule module =
        module(
            Map.of(
                LogsIngestionSettings.ENDPOINT,
                fake.endpoint() + "/",
                LogsIngestionSettings.RULE_ID,
                FakeLogsIngestionApi.RULE_ID
                    .toUpperCase(java.util.Locale.ROOT)
                    .replace("DCR-", "dcr-")));
    Readiness before = module.readiness();
    assertThat(before.status()).isEqualTo(Readiness.Status.OK);
    assertThat(before.detail()).contains("nothing sent yet").contains("0 waiting");

    Decision decision = refusal();
    module.log().record(decision);
    module.running().orElseThrow().flush();

    assertThat(fake.rows()).hasSize(1);
    assertThat(fake.rows().get(0).path("DecisionId").asText()).isEqualTo(decision.decisionId());
    assertThat(fake.rows().get(0).path("Guardrail").asText()).isEqualTo("private_range");
    assertThat(identity.requests())
        .anyMatch(r -> "https://monitor.azure.com".equals(r.getUrl().queryParameter("resource")));
    assertThat(module.readiness().detail()).contains("last upload at " + NOW);
  }

  @Test
  void beforeAnythingIsSentHealthIsAnErrorWhenNoTokenCanBeHad() {
    identity.fail(500);
    DecisionsModule module =
        module(
            Map.of(
                LogsIngestionSettings.ENDPOINT,
                fake.endpoint(),
                LogsIngestionSettings.RULE_ID,
                FakeLogsIngestionApi.RULE_ID));

    Readiness readiness = module.readiness();

    assertThat(readiness.status()).isEqualTo(Readiness.Status.ERROR);
    assertThat(readiness.detail()).contains("no token for Azure Monitor");
  }
}
