package com.socactions.decisions;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.credential.AccessToken;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Mono;

@ExtendWith(Azurite.class)
class LogsIngestionDecisionLogTest {
  private static final AtomicInteger TABLES = new AtomicInteger();
  private static final Instant START = Instant.parse("2026-12-05T08:00:00Z");

  private final MutableClock clock = new MutableClock(START);
  private final List<String> scopesAsked = new CopyOnWriteArrayList<>();
  private FakeLogsIngestionApi fake;
  private TableStorage storage;
  private String spillTable;
  private String leaseTable;
  private final List<LogsIngestionDecisionLog> logs = new ArrayList<>();

  @BeforeEach
  void setUp() throws IOException {
    fake = FakeLogsIngestionApi.start();
    storage =
        TestKit.storage(
            Settings.of(Map.of(TableStorage.CONNECTION_SETTING, Azurite.connectionString())));
    int n = TABLES.incrementAndGet();
    spillTable = "DecisionSpill" + n;
    leaseTable = "DecisionLeases" + n;
  }

  @AfterEach
  void tearDown() throws IOException {
    logs.forEach(LogsIngestionDecisionLog::close);
    fake.close();
  }

  private AzureCredentials credentials() {
    return AzureCredentials.of(
        request -> {
          scopesAsked.addAll(request.getScopes());
          return Mono.just(
              new AccessToken(FakeLogsIngestionApi.TOKEN, OffsetDateTime.now().plusHours(1)));
        });
  }

  private LogsIngestionUploader uploader() {
    return new LogsIngestionUploader(
        new LogsIngestionSettings(
            URI.create(fake.endpoint()),
            FakeLogsIngestionApi.RULE_ID,
            LogsIngestionSettings.DEFAULT_STREAM),
        credentials().capped(Duration.ofSeconds(5)),
        fake.trustingKit(Clock.systemUTC()));
  }

  private DecisionSpill spill() {
    return new DecisionSpill(() -> storage.table(spillTable));
  }

  /** A log on this test's spill table, as a (re)started instance of the app would build it. */
  private LogsIngestionDecisionLog newLog(int batchSize) {
    LogsIngestionDecisionLog log =
        new LogsIngestionDecisionLog(
            uploader(),
            spill(),
            () ->
                new TableLease(
                    storage.table(leaseTable),
                    clock,
                    Ticker.SYSTEM,
                    Sleeper.SYSTEM,
                    Duration.ofMinutes(5),
                    Duration.ZERO,
                    TableLease.DEFAULT_POLL_INTERVAL),
            clock,
            LogsIngestionDecisionLog.DEFAULT_BUFFER_CAPACITY,
            batchSize);
    logs.add(log);
    return log;
  }

  private static List<Decision> blocks(int count, String detail) {
    return IntStream.range(0, count)
        .mapToObj(
            i ->
                Decision.builder(DecisionOperation.BLOCK_INDICATORS, "blocked", START)
                    .provider("defender")
                    .indicator("203.0." + (i / 250) + "." + (i % 250 + 1), "ip")
                    .reason("C2 beacon")
                    .detail(detail)
                    .requestedBy("analyst@contoso.com")
                    .incident("/subscriptions/s/incidents/" + i, (long) i)
                    .correlationId("08584" + i)
                    .expiresAt(START.plus(Duration.ofHours(24)))
                    .override(false, null)
                    .build())
        .toList();
  }

  private static Set<String> ids(List<Decision> decisions) {
    return decisions.stream().map(Decision::decisionId).collect(Collectors.toSet());
  }

  private Set<String> arrivedIds() {
    return fake.rows().stream()
        .map(row -> row.path("DecisionId").asText())
        .collect(Collectors.toSet());
  }

  @Test
  void decisionsWaitInTheBufferAndGoInOneGzippedCallPerFlush() {
    LogsIngestionDecisionLog log = newLog(500);
    List<Decision> first = blocks(3, null);
    List<Decision> second = blocks(2, null);

    log.record(first);
    log.record(second);

    assertThat(fake.calls()).isEmpty();
    assertThat(log.flush()).isEqualTo(5);
    assertThat(fake.calls()).hasSize(1);
    FakeLogsIngestionApi.Call call = fake.calls().get(0);
    assertThat(call.path())
        .isEqualTo(
            "/dataCollectionRules/"
                + FakeLogsIngestionApi.RULE_ID
                + "/streams/Custom-SOCActions_CL?api-version=2023-01-01");
    assertThat(call.authorization()).isEqualTo("Bearer " + FakeLogsIngestionApi.TOKEN);
    assertThat(call.contentEncoding()).isEqualTo("gzip");
    assertThat(call.status()).isEqualTo(204);
    assertThat(scopesAsked).contains("https://monitor.azure.com/.default");
    assertThat(arrivedIds()).isEqualTo(ids(concat(first, second)));
  }

