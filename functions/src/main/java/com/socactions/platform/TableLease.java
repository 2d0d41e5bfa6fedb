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
import java.util.function.Supplier;

/**
 * A mutual-exclusion lease across instances of the app: one row per key in a table, claimed with an
 * insert (or, once the holder's lease has lapsed, an ETag-guarded replace), and deleted
 * (ETag-guarded, and only while it still names this holder) when the work is done. Table Storage
 * answers a second insert with 409 and a stale ETag with 412, so of two instances racing for one
 * row exactly one wins.
 *
 * <p>Why leases expire: an instance that dies holding one (scale-in, a crash mid-write) must not
 * block every other instance for ever. The price is that work running longer than the lease's
 * duration is no longer exclusive, so keep the duration well above the work's longest run. Expiry
 * is judged on the {@link Clock}s of the instances, which Azure keeps in sync to well under a
 * second.
 *
 * <p>Failures: {@link #run} throws {@link UpstreamException} (retryable, with a {@code
 * Retry-After}) when the lease is still held by another instance after the longest wait, or when
 * Table Storage fails. What the work throws passes through unchanged, after the lease is released
 * (a release that fails is logged, not thrown: the row lapses by itself).
 */
public final class TableLease {
  /** A holder that died keeps others out this long at most. */
  public static final Duration DEFAULT_DURATION = Duration.ofSeconds(60);

  /** How long {@link #run} waits for another holder before giving up. */
  public static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(30);

  /** How often a waiter looks at the row again. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(250);

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
  }

  /**
   * Runs {@code work} holding the lease on {@code key}, waiting up to the longest wait for it.
   *
   * @param key a row key: no {@code /}, {@code \}, {@code #}, {@code ?} or control characters
   * @throws UpstreamException when the lease stays taken past the wait, or storage fails
   * @throws IllegalArgumentException for a key Table Storage does not accept
   */
  public <T> T run(String key, Supplier<T> work) {
    String holder = UUID.randomUUID().toString();
    acquire(checkedKey(key), holder);
    try {
      return work.get();
    } finally {
      release(key, holder);
    }
  }

  /** Claims the row for {@code holder}; waits while another holder's lease is live. */
  private void acquire(String key, String holder) {
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
          return;
        }
        if (!expiresAt(held).isAfter(now)) {
          // The holder's lease lapsed (it died mid-write): take the row over, unless someone else
          // just did.
          claim.addProperty(ETAG_PROPERTY, held.getProperty(ETAG_PROPERTY));
          table.updateEntityWithResponse(
              claim, TableEntityUpdateMode.REPLACE, true, null, Context.NONE);
          return;
        }
      } catch (TableServiceException e) {
        if (status(e) != 409 && status(e) != 412) {
          throw upstream("could not claim lease " + key, e);
        }
        // Another instance claimed it between our read and our write: wait like any other waiter.
      } catch (RuntimeException e) {
        throw upstream("could not claim lease " + key, e);
      }
      if (ticker.read() - deadline >= 0) {
        throw new UpstreamException(
            UPSTREAM,
            503,
            "Another instance held the lease on "
                + key
                + " for longer than "
                + maxWait
                + "; try again",
            null,
            duration,
            null);
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
      if (status(e) != 404 && status(e) != 412) {
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
      if (status(e) == 404) {
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
    try {
      sleeper.sleep(pollInterval);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UpstreamException(UPSTREAM, "interrupted while waiting for a lease", e);
    }
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

  private static int status(TableServiceException e) {
    return e.getResponse() == null ? 0 : e.getResponse().getStatusCode();
  }

  private static UpstreamException upstream(String what, RuntimeException e) {
    String detail =
        e.getMessage() == null
            ? e.getClass().getSimpleName()
            : e.getMessage().lines().findFirst().orElse("");
    int status = e instanceof TableServiceException tse ? status(tse) : 0;
    return new UpstreamException(
        UPSTREAM, status, "Table storage " + what + ": " + detail, null, null, e);
  }
}
