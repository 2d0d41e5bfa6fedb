package com.socactions.enrichment.incident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.socactions.cmdb.CmdbModule;
import com.socactions.enrichment.EnrichmentService;
import com.socactions.enrichment.geoip.GeoIpDatabases;
import com.socactions.enrichment.incident.IncidentEnrichment.AccountEntry;
import com.socactions.enrichment.incident.IncidentEnrichment.HostResult;
import com.socactions.enrichment.incident.IncidentEnrichment.IpResult;
import com.socactions.enrichment.incident.IncidentEnrichment.PartError;
import com.socactions.enrichment.rdap.FakeRdapServer;
import com.socactions.enrichment.rdap.RdapClient;
import com.socactions.enrichment.rdap.RdapOptions;
import com.socactions.platform.DeadlineTimer;
import com.socactions.platform.HtmlTable;
import com.socactions.platform.InvalidInputException;
import com.socactions.platform.Json;
import com.socactions.platform.Settings;
import com.socactions.platform.Sleeper;
import com.socactions.sentinel.Incident;
import com.socactions.sentinel.IncidentSeverity;
import com.socactions.sentinel.Incidents;
import com.socactions.sentinel.SentinelExamples;
import com.socactions.testing.CountingExecutor;
import com.socactions.testing.SharedFixtures;
import com.socactions.testing.TestKit;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import okhttp3.Dns;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IncidentEnrichmentServiceTest {
  /** Three weeks after norway.no was registered (2017-01-24): it counts as newly registered. */
  private static final Clock NOW =
      Clock.fixed(Instant.parse("2017-02-14T08:00:00Z"), ZoneOffset.UTC);

  private static final Duration DEADLINE = Duration.ofSeconds(20);

  /**
   * Lookups not waiting on RDAP in {@link #recordedPlusKnown}: geo, assets and accounts (whois and
   * domains wait on RDAP).
   */
  private static final int LOOKUPS_WITHOUT_RDAP = 3;

  private static final Dns NO_DNS =
      host -> {
        throw new UnknownHostException("no DNS in tests: " + host);
      };

  private FakeRdapServer rdap;
  private RdapClient rdapClient;
  private final ExecutorService pool = Executors.newFixedThreadPool(8);
  private final CountingExecutor executor = new CountingExecutor(pool);

  @BeforeEach
  void start() throws Exception {
    rdap = FakeRdapServer.start();
    rdap.addNetwork("ripe", "81.2.69.0", "81.2.69.255", "GB-TEST-NET");
    rdap.addNetwork("ripe", "89.160.20.0", "89.160.20.255", "SE-TEST-NET");
    rdapClient =
        new RdapClient(
            RdapOptions.builder()
                .bootstrapUrl(rdap.bootstrapUrl())
                .allowInsecure(true)
                .retryBackoff(Duration.ofMillis(20))
                .rateLimitPerSecond(1_000)
                .dns(NO_DNS)
                .build(),
            TestKit.kit(NOW, Sleeper.SYSTEM));
  }

  @AfterEach
  void stop() {
    pool.shutdownNow();
    rdapClient.close();
    rdap.close();
  }

  /** A service whose deadline never passes: every call waits for all its lookups. */
  private IncidentEnrichmentService service(Duration deadline) {
    return service(deadline, DeadlineTimer.NEVER);
  }

  private IncidentEnrichmentService service(Duration deadline, DeadlineTimer timer) {
    GeoIpDatabases geoip =
        new GeoIpDatabases(
            GeoIpDatabases.Options.from(
                Settings.of(
                    Map.of(
                        GeoIpDatabases.CITY_SETTING,
                            SharedFixtures.path("geoip/GeoIP2-City-Test.mmdb").toString(),
                        GeoIpDatabases.ASN_SETTING,
                            SharedFixtures.path("geoip/GeoLite2-ASN-Test.mmdb").toString()))),
            NOW);
    EnrichmentService enrichment =
        new EnrichmentService(geoip, () -> rdapClient, NOW, Duration.ofSeconds(15));
    // The built-in CMDB with its sample files: dc01 is critical and an HVA, ceo@contoso.com a VIP.
    CmdbModule cmdb = TestKit.cmdb(Settings.of(Map.of()), NOW);
    return new IncidentEnrichmentService(
        () -> enrichment, cmdb.service(), executor, deadline, "ENRICH_INCIDENT_DEADLINE", timer);
  }

  /** The recorded incident and entities, plus entities that the fakes and the sample CMDB know. */
  private static List<ObjectNode> recordedPlusKnown() {
    List<ObjectNode> entities = new ArrayList<>(SentinelExamples.recordedEntities());
    entities.add(
        SentinelExamples.entity("Ip", "address", "81.2.69.142", "friendlyName", "81.2.69.142"));
    entities.add(
        SentinelExamples.flattened(SentinelExamples.entity("Ip", "address", "89.160.20.112")));
    entities.add(
        SentinelExamples.entity("Ip", "address", "::ffff:81.2.69.142")); // the first address again
    entities.add(
        SentinelExamples.entity(
            "Host", "hostName", "dc01", "dnsDomain", "contoso.com", "netBiosName", "DC01"));
    entities.add(
        SentinelExamples.entity(
            "Account", "accountName", "ceo", "upnSuffix", "contoso.com", "ntDomain", "CONTOSO"));
    entities.add(
        SentinelExamples.flattened(
            SentinelExamples.entity("Account", "accountName", "alee", "ntDomain", "CONTOSO")));
    entities.add(SentinelExamples.entity("DnsResolution", "domainName", "login.norway.no"));
    entities.add(SentinelExamples.entity("Url", "url", "https://www.google.com/search?q=invoice"));
    entities.add(
        SentinelExamples.entity(
            "FileHash",
            "algorithm",
            "SHA256",
            "hashValue",
            "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"));
    return entities;
  }

  private static Incident incident(List<ObjectNode> entities, String severity) {
    ObjectNode object = SentinelExamples.object(entities);
    ((ObjectNode) object.get("properties")).put("severity", severity);
    return Incidents.parse(SentinelExamples.triggerBody(object), "incident");
  }

  @Test
  void aTriggerBodyFromTheRecordedExamplesBecomesTagsASeveritySuggestionAndOneComment() {
    IncidentEnrichment answer =
        service(DEADLINE)
            .enrich(
                incident(recordedPlusKnown(), "Low"),
                Optional.empty(),
                EnumSet.allOf(IncidentLookup.class));

    assertThat(answer.incidentId()).endsWith("/incidents/73e01a99-5cd7-4139-a149-9f2736ff2ab5");
    assertThat(answer.incidentNumber()).isEqualTo(3177L);
    assertThat(answer.errors()).isEmpty();
    assertThat(answer.tags())
        .containsExactly("asset:critical", "geo:GB", "geo:SE", "newly-registered-domain", "vip");
    assertThat(answer.severity()).isEqualTo(IncidentSeverity.LOW);
    assertThat(answer.suggestedSeverity()).isEqualTo(IncidentSeverity.HIGH);
    assertThat(answer.severityReasons())
        .containsExactly(
            "Asset dc01 (dc01.contoso.com) is critical and a high-value asset in the CMDB.",
            "Account ceo@contoso.com belongs to a VIP (Evelyn Grant, Chief Executive Officer).");

    // One entry per distinct entity: the IPv4-mapped spelling of 81.2.69.142 is the same address.
    assertThat(answer.ips())
        .extracting(IpResult::ip)
        .containsExactly("10.3.2.8", "81.2.69.142", "89.160.20.112");
    IpResult london = answer.ips().get(1);
    assertThat(london.scope()).isEqualTo("public");
    assertThat(london.geo().city()).isEqualTo("London");
    assertThat(london.whois().name()).isEqualTo("GB-TEST-NET");
    assertThat(london.asset().found()).isFalse();
    assertThat(answer.ips().get(0).scope()).isEqualTo("private");
    assertThat(answer.hosts())
        .extracting(HostResult::host)
        .containsExactly("vm1.contoso", "dc01.contoso.com");
    assertThat(answer.hosts().get(1).asset().name()).isEqualTo("dc01");
    assertThat(answer.accounts())
        .extracting(AccountEntry::account, AccountEntry::found, AccountEntry::isVip)
        .containsExactly(
            tuple("administrator@contoso", false, null),
            tuple("ceo@contoso.com", true, true),
            tuple("CONTOSO\\alee", true, false));
    assertThat(answer.accounts().get(2).displayName()).isEqualTo("Alice Lee");
    assertThat(answer.domains())
        .singleElement()
        .satisfies(
            domain -> {
              assertThat(domain.domain()).isEqualTo("login.norway.no");
              assertThat(domain.registration().registrableDomain()).isEqualTo("norway.no");
              assertThat(domain.registration().newlyRegistered()).isTrue();
            });
    assertThat(answer.urls())
        .singleElement()
        .satisfies(
            url -> {
              assertThat(url.domain()).isEqualTo("www.google.com");
              assertThat(url.registration().newlyRegistered()).isFalse();
            });
    assertThat(answer.fileHashes())
        .singleElement()
        .satisfies(
            hash -> {
              assertThat(hash.algorithm()).isEqualTo("SHA256");
              assertThat(hash.hashValue()).startsWith("e3b0c442");
            });
    assertThat(answer.summary().entities()).isEqualTo(13);
    assertThat(answer.summary().unenriched()).isEqualTo(1); // the File entity
    assertThat(answer.commentHtml())
        .contains("Suggested severity: <b>High</b> (now Low)")
        .contains("Tags to add: asset:critical, geo:GB, geo:SE, newly-registered-domain, vip")
        .contains("<td>dc01.contoso.com</td><td>dc01 (critical, HVA)</td>")
        .contains("<td>Evelyn Grant</td>")
        .contains("London")
        .contains("norway.no");
  }

  @Test
  void theSuggestionNeverLowersTheSeverity() {
    IncidentEnrichment answer =
        service(DEADLINE)
            .enrich(
                incident(SentinelExamples.recordedEntities(), "High"),
                Optional.empty(),
                EnumSet.allOf(IncidentLookup.class));

    assertThat(answer.severityReasons()).isEmpty();
    assertThat(answer.suggestedSeverity()).isEqualTo(IncidentSeverity.HIGH);
    assertThat(answer.tags()).isEmpty();
  }

  @Test
  void anIncidentWithoutEntitiesAnswersEmptyListsAndSaysSo() {
    IncidentEnrichment answer =
        service(DEADLINE)
            .enrich(
                Incidents.parse(SentinelExamples.incidentResource(), "incident"),
                Optional.empty(),
                EnumSet.allOf(IncidentLookup.class));

    assertThat(answer.ips()).isEmpty();
    assertThat(answer.accounts()).isEmpty();
    assertThat(answer.tags()).isEmpty();
    assertThat(answer.errors()).isEmpty();
    assertThat(answer.suggestedSeverity()).isEqualTo(IncidentSeverity.HIGH);
    assertThat(answer.commentHtml()).contains("Incident 3177 (My incident) has no entities");
    assertThat(rdap.rdapRequestCount()).isZero();
  }

  @Test
  void twoHundredEntitiesAnswerInOneCallWithinTheCommentLimit() {
    List<ObjectNode> entities = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      entities.add(SentinelExamples.entity("Ip", "address", "81.2.69." + (100 + i)));
    }
    for (int i = 0; i < 40; i++) {
      entities.add(
          SentinelExamples.entity(
              "Host", "hostName", i == 0 ? "dc01" : "ws-" + i, "dnsDomain", "contoso.com"));
      entities.add(
          SentinelExamples.entity(
              "Account", "accountName", i == 0 ? "ceo" : "user" + i, "upnSuffix", "contoso.com"));
      entities.add(
          SentinelExamples.entity("DnsResolution", "domainName", "host" + i + ".norway.no"));
    }
    for (int i = 0; i < 20; i++) {
      entities.add(
          SentinelExamples.entity(
              "FileHash", "algorithm", "MD5", "hashValue", String.format("%032x", i)));
    }
    assertThat(entities).hasSize(200);

    IncidentEnrichment answer =
        service(DEADLINE)
            .enrich(
                incident(entities, "Medium"),
                Optional.empty(),
                EnumSet.allOf(IncidentLookup.class));

    assertThat(answer.errors()).isEmpty();
    assertThat(answer.summary())
        .satisfies(
            summary -> {
              assertThat(summary.entities()).isEqualTo(200);
              assertThat(summary.ips()).isEqualTo(60);
              assertThat(summary.hosts()).isEqualTo(40);
              assertThat(summary.accounts()).isEqualTo(40);
              assertThat(summary.domains()).isEqualTo(40);
              assertThat(summary.fileHashes()).isEqualTo(20);
            });
    assertThat(answer.tags())
        .containsExactly("asset:critical", "geo:GB", "newly-registered-domain", "vip");
    assertThat(answer.suggestedSeverity()).isEqualTo(IncidentSeverity.HIGH);
    // One network and one registrable domain: RDAP is asked twice, not a hundred times.
    assertThat(rdap.rdapRequestCount()).isEqualTo(2);
    assertThat(answer.commentHtml().length()).isLessThanOrEqualTo(HtmlTable.MAX_COMMENT_CHARS);
    assertThat(answer.commentHtml())
        .contains("<b>Accounts</b>")
        .contains("<b>Hosts</b>")
        .contains("<b>IP addresses</b>")
        .contains("<b>Domains</b>")
        .contains("<b>File hashes</b>");
  }

  @Test
  void aSlowRegistryPastTheDeadlineGivesAPartialAnswerWithAnErrorEntry() {
    rdap.delay(Duration.ofMinutes(10)); // no answer while the test runs
    // The deadline passes once every lookup that does not wait on RDAP has answered.
    DeadlineTimer timer =
        timeout -> {
          assertThat(timeout).isEqualTo(DEADLINE);
          return executor.whenFinished(LOOKUPS_WITHOUT_RDAP);
        };

    IncidentEnrichment answer =
        service(DEADLINE, timer)
            .enrich(
                incident(recordedPlusKnown(), "Low"),
                Optional.empty(),
                EnumSet.allOf(IncidentLookup.class));

    assertThat(answer.errors()).extracting(PartError::lookup).containsExactly("domains", "whois");
    assertThat(answer.errors())
        .allSatisfy(error -> assertThat(error.message()).contains("ENRICH_INCIDENT_DEADLINE"));
    // Everything that does not wait on RDAP still answered.
    assertThat(answer.ips().get(1).geo().countryCode()).isEqualTo("GB");
    assertThat(answer.ips().get(1).whois()).isNull();
    assertThat(answer.tags()).containsExactly("asset:critical", "geo:GB", "geo:SE", "vip");
    assertThat(answer.suggestedSeverity()).isEqualTo(IncidentSeverity.HIGH);
    assertThat(answer.summary().failedLookups()).isEqualTo(2);
    assertThat(answer.commentHtml()).contains("Not answered: domains: no answer within");
  }

  @Test
  void cmdbOnlyLookupsNeverAskRdap() {
    IncidentEnrichment answer =
        service(DEADLINE)
            .enrich(
                incident(recordedPlusKnown(), "Low"),
                Optional.empty(),
                EnumSet.of(IncidentLookup.CMDB));

    assertThat(rdap.requestCount()).isZero();
    assertThat(answer.ips().get(1).geo()).isNull();
    assertThat(answer.tags()).containsExactly("asset:critical", "vip");
  }

  @Test
  void anUnknownCmdbProviderFailsTheCallAsInvalidInput() {
    assertThatThrownBy(
            () ->
                service(DEADLINE)
                    .enrich(
                        incident(recordedPlusKnown(), "Low"),
                        Optional.of("nosuchcmdb"),
                        EnumSet.allOf(IncidentLookup.class)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("provider");
  }

  @Test
  void theAnswerIsSnakeCaseJson() throws Exception {
    IncidentEnrichment answer =
        service(DEADLINE)
            .enrich(
                incident(recordedPlusKnown(), "Low"),
                Optional.empty(),
                EnumSet.of(IncidentLookup.CMDB));

    String json = Json.MAPPER.writeValueAsString(answer);
    assertThat(json)
        .contains("\"incident_id\"")
        .contains("\"suggested_severity\":\"High\"")
        .contains("\"severity\":\"Low\"")
        .contains("\"comment_html\"")
        .contains("\"file_hashes\"")
        .contains("\"is_vip\":true");
  }
}