  @Test
  void everyColumnOfARowFitsTheDeployedStreamDeclaration() {
    LogsIngestionDecisionLog log = newLog(500);
    Decision full =
        Decision.builder(DecisionOperation.SYNC_TICKET, "created", START)
            .provider("servicenow")
            .indicator("evil.example", "domain")
            .account("alice@contoso.com")
            .guardrail("critical_asset")
            .reason("why")
            .detail("what")
            .requestedBy("bob")
            .incident("/subscriptions/s/incidents/1", 42L)
            .correlationId("run")
            .expiresAt(START.plusSeconds(60))
            .override(true, "approved by CISO")
            .providerRef("ref")
            .ticket("servicenow", "INC0010001", "outbound")
            .durationMs(1234L)
            .entities(7, 1)
            .build();

    log.record(full);
    log.flush();

    assertThat(fake.rows()).hasSize(1);
    ObjectNode row = fake.rows().get(0);
    assertThat(row.path("IncidentNumber").asLong()).isEqualTo(42);
    assertThat(row.path("Override").asBoolean()).isTrue();
    assertThat(row.path("ExpiresAt").asText()).isEqualTo("2026-12-05T08:01:00Z");
    List<String> sent = new ArrayList<>();
    row.fieldNames().forEachRemaining(sent::add);
    // Every column the table has, the connector fills for some decision.
    assertThat(sent)
        .containsExactlyElementsOf(
            java.util.Arrays.stream(DecisionColumn.values())
                .map(DecisionColumn::columnName)
                .toList());
    assertThat(FakeLogsIngestionApi.streamColumns().keySet()).containsExactlyElementsOf(sent);
  }

  @Test
  void aBatchOverOneMegabyteGoesInSeveralCallsEachWithinTheLimit() {
    LogsIngestionDecisionLog log = newLog(5000);
    String detail = "x".repeat(1900);
    List<Decision> many = blocks(1200, detail);

    log.record(many);
    log.flush();

    assertThat(fake.calls()).hasSizeGreaterThan(1);
    assertThat(fake.calls())
        .allSatisfy(
            call -> {
              assertThat(call.status()).isEqualTo(204);
              assertThat(call.jsonBytes()).isLessThanOrEqualTo(FakeLogsIngestionApi.MAX_BODY_BYTES);
            });
    assertThat(fake.rows()).hasSize(1200);
    assertThat(arrivedIds()).isEqualTo(ids(many));
  }

  @Test
  void aCallTheServiceFindsTooLargeIsHalvedUntilItGoesThrough() {
    LogsIngestionDecisionLog log = newLog(500);
    fake.maxBodyBytes(6_000);
    List<Decision> decisions = blocks(40, "y".repeat(300));

    log.record(decisions);
    log.flush();

    assertThat(fake.calls()).anyMatch(call -> call.status() == 413);
    assertThat(arrivedIds()).isEqualTo(ids(decisions));
    assertThat(fake.rows()).hasSize(40);
  }

  @Test
  void throttledDecisionsWaitInTheSpillTableUntilRetryAfterHasPassed() {
    LogsIngestionDecisionLog log = newLog(500);
    fake.failNext(1, 429, 30);
    List<Decision> decisions = blocks(12, null);

    log.record(decisions);
    log.flush();

    assertThat(fake.rows()).isEmpty();
    assertThat(spill().backlog(100)).isEqualTo(12);
    assertThat(log.readiness().status()).isEqualTo(Readiness.Status.DEGRADED);
    assertThat(log.readiness().detail()).contains("HTTP 429").contains("12 waiting");

    // While Log Analytics asked to wait, nothing is sent: new decisions join the spill table.
    clock.advance(Duration.ofSeconds(10));
    List<Decision> later = blocks(3, null);
    log.record(later);
    log.flush();
    assertThat(log.replay()).isZero();
    assertThat(fake.calls()).hasSize(1);
    assertThat(spill().backlog(100)).isEqualTo(15);

    clock.advance(Duration.ofSeconds(21));
    assertThat(log.replay()).isEqualTo(15);
    assertThat(arrivedIds()).isEqualTo(ids(concat(decisions, later)));
    assertThat(spill().backlog(100)).isZero();
    assertThat(log.readiness().status()).isEqualTo(Readiness.Status.OK);
  }

