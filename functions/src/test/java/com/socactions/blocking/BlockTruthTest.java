package com.socactions.blocking;

import static com.socactions.graph.FakeGraph.NAMED_LOCATION_ID;
import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.credential.AccessToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.socactions.cmdb.CriticalAssets;
import com.socactions.graph.FakeGraph;
import com.socactions.graph.GraphClient;
import com.socactions.graph.GraphNamedLocations;
import com.socactions.indicators.Indicator;
import com.socactions.indicators.Indicators;
import com.socactions.indicators.ParseResult;
import com.socactions.ledger.BlockLedger;
import com.socactions.ledger.LedgerEntry;
import com.socactions.ledger.LedgerState;
import com.socactions.ledger.LedgerTables;
import com.socactions.platform.AzureCredentials;
import com.socactions.platform.Settings;
import com.socactions.platform.Sleeper;
import com.socactions.platform.TableLease;
import com.socactions.platform.TableStorage;
import com.socactions.platform.Ticker;
import com.socactions.platform.UpstreamBudgets;
import com.socactions.platform.UpstreamException;
import com.socactions.platform.UpstreamFailure;
import com.socactions.platform.UpstreamPolicy;
import com.socactions.testing.Azurite;
import com.socactions.testing.MutableClock;
import com.socactions.testing.TestKit;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Mono;

/**
 * The blocking service against upstreams that already hold entries made by people, that fail and
 * recover, and with many identical requests at once: every answer must be what the upstream holds,
 * and nothing the connector did not make may change. Real ledger on Azurite; Defender, PAN-OS and
 * Graph on their stateful fakes.
 */
@ExtendWith(Azurite.class)
class BlockTruthTest {
  private static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJncmFwaCJ9.c2lnbmF0dXJl";
  private static final AtomicInteger TABLES = new AtomicInteger();
  private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");
  private static final GuardrailOverride NONE = GuardrailOverride.NONE;

  private final MutableClock clock = new MutableClock(NOW);
  private final AzureCredentials credentials =
      AzureCredentials.of(
          request -> Mono.just(new AccessToken(TOKEN, OffsetDateTime.now().plusHours(1))));
  private FakeDefenderApi defender;
  private FakePanOsApi panos;
  private FakeGraph graph;
  private Settings settings;
  private TableStorage storage;
  private String table;
  private LedgerTables ledgerTables;
  private BlockLedger ledger;
  private BlockingService service;

  @BeforeEach
  void start() throws Exception {
    defender = FakeDefenderApi.start(TOKEN);
    panos = FakePanOsApi.start();
    graph = FakeGraph.start(TOKEN);
    Map<String, String> values = new HashMap<>();
    values.put("STATE_STORAGE_CONNECTION", Azurite.connectionString());
    values.put("BLOCK_PROVIDERS", "edl, defender");
    values.put("DEFENDER_API_URL", defender.baseUrl());
    values.put(PanOsEnforcementPoint.URL_SETTING, panos.url());
    values.put(PanOsEnforcementPoint.KEY_SETTING, FakePanOsApi.API_KEY);
    values.put(GraphClient.URL_SETTING, graph.baseUrl());
    values.put(GraphNamedLocations.LOCATION_SETTING, NAMED_LOCATION_ID);
    values.put("AZURE_TENANT_ID", "72f988bf-86f1-41af-91ab-2d7cd011db47");
    values.put("AZURE_CLIENT_ID", "11111111-1111-1111-1111-111111111111");
    values.put("AZURE_CLIENT_SECRET", "not-used-the-credential-is-injected");
    settings = Settings.of(values);
    storage = TestKit.storage(settings);
    table = "truth" + TABLES.incrementAndGet() + System.nanoTime() % 100_000;
    ledgerTables = LedgerTables.in(storage, table);
    service = service(clock);
  }

  @AfterEach
  void stop() {
    defender.close();
    panos.close();
    graph.close();
  }

