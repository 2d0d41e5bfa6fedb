package com.socactions.servicenow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.socactions.platform.ConfigurationException;
import com.socactions.platform.Settings;
import com.socactions.platform.UpstreamException;
import com.socactions.platform.UpstreamFailure;
import com.socactions.platform.UpstreamPolicy;
import com.socactions.testing.MutableClock;
import com.socactions.testing.TestKit;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.RecordedRequest;
import okhttp3.Credentials;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ServiceNowTableClientTest {
  private static final String USER = "soc.integration";
  private static final String PASSWORD = "Pa55-never-shown";
  private static final String CLIENT_ID = "9f1c2e-client";
  private static final String CLIENT_SECRET = "s3cret-never-shown";
  private static final List<String> KEY_FIELDS = List.of("ip_address", "name", "fqdn");

  private final MutableClock clock = new MutableClock(Instant.parse("2025-03-01T10:00:00Z"));
  private final List<Duration> waits = new CopyOnWriteArrayList<>();
  private FakeServiceNow fake;

  @BeforeEach
  void start() throws Exception {
    fake = FakeServiceNow.start(USER, PASSWORD).seedRecorded();
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  private ServiceNowTableClient client(Map<String, String> settings, int pageSize) {
    return ServiceNowTableClient.create(
        TestKit.kit(clock, waits::add),
        ServiceNowSettings.from(Settings.of(settings)),
        UpstreamPolicy.Options.defaults(),
        pageSize);
  }

  private ServiceNowTableClient basic() {
    return client(
        Map.of(
            "SERVICENOW_URL", fake.url(), "SERVICENOW_USER", USER, "SERVICENOW_PASSWORD", PASSWORD),
        ServiceNowTableClient.DEFAULT_PAGE_SIZE);
  }

  private ServiceNowTableClient oauth() {
    return client(
        Map.of(
            "SERVICENOW_URL",
            fake.url(),
            "SERVICENOW_CLIENT_ID",
            CLIENT_ID,
            "SERVICENOW_CLIENT_SECRET",
            CLIENT_SECRET),
        ServiceNowTableClient.DEFAULT_PAGE_SIZE);
  }

  private List<String> addServers(int count) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String name = "srv" + i;
      fake.add(
          "cmdb_ci_win_server",
          Map.of(
              "name",
              name,
              "ip_address",
              "10.1." + (i / 250) + "." + (i % 250),
              "fqdn",
              name + ".corp.contoso.com"));
      names.add(name);
    }
    return names;
  }

  private static List<String> names(ServiceNowTableClient.Rows rows) {
    return rows.rows().stream().map(r -> r.path("name").asText()).toList();
  }

  @Test
  void aQueryFollowsTheLinkHeaderAcrossPages() {
    addServers(5);
    fake.maxPageSize(2);

    ServiceNowTableClient.Rows rows =
        basic()
            .query(
                "cmdb_ci_server",
                EncodedQuery.where(EncodedQuery.startsWith("name", "srv")),
                List.of("sys_id", "name"),
                100);

    assertThat(names(rows)).containsExactlyInAnyOrder("srv0", "srv1", "srv2", "srv3", "srv4");
    assertThat(rows.truncated()).isFalse();
    assertThat(fake.tableCalls()).isEqualTo(3);
    assertThat(fake.requests().get(2).getUrl().queryParameter("sysparm_offset")).isEqualTo("4");
  }

  @Test
  void aQueryStopsAtTheMaximumRowsAndSaysSo() {
    addServers(5);
    fake.maxPageSize(2);

    ServiceNowTableClient.Rows rows =
        basic()
            .query(
                "cmdb_ci_server",
                EncodedQuery.where(EncodedQuery.startsWith("name", "srv")),
                List.of("name"),
                3);

    assertThat(rows.rows()).hasSize(3);
    assertThat(rows.truncated()).isTrue();
    assertThat(fake.tableCalls()).isEqualTo(2);
  }

  @Test
  void aLookupOfAHundredKeysCostsAtMostTwoCalls() {
    List<String> names = addServers(150);
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      // A mix of the three key kinds, as an incident's entities give them.
      keys.add(
          i % 3 == 0
              ? names.get(i)
              : i % 3 == 1
                  ? "10.1." + (i / 250) + "." + (i % 250)
                  : names.get(i) + ".corp.contoso.com");
    }
    fake.maxPageSize(60); // an instance that pages below our page size still costs two calls

    ServiceNowTableClient.Rows rows =
        basic()
            .query(
                "cmdb_ci",
                EncodedQuery.anyFieldIn(KEY_FIELDS, keys),
                List.of("sys_id", "name", "ip_address", "fqdn", "sys_class_name"),
                1_000);

    assertThat(names(rows)).containsExactlyInAnyOrderElementsOf(names.subList(0, 100));
    assertThat(fake.tableCalls()).isLessThanOrEqualTo(2);
  }

  @Test
  void aQueryOfOnlyHostileKeysCostsNoCall() {
    ServiceNowTableClient.Rows rows =
        basic()
            .query(
                "cmdb_ci",
                EncodedQuery.anyFieldIn(
                    KEY_FIELDS, List.of("x^NQsys_idISNOTEMPTY", "javascript:gs.getUserID()")),
                List.of("name"),
                10);

    assertThat(rows.rows()).isEmpty();
    assertThat(fake.tableCalls()).isZero();
  }

  @Test
  void hostileKeysTravelAsDataThroughTheUrlAndMatchOnlyThemselves() {
    addServers(3);
    String weird = "srv9&sysparm_display_value&#+%25 x";
    fake.add("cmdb_ci_server", Map.of("name", weird, "ip_address", "10.9.9.9"));

    ServiceNowTableClient.Rows rows =
        basic()
            .query(
                "cmdb_ci",
                EncodedQuery.anyFieldIn(
                    KEY_FIELDS, List.of(weird, "srv1^ORsys_idISNOTEMPTY", "srv2")),
                List.of("name"),
                100);

    assertThat(names(rows)).containsExactlyInAnyOrder(weird, "srv2");
  }

  @Test
  void basicAuthIsSentOnEveryCall() {
    basic()
        .query(
            "u_test_table", EncodedQuery.where(EncodedQuery.isNotEmpty("u_name")), List.of(), 10);

    RecordedRequest request = fake.requests().get(0);
    assertThat(request.getHeaders().get("Authorization"))
        .isEqualTo(Credentials.basic(USER, PASSWORD, StandardCharsets.UTF_8));
    assertThat(request.getUrl().queryParameter("sysparm_exclude_reference_link")).isEqualTo("true");
  }

  @Test
  void anOAuthTokenIsFetchedOnceAndReusedUntilItExpires() {
    fake.enableOAuth(CLIENT_ID, CLIENT_SECRET, Duration.ofMinutes(30));
    ServiceNowTableClient client = oauth();
    EncodedQuery query = EncodedQuery.where(EncodedQuery.isNotEmpty("u_name"));

    for (int i = 0; i < 3; i++) {
      assertThat(client.query("u_test_table", query, List.of("u_name"), 10).rows()).hasSize(3);
    }
    assertThat(fake.tokenCalls()).isEqualTo(1);
    assertThat(fake.requests().get(1).getHeaders().get("Authorization"))
        .startsWith("Bearer fake-token-");

    clock.advance(
        Duration.ofMinutes(29)); // inside the renewal margin before the 30 minutes run out
    client.query("u_test_table", query, List.of("u_name"), 10);
    assertThat(fake.tokenCalls()).isEqualTo(2);
  }

  @Test
  void aRevokedTokenIsReplacedOnceAndTheCallSucceeds() {
    fake.enableOAuth(CLIENT_ID, CLIENT_SECRET, Duration.ofMinutes(30));
    ServiceNowTableClient client = oauth();
    client.get("u_test_table", "7a91d5ffdb2a00107b7e5385ca96194b");
    fake.revokeTokens();

    assertThat(client.get("u_test_table", "7a91d5ffdb2a00107b7e5385ca96194b")).isPresent();
    assertThat(fake.tokenCalls()).isEqualTo(2);
  }

  @Test
  void aRefusedPasswordNamesTheSettingsToCheckButNeverThePassword() {
    ServiceNowTableClient client =
        client(
            Map.of(
                "SERVICENOW_URL",
                fake.url(),
                "SERVICENOW_USER",
                USER,
                "SERVICENOW_PASSWORD",
                "wrong-" + PASSWORD),
            ServiceNowTableClient.DEFAULT_PAGE_SIZE);

    assertThatThrownBy(() -> client.get("incident", "a9e30c7dc61122760116894de7bcc7bd"))
        .isInstanceOfSatisfying(
            UpstreamException.class,
            e -> {
              assertThat(e.failure()).isEqualTo(UpstreamFailure.UNAUTHORIZED);
              assertThat(e.getMessage())
                  .contains("SERVICENOW_USER", "SERVICENOW_PASSWORD", "User Not Authenticated")
                  .doesNotContain(PASSWORD);
            });
    assertThat(waits).isEmpty(); // a 401 is not retried
  }

  @Test
  void aRefusedOAuthClientNamesItsSettingsButNeverTheSecret() {
    fake.enableOAuth(CLIENT_ID, "another-secret", Duration.ofMinutes(30));

    assertThatThrownBy(() -> oauth().get("incident", "a9e30c7dc61122760116894de7bcc7bd"))
        .isInstanceOfSatisfying(
            UpstreamException.class,
            e -> {
              assertThat(e.failure()).isEqualTo(UpstreamFailure.UNAUTHORIZED);
              assertThat(e.getMessage())
                  .contains("SERVICENOW_CLIENT_ID", "SERVICENOW_CLIENT_SECRET")
                  .doesNotContain(CLIENT_SECRET);
              assertThat(e.bodyExcerpt()).isNull();
            });
  }

  @Test
  void aRateLimitedCallWaitsAsLongAsRetryAfterSaysThenSucceeds() {
    fake.failNext(1, 429, Map.of("Retry-After", "7", "X-RateLimit-Rule", "table-api"));

    assertThat(basic().get("incident", "a9e30c7dc61122760116894de7bcc7bd")).isPresent();
    assertThat(waits).containsExactly(Duration.ofSeconds(7));
    assertThat(fake.tableCalls()).isEqualTo(2);
  }

  @Test
  void aFailureCarriesServiceNowsOwnMessage() {
    fake.failNext(1, 400, Map.of());

    assertThatThrownBy(
            () ->
                basic()
                    .update("incident", "a9e30c7dc61122760116894de7bcc7bd", Map.of("urgency", "1")))
        .isInstanceOfSatisfying(
            UpstreamException.class,
            e ->
                assertThat(e.getMessage())
                    .contains(
                        "update in incident",
                        "HTTP 400",
                        "Scripted failure 400 (scripted by the test)"));
  }

  @Test
  void aCreatedRecordCanBeReadBackAndUpdated() {
    ServiceNowTableClient client = basic();

    ObjectNode created =
        client.create(
            "incident",
            Map.of(
                "short_description",
                "Sentinel incident 4711: phishing wave",
                "correlation_id",
                "sentinel:4711",
                "urgency",
                "2"));
    String sysId = created.path("sys_id").asText();
    ObjectNode updated = client.update("incident", sysId, Map.of("urgency", "1"));

    assertThat(created.path("number").asText()).startsWith("INC");
    assertThat(updated.path("urgency").asText()).isEqualTo("1");
    ObjectNode read = client.get("incident", sysId).orElseThrow();
    assertThat(read.path("short_description").asText())
        .isEqualTo("Sentinel incident 4711: phishing wave");
    assertThat(read.path("urgency").asText()).isEqualTo("1");
    assertThat(
            client
                .query(
                    "incident",
                    EncodedQuery.where(EncodedQuery.equalTo("correlation_id", "sentinel:4711")),
                    List.of("sys_id"),
                    10)
                .rows())
        .extracting(r -> r.path("sys_id").asText())
        .containsExactly(sysId);
  }

  @Test
  void aMissingRecordIsEmptyNotAnError() {
    assertThat(basic().get("incident", "0123456789abcdef0123456789abcdef")).isEmpty();
  }

  @Test
  void referenceFieldsComeBackAsTheirSysIdWithoutLinks() {
    ObjectNode incident = basic().get("incident", "a9e30c7dc61122760116894de7bcc7bd").orElseThrow();

    assertThat(incident.path("assignment_group").asText())
        .isEqualTo("8a4dde73c6112278017a6a4baf547aa7");
  }

  @Test
  void settingsRefuseClearTextToAnotherHostAndHalfOrDoubleSignIns() {
    assertThatThrownBy(
            () ->
                ServiceNowSettings.from(
                    Settings.of(
                        Map.of(
                            "SERVICENOW_URL",
                            "http://acme.service-now.com",
                            "SERVICENOW_USER",
                            USER,
                            "SERVICENOW_PASSWORD",
                            PASSWORD))))
        .isInstanceOfSatisfying(
            ConfigurationException.class, e -> assertThat(e.setting()).contains("SERVICENOW_URL"));
    assertThatThrownBy(
            () ->
                ServiceNowSettings.from(
                    Settings.of(
                        Map.of(
                            "SERVICENOW_URL",
                            "https://acme.service-now.com",
                            "SERVICENOW_USER",
                            USER))))
        .isInstanceOfSatisfying(
            ConfigurationException.class,
            e -> assertThat(e.setting()).contains("SERVICENOW_PASSWORD"));
    assertThatThrownBy(
            () ->
                ServiceNowSettings.from(
                    Settings.of(
                        Map.of(
                            "SERVICENOW_URL",
                            "https://acme.service-now.com",
                            "SERVICENOW_USER",
                            USER,
                            "SERVICENOW_PASSWORD",
                            PASSWORD,
                            "SERVICENOW_CLIENT_ID",
                            CLIENT_ID,
                            "SERVICENOW_CLIENT_SECRET",
                            CLIENT_SECRET))))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageNotContaining(PASSWORD)
        .hasMessageNotContaining(CLIENT_SECRET);
    assertThat(
            ServiceNowSettings.from(
                    Settings.of(
                        Map.of(
                            "SERVICENOW_URL",
                            "https://acme.service-now.com",
                            "SERVICENOW_USER",
                            USER,
                            "SERVICENOW_PASSWORD",
                            PASSWORD)))
                .toString())
        .doesNotContain(PASSWORD);
  }
}
