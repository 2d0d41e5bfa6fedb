package com.socactions.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableEntity;
import com.socactions.platform.TableStorage.Probe;
import com.socactions.testing.Azurite;
import com.socactions.testing.TestKit;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(Azurite.class)
class TableStorageTest {
  /**
   * A probe that may take a minute, for tests that expect it to answer: the 3 s of production are
   * for a healthy service, and a loaded test machine (the first TLS handshake of a JVM, Azurite
   * under another build) can take longer. The probe's own bound is tested on its own.
   */
  private static final Duration PATIENT_PROBE = Duration.ofMinutes(1);

  private static TableStorage patient(Settings settings) {
    return new TableStorage(settings, TestKit.credentials(settings), TestKit.kit(), PATIENT_PROBE);
  }

  private static final String SECRET_KEY = "c2VjcmV0";

  @Test
  void aConnectionStringServesADataTableRoundTrip() {
    TableStorage storage =
        patient(Settings.of(Map.of(TableStorage.CONNECTION_SETTING, Azurite.connectionString())));

    TableClient ledger = storage.table("ledgerRoundTrip");
    ledger.upsertEntity(new TableEntity("block", "203.0.113.7").addProperty("provider", "edl"));

    assertThat(ledger.getEntity("block", "203.0.113.7").getProperty("provider")).isEqualTo("edl");
    assertThat(storage.table("ledgerRoundTrip")).isSameAs(ledger);
    assertThat(storage.probe().status()).isEqualTo(Probe.Status.OK);
    assertThat(storage.probe().detail())
        .contains("connection string in " + TableStorage.CONNECTION_SETTING);
  }

  @Test
  void theFunctionsStorageSettingIsUsedWhenNoStateConnectionIsSet() {
    TableStorage storage =
        TestKit.storage(
            Settings.of(
                Map.of(TableStorage.FUNCTIONS_STORAGE_SETTING, Azurite.connectionString())));
    assertThat(storage.problem()).isEmpty();
    assertThat(storage.connection().setting()).hasValue(TableStorage.FUNCTIONS_STORAGE_SETTING);
  }

  @Test
  void anUnreachableTableServiceIsReportedWithoutTheAccountKey() {
    String closedPort =
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey="
            + SECRET_KEY
            + ";"
            + "TableEndpoint=http://127.0.0.1:9/devstoreaccount1;";
    TableStorage storage =
        TestKit.storage(Settings.of(Map.of(TableStorage.CONNECTION_SETTING, closedPort)));

    Probe probe = storage.probe();

    assertThat(probe.status()).isEqualTo(Probe.Status.UNREACHABLE);
    assertThat(probe.detail()).contains("127.0.0.1:9").doesNotContain(SECRET_KEY);
  }

  @Test
  void anIdentityBasedConnectionSendsTheManagedIdentityTokenAsBearer() throws Exception {
    try (FakeTableService tables = FakeTableService.start();
        FakeManagedIdentityEndpoint identity =
            FakeManagedIdentityEndpoint.start(Clock.systemUTC())) {
      Map<String, String> values = new HashMap<>(identity.settings());
      values.put("AzureWebJobsStorage__tableServiceUri", tables.tableServiceUri());
      values.put("AzureWebJobsStorage__credential", "managedidentity");
      Settings settings = Settings.of(values);
      TableStorage storage =
          new TableStorage(
              settings, TestKit.credentials(settings), tables.trustingKit(), PATIENT_PROBE);

      Probe probe = storage.probe();

      assertThat(probe.status()).as(probe.detail()).isEqualTo(Probe.Status.OK);
      assertThat(probe.detail())
          .contains("AzureWebJobsStorage__tableServiceUri")
          .contains("managed identity");
      assertThat(tables.requests())
          .last()
          .satisfies(
              request -> {
                assertThat(request.getUrl().encodedPath()).isEqualTo("/Tables");
                assertThat(request.getHeaders().get("Authorization"))
                    .isEqualTo(
                        "Bearer "
                            + FakeManagedIdentityEndpoint.tokenFor("https://storage.azure.com"));
              });
    }
  }

