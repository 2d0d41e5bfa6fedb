package com.socactions.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableEntity;
import com.socactions.testing.Azurite;
import com.socactions.testing.MutableClock;
import com.socactions.testing.TestKit;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(Azurite.class)
class TableLeaseTest {
  private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");

  private final MutableClock clock = new MutableClock(NOW);
  private TableClient table;

  @BeforeEach
  void table() {
    TableStorage storage =
        TestKit.storage(
            Settings.of(Map.of("STATE_STORAGE_CONNECTION", Azurite.connectionString())));
    table = storage.table("leasetest" + UUID.randomUUID().toString().replace("-", ""));
  }

  /**
   * Real, short pauses: the holders run on other threads. A waiter gives up only after ten minutes,
   * so a loaded machine makes the test slower, never failed (the JUnit timeout bounds a hang).
   */
  private TableLease lease() {
    return new TableLease(
        table,
        clock,
        Ticker.SYSTEM,
        Sleeper.SYSTEM,
        TableLease.DEFAULT_DURATION,
        Duration.ofMinutes(10),
        Duration.ofMillis(5));
  }

  @Test
  void twoLeasesOnOneKeyNeverRunTheirWorkAtTheSameTime() throws Exception {
    TableLease first = lease();
    TableLease second = lease();
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger mostInside = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<?>> runs = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        TableLease lease = i % 2 == 0 ? first : second;
        runs.add(
            pool.submit(
                () ->
                    lease.run(
                        "location",
                        () -> {
                          mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                          pauseBriefly(); // long enough for an unguarded second run to overlap
                          return inside.decrementAndGet();
                        })));
      }
      for (Future<?> run : runs) {
        run.get();
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(mostInside.get()).isEqualTo(1);
    assertThat(table.listEntities().stream().count()).isZero();
  }

