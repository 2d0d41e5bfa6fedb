package com.socactions.platform;

import com.azure.data.tables.TableClient;
import com.google.common.base.Suppliers;
import java.time.Clock;
import java.util.Objects;
import java.util.function.Supplier;
import okhttp3.HttpUrl;

/**
 * Makes the {@link SharedBudget}s of the upstreams: in the table {@value #TABLE} of the app's state
 * storage (one row per budget, shared by every instance), or in this process's memory ({@link
 * #local}: tests, and code paths built without storage). Built once per worker; opens the table on
 * the first booking, not before.
 */
public final class UpstreamBudgets {
  /** One row per budget, partition {@code budget}, row key the budget's key. */
  public static final String TABLE = "UpstreamBudgets";

  private final BudgetStore store;
  private final BudgetStore memory;
  private final Clock clock;
  private final Sleeper sleeper;

  private UpstreamBudgets(BudgetStore store, BudgetStore memory, Clock clock, Sleeper sleeper) {
    this.store = store;
    this.memory = memory;
    this.clock = Objects.requireNonNull(clock, "'clock' cannot be null.");
    this.sleeper = Objects.requireNonNull(sleeper, "'sleeper' cannot be null.");
  }

  /** Budgets in {@value #TABLE} of {@code storage}, created on first use. */
  public UpstreamBudgets(Supplier<TableStorage> storage, Clock clock, Sleeper sleeper) {
    this(new BudgetStore.Table(tableOf(storage)), new BudgetStore.Memory(), clock, sleeper);
  }

  /** Budgets in {@code table} (tests: a table client that counts its requests). */
  public static UpstreamBudgets in(TableClient table, Clock clock, Sleeper sleeper) {
    Objects.requireNonNull(table, "'table' cannot be null.");
    return new UpstreamBudgets(
        new BudgetStore.Table(() -> table), new BudgetStore.Memory(), clock, sleeper);
  }

  /** Budgets of this process alone: each instance keeps the whole limit to itself. */
  public static UpstreamBudgets local(Clock clock, Sleeper sleeper) {
    BudgetStore memory = new BudgetStore.Memory();
    return new UpstreamBudgets(memory, memory, clock, sleeper);
  }

  private static Supplier<TableClient> tableOf(Supplier<TableStorage> storage) {
    Objects.requireNonNull(storage, "'storage' cannot be null.");
    // Memoized only once it succeeds: a storage failure is tried again by the next booking.
    return Suppliers.memoize(() -> storage.get().table(TABLE));
  }

  /**
   * The budget of one operation of one upstream. Budgets with the same key share one row (and, when
   * local, one memory): make one per operation and keep it.
   *
   * @param key the row key, e.g. {@code defender-import}: letters, digits, {@code -.:_}
   * @param upstream the upstream's name, for messages ({@code Defender for Endpoint})
   * @param operation what is counted, for messages ({@code import calls})
   * @throws IllegalArgumentException for a key Table Storage would not take
   */
  public SharedBudget budget(
      String key, String upstream, String operation, SharedBudget.Limits limits) {
    String checked = checkedKey(key);
    if (store instanceof BudgetStore.Table table) {
      table.describe(checked, limits.describe(operation));
    }
    return new SharedBudget(checked, upstream, operation, limits, store, memory, clock, sleeper);
  }

  /**
   * How an upstream's base URL names its budgets: the host, and the port when it is not the
   * scheme's ({@code api.securitycenter.microsoft.com}, {@code 127.0.0.1:40125}).
   */
  public static String endpointKey(HttpUrl base) {
    return base.port() == HttpUrl.defaultPort(base.scheme())
        ? base.host()
        : base.host() + ":" + base.port();
  }

  private static String checkedKey(String key) {
    if (key == null
        || key.isEmpty()
        || key.length() > 512
        || !key.chars().allMatch(c -> Character.isLetterOrDigit(c) || "-.:_".indexOf(c) >= 0)) {
      throw new IllegalArgumentException("not a usable budget key: '" + key + "'");
    }
    return key;
  }
}
