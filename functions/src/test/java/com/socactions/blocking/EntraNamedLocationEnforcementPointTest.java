package com.socactions.blocking;

import static com.socactions.graph.FakeGraph.NAMED_LOCATION_ID;
import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.credential.AccessToken;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableEntity;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.socactions.blocking.EnforcementOutcome.Status;
import com.socactions.cmdb.CriticalAssets;
import com.socactions.graph.FakeGraph;
import com.socactions.graph.GraphClient;
import com.socactions.graph.GraphModule;
import com.socactions.graph.GraphNamedLocations;
import com.socactions.graph.GraphProvider;
import com.socactions.indicators.Indicator;
import com.socactions.indicators.Indicators;
import com.socactions.indicators.ParseResult;
import com.socactions.ledger.Action;
import com.socactions.ledger.BlockLedger;
import com.socactions.ledger.TestLedgers;
import com.socactions.platform.AzureCredentials;
import com.socactions.platform.Settings;
import com.socactions.platform.Sleeper;
import com.socactions.platform.TableLease;
import com.socactions.platform.TableStorage;
import com.socactions.platform.Ticker;
import com.socactions.providers.Readiness;
import com.socactions.testing.Azurite;
import com.socactions.testing.MutableClock;
import com.socactions.testing.TestKit;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Mono;

/**
 * The named-location block provider on the stateful Graph fake, with the lease on Azurite; and
 * through the blocking service, for guardrails and expiry.
 */
@ExtendWith(Azurite.class)
class EntraNamedLocationEnforcementPointTest {
  private static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJncmFwaCJ9.c2lnbmF0dXJl";
  private static final AtomicInteger TABLES = new AtomicInteger();
  private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");
  private static final String INCIDENT =
      "/subscriptions/s/resourceGroups/rg/providers/Microsoft.OperationalInsights"
          + "/workspaces/w/providers/Microsoft.SecurityInsights/Incidents/42";

  private final MutableClock clock = new MutableClock(NOW);
  private FakeGraph graph;
  private Settings settings;
  private TableStorage storage;
  private String leaseTable;

  @BeforeEach
  void start() throws Exception {
    graph = FakeGraph.start(TOKEN);
    Map<String, String> values =
        new HashMap<>(
            Map.of(
                "STATE_STORAGE_CONNECTION",
                Azurite.connectionString(),
                GraphClient.URL_SETTING,
                graph.baseUrl(),
                GraphNamedLocations.LOCATION_SETTING,
                NAMED_LOCATION_ID,
                "AZURE_TENANT_ID",
                "72f988bf-86f1-41af-91ab-2d7cd011db47",
                "AZURE_CLIENT_ID",
                "11111111-1111-1111-1111-111111111111",
                "AZURE_CLIENT_SECRET",
                "not-used-the-credential-is-injected"));
    settings = Settings.of(values);
    storage = TestKit.storage(settings);
    leaseTable = "leases" + TABLES.incrementAndGet() + System.nanoTime() % 100_000;
  }

  @AfterEach
  void stop() {
    graph.close();
  }

  /**
   * One app instance: its own Graph client (pacer, in-process lock) and lease, sharing the table
   * and the fake.
   */
  private EntraNamedLocationEnforcementPoint instance() {
    // Pacing waits are skipped (the sleeper returns at once), so no test waits a second per call.
    return instance(clock, TableLease.DEFAULT_DURATION, wait -> {});
  }

  /**
   * One app instance whose lease judges expiry on {@code leaseClock} and lasts {@code
   * leaseDuration}, and whose Graph client waits its pacing turns with {@code graphSleeper}.
   */
  private EntraNamedLocationEnforcementPoint instance(
      Clock leaseClock, Duration leaseDuration, Sleeper graphSleeper) {
    AzureCredentials credentials =
        AzureCredentials.of(
            request -> Mono.just(new AccessToken(TOKEN, OffsetDateTime.now().plusHours(1))));
    Ticker ticker = () -> 0L;
    GraphClient client = TestKit.graph(settings, clock, graphSleeper, credentials);
    TableLease lease =
        new TableLease(
            storage.table(leaseTable),
            leaseClock,
            Ticker.SYSTEM,
            Sleeper.SYSTEM,
            leaseDuration,
            Duration.ofSeconds(60),
            Duration.ofMillis(10));
    // As the module wires it: configured by the location and the app's Azure identity.
    return point(
        settings,
        settings.isSet(GraphNamedLocations.LOCATION_SETTING)
            && AzureCredentials.isConfigured(settings),
        credentials,
        client,
        lease,
        ticker);
  }

