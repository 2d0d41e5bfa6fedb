package com.socactions.blocking;

import com.socactions.platform.Settings;
import com.socactions.platform.TableStorage;
import com.socactions.testing.Azurite;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ledgers on Azurite for tests of other packages: each in a table of its own, allow list never
 * cached.
 */
public final class TestLedgers {
  private static final AtomicInteger TABLES = new AtomicInteger();

  private TestLedgers() {}

  /** A new, empty ledger; needs the {@link Azurite} extension. */
  public static BlockLedger fresh(Clock clock) {
    TableStorage storage =
        new TableStorage(
            Settings.of(Map.of("STATE_STORAGE_CONNECTION", Azurite.connectionString())));
    return new BlockLedger(
        storage.table("testledger" + TABLES.incrementAndGet() + System.nanoTime() % 100_000),
        clock,
        BlockLedger.DEFAULT_CLAIM_TIMEOUT,
        Duration.ZERO);
  }
}