  /** One app instance on the shared ledger table and fakes, reading time from {@code time}. */
  private BlockingService service(Clock time) {
    ledger = new BlockLedger(ledgerTables, time, BlockLedger.Options.defaults());
    BlockLedger book = ledger;
    return new BlockingService(
        points(time),
        () -> book,
        () -> ProtectedIndicators.NONE,
        CriticalAssets.NONE,
        time,
        Duration.ofSeconds(10));
  }

  private List<EnforcementPoint> points(Clock time) {
    Sleeper noWait = wait -> {};
    // A breaker that never opens: these tests are about answers, not about the circuit.
    UpstreamPolicy.Options options =
        UpstreamPolicy.Options.defaults().circuitBreaker(100, 10_000, Duration.ofSeconds(1));
    PanOsEnforcementPoint panOs =
        BlockingModule.panOs(settings, TestKit.kit(time, noWait), options);
    DefenderEnforcementPoint defenderPoint =
        BlockingModule.defender(
            settings,
            TestKit.kit(time, noWait),
            credentials,
            options,
            Duration.ZERO,
            UpstreamBudgets.local(time, noWait));
    GraphClient client = TestKit.graph(settings, time, noWait, credentials);
    TableLease lease =
        new TableLease(
            storage.table(table + "leases"),
            time,
            Ticker.SYSTEM,
            Sleeper.SYSTEM,
            TableLease.DEFAULT_DURATION,
            Duration.ofSeconds(60),
            Duration.ofMillis(10));
    EntraNamedLocationEnforcementPoint namedLocation =
        EntraNamedLocationEnforcementPointTest.point(
            settings, true, credentials, client, lease, () -> 0L);
    return List.of(BlockingModule.edl(settings), defenderPoint, panOs, namedLocation);
  }

  // ---- ownership: Defender ----

  @Test
  void aDefenderBlockSecOpsMadeIsAlreadyPresentAndNoUnblockOrExpiryTouchesIt() {
    String theirs = defender.add("45.41.0.66", "IpAddress", "Block", null);
    JsonNode before = defender.byId(theirs);

    IndicatorResult blocked = one(service.block(command("defender", "45.41.0.66")));
    assertThat(blocked.status()).isEqualTo(BlockStatus.ALREADY_PRESENT);
    assertThat(blocked.detail()).contains("SecOps Team").contains("did not create");
    assertThat(ledger.find("defender", parse("45.41.0.66")))
        .get()
        .satisfies(
            row -> {
              assertThat(row.state()).isEqualTo(LedgerState.PRESENT);
              assertThat(row.heldBy()).startsWith("SecOps Team");
            });

    IndicatorResult again = one(service.block(command("defender", "45.41.0.66")));
    IndicatorResult unblocked = one(service.unblock(command("defender", "45.41.0.66")));
    clock.advance(Duration.ofDays(2));
    service.expire();

    assertThat(again.status()).isEqualTo(BlockStatus.ALREADY_PRESENT);
    assertThat(unblocked.status()).isEqualTo(BlockStatus.ALREADY_PRESENT);
    assertThat(unblocked.detail()).contains("not the connector's to lift");
    assertThat(defender.byId(theirs)).isEqualTo(before);
    assertThat(defender.importCalls()).isZero();
    assertThat(defender.deleteCalls()).isZero();
  }

  @Test
  void aDefenderAllowAPersonMadeIsAConflictThatABlockNeverOverwrites() {
    String theirs = defender.add("partner.example", "DomainName", "Allowed", null);
    JsonNode before = defender.byId(theirs);

    IndicatorResult result = one(service.block(command("defender", "partner.example")));

    assertThat(result.status()).isEqualTo(BlockStatus.REFUSED);
    assertThat(result.reason()).isEqualTo("upstream_conflict");
    assertThat(result.detail()).contains("Allowed indicator").contains("Defender portal");
    assertThat(defender.byId(theirs)).isEqualTo(before);
    assertThat(ledger.find("defender", parse("partner.example")).orElseThrow().guardrail())
        .isEqualTo("upstream_conflict");
  }

