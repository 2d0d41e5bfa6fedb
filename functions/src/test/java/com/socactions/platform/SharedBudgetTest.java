package com.socactions.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.http.policy.FixedDelayOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableClientBuilder;
import com.socactions.platform.BudgetStore.State;
import com.socactions.platform.SharedBudget.Limits;
import com.socactions.testing.Azurite;
import com.socactions.testing.ClockSleeper;
import com.socactions.testing.CountedTable;
import com.socactions.testing.CountedTable.Kind;
import com.socactions.testing.MutableClock;
import com.socactions.testing.SlidingWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(Azurite.class)
class SharedBudgetTest {
  private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
  private static final Limits THIRTY_A_MINUTE = Limits.of(30, Duration.ofMinutes(1));
  private static final String KEY = "defender-import";

  private final MutableClock clock = new MutableClock(NOW);
  private final ClockSleeper sleeper = new ClockSleeper(clock);
  private CountedTable table;

  @BeforeEach
  void table() {
    table = CountedTable.create("budgets");
  }

  /** One app instance: its own table client and budget object, on the shared table. */
  private SharedBudget instance(Limits limits) {
    return UpstreamBudgets.in(table.client(), clock, sleeper)
        .budget(KEY, "Defender for Endpoint", "import calls", limits);
  }

  @Test
  void instancesRacingForOneBudgetGetExactlyItsLimitBetweenThemAndTheRestARetryAfter()
      throws Exception {
    List<SharedBudget> instances = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      instances.add(instance(THIRTY_A_MINUTE));
    }
    AtomicInteger granted = new AtomicInteger();
    List<UpstreamException> refused = new CopyOnWriteArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(16);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<?>> runs = new ArrayList<>();
      for (int t = 0; t < 16; t++) {
        SharedBudget budget = instances.get(t % 4);
        runs.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int call = 0; call < 5; call++) {
                    try {
                      budget.acquire(Duration.ZERO);
                      granted.incrementAndGet();
                    } catch (UpstreamException e) {
                      refused.add(e);
                    }
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> run : runs) {
        run.get();
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(granted.get()).isEqualTo(30);
    assertThat(refused).hasSize(16 * 5 - 30);
    assertThat(refused)
        .allSatisfy(
            e -> {
              assertThat(e.failure()).isEqualTo(UpstreamFailure.THROTTLED);
              assertThat(e.retryAfter()).contains(Duration.ofSeconds(61));
              assertThat(e.getMessage()).contains("30 import calls a minute");
            });
    BudgetStore.Row row = new BudgetStore.Table(() -> table.client()).read(KEY);
    assertThat(row.state().slots()).hasSize(30);
  }

  @Test
  void theBudgetIsReadAndWrittenByKeyOnlyAndABookingOfManyCallsIsOneWrite() {
    SharedBudget first = instance(THIRTY_A_MINUTE);
    SharedBudget second = instance(THIRTY_A_MINUTE);
    table.reset();

    first.reserve(10, Duration.ofSeconds(20));
    for (int i = 0; i < 10; i++) {
      first.acquire(Duration.ZERO);
    }
    // Cold: one read of the row by its key, then one write for the ten turns.
    assertThat(table.calls()).hasSize(2);

    first.reserve(5, Duration.ofSeconds(20));
    assertThat(table.calls()).hasSize(3); // it remembers the row it wrote: the write alone
    for (int i = 0; i < 5; i++) {
      first.acquire(Duration.ZERO);
    }

    second.reserve(5, Duration.ofSeconds(20));
    first.reserve(5, Duration.ofSeconds(20)); // its remembered row is stale now: 412, read, write
    assertThat(table.calls()).hasSize(3 + 2 + 3);
    assertThat(table.count(Kind.QUERY)).isZero();
    assertThat(table.count(Kind.BATCH)).isZero();
    assertThat(table.calls()).allMatch(call -> call.kind() == Kind.ENTITY);
  }

  @Test
  void turnsAreSpacedSoThatNoMinuteAnywhereHoldsMoreThanTheLimitAcrossInstances() {
    List<SharedBudget> instances = List.of(instance(THIRTY_A_MINUTE), instance(THIRTY_A_MINUTE));
    List<Long> calls = new ArrayList<>();
    Random random = new Random(7);
    for (int i = 0; i < 100; i++) {
      clock.advance(Duration.ofMillis(random.nextInt(3_000)));
      instances.get(random.nextInt(2)).acquire(Duration.ofMinutes(2));
      calls.add(clock.millis());
    }

    assertThat(SlidingWindow.mostIn(calls, Duration.ofMinutes(1))).isLessThanOrEqualTo(30);
    // And the limit is used, not just respected: 100 calls take a little over three minutes.
    assertThat(calls.get(99) - calls.get(0)).isLessThan(Duration.ofMinutes(4).toMillis());
  }

