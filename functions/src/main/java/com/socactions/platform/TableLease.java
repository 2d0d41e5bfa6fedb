package com.socactions.platform;

import com.azure.core.util.Context;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import com.azure.data.tables.models.TableServiceException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A mutual-exclusion lease across instances of the app: one row per key in a table, claimed with an
 * insert (or, once the holder's lease has lapsed, an ETag-guarded replace), and deleted
 * (ETag-guarded, and only while it still names this holder) when the work is done. Table Storage
 * answers a second insert with 409 and a stale ETag with 412, so of two instances racing for one
 * row exactly one wins.
 *
 * <p>Why leases expire: an instance that dies holding one (scale-in, a crash mid-write) must not
 * block every other instance for ever. Why that does not cut a long write short: while the work
 * runs, the holder renews the lease every third of its duration (an ETag-guarded replace that still
 * names it), so a lease lasts as long as its holder lives, whatever the work's length. Expiry is
 * judged on the {@link Clock}s of the instances, which Azure keeps in sync to well under a second.
 *
 * <p>Fencing: a holder can still lose its lease without knowing it (its process stalled past the
 * duration, storage refused a renewal) and another instance then takes the row over. So work whose
 * last step writes somewhere that cannot check the lease itself (a Graph PATCH that replaces a
 * whole list) runs under {@link #runFenced} and calls {@link Fence#check} right before that write:
 * it reads the row again and passes only while it still names this holder with at least half the
 * duration left (renewing first when less is left), which is longer than any one call's timeout. A
 * lost lease throws {@link LeaseLostException}: the work stops before writing, and {@link
 * #runFenced} takes the lease again (waiting for the other holder) and runs the work again from the
 * start, so it merges what the other holder wrote instead of overwriting it. What no lease can
 * fence: a write already sent that the upstream carries out after the lease has lapsed.
 *
 * <p>Failures: {@link #run} throws {@link UpstreamException} (retryable, with a {@code
 * Retry-After}) when the lease is still held by another instance after the longest wait, when Table
 * Storage fails, or when the lease was lost {@value #MAX_ROUNDS} times in a row. What the work
 * throws passes through unchanged, after the lease is released (a release that fails is logged, not
 * thrown: the row lapses by itself).
 */
public final class TableLease {
  /** A holder that died keeps others out this long at most. */
  public static final Duration DEFAULT_DURATION = Duration.ofSeconds(60);

  /** How long {@link #run} waits for another holder before giving up. */
  public static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(30);

  /** How often a waiter looks at the row again. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(250);

  /** How often {@link #runFenced} takes the lease again after losing it, before it gives up. */
  public static final int MAX_ROUNDS = 3;

  /** The check right before a write: thrown by {@link Fence#check} when the lease is not ours. */
  public static final class LeaseLostException extends RuntimeException {
    LeaseLostException(String message) {
      super(message);
    }
  }

  /** The holder's view of its lease while the work runs. */
  @FunctionalInterface
  public interface Fence {
    /**
     * Passes while the lease is this holder's with at least half its duration left (renewing it
     * first when less is left); call it right before a write that must not overwrite another
     * holder's.
     *
     * @throws LeaseLostException when another instance holds the row, or it is gone
     * @throws UpstreamException when Table Storage fails (nothing proves the lease is ours)
     */
    void check();
  }

  static final String UPSTREAM = "Table storage";
  static final String PARTITION = "lease";
  static final String HOLDER = "holder";
  static final String EXPIRES_AT = "expires_at";
  private static final String ETAG_PROPERTY = "odata.etag";
  private static final RequestLog LOG = RequestLog.of(TableLease.class);

  private final TableClient table;
  private final Clock clock;
  private final Ticker ticker;
  private final Sleeper sleeper;
  private final Duration duration;
  private final Duration maxWait;
  private final Duration pollInterval;
  private final ScheduledThreadPoolExecutor renewals;

  /** With the default duration, wait and poll interval. */
  public TableLease(TableClient table, Clock clock, Ticker ticker, Sleeper sleeper) {
    this(table, clock, ticker, sleeper, DEFAULT_DURATION, DEFAULT_MAX_WAIT, DEFAULT_POLL_INTERVAL);
  }

  /**
   * @param clock judges lease expiry (shared meaning across instances)
   * @param ticker measures this caller's wait
   */
  public TableLease(
      TableClient table,
      Clock clock,
      Ticker ticker,
      Sleeper sleeper,
      Duration duration,
      Duration maxWait,
      Duration pollInterval) {
    this.table = Objects.requireNonNull(table, "'table' cannot be null.");
    this.clock = Objects.requireNonNull(clock, "'clock' cannot be null.");
    this.ticker = Objects.requireNonNull(ticker, "'ticker' cannot be null.");
    this.sleeper = Objects.requireNonNull(sleeper, "'sleeper' cannot be null.");
    this.duration = requirePositive(duration, "duration");
    this.maxWait = Objects.requireNonNull(maxWait, "'maxWait' cannot be null.");
    this.pollInterval = requirePositive(pollInterval, "pollInterval");
    // One thread for every lease of this object, and none while no work runs.
    this.renewals =
        new ScheduledThreadPoolExecutor(
            1,
            runnable -> {
              Thread thread = new Thread(runnable, "lease-renewal");
              thread.setDaemon(true);
              return thread;
            });
    this.renewals.setKeepAliveTime(1, TimeUnit.SECONDS);
    this.renewals.allowCoreThreadTimeOut(true);
    this.renewals.setRemoveOnCancelPolicy(true);
  }

  /**
   * Runs {@code work} holding the lease on {@code key}, renewed while it runs, waiting up to the
   * longest wait for it.
   *
   * @param key a row key: no {@code /}, {@code \}, {@code #}, {@code ?} or control characters
   * @throws UpstreamException when the lease stays taken past the wait, or storage fails
   * @throws IllegalArgumentException for a key Table Storage does not accept
   */
  public <T> T run(String key, Supplier<T> work) {
    String checked = checkedKey(key);
    Holding holding = acquire(checked);
    try {
      return work.get();
    } finally {
      holding.stop();
      release(checked, holding.holder);
    }
  }

  /**
   * Runs {@code work} holding the lease on {@code key}, renewed while it runs; the work calls
   * {@link Fence#check} right before its write. When the lease turns out lost, the work is run
   * again from the start under the lease taken anew, at most {@value #MAX_ROUNDS} times.
   *
   * @throws UpstreamException as {@link #run}, and retryable when the lease was lost every time
   */
  public <T> T runFenced(String key, Function<Fence, T> work) {
    String checked = checkedKey(key);
    for (int round = 1; ; round++) {
      Holding holding = acquire(checked);
      try {
        return work.apply(holding);
      } catch (LeaseLostException lost) {
        LOG.warning(
            () -> "Lost the lease on " + checked + " before writing (" + lost.getMessage() + ")");
        if (round >= MAX_ROUNDS) {
          throw new UpstreamException(
              UPSTREAM,
              UpstreamFailure.UNAVAILABLE,
              "Lost the lease on " + checked + " " + round + " times in a row; try again",
              duration,
              lost);
        }
      } finally {
        holding.stop();
        release(checked, holding.holder);
      }
    }
  }

  /** The lease one run holds: renewed in the background, checked before a write. */
  private final class Holding implements Fence {
    final String key;
    final String holder;
    private final ScheduledFuture<?> renewal;
    private boolean lost; // guarded by this

    Holding(String key, String holder) {
      this.key = key;
      this.holder = holder;
      long every = Math.max(1, duration.toMillis() / 3);
      this.renewal =
          renewals.scheduleWithFixedDelay(this::renewQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void check() {
      if (lost) {
        throw new LeaseLostException("its renewal found another holder");
      }
      TableEntity held;
      try {
        held = read(key);
      } catch (RuntimeException e) {
        throw upstream("could not check lease " + key, e);
      }
      if (held == null || !holder.equals(held.getProperty(HOLDER))) {
        lost = true;
        throw new LeaseLostException(
            held == null ? "the row is gone" : "another instance holds it");
      }
      Duration left = Duration.between(clock.instant(), expiresAt(held));
      if (left.compareTo(duration.dividedBy(2)) < 0 && !renew(held)) {
        throw new LeaseLostException("another instance took it over as it lapsed");
      }
    }

    /** The background renewal: a failure to reach storage is left to the next one (or check). */
    private synchronized void renewQuietly() {
      if (lost) {
        return;
      }
      try {
        TableEntity held = read(key);
        if (held == null || !holder.equals(held.getProperty(HOLDER))) {
          lost = true;
          return;
        }
        renew(held);
      } catch (RuntimeException e) {
        LOG.warning(() -> "Could not renew lease " + key + ": " + e.getClass().getSimpleName());
      }
    }

    /** Extends the lease by a full duration from now, if the row is still {@code held}. */
    private boolean renew(TableEntity held) {
      TableEntity renewed =
          new TableEntity(PARTITION, key)
              .addProperty(HOLDER, holder)
              .addProperty(
                  EXPIRES_AT,
                  OffsetDateTime.ofInstant(clock.instant().plus(duration), ZoneOffset.UTC))
              .addProperty(ETAG_PROPERTY, held.getProperty(ETAG_PROPERTY));
      try {
        table.updateEntityWithResponse(
            renewed, TableEntityUpdateMode.REPLACE, true, null, Context.NONE);
        return true;
      } catch (TableServiceException e) {
        if (UpstreamFailure.of(e) == UpstreamFailure.CONFLICT
            || UpstreamFailure.of(e) == UpstreamFailure.NOT_FOUND) {
          lost = true;
          return false;
        }
        throw e;
      }
    }

    void stop() {
      renewal.cancel(false);
    }
  }

  /** Claims the row for a new holder; waits while another holder's lease is live. */
  private Holding acquire(String key) {
    String holder = UUID.randomUUID().toString();
    long deadline = ticker.read() + maxWait.toNanos();
    while (true) {
      Instant now = clock.instant();
      TableEntity claim =
          new TableEntity(PARTITION, key)
              .addProperty(HOLDER, holder)
              .addProperty(
                  EXPIRES_AT, OffsetDateTime.ofInstant(now.plus(duration), ZoneOffset.UTC));
      try {
        TableEntity held = read(key);
        if (held == null) {
          table.createEntity(claim);
          return new Holding(key, holder);
        }
        if (!expiresAt(held).isAfter(now)) {
          // The holder's lease lapsed (it died mid-write): take the row over, unless someone else
          // just did.
          claim.addProperty(ETAG_PROPERTY, held.getProperty(ETAG_PROPERTY));
          table.updateEntityWithResponse(
              claim, TableEntityUpdateMode.REPLACE, true, null, Context.NONE);
          return new Holding(key, holder);
        }
      } catch (TableServiceException e) {
        if (UpstreamFailure.of(e) != UpstreamFailure.CONFLICT) {
          throw upstream("could not claim lease " + key, e);
        }
        // Another instance claimed it between our read and our write: wait like any other waiter.
      } catch (RuntimeException e) {
        throw upstream("could not claim lease " + key, e);
      }
      if (ticker.read() - deadline >= 0) {
        throw UpstreamException.retryLater(
            UPSTREAM,
            "Another instance held the lease on "
                + key
                + " for longer than "
                + maxWait
                + "; try again",
            duration);
      }
      pause();
    }
  }

  /**
   * Deletes the row if it is still ours (same holder, and unchanged since we read it, by its ETag);
   * a lapsed lease someone took over is theirs to delete. Never throws: the work is done, and a row
   * left behind lapses by itself.
   */
  private void release(String key, String holder) {
    try {
      TableEntity held = read(key);
      if (held == null || !holder.equals(held.getProperty(HOLDER))) {
        return;
      }
      table.deleteEntityWithResponse(held, true, null, Context.NONE);
    } catch (TableServiceException e) {
      if (UpstreamFailure.of(e) != UpstreamFailure.NOT_FOUND
          && UpstreamFailure.of(e) != UpstreamFailure.CONFLICT) {
        LOG.warning(
            () ->
                "Table storage could not release lease "
                    + key
                    + " (it lapses within "
                    + duration
                    + "): "
                    + upstream("", e).getMessage());
      }
    } catch (RuntimeException e) {
      LOG.warning(
          () ->
              "Table storage could not release lease "
                  + key
                  + " (it lapses within "
                  + duration
                  + "): "
                  + e.getClass().getSimpleName());
    }
  }

  private TableEntity read(String key) {
    try {
      return table.getEntity(PARTITION, key);
    } catch (TableServiceException e) {
      if (UpstreamFailure.of(e) == UpstreamFailure.NOT_FOUND) {
        return null;
      }
      throw e;
    }
  }

  private static Instant expiresAt(TableEntity held) {
    Object value = held.getProperty(EXPIRES_AT);
    if (value instanceof OffsetDateTime time) {
      return time.toInstant();
    }
    return Instant.MIN; // unreadable: treat as lapsed rather than lock everyone out
  }

  private void pause() {
    sleeper.await(pollInterval, UPSTREAM, "for a lease");
  }

  private static String checkedKey(String key) {
    if (key == null
        || key.isEmpty()
        || key.length() > 512
        || key.chars().anyMatch(c -> c < 0x20 || "/\\#?".indexOf(c) >= 0)) {
      throw new IllegalArgumentException("not a usable lease key: '" + key + "'");
    }
    return key;
  }

  private static Duration requirePositive(Duration value, String name) {
    Objects.requireNonNull(value, "'" + name + "' cannot be null.");
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException("'" + name + "' must be positive.");
    }
    return value;
  }

  private static UpstreamException upstream(String what, RuntimeException e) {
    return UpstreamException.ofAzure(UPSTREAM, "Table storage " + what, e);
  }
}