  @Test
  void aDefenderAllowThatAPersonMadeIsAlreadyPresentForAnAllowAndIsNeverLifted() {
    String theirs = defender.add("good.example", "DomainName", "Allowed", null);
    JsonNode before = defender.byId(theirs);

    IndicatorResult allowed = one(service.allow(command("defender", "good.example")));
    clock.advance(Duration.ofDays(2));
    service.expire();

    assertThat(allowed.status()).isEqualTo(BlockStatus.ALREADY_PRESENT);
    assertThat(defender.byId(theirs)).isEqualTo(before);
    assertThat(defender.deleteCalls()).isZero();
  }

  @Test
  void theConnectorsOwnDefenderBlockIsLiftedByUnblock() {
    IndicatorResult blocked = one(service.block(command("defender", "45.41.0.70")));
    IndicatorResult unblocked = one(service.unblock(command("defender", "45.41.0.70")));

    assertThat(blocked.status()).isEqualTo(BlockStatus.BLOCKED);
    assertThat(unblocked.status()).isEqualTo(BlockStatus.UNBLOCKED);
    assertThat(defender.indicator("45.41.0.70")).isNull();
  }

  // ---- ownership: the named location and PAN-OS ----

  @Test
  void aRangeTheIdentityTeamPutInTheNamedLocationStaysThroughBlockUnblockAndExpiry() {
    graph.addNamedLocationRange(NAMED_LOCATION_ID, "45.42.0.0/24");

    IndicatorResult blocked = one(service.block(command("entra-named-location", "45.42.0.0/24")));
    IndicatorResult unblocked =
        one(service.unblock(command("entra-named-location", "45.42.0.0/24")));
    clock.advance(Duration.ofDays(2));
    service.expire();

    assertThat(blocked.status()).isEqualTo(BlockStatus.ALREADY_PRESENT);
    assertThat(unblocked.status()).isEqualTo(BlockStatus.ALREADY_PRESENT);
    assertThat(ranges()).contains("45.42.0.0/24");
  }

  @Test
  void aRangeTheConnectorAddedLeavesTheNamedLocationOnUnblock() {
    IndicatorResult blocked = one(service.block(command("entra-named-location", "45.42.1.0/24")));
    IndicatorResult unblocked =
        one(service.unblock(command("entra-named-location", "45.42.1.0/24")));

    assertThat(blocked.status()).isEqualTo(BlockStatus.BLOCKED);
    assertThat(unblocked.status()).isEqualTo(BlockStatus.UNBLOCKED);
    assertThat(ranges()).doesNotContain("45.42.1.0/24");
  }

  @Test
  void panOsRegistrationsUnderAnotherTagAreNeverTouched() {
    panos.register("45.43.0.7", "secops-quarantine", "0");

    IndicatorResult blocked = one(service.block(command("panos", "45.43.0.7")));
    assertThat(panos.tagsOf("45.43.0.7"))
        .containsKeys("secops-quarantine", PanOsEnforcementPoint.DEFAULT_BLOCK_TAG);
    IndicatorResult unblocked = one(service.unblock(command("panos", "45.43.0.7")));
    service.block(command("panos", "45.43.0.8"));
    panos.register("45.43.0.8", "secops-quarantine", "0");
    clock.advance(Duration.ofDays(2));
    service.expire();

    assertThat(blocked.status()).isEqualTo(BlockStatus.BLOCKED);
    assertThat(unblocked.status()).isEqualTo(BlockStatus.UNBLOCKED);
    assertThat(panos.tagsOf("45.43.0.7")).isEqualTo(Map.of("secops-quarantine", "0"));
    assertThat(panos.tagsOf("45.43.0.8")).isEqualTo(Map.of("secops-quarantine", "0"));
  }

  // ---- no answer before the upstream's; re-runs are free ----