  @Test
  void everyWindowOfABudgetHolds() {
    Limits limits = Limits.of(10, Duration.ofMinutes(1)).and(50, Duration.ofHours(1));
    SharedBudget budget = instance(limits);
    List<Long> calls = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      budget.acquire(Duration.ofHours(2));
      calls.add(clock.millis());
    }

    assertThat(SlidingWindow.mostIn(calls, Duration.ofMinutes(1))).isLessThanOrEqualTo(10);
    assertThat(SlidingWindow.mostIn(calls, Duration.ofHours(1))).isLessThanOrEqualTo(50);
    assertThat(calls.get(49) - calls.get(0)).isLessThan(Duration.ofMinutes(5).toMillis());
    assertThat(calls.get(50) - calls.get(0)).isGreaterThanOrEqualTo(Duration.ofHours(1).toMillis());
  }

  @Test
  void aCallerThatMayNotWaitLongEnoughIsToldWhenTheNextTurnIsFreeAndBooksNothing() {
    SharedBudget budget = instance(Limits.of(2, Duration.ofMinutes(1)));
    budget.acquire(Duration.ZERO);
    budget.acquire(Duration.ZERO);
    table.reset();

    assertThatThrownBy(() -> budget.acquire(Duration.ofSeconds(20)))
        .isInstanceOfSatisfying(
            UpstreamException.class,
            e -> {
              assertThat(e.failure()).isEqualTo(UpstreamFailure.THROTTLED);
              assertThat(e.retryAfter()).contains(Duration.ofSeconds(61));
            });
    assertThat(table.calls()).noneMatch(call -> !call.method().equals("GET"));

    budget.acquire(Duration.ofSeconds(61)); // one who may wait is served, at its turn
    assertThat(sleeper.sleeps()).containsExactly(Duration.ofMillis(60_250));
  }

  @Test
  void aThrottleSeenByOneInstanceHoldsBackTheOthers() {
    SharedBudget first = instance(THIRTY_A_MINUTE);
    SharedBudget second = instance(THIRTY_A_MINUTE);
    first.acquire(Duration.ZERO);

    first.throttled(Duration.ofSeconds(40));
    second.acquire(Duration.ofMinutes(1));

    assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(40));
  }

  @Test
  void turnsBookedAheadAreUsedWithoutAnotherWriteAndLapseWhenNotUsedInTime() {
    SharedBudget budget = instance(THIRTY_A_MINUTE.prefetch(5));
    budget.acquire(Duration.ZERO);
    assertThat(budget.heldTurns()).hasSize(4);
    table.reset();
    for (int i = 0; i < 4; i++) {
      budget.acquire(Duration.ZERO);
    }
    assertThat(table.calls()).isEmpty();

    budget.acquire(Duration.ZERO);
    long stale = clock.millis();
    clock.advance(Duration.ofSeconds(1)); // the four just booked ahead are past their grace
    budget.acquire(Duration.ZERO);
    assertThat(budget.heldTurns()).hasSize(4).allMatch(turn -> turn > stale);
  }

  @Test
  void whenStorageFailsTheBudgetKeepsItsLimitInThisInstance() {
    SharedBudget budget =
        UpstreamBudgets.in(brokenTable(), clock, sleeper)
            .budget(
                KEY, "Defender for Endpoint", "import calls", Limits.of(2, Duration.ofMinutes(1)));

    budget.acquire(Duration.ZERO);
    budget.acquire(Duration.ZERO);
    assertThatThrownBy(() -> budget.acquire(Duration.ZERO))
        .isInstanceOfSatisfying(
            UpstreamException.class,
            e -> assertThat(e.failure()).isEqualTo(UpstreamFailure.THROTTLED));
  }

  @Test
  void aPlanNeverGoesBackInTimeAndForgetsTurnsOutsideEveryWindow() {
    Limits limits = Limits.of(2, Duration.ofSeconds(10));
    long now = NOW.toEpochMilli();
    State held = new State(new long[] {now - 60_000, now - 5_000, now + 3_000}, 0);

    SharedBudget.Plan plan = SharedBudget.plan(held, limits, now, 2, now + 60_000, now + 60_000);

    // The second-latest turn (now - 5 s) frees the first; the latest (now + 3 s) the second.
    assertThat(plan.turns()).containsExactly(now + 5_250, now + 13_250);
    // Only the two latest turns matter to a window of two calls.
    assertThat(plan.next().slots()).containsExactly(now + 5_250, now + 13_250);
  }

  private TableClient brokenTable() {
    return new TableClientBuilder()
        .connectionString(
            "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;"
                + "TableEndpoint=http://127.0.0.1:9/devstoreaccount1;")
        .tableName("nowhere")
        .retryOptions(new RetryOptions(new FixedDelayOptions(0, Duration.ZERO)))
        .buildClient();
  }
}
