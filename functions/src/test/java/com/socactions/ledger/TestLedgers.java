package com.socactions.ledger;

import com.socactions.platform.Settings;
import com.socactions.platform.TableStorage;
import com.socactions.testing.Azurite;
import com.socactions.testing.TestKit;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;

/** Ledgers on Azurite for tests: each in tables of its own. */
public final class TestLedgers {
  private TestLedgers() {}

  /** A new, empty ledger; needs the {@link Azurite} extension. */
  public static BlockLedger fresh(Clock clock) {
    return fresh(clock, BlockLedger.Options.defaults());
  }

  public static BlockLedger fresh(Clock clock, BlockLedger.Options options) {
    return new BlockLedger(tables(storage()), clock, options);
  }

  /** The Azurite storage of the test run. */
  public static TableStorage storage() {
    return TestKit.storage(
        Settings.of(Map.of("STATE_STORAGE_CONNECTION", Azurite.connectionString())));
  }

  /** Tables of a new ledger, under a prefix of their own. */
  public static LedgerTables tables(TableStorage storage) {
    return LedgerTables.in(storage, prefix());
  }

  /** A fresh table prefix: letters and digits, unique in the run. */
  public static String prefix() {
    return "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
  }
}
