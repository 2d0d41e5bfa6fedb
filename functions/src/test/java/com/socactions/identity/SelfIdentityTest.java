package com.socactions.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.socactions.graph.GraphClient;
import com.socactions.platform.AzureCredentials;
import com.socactions.platform.ConfigurationException;
import com.socactions.platform.FakeManagedIdentityEndpoint;
import com.socactions.platform.Settings;
import com.socactions.platform.Sleeper;
import com.socactions.platform.UpstreamBudgets;
import com.socactions.platform.UpstreamException;
import com.socactions.testing.MutableClock;
import com.socactions.testing.TestKit;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The connector's own object id, the production way: the app's credential chain asks the (fake) App
 * Service managed-identity endpoint for a Graph token, and the id is that token's {@code oid}.
 */
class SelfIdentityTest {
  /** Where Graph would be; never called: only its token scope matters here. */
  private static final String GRAPH_URL = "http://127.0.0.1:9";

  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
  private FakeManagedIdentityEndpoint identity;

  @BeforeEach
  void start() throws Exception {
    identity = FakeManagedIdentityEndpoint.start(clock);
  }

  @AfterEach
  void stop() throws Exception {
    identity.close();
  }

  private Optional<String> objectId(Map<String, String> extra) {
    Map<String, String> values = new HashMap<>(identity.settings());
    values.put(GraphClient.URL_SETTING, GRAPH_URL);
    values.putAll(extra);
    Settings settings = Settings.of(values);
    AzureCredentials credentials = TestKit.credentials(settings);
    return SelfIdentity.objectId(
        settings.get(SelfIdentity.SETTING),
        credentials,
        GraphClient.create(
            TestKit.kit(clock, Sleeper.SYSTEM),
            HttpUrl.get(GRAPH_URL),
            credentials,
            UpstreamBudgets.local(clock, Sleeper.SYSTEM)));
  }

  @Test
  void theConnectorsObjectIdIsTheOidOfTheGraphTokenItsManagedIdentityGets() {
    assertThat(objectId(Map.of())).hasValue(FakeManagedIdentityEndpoint.PRINCIPAL_ID);

    assertThat(identity.requests())
        .singleElement()
        .satisfies(
            request ->
                assertThat(request.getUrl().queryParameter("resource")).isEqualTo(GRAPH_URL));
  }

  @Test
  void theSettingWinsAndTheTokenIsNotAskedFor() {
    String configured = "0A1B2C3D-0000-4000-8000-00000000C0DE";

    assertThat(objectId(Map.of(SelfIdentity.SETTING, " " + configured + " ")))
        .hasValue(configured.toLowerCase());
    assertThat(identity.requests()).isEmpty();
  }

  @Test
  void aSettingThatIsNoObjectIdIsAConfigurationErrorNamingIt() {
    assertThatThrownBy(() -> objectId(Map.of(SelfIdentity.SETTING, "soc-actions")))
        .isInstanceOfSatisfying(
            ConfigurationException.class,
            e -> assertThat(e.setting()).hasValue(SelfIdentity.SETTING));
  }

  @Test
  void aTokenEndpointThatFailsIsAnErrorNotAnUnknownId() {
    identity.fail(500);

    assertThatThrownBy(() -> objectId(Map.of())).isInstanceOf(UpstreamException.class);
  }

  @Test
  void theOidOfAnIssuedTokenIsReadWhateverTheResource() {
    assertThat(
            SelfIdentity.oidOf(FakeManagedIdentityEndpoint.tokenFor("https://graph.microsoft.com")))
        .hasValue(FakeManagedIdentityEndpoint.PRINCIPAL_ID);
    assertThat(SelfIdentity.oidOf(FakeManagedIdentityEndpoint.tokenFor("https://vault.azure.net")))
        .hasValue(FakeManagedIdentityEndpoint.PRINCIPAL_ID);
  }

  @Test
  void aTokenWithoutAnObjectIdGivesNoId() {
    assertThat(SelfIdentity.oidOf(null)).isEmpty();
    assertThat(SelfIdentity.oidOf("eyJ0eXAi…")).as("the recorded placeholder token").isEmpty();
    assertThat(SelfIdentity.oidOf(jwt("{\"aud\":\"https://graph.microsoft.com\"}"))).isEmpty();
    assertThat(SelfIdentity.oidOf(jwt("{\"oid\":\"not-a-guid\"}"))).isEmpty();
    assertThat(SelfIdentity.oidOf(jwt("{\"oid\":42}"))).isEmpty();
    assertThat(SelfIdentity.oidOf("header.%%%.signature")).isEmpty();
    assertThat(SelfIdentity.oidOf(jwt("[1,2,3]"))).isEmpty();
  }

  private static String jwt(String claims) {
    Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
    return encoder.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8))
        + "."
        + encoder.encodeToString(claims.getBytes(StandardCharsets.UTF_8))
        + ".c2lnbmF0dXJl";
  }
}