  /**
   * The point on {@code client} and {@code lease} as {@link BlockingModule} wires it: the location
   * from the settings, readiness from Graph's provider.
   */
  static EntraNamedLocationEnforcementPoint point(
      Settings settings,
      boolean configured,
      AzureCredentials credentials,
      GraphClient client,
      TableLease lease,
      Ticker ticker) {
    GraphNamedLocations locations = new GraphNamedLocations(client);
    GraphProvider provider =
        new GraphProvider(
            credentials,
            () -> client,
            () -> GraphModule.Options.from(settings).namedLocationId(),
            () -> locations,
            ticker);
    return new EntraNamedLocationEnforcementPoint(
        configured,
        () -> GraphModule.Options.from(settings).namedLocationId(),
        () -> locations,
        () -> lease,
        provider::readiness);
  }

  private List<String> held() {
    return graph.namedLocationRanges(NAMED_LOCATION_ID);
  }

  private long calls(String method) {
    return graph.inner().stream().filter(inner -> inner.method().equals(method)).count();
  }

  private static Indicator parse(String value) {
    return ((ParseResult.Parsed) Indicators.parse(value)).indicator();
  }

  private static EnforcementRequest block(String value) {
    return new EnforcementRequest(
        parse(value),
        Action.BLOCK,
        NOW.plus(Duration.ofHours(24)),
        "incident 42",
        "phishing",
        null);
  }

  @Test
  void aBatchOfAddressesAndNetworksIsOneReadAndOneWriteAndOtherTypesAreUnsupported() {
    List<EnforcementOutcome> outcomes =
        instance()
            .apply(
                List.of(
                    block("203.0.113.7"),
                    block("198.51.100.0/24"),
                    block("2001:db8::/48"),
                    block("evil.example"),
                    block("12.34.220.0/22")));

    assertThat(outcomes)
        .extracting(EnforcementOutcome::status)
        .containsExactly(
            Status.DONE, Status.DONE, Status.DONE, Status.UNSUPPORTED, Status.NOT_OURS);
    assertThat(outcomes.get(4).detail()).contains("someone else's");
    assertThat(held()).contains("203.0.113.7/32", "198.51.100.0/24", "2001:db8::/48");
    assertThat(calls("GET")).isEqualTo(1);
    assertThat(calls("PATCH")).isEqualTo(1);
  }

  @Test
  void aRangeFoundWhenTakingOverAnAbandonedClaimIsOurs() {
    EntraNamedLocationEnforcementPoint point = instance();
    point.apply(List.of(block("203.0.113.7")));
    EnforcementRequest retaken =
        new EnforcementRequest(
            parse("203.0.113.7"),
            Action.BLOCK,
            NOW.plus(Duration.ofHours(24)),
            "incident 42",
            "phishing",
            null,
            false,
            true);

    assertThat(point.apply(List.of(retaken)))
        .extracting(EnforcementOutcome::status)
        .containsExactly(Status.ALREADY_OURS);
  }

  @Test
  void removingLiftsTheRangesAndAnswersNotFoundForThoseTheLocationDoesNotHold() {
    EntraNamedLocationEnforcementPoint point = instance();
    point.apply(List.of(block("203.0.113.7")));

    List<EnforcementOutcome> outcomes =
        point.remove(List.of(block("203.0.113.7"), block("203.0.113.8")));

    assertThat(outcomes)
        .extracting(EnforcementOutcome::status)
        .containsExactly(Status.DONE, Status.NOT_FOUND);
    assertThat(held()).doesNotContain("203.0.113.7/32").isNotEmpty();
  }

