package com.socactions.sentinel;

import static org.assertj.core.api.Assertions.assertThat;

import com.socactions.platform.FakeManagedIdentityEndpoint;
import com.socactions.platform.Settings;
import com.socactions.platform.Sleeper;
import com.socactions.providers.Provider;
import com.socactions.providers.Readiness;
import com.socactions.testing.MutableClock;
import com.socactions.testing.TestKit;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SentinelProviderTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2025-03-01T10:00:00Z"));
  private FakeManagedIdentityEndpoint identity;

  @BeforeEach
  void start() throws Exception {
    identity = FakeManagedIdentityEndpoint.start(clock);
  }

  @AfterEach
  void stop() throws Exception {
    identity.close();
  }

  private static Provider provider(Map<String, String> values) {
    Settings settings = Settings.of(values);
    List<Provider> providers =
        new SentinelModule(
                settings,
                TestKit.kit(new MutableClock(Instant.EPOCH), Sleeper.SYSTEM),
                TestKit.credentials(settings))
            .providers();
    return providers.get(0);
  }

  @Test
  void withoutAnAzureIdentityInTheSettingsItIsNotConfiguredAndAsksForNoToken() {
    Provider sentinel = provider(Map.of());

    assertThat(sentinel.isConfigured()).isFalse();
    assertThat(sentinel.readiness().status()).isEqualTo(Readiness.Status.NOT_CONFIGURED);
    assertThat(sentinel.capabilities()).isEmpty();
    assertThat(identity.requests()).isEmpty();
  }

  @Test
  void aManagedIdentityThatIssuesTokensForTheManagementUrlMakesItReady() {
    Map<String, String> settings = new HashMap<>(identity.settings());
    settings.put(SentinelClient.MANAGEMENT_URL_SETTING, "http://127.0.0.1:9");

    Provider sentinel = provider(settings);

    assertThat(sentinel.isConfigured()).isTrue();
    assertThat(sentinel.readiness().status()).isEqualTo(Readiness.Status.OK);
    assertThat(identity.requests())
        .first()
        .satisfies(
            request ->
                assertThat(request.getUrl().queryParameter("resource"))
                    .isEqualTo("http://127.0.0.1:9"));
  }

  @Test
  void anIdentityEndpointThatRefusesIsAnError() {
    identity.fail(400);

    Readiness readiness = provider(identity.settings()).readiness();

    assertThat(readiness.status()).isEqualTo(Readiness.Status.ERROR);
    assertThat(readiness.detail()).contains("No Azure token");
  }

  @Test
  void aManagementUrlThatIsNotHttpsIsAnErrorNamingTheSetting() {
    Map<String, String> settings = new HashMap<>(identity.settings());
    settings.put(SentinelClient.MANAGEMENT_URL_SETTING, "http://management.example");

    Readiness readiness = provider(settings).readiness();

    assertThat(readiness.status()).isEqualTo(Readiness.Status.ERROR);
    assertThat(readiness.detail()).contains(SentinelClient.MANAGEMENT_URL_SETTING);
    assertThat(identity.requests()).isEmpty();
  }
}