  @Test
  void theProbeTimeoutDoesNotGovernDataCalls() throws Exception {
    try (FakeTableService tables = FakeTableService.start();
        FakeManagedIdentityEndpoint identity =
            FakeManagedIdentityEndpoint.start(Clock.systemUTC())) {
      Map<String, String> values = new HashMap<>(identity.settings());
      values.put("STATE_STORAGE_CONNECTION__tableServiceUri", tables.tableServiceUri());
      Settings settings = Settings.of(values);
      // The service answers fifteen times later than the probe may wait, but well inside the data
      // timeouts: the probe gives up (whatever the machine's load, it cannot get an answer in
      // time), the data call waits for its answer. No assertion on how long either took.
      Duration shortProbe = Duration.ofMillis(200);
      TableStorage storage =
          new TableStorage(
              settings, TestKit.credentials(settings), tables.trustingKit(), shortProbe);
      tables.delay(shortProbe.multipliedBy(15));

      assertThat(storage.probe().status()).isEqualTo(Probe.Status.UNREACHABLE);
      assertThat(storage.table("ledger")).isNotNull();
      assertThat(tables.requests())
          .anySatisfy(request -> assertThat(request.getMethod()).isEqualTo("POST"));
    }
  }

  @Test
  void aMalformedConnectionStringIsAnErrorNamingTheSettingWithoutItsValue() {
    String malformed = "AccountName=devstoreaccount1;" + SECRET_KEY;
    TableStorage storage =
        TestKit.storage(Settings.of(Map.of(TableStorage.CONNECTION_SETTING, malformed)));

    Probe probe = storage.probe();

    assertThat(probe.status()).isEqualTo(Probe.Status.MISCONFIGURED);
    assertThat(probe.detail()).contains(TableStorage.CONNECTION_SETTING).doesNotContain(SECRET_KEY);
    assertThatThrownBy(() -> storage.table("ledger"))
        .isInstanceOfSatisfying(
            ConfigurationException.class,
            e -> assertThat(e.setting()).hasValue(TableStorage.CONNECTION_SETTING))
        .message()
        .doesNotContain(SECRET_KEY);
  }

  @Test
  void anIdentityConnectionWithoutAnAccountIsAnErrorNamingTheAccountSetting() {
    // Settings drop blank values, so a blank __accountName is as if unset: the credential setting
    // shows the intent.
    TableStorage storage =
        TestKit.storage(
            Settings.of(
                Map.of(
                    "AzureWebJobsStorage__accountName",
                    " ",
                    "AzureWebJobsStorage__credential",
                    "managedidentity")));

    assertThat(storage.probe().status()).isEqualTo(Probe.Status.MISCONFIGURED);
    assertThatThrownBy(() -> storage.table("ledger"))
        .isInstanceOfSatisfying(
            ConfigurationException.class,
            e -> assertThat(e.setting()).hasValue("AzureWebJobsStorage__accountName"));
  }

  @Test
  void anAccountNameThatIsNoStorageAccountIsAnErrorNamingTheSetting() {
    TableStorage storage =
        TestKit.storage(Settings.of(Map.of("AzureWebJobsStorage__accountName", "Not An Account")));

    assertThat(storage.probe().detail())
        .contains("AzureWebJobsStorage__accountName")
        .doesNotContain("Not An Account");
    assertThatThrownBy(() -> storage.table("ledger")).isInstanceOf(ConfigurationException.class);
  }

  @Test
  void withNoStorageSettingLocallyTheEmulatorIsUsedAndHealthSaysSo() {
    TableStorage storage = TestKit.storage(Settings.of(Map.of()));

    assertThat(storage.connection().kind()).isEqualTo(StorageConnection.Kind.DEVELOPMENT_STORAGE);
    assertThat(storage.probe().detail()).contains("local storage emulator: no storage setting");
  }

  @Test
  void withNoStorageSettingInAzureItIsAnError() {
    TableStorage storage =
        TestKit.storage(Settings.of(Map.of("WEBSITE_INSTANCE_ID", "4c6d1ab2f0e4")));

    assertThat(storage.probe().status()).isEqualTo(Probe.Status.MISCONFIGURED);
    assertThatThrownBy(() -> storage.table("ledger"))
        .isInstanceOfSatisfying(
            ConfigurationException.class,
            e -> assertThat(e.setting()).hasValue("AzureWebJobsStorage"));
  }
}