  @Test
  void twoInstancesRunningTenConcurrentBatchesEachLoseNoEntry() throws Exception {
    // Each call takes a while, so unserialised read-modify-writes of the two instances would
    // overlap.
    graph.latency(Duration.ofMillis(15));
    List<EntraNamedLocationEnforcementPoint> instances = List.of(instance(), instance());
    ExecutorService pool = Executors.newFixedThreadPool(20);
    List<String> expected = new ArrayList<>();
    try {
      List<Future<List<EnforcementOutcome>>> batches = new ArrayList<>();
      for (int b = 0; b < 20; b++) {
        String first = "198.51.100." + (2 * b + 1);
        String second = "198.51.100." + (2 * b + 2);
        expected.add(first + "/32");
        expected.add(second + "/32");
        EntraNamedLocationEnforcementPoint point = instances.get(b % 2);
        batches.add(pool.submit(() -> point.apply(List.of(block(first), block(second)))));
      }
      for (Future<List<EnforcementOutcome>> batch : batches) {
        assertThat(batch.get()).extracting(EnforcementOutcome::status).containsOnly(Status.DONE);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(held()).containsAll(expected).hasSize(expected.size() + 2);
  }

  @Test
  void twoInstancesWhoseReadModifyWritesOutlastTheLeaseBothLandTheirRanges() throws Exception {
    // Each Graph call takes 0.7 s, so a GET and its PATCH take twice the lease's one second; the
    // lease is judged on the real clock here, so it lapses unless it is renewed.
    graph.latency(Duration.ofMillis(700));
    List<EntraNamedLocationEnforcementPoint> instances =
        List.of(
            instance(Clock.systemUTC(), Duration.ofSeconds(1), wait -> {}),
            instance(Clock.systemUTC(), Duration.ofSeconds(1), wait -> {}));
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<List<EnforcementOutcome>> first =
          pool.submit(() -> instances.get(0).apply(List.of(block("198.51.100.1"))));
      Future<List<EnforcementOutcome>> second =
          pool.submit(() -> instances.get(1).apply(List.of(block("198.51.100.2"))));

      assertThat(first.get().get(0).status()).isEqualTo(Status.DONE);
      assertThat(second.get().get(0).status()).isEqualTo(Status.DONE);
    } finally {
      pool.shutdownNow();
    }

    assertThat(held()).contains("198.51.100.1/32", "198.51.100.2/32").hasSize(4);
    assertThat(calls("PATCH")).isEqualTo(2); // no PATCH ever went out on a list read too early
  }

  @Test
  void aLeaseLostBeforeThePatchStopsItAndTheMergeRunsAgainOnTheOtherWritersList() {
    TableClient leases = storage.table(leaseTable);
    String key = EntraNamedLocationEnforcementPoint.leaseKey(NAMED_LOCATION_ID);
    AtomicBoolean steppedIn = new AtomicBoolean();
    // While this instance waits for its PATCH's turn, after its GET: its lease lapses, another
    // instance takes the lease over, writes a range of its own and lets go.
    Sleeper graphSleeper =
        wait -> {
          if (calls("GET") == 1 && steppedIn.compareAndSet(false, true)) {
            clock.advance(TableLease.DEFAULT_DURATION.plusSeconds(1));
            leases.upsertEntity(
                new TableEntity("lease", key)
                    .addProperty("holder", "the-other-instance")
                    .addProperty(
                        "expires_at",
                        OffsetDateTime.ofInstant(clock.instant().plusSeconds(60), ZoneOffset.UTC)));
            graph.addNamedLocationRange(NAMED_LOCATION_ID, "203.0.113.9/32");
            leases.deleteEntity("lease", key);
          }
        };
    EntraNamedLocationEnforcementPoint point =
        instance(clock, TableLease.DEFAULT_DURATION, graphSleeper);

    EnforcementOutcome outcome = point.apply(List.of(block("198.51.100.7"))).get(0);

    assertThat(outcome.status()).isEqualTo(Status.DONE);
    assertThat(held()).contains("203.0.113.9/32", "198.51.100.7/32");
    assertThat(calls("GET")).isEqualTo(2); // read again under the lease taken anew
    assertThat(calls("PATCH")).isEqualTo(1); // and only then written
  }

  @Test
  void aBatchThatWouldPassGraphsLimitFailsEachEntryWithTheReasonAndWritesNothing() {
    ArrayNode ranges = graph.namedLocation(NAMED_LOCATION_ID).withArray("ipRanges");
    for (int i = ranges.size(); i < GraphNamedLocations.DEFAULT_MAX_IP_RANGES - 1; i++) {
      ranges
          .addObject()
          .put("@odata.type", "#microsoft.graph.iPv4CidrRange")
          .put("cidrAddress", "100.64." + (i / 256) + "." + (i % 256) + "/32");
    }

    List<EnforcementOutcome> outcomes =
        instance().apply(List.of(block("203.0.113.7"), block("203.0.113.8")));

    assertThat(outcomes).extracting(EnforcementOutcome::status).containsOnly(Status.FAILED);
    assertThat(outcomes)
        .extracting(EnforcementOutcome::detail)
        .allSatisfy(
            detail ->
                assertThat(detail)
                    .contains("limit of " + GraphNamedLocations.DEFAULT_MAX_IP_RANGES));
    assertThat(outcomes).extracting(EnforcementOutcome::retryAfter).containsOnlyNulls();
    assertThat(calls("PATCH")).isZero();
  }

  @Test
  void itIsConfiguredByTheLocationAndAnAzureIdentityAndReportsTheLocationFound() {
    EntraNamedLocationEnforcementPoint point = instance();
    assertThat(point.isConfigured()).isTrue();
    assertThat(point.readiness().status()).isEqualTo(Readiness.Status.OK);
    assertThat(point.readiness().detail()).contains("Untrusted IP named location");

    settings =
        Settings.of(
            Map.of(
                GraphClient.URL_SETTING,
                graph.baseUrl(),
                "STATE_STORAGE_CONNECTION",
                Azurite.connectionString(),
                GraphNamedLocations.LOCATION_SETTING,
                NAMED_LOCATION_ID));
    assertThat(instance().isConfigured()).isFalse();
    assertThat(instance().readiness().status()).isEqualTo(Readiness.Status.NOT_CONFIGURED);
  }

  // ---- through the blocking service ----

  private BlockingService service(EntraNamedLocationEnforcementPoint point, BlockLedger ledger) {
    return new BlockingService(
        List.of(point),
        () -> ledger,
        () -> BlockingModule.protectedIndicators(settings),
        CriticalAssets.NONE,
        clock);
  }

  private static BlockCommand command(String... indicators) {
    return new BlockCommand(
        List.of(indicators),
        EntraNamedLocationEnforcementPoint.ID,
        Duration.ofHours(1),
        "phishing",
        INCIDENT,
        false,
        GuardrailOverride.NONE,
        "08585-run",
        "analyst@contoso.com");
  }

  @Test
  void aPrivateRangeIsRefusedByTheGuardrailsBeforeGraphIsCalled() {
    BlockResponse response =
        service(instance(), TestLedgers.fresh(clock)).block(command("10.0.0.0/8", "192.168.1.7"));

    assertThat(response.results())
        .extracting(IndicatorResult::status)
        .containsOnly(BlockStatus.REFUSED);
    assertThat(response.results())
        .extracting(IndicatorResult::reason)
        .containsOnly("private_range");
    assertThat(graph.requests()).isEmpty();
  }

  @Test
  void theExpiryTimerRemovesExpiredEntriesFromTheLocation() {
    BlockingService service = service(instance(), TestLedgers.fresh(clock));
    service.block(command("185.220.101.7", "185.220.102.0/28"));
    assertThat(held()).contains("185.220.101.7/32", "185.220.102.0/28");

    clock.advance(Duration.ofMinutes(59));
    assertThat(service.expire().lifted()).isZero();
    clock.advance(Duration.ofMinutes(2));
    BlockingService.ExpiryReport report = service.expire();

    assertThat(report.lifted()).isEqualTo(2);
    assertThat(held())
        .doesNotContain("185.220.101.7/32", "185.220.102.0/28")
        .contains("12.34.221.11/22");
  }
}
