package com.socactions.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.socactions.testing.Azurite;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(Azurite.class)
class TableStorageTest {

  @Test
  void aReachableTableServiceHasNoProblem() {
    TableStorage storage = new TableStorage(Settings.of(Map.of(TableStorage.CONNECTION_SETTING, Azurite.connectionString())));
    assertThat(storage.problem()).isEmpty();
    assertThat(storage.endpoint()).startsWith("http://127.0.0.1:");
  }

  @Test
  void anUnreachableTableServiceIsReportedQuicklyWithoutTheAccountKey() {
    String closedPort = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=c2VjcmV0;"
        + "TableEndpoint=http://127.0.0.1:9/devstoreaccount1;";
    TableStorage storage = new TableStorage(Settings.of(Map.of(TableStorage.CONNECTION_SETTING, closedPort)));
    long started = System.nanoTime();
    assertThat(storage.problem()).hasValueSatisfying(problem ->
        assertThat(problem).contains("127.0.0.1:9").doesNotContain("c2VjcmV0"));
    assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(15_000);
  }

  @Test
  void theFunctionsStorageSettingIsUsedWhenNoStateConnectionIsSet() {
    TableStorage storage = new TableStorage(Settings.of(Map.of(TableStorage.FUNCTIONS_STORAGE_SETTING, Azurite.connectionString())));
    assertThat(storage.problem()).isEmpty();
  }
}
