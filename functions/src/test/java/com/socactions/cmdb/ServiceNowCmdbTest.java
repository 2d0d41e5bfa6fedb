package com.socactions.cmdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.socactions.platform.ConfigurationException;
import com.socactions.platform.Settings;
import com.socactions.platform.UpstreamException;
import com.socactions.platform.UpstreamFailure;
import com.socactions.providers.Readiness;
import com.socactions.servicenow.FakeServiceNow;
import com.socactions.testing.TestKit;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ServiceNowCmdbTest {
  private static final String USER = "soc.integration";
  private static final String PASSWORD = "Pa55-never-shown";
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2025-03-01T10:00:00Z"), ZoneOffset.UTC);

  private final List<Duration> waits = new CopyOnWriteArrayList<>();
  private FakeServiceNow fake;

  @BeforeEach
  void start() throws Exception {
    fake = FakeServiceNow.start(USER, PASSWORD).seedCmdb();
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  private ServiceNowCmdb cmdb(Map<String, String> extra) {
    Map<String, String> settings =
        new HashMap<>(
            Map.of(
                "SERVICENOW_URL",
                fake.url(),
                "SERVICENOW_USER",
                USER,
                "SERVICENOW_PASSWORD",
                PASSWORD));
    settings.putAll(extra);
    return TestKit.serviceNowCmdb(Settings.of(settings), CLOCK, waits::add);
  }

  private ServiceNowCmdb cmdb() {
    return cmdb(Map.of());
  }

  private static Asset only(AssetMatch match) {
    assertThat(match.matches()).as("matches for %s", match.key()).hasSize(1);
    return match.matches().get(0);
  }

  @Test
  void aServerIsMappedToTheContractFields() {
    Asset web = only(cmdb().lookupAssets(List.of("10.20.0.11")).get(0));

    assertThat(web)
        .isEqualTo(
            new Asset(
                "web01",
                "web01.corp.contoso.com",
                List.of("10.20.0.11"),
                "cmdb_ci_win_server",
                "Production",
                Criticality.CRITICAL,
                true,
                new Owner("Dana Whitfield", "dana.whitfield@contoso.com"),
                "Windows Server Team",
                null,
                "Amsterdam DC1",
                "Windows 2019 Datacenter",
                "servicenow",
                fake.url() + "/nav_to.do?uri=cmdb_ci.do?sys_id=a1000000000000000000000000000001"));
  }

  @Test
  void theQueryAsksOnlyForTheMappedColumnsOfCmdbCi() {
    cmdb().lookupAssets(List.of("web01"));

    var url = fake.requests().get(0).getUrl();
    assertThat(url.pathSegments()).containsExactly("api", "now", "table", "cmdb_ci");
    assertThat(url.queryParameter("sysparm_fields").split(","))
        .containsExactlyInAnyOrder(
            "sys_id",
            "name",
            "fqdn",
            "ip_address",
            "busines_criticality",
            "u_hva",
            "owned_by",
            "owned_by.email",
            "support_group",
            "location",
            "os",
            "sys_class_name",
            "used_for");
  }

  @Test
  void businessCriticalityMapsToTheContractScale() {
    assertThat(ServiceNowCmdb.criticality("1 - most critical")).contains(Criticality.CRITICAL);
    assertThat(ServiceNowCmdb.criticality("2 - somewhat critical")).contains(Criticality.HIGH);
    assertThat(ServiceNowCmdb.criticality("3 - less critical")).contains(Criticality.MEDIUM);
    assertThat(ServiceNowCmdb.criticality("4 - not critical")).contains(Criticality.LOW);
    assertThat(ServiceNowCmdb.criticality("High")).contains(Criticality.HIGH);
    assertThat(ServiceNowCmdb.criticality("12")).isEmpty();
    assertThat(ServiceNowCmdb.criticality("5 - unknown")).isEmpty();

    List<AssetMatch> matches = cmdb().lookupAssets(List.of("10.20.0.21", "10.30.4.42"));
    assertThat(only(matches.get(0)).criticality()).isEqualTo(Criticality.MEDIUM);
    assertThat(only(matches.get(1)).criticality()).isEqualTo(Criticality.LOW);
  }

  @Test
  void theFieldMapSettingRemapsAndUnmapsContractFields() {
    Asset db =
        only(
            cmdb(Map.of(ServiceNowCmdb.FIELD_MAP_SETTING, "criticality=u_tier, os="))
                .lookupAssets(List.of("10.20.0.21"))
                .get(0));

    assertThat(db.criticality()).isEqualTo(Criticality.HIGH);
    assertThat(db.os()).isNull();
    assertThat(db.environment()).isEqualTo("Test"); // defaults kept for the fields not named
  }

  @Test
  void aMalformedFieldMapNamesTheSetting() {
    ServiceNowCmdb cmdb = cmdb(Map.of(ServiceNowCmdb.FIELD_MAP_SETTING, "owner=owned_by"));

    assertThatThrownBy(() -> cmdb.lookupAssets(List.of("web01")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(ServiceNowCmdb.FIELD_MAP_SETTING);
    assertThat(cmdb.readiness().status()).isEqualTo(Readiness.Status.ERROR);
    assertThat(fake.tableCalls()).isZero();
  }

  @Test
  void hostNamesMatchWithoutCaseAndShortNamesMatchFqdnsBothWays() {
    List<AssetMatch> matches =
        cmdb()
            .lookupAssets(
                List.of(
                    "WEB01",
                    "Web01.Corp.Contoso.com.",
                    "wks042.corp.contoso.com",
                    "db01.corp.contoso.com",
                    "web02"));

    assertThat(only(matches.get(0)).name()).isEqualTo("web01");
    assertThat(only(matches.get(1)).name()).isEqualTo("web01");
    assertThat(only(matches.get(2)).name()).isEqualTo("WKS042");
    assertThat(only(matches.get(3)).name()).isEqualTo("db01.corp.contoso.com");
    assertThat(matches.get(4).found()).isFalse();
    assertThat(matches)
        .extracting(AssetMatch::key)
        .containsExactly(
            "WEB01",
            "Web01.Corp.Contoso.com.",
            "wks042.corp.contoso.com",
            "db01.corp.contoso.com",
            "web02");
    assertThat(fake.tableCalls()).isEqualTo(1);
  }

  @Test
  void aHundredKeysCostAtMostTwoCalls() {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      fake.add(
          "cmdb_ci_server",
          Map.of(
              "name", "srv" + i, "ip_address", "10.1.0." + i, "fqdn", "srv" + i + ".contoso.com"));
      keys.add(i % 2 == 0 ? "10.1.0." + i : "SRV" + i);
    }

    List<AssetMatch> matches = cmdb().lookupAssets(keys);

    assertThat(matches).allMatch(AssetMatch::found);
    assertThat(matches.get(1).matches().get(0).name()).isEqualTo("srv1");
    assertThat(fake.tableCalls()).isLessThanOrEqualTo(2);
  }

  @Test
  void hostileKeysMatchNothingInsteadOfWideningTheQuery() {
    List<String> hostile =
        List.of(
            "web01^ORnameISNOTEMPTY",
            "x^NQsys_idISNOTEMPTY",
            "javascript:gs.getUserID()",
            "zz,web01",
            "web01\nsys_idISNOTEMPTY",
            "STANCEOFcmdb_ci",
            "*",
            "");
    List<String> keys = new ArrayList<>(hostile);
    keys.add("wks042");

    List<AssetMatch> matches = cmdb().lookupAssets(keys);

    assertThat(matches.subList(0, hostile.size())).noneMatch(AssetMatch::found);
    assertThat(only(matches.get(hostile.size())).name()).isEqualTo("WKS042");
    assertThat(fake.tableCalls()).isEqualTo(1);
    // The fake, like an instance, ignores terms it cannot read and runs scripts: none may reach it.
    assertThat(fake.requests().get(0).getUrl().queryParameter("sysparm_query"))
        .doesNotContain("^NQ", "ISNOTEMPTY", "javascript", "STANCEOF", "\n");
  }

  @Test
  void aBatchOfOnlyHostileOrBlankKeysCostsNoCall() {
    List<AssetMatch> matches = cmdb().lookupAssets(List.of("a^ORb", " ", "x=y"));

    assertThat(matches).hasSize(3).noneMatch(AssetMatch::found);
    assertThat(fake.tableCalls()).isZero();
  }

  @Test
  void accountsAreFoundByUserNameOrEmailWithTheirVipFlag() {
    List<AccountMatch> matches =
        cmdb()
            .lookupAccounts(
                List.of(
                    "Alice.Lee@contoso.com",
                    "CONTOSO\\alee",
                    "alee@contoso.com",
                    "alee@fabrikam.com",
                    "bob.jones@contoso.com",
                    "nobody@contoso.com"));

    Account alice =
        new Account(
            "alice.lee@contoso.com",
            "alice.lee@contoso.com",
            "Alice Lee",
            "Executive",
            "Chief Executive Officer",
            null,
            true,
            "servicenow");
    assertThat(matches.get(0).matches()).containsExactly(alice);
    assertThat(matches.get(1).matches()).containsExactly(alice);
    assertThat(matches.get(2).matches()).containsExactly(alice);
    assertThat(matches.get(3).found()).isFalse();
    assertThat(matches.get(4).matches())
        .containsExactly(
            new Account(
                "bob.jones@contoso.com",
                "bob.jones@contoso.com",
                "Bob Jones",
                "Security Operations",
                "SOC Analyst",
                "Alice Lee",
                false,
                "servicenow"));
    assertThat(matches.get(5).found()).isFalse();
    assertThat(fake.tableCalls()).isEqualTo(1);
    assertThat(fake.requests().get(0).getUrl().pathSegments())
        .containsExactly("api", "now", "table", "sys_user");
  }

  @Test
  void refusedCredentialsFailTheBatchNamingTheSettings() {
    ServiceNowCmdb cmdb = cmdb(Map.of("SERVICENOW_PASSWORD", "wrong-password"));

    assertThatThrownBy(() -> cmdb.lookupAssets(List.of("web01")))
        .isInstanceOfSatisfying(
            UpstreamException.class,
            e -> assertThat(e.failure()).isEqualTo(UpstreamFailure.UNAUTHORIZED))
        .hasMessageContaining("SERVICENOW_USER")
        .hasMessageNotContaining("wrong-password");
    assertThatThrownBy(() -> cmdb.lookupAccounts(List.of("alee")))
        .isInstanceOf(UpstreamException.class);
  }

  @Test
  void aRateLimitedBatchThrowsWhenNothingCouldBeAnswered() {
    fake.failNext(3, 429, Map.of("Retry-After", "7"));

    assertThatThrownBy(() -> cmdb().lookupAssets(List.of("web01", "wks042")))
        .isInstanceOfSatisfying(
            UpstreamException.class,
            e -> {
              assertThat(e.failure()).isEqualTo(UpstreamFailure.THROTTLED);
              assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
            });
  }

  @Test
  void aFailedQueryAnswersItsKeysWithAnErrorThatIsNotCached() {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < ServiceNowCmdb.DEFAULT_KEYS_PER_QUERY; i++) {
      keys.add("host" + i);
    }
    keys.add("web01");
    fake.failNext(3, 429, Map.of("Retry-After", "1"));
    CachingCmdb cached = new CachingCmdb(cmdb(), Duration.ofMinutes(1), 1_000, CLOCK);

    List<AssetMatch> first = cached.lookupAssets(keys);

    assertThat(first.subList(0, ServiceNowCmdb.DEFAULT_KEYS_PER_QUERY))
        .allSatisfy(match -> assertThat(match.error()).contains("429"));
    assertThat(first.get(keys.size() - 1).error()).isNull();
    assertThat(first.get(keys.size() - 1).found()).isTrue();

    int calls = fake.tableCalls();
    List<AssetMatch> second = cached.lookupAssets(keys);
    assertThat(fake.tableCalls()).isEqualTo(calls + 1); // the failed keys only, asked again
    assertThat(second).allMatch(match -> match.error() == null);
  }

  @Test
  void readinessReadsOneUserRow() {
    Readiness readiness = cmdb().readiness();

    assertThat(readiness.status()).isEqualTo(Readiness.Status.OK);
    var url = fake.requests().get(0).getUrl();
    assertThat(url.pathSegments()).containsExactly("api", "now", "table", "sys_user");
    assertThat(url.queryParameter("sysparm_limit")).isEqualTo("1");
  }

  @Test
  void readinessWithRefusedCredentialsIsAnErrorNamingTheSettings() {
    Readiness readiness = cmdb(Map.of("SERVICENOW_PASSWORD", "wrong-password")).readiness();

    assertThat(readiness.status()).isEqualTo(Readiness.Status.ERROR);
    assertThat(readiness.detail())
        .contains("SERVICENOW_USER", "SERVICENOW_PASSWORD")
        .doesNotContain("wrong-password");
  }

  @Test
  void readinessTriesOnceAndIsDegradedWhenTheInstanceIsUnavailable() {
    fake.failNext(1, 503, Map.of());

    Readiness readiness = cmdb().readiness();

    assertThat(readiness.status()).isEqualTo(Readiness.Status.DEGRADED);
    assertThat(fake.tableCalls()).isEqualTo(1);
    assertThat(waits).isEmpty();
  }

  @Test
  void readinessIsDegradedWhenTheInstanceDoesNotAnswerInTime() {
    fake.delay(Duration.ofSeconds(2));

    Readiness readiness =
        cmdb(Map.of(ServiceNowCmdb.READINESS_TIMEOUT_SETTING, "PT0.2S")).readiness();

    assertThat(readiness.status()).isEqualTo(Readiness.Status.DEGRADED);
  }

  @Test
  void withoutSettingsItIsNotConfigured() {
    ServiceNowCmdb cmdb = TestKit.serviceNowCmdb(Settings.of(Map.of()), CLOCK, waits::add);

    assertThat(cmdb.isConfigured()).isFalse();
    assertThat(cmdb.readiness().status()).isEqualTo(Readiness.Status.NOT_CONFIGURED);
    assertThat(cmdb.id()).isEqualTo("servicenow");
  }
}