  @Test
  void twentyConcurrentBlocksWhilePanOsFailsSayNothingIsActiveAndAfterItRecoversRegisterOnce()
      throws Exception {
    // The real clock: every request asks for a slightly different expiry, as in production.
    service = service(Clock.systemUTC());
    panos.outage(503).answerDelay(Duration.ofMillis(150));

    List<Object> whileFailing =
        concurrently(20, () -> service.block(command("panos", "45.44.1.9")));

    assertThat(whileFailing)
        .allSatisfy(
            answer -> {
              if (answer instanceof BlockResponse response) {
                assertThat(one(response).status()).isIn(BlockStatus.FAILED, BlockStatus.PENDING);
              } else {
                assertThat(answer).isInstanceOf(UpstreamException.class);
                assertThat(((UpstreamException) answer).failure())
                    .isEqualTo(UpstreamFailure.UNAVAILABLE);
              }
            });
    assertThat(panos.registrationsApplied()).isZero();
    assertThat(ledger.find("panos", parse("45.44.1.9")).orElseThrow().state())
        .isEqualTo(LedgerState.FAILED);

    panos.recover();
    int messagesBefore = panos.userIdMessages().size();
    List<Object> afterRecovery =
        concurrently(20, () -> service.block(command("panos", "45.44.1.9")));

    List<BlockStatus> statuses =
        afterRecovery.stream().map(answer -> one((BlockResponse) answer).status()).toList();
    assertThat(statuses).filteredOn(status -> status == BlockStatus.BLOCKED).hasSize(1);
    assertThat(statuses).filteredOn(status -> status == BlockStatus.ALREADY_ACTIVE).hasSize(19);
    assertThat(panos.registrationsApplied()).isEqualTo(1);
    assertThat(panos.userIdMessages()).hasSize(messagesBefore + 1);
  }

  @Test
  void aRequestThatFindsAClaimStillInFlightAfterItsWaitAnswersPendingNeverActive()
      throws Exception {
    service = service(Clock.systemUTC());
    BlockLedger book = ledger;
    BlockingService impatient =
        new BlockingService(
            points(Clock.systemUTC()),
            () -> book,
            () -> ProtectedIndicators.NONE,
            CriticalAssets.NONE,
            Clock.systemUTC(),
            Duration.ofMillis(200));
    panos.answerDelay(Duration.ofSeconds(2));
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<BlockResponse> first = pool.submit(() -> service.block(command("panos", "45.44.2.9")));
      awaitClaim("panos", "45.44.2.9");

      IndicatorResult second = one(impatient.block(command("panos", "45.44.2.9")));

      assertThat(second.status()).isEqualTo(BlockStatus.PENDING);
      assertThat(second.retryAfter()).isEqualTo(BlockingService.PENDING_RETRY_AFTER.toSeconds());
      assertThat(one(first.get(30, TimeUnit.SECONDS)).status()).isEqualTo(BlockStatus.BLOCKED);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aRepeatedDefenderBlockCostsNoImportUntilItsExpiryMovesByARealMargin() {
    service.block(command("defender", "45.41.1.1"));
    clock.advance(Duration.ofMinutes(20));
    IndicatorResult rerun = one(service.block(command("defender", "45.41.1.1")));
    assertThat(rerun.status()).isEqualTo(BlockStatus.ALREADY_ACTIVE);
    assertThat(defender.importCalls()).isEqualTo(1);

    clock.advance(Duration.ofHours(5));
    IndicatorResult later = one(service.block(command("defender", "45.41.1.1")));

    assertThat(later.status()).isEqualTo(BlockStatus.ALREADY_ACTIVE);
    assertThat(later.detail()).contains("extended");
    assertThat(defender.importCalls()).isEqualTo(2);
    assertThat(defender.indicator("45.41.1.1").path("expirationTime").asText())
        .isEqualTo(clock.instant().plus(Duration.ofHours(24)).toString());
  }

  // ---- races with the expiry timer ----

  @Test
  void aReBlockDuringTheTimersLiftWaitsForItAndThenBlocksAgain() throws Exception {
    AtomicReference<Future<BlockResponse>> reBlock = new AtomicReference<>();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    RecordingPoint edl =
        new RecordingPoint(
            BlockingModule.edl(settings),
            () -> {
              // While the timer's lift is on the provider, an analyst blocks the same value again.
              reBlock.set(pool.submit(() -> service.block(command("edl", "45.45.0.1"))));
              pause(Duration.ofMillis(300));
            });
    service =
        new BlockingService(
            List.of(edl),
            () -> ledger,
            () -> ProtectedIndicators.NONE,
            CriticalAssets.NONE,
            clock,
            Duration.ofSeconds(10));
    try {
      service.block(command("edl", "45.45.0.1"));
      clock.advance(Duration.ofHours(25));

      BlockingService.ExpiryReport report = service.expire();
      IndicatorResult again = one(reBlock.get().get(30, TimeUnit.SECONDS));

      assertThat(report.lifted()).isEqualTo(1);
      assertThat(again.status()).isEqualTo(BlockStatus.BLOCKED);
      assertThat(ledger.find("edl", parse("45.45.0.1")).orElseThrow())
          .satisfies(
              row -> {
                assertThat(row.state()).isEqualTo(LedgerState.ACTIVE);
                assertThat(row.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofHours(24)));
              });
      assertThat(edl.calls).containsExactly("apply", "remove", "apply");
    } finally {
      pool.shutdownNow();
    }
  }