  @Test
  void aServiceThatIsDownLosesNothingAndEverythingArrivesOnceWhenItIsBack() {
    LogsIngestionDecisionLog log = newLog(500);
    fake.failAll(503, null);
    List<Decision> all = new ArrayList<>();
    for (int round = 0; round < 3; round++) {
      List<Decision> decisions = blocks(7, null);
      all.addAll(decisions);
      log.record(decisions);
      log.flush();
      clock.advance(LogsIngestionDecisionLog.DEFAULT_BACKOFF.plusSeconds(1));
      log.replay();
    }
    assertThat(fake.rows()).isEmpty();
    assertThat(spill().backlog(100)).isEqualTo(21);

    fake.recover();
    clock.advance(LogsIngestionDecisionLog.DEFAULT_BACKOFF.plusSeconds(1));
    log.replay();

    assertThat(fake.rows()).hasSize(21);
    assertThat(arrivedIds()).isEqualTo(ids(all));
    assertThat(spill().backlog(100)).isZero();
  }

  @Test
  void whatIsBufferedWhenTheProcessStopsArrivesFromTheNextInstance() {
    LogsIngestionDecisionLog before = newLog(500);
    List<Decision> decisions = blocks(9, null);
    before.record(decisions);

    before.close();

    assertThat(fake.calls()).isEmpty();
    assertThat(spill().backlog(100)).isEqualTo(9);
    LogsIngestionDecisionLog after = newLog(500);
    assertThat(after.replay()).isEqualTo(9);
    assertThat(arrivedIds()).isEqualTo(ids(decisions));
    assertThat(fake.rows()).hasSize(9);
    assertThat(after.replay()).isZero();
    assertThat(fake.rows()).hasSize(9);
  }

  @Test
  void aRefusalIsAnErrorInHealthNamingTheRoleAndTheRowsAreKept() {
    LogsIngestionDecisionLog log = newLog(500);
    fake.failNext(1, 403, null);

    log.record(blocks(4, null));
    log.flush();

    Readiness readiness = log.readiness();
    assertThat(readiness.status()).isEqualTo(Readiness.Status.ERROR);
    assertThat(readiness.detail())
        .contains("HTTP 403")
        .contains("Monitoring Metrics Publisher")
        .contains("4 waiting");
    assertThat(spill().backlog(100)).isEqualTo(4);
  }

  @Test
  void whenTheSpillTableFailsTooTheDecisionsStayBufferedAndGoLater() {
    LogsIngestionDecisionLog log =
        new LogsIngestionDecisionLog(
            uploader(),
            new DecisionSpill(
                () -> {
                  throw new IllegalStateException("storage is down");
                }),
            null,
            clock,
            100,
            50);
    logs.add(log);
    fake.failNext(1, 503, 5);
    List<Decision> decisions = blocks(6, null);

    log.record(decisions);
    log.flush();

    assertThat(log.buffered()).isEqualTo(6);
    clock.advance(Duration.ofSeconds(6));
    log.flush();
    assertThat(arrivedIds()).isEqualTo(ids(decisions));
    assertThat(log.buffered()).isZero();
  }

  @Test
  void theBackgroundThreadSendsAFullBatchWithoutBeingAsked() throws InterruptedException {
    LogsIngestionDecisionLog log = newLog(10);
    // Intervals far longer than the test: only the full-batch wake-up can send.
    log.start(Duration.ofHours(1), Duration.ofHours(1));
    List<Decision> decisions = blocks(10, null);

    log.record(decisions);

    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (fake.rows().size() < 10 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(arrivedIds()).isEqualTo(ids(decisions));
  }

  private static List<Decision> concat(List<Decision> a, List<Decision> b) {
    List<Decision> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