  /** Widens the window in which an unguarded second run would overlap; nothing measures it. */
  private static void pauseBriefly() {
    try {
      Thread.sleep(10);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void aLeaseWhoseHolderDiedIsTakenOverOnceItHasLapsed() {
    table.createEntity(
        new TableEntity(TableLease.PARTITION, "location")
            .addProperty(TableLease.HOLDER, "dead")
            .addProperty(
                TableLease.EXPIRES_AT,
                OffsetDateTime.ofInstant(NOW.plusSeconds(60), ZoneOffset.UTC)));
    clock.advance(Duration.ofSeconds(61));

    assertThat(lease().run("location", () -> "ran")).isEqualTo("ran");
  }

  @Test
  void aLeaseHeldPastTheLongestWaitFailsRetryablyWithoutRunningTheWork() {
    table.createEntity(
        new TableEntity(TableLease.PARTITION, "location")
            .addProperty(TableLease.HOLDER, "other")
            .addProperty(
                TableLease.EXPIRES_AT,
                OffsetDateTime.ofInstant(NOW.plusSeconds(60), ZoneOffset.UTC)));
    AtomicLong nanos = new AtomicLong();
    TableLease waiting =
        new TableLease(
            table,
            clock,
            nanos::get,
            wait -> nanos.addAndGet(wait.toNanos()),
            TableLease.DEFAULT_DURATION,
            Duration.ofSeconds(2),
            Duration.ofMillis(500));
    AtomicInteger ran = new AtomicInteger();

    assertThatThrownBy(() -> waiting.run("location", ran::incrementAndGet))
        .isInstanceOfSatisfying(
            UpstreamException.class,
            e -> {
              assertThat(e.isRetryable()).isTrue();
              assertThat(e.retryAfter()).isPresent();
            });
    assertThat(ran).hasValue(0);
  }

  @Test
  void theLeaseIsReleasedWhenTheWorkThrows() {
    TableLease lease = lease();

    assertThatThrownBy(
            () ->
                lease.run(
                    "location",
                    () -> {
                      throw new IllegalStateException("boom");
                    }))
        .hasMessage("boom");
    assertThat(lease.run("location", () -> "again")).isEqualTo("again");
  }

  @Test
  void aLeaseIsRenewedWhileItsWorkRunsSoNoOtherInstanceTakesItOverHoweverLongTheWork()
      throws Exception {
    // On the real clock (the renewals run on their own thread): a lease of 3 s, work of twice
    // that, and a second instance waiting for it. The lease is renewed every second, so only a
    // renewal missing for 3 s (far beyond a loaded machine's pauses) could let the second in.
    TableLease first = realTimeLease(Duration.ofSeconds(3));
    TableLease second = realTimeLease(Duration.ofSeconds(3));
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger mostInside = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<Integer> slow =
          pool.submit(
              () ->
                  first.run(
                      "location",
                      () -> {
                        mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                        pause(Duration.ofSeconds(6));
                        return inside.decrementAndGet();
                      }));
      pause(Duration.ofMillis(100));
      Future<Integer> waiting =
          pool.submit(
              () ->
                  second.run(
                      "location",
                      () -> {
                        mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                        return inside.decrementAndGet();
                      }));
      slow.get();
      waiting.get();
    } finally {
      pool.shutdownNow();
    }

    assertThat(mostInside.get()).isEqualTo(1);
  }

  @Test
  void aFenceCheckRenewsALeaseRunningShortSoItOutlastsItsDuration() {
    TableLease lease = lease();
    TableLease other = waitingNever();

    String result =
        lease.runFenced(
            "location",
            fence -> {
              clock.advance(Duration.ofSeconds(40));
              fence.check(); // 20 s left, under half the duration: renewed to 60 s from now
              clock.advance(Duration.ofSeconds(40)); // past the first expiry, not the renewed one
              fence.check();
              assertThatThrownBy(() -> other.run("location", () -> "taken"))
                  .isInstanceOf(UpstreamException.class);
              return "written";
            });

    assertThat(result).isEqualTo("written");
  }

  @Test
  void aLeaseLostBeforeTheWriteRunsTheWorkAgainUnderTheLeaseTakenAnew() {
    TableLease lease = lease();
    List<String> rounds = new ArrayList<>();

    String result =
        lease.runFenced(
            "location",
            fence -> {
              rounds.add("round " + (rounds.size() + 1));
              if (rounds.size() == 1) {
                // Another instance takes the row over (and is done by the time we ask again).
                table.upsertEntity(
                    new TableEntity(TableLease.PARTITION, "location")
                        .addProperty(TableLease.HOLDER, "other")
                        .addProperty(
                            TableLease.EXPIRES_AT,
                            OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC)));
              }
              fence.check();
              return "written in " + rounds.get(rounds.size() - 1);
            });

    assertThat(rounds).hasSize(2);
    assertThat(result).isEqualTo("written in round 2");
  }

  @Test
  void aLeaseLostEveryRoundFailsRetryablyWithoutWriting() {
    TableLease lease = lease();
    AtomicInteger rounds = new AtomicInteger();

    assertThatThrownBy(
            () ->
                lease.runFenced(
                    "location",
                    fence -> {
                      rounds.incrementAndGet();
                      table.deleteEntity(TableLease.PARTITION, "location");
                      fence.check();
                      return "written";
                    }))
        .isInstanceOfSatisfying(
            UpstreamException.class,
            e -> {
              assertThat(e.isRetryable()).isTrue();
              assertThat(e.getMessage()).contains("Lost the lease");
            });
    assertThat(rounds).hasValue(TableLease.MAX_ROUNDS);
  }

  private TableLease realTimeLease(Duration duration) {
    return new TableLease(
        table,
        Clock.systemUTC(),
        Ticker.SYSTEM,
        Sleeper.SYSTEM,
        duration,
        Duration.ofSeconds(30),
        Duration.ofMillis(5));
  }

  /** A lease that gives up at once when the row is held. */
  private TableLease waitingNever() {
    AtomicLong nanos = new AtomicLong();
    return new TableLease(
        table,
        clock,
        nanos::get,
        wait -> nanos.addAndGet(wait.toNanos()),
        TableLease.DEFAULT_DURATION,
        Duration.ZERO,
        Duration.ofMillis(500));
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