  // ---- helpers ----

  /** An enforcement point that records its calls and runs a hook inside each remove. */
  private static final class RecordingPoint implements EnforcementPoint {
    final List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final EnforcementPoint inner;
    private final Runnable onRemove;

    RecordingPoint(EnforcementPoint inner, Runnable onRemove) {
      this.inner = inner;
      this.onRemove = onRemove;
    }

    @Override
    public String id() {
      return inner.id();
    }

    @Override
    public String displayName() {
      return inner.displayName();
    }

    @Override
    public java.util.Set<com.socactions.providers.Capability> capabilities() {
      return inner.capabilities();
    }

    @Override
    public String description() {
      return inner.description();
    }

    @Override
    public boolean isConfigured() {
      return true;
    }

    @Override
    public com.socactions.providers.Readiness readiness() {
      return inner.readiness();
    }

    @Override
    public java.util.Set<com.socactions.indicators.IndicatorType> supportedTypes() {
      return inner.supportedTypes();
    }

    @Override
    public boolean supportsAllow() {
      return inner.supportsAllow();
    }

    @Override
    public List<EnforcementOutcome> apply(List<EnforcementRequest> requests) {
      calls.add("apply");
      return inner.apply(requests);
    }

    @Override
    public List<EnforcementOutcome> remove(List<EnforcementRequest> requests) {
      calls.add("remove");
      onRemove.run();
      return inner.remove(requests);
    }
  }

  private void awaitClaim(String provider, String value) throws InterruptedException {
    for (int i = 0; i < 200; i++) {
      if (ledger.find(provider, parse(value)).map(LedgerEntry::isClaimInFlight).orElse(false)) {
        return;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("no claim appeared on " + value);
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Runs {@code calls} copies at once; each answer, or the exception it threw. */
  private static List<Object> concurrently(
      int calls, java.util.concurrent.Callable<BlockResponse> call) throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(calls);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<BlockResponse>> runs = new ArrayList<>();
    try {
      for (int i = 0; i < calls; i++) {
        runs.add(
            pool.submit(
                () -> {
                  go.await();
                  return call.call();
                }));
      }
      go.countDown();
      List<Object> answers = new ArrayList<>();
      for (Future<BlockResponse> run : runs) {
        try {
          answers.add(run.get(60, TimeUnit.SECONDS));
        } catch (ExecutionException e) {
          answers.add(e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
          throw new AssertionError("a call did not finish", e);
        }
      }
      return answers;
    } finally {
      pool.shutdownNow();
    }
  }

  private List<String> ranges() {
    return graph.namedLocationRanges(NAMED_LOCATION_ID);
  }

  private static IndicatorResult one(BlockResponse response) {
    assertThat(response.results()).hasSize(1);
    return response.results().get(0);
  }

  private static BlockCommand command(String provider, String indicator) {
    return new BlockCommand(
        List.of(indicator),
        provider,
        Duration.ofHours(24),
        "phishing",
        "/subscriptions/s/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/w"
            + "/providers/Microsoft.SecurityInsights/Incidents/42",
        false,
        NONE,
        "08585-run",
        "analyst@contoso.com");
  }

  private static Indicator parse(String value) {
    return ((ParseResult.Parsed) Indicators.parse(value)).indicator();
  }
}
