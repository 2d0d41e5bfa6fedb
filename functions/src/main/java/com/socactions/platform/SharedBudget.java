package com.socactions.platform;

import com.socactions.platform.BudgetStore.Row;
import com.socactions.platform.BudgetStore.State;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * A {@link CallBudget} that every instance of the app books from, so that K instances together keep
 * to an upstream's published limits instead of K times them. Each budget (one operation of one
 * upstream: Defender's imports, Graph's Conditional Access calls, one RDAP server) is one row of
 * {@link UpstreamBudgets#TABLE}, read by its key and written back only if unchanged since read
 * (ETag); nothing scans.
 *
 * <h2>What a row holds, and why</h2>
 *
 * The start times ("turns") of the calls booked within the longest window, ascending, and a time
 * before which nothing may start (a 429's {@code Retry-After}). A new turn {@code s} is granted
 * when, for every window of {@code n} calls per {@code T}, the {@code n}-th latest turn lies at or
 * before {@code s - T - grace}: then no interval of length {@code T} holds more than {@code n}
 * calls that start within {@code grace} of their turn, whatever the windows' alignment at the
 * vendor (a sliding window, the strictest reading). Turns never go backwards, so the list stays
 * sorted and the check reads one element per window. A fixed-window counter or a token bucket would
 * be smaller but lets twice the limit through across a window's edge; a row of at most the largest
 * {@code n} longs (Defender's 1,500 an hour: 12 KB) is cheap for upstreams whose limits are counted
 * in tens a minute.
 *
 * <p>A caller that is more than half the grace late for its turn gives the turn up and books
 * another (the other half is for the call to reach the upstream), which is what makes the bound
 * hold. Instances judge turns on their own {@link Clock}s, which Azure keeps in sync to well under
 * the grace.
 *
 * <h2>Cost</h2>
 *
 * One booking is one conditional write (after the first, the process remembers the row it wrote and
 * its ETag; a 412 means another instance wrote, so it reads the row and tries again), however many
 * turns it books: a caller that knows it is about to make {@code k} calls books them with {@link
 * #reserve} in one write, and {@link Limits#prefetch} lets {@link #acquire} book a few turns that
 * are free right now for the calls that follow. So storage calls grow with calls per booking, never
 * with the number of instances or the rows of any table.
 *
 * <h2>Failures</h2>
 *
 * When the next free turn is further away than the caller may wait, {@link #acquire} throws an
 * {@link UpstreamException} of kind {@link UpstreamFailure#THROTTLED} whose {@code Retry-After} is
 * that turn. When Table Storage fails (not a conflict), the budget warns and books in this
 * process's memory for {@link #DEFAULT_STORAGE_COOLDOWN}: the per-instance limit of before, never
 * no limit and never a failed call; a 429 that comes then is still honoured through {@link
 * #throttled}.
 */
public final class SharedBudget implements CallBudget {
  /** How late after its turn a call may start. Turns are spaced by their window plus this. */
  public static final Duration DEFAULT_GRACE = Duration.ofMillis(250);

  /**
   * Conditional writes lost to other instances before one booking gives up ({@link
   * UpstreamFailure#UNAVAILABLE}).
   */
  public static final int DEFAULT_MAX_BOOKING_ATTEMPTS = 20;

  /** After a storage failure, bookings stay in this process's memory this long. */
  public static final Duration DEFAULT_STORAGE_COOLDOWN = Duration.ofSeconds(30);

  /** Turns given up for starting late, in a row, before {@link #acquire} gives up. */
  private static final int MAX_LATE_TURNS = 10;

  private static final RequestLog LOG = RequestLog.of(SharedBudget.class);

  /** At most {@code calls} calls in any {@code period}. */
  public record Window(int calls, Duration period) {
    public Window {
      if (calls < 1 || period == null || period.isNegative() || period.isZero()) {
        throw new IllegalArgumentException(
            "a window needs at least 1 call and a positive period, not " + calls + "/" + period);
      }
    }

    String describe(String noun) {
      String per =
          period.equals(Duration.ofSeconds(1))
              ? "a second"
              : period.equals(Duration.ofMinutes(1))
                  ? "a minute"
                  : period.equals(Duration.ofHours(1))
                      ? "an hour"
                      : "per " + period.toSeconds() + " s";
      return noun == null
          ? String.format("%,d %s", calls, per)
          : String.format("%,d %s %s", calls, noun, per);
    }
  }

  /**
   * The limits of one operation.
   *
   * @param windows every one of them holds
   * @param grace how late after its turn a call may start (see the class comment)
   * @param prefetch how many turns {@link #acquire} books at once when they are free right now
   */
  public record Limits(List<Window> windows, Duration grace, int prefetch) {
    public Limits {
      windows = List.copyOf(windows);
      if (windows.isEmpty()) {
        throw new IllegalArgumentException("a budget needs at least one window");
      }
      Objects.requireNonNull(grace, "'grace' cannot be null.");
      if (grace.isNegative() || grace.isZero() || prefetch < 1) {
        throw new IllegalArgumentException("'grace' must be positive and 'prefetch' at least 1");
      }
    }

    /** {@code calls} per {@code period}, the default grace, one turn per booking. */
    public static Limits of(int calls, Duration period) {
      return new Limits(List.of(new Window(calls, period)), DEFAULT_GRACE, 1);
    }

    /** These limits and also at most {@code calls} per {@code period}. */
    public Limits and(int calls, Duration period) {
      List<Window> more = new ArrayList<>(windows);
      more.add(new Window(calls, period));
      return new Limits(more, grace, prefetch);
    }

    public Limits prefetch(int turns) {
      return new Limits(windows, grace, turns);
    }

    public Limits grace(Duration value) {
      return new Limits(windows, value, prefetch);
    }

    /** {@code 100 list calls a minute and 1,500 an hour}, for {@code noun} "list calls". */
    public String describe(String noun) {
      List<String> parts = new ArrayList<>();
      for (int i = 0; i < windows.size(); i++) {
        parts.add(windows.get(i).describe(i == 0 ? noun : null));
      }
      return String.join(" and ", parts);
    }

    int mostCalls() {
      return windows.stream().mapToInt(Window::calls).max().orElseThrow();
    }

    long longestSpanMillis() {
      return windows.stream().mapToLong(w -> w.period().toMillis()).max().orElseThrow()
          + grace.toMillis();
    }
  }

  /** The turns one booking got, and the state to write. */
  record Plan(List<Long> turns, State next, long firstFree) {}

  private final String key;
  private final String upstream;
  private final String operation;
  private final Limits limits;
  private final BudgetStore store;
  private final BudgetStore fallback;
  private final Clock clock;
  private final Sleeper sleeper;
  private final Object booking = new Object();
  private final PriorityQueue<Long> held = new PriorityQueue<>(); // guarded by itself; turns repeat
  private Row known; // guarded by booking: the row as this process last wrote it
  private long fallbackUntil; // guarded by booking

  SharedBudget(
      String key,
      String upstream,
      String operation,
      Limits limits,
      BudgetStore store,
      BudgetStore fallback,
      Clock clock,
      Sleeper sleeper) {
    this.key = Objects.requireNonNull(key, "'key' cannot be null.");
    this.upstream = Objects.requireNonNull(upstream, "'upstream' cannot be null.");
    this.operation = Objects.requireNonNull(operation, "'operation' cannot be null.");
    this.limits = Objects.requireNonNull(limits, "'limits' cannot be null.");
    this.store = Objects.requireNonNull(store, "'store' cannot be null.");
    this.fallback = Objects.requireNonNull(fallback, "'fallback' cannot be null.");
    this.clock = Objects.requireNonNull(clock, "'clock' cannot be null.");
    this.sleeper = Objects.requireNonNull(sleeper, "'sleeper' cannot be null.");
  }

  public String key() {
    return key;
  }

  public Limits limits() {
    return limits;
  }

  @Override
  public void acquire(Duration maxWait) {
    long maxWaitMillis = Math.max(0, maxWait.toMillis());
    for (int late = 0; late < MAX_LATE_TURNS; late++) {
      long turn = nextTurn(maxWaitMillis);
      long wait = turn - clock.millis();
      if (wait > 0) {
        sleep(Duration.ofMillis(wait));
      }
      // Too late for this turn (a long pause): the bound only holds for calls that reach the
      // upstream within the grace of their turn, so give it up and book another. Half the grace
      // is this side's; the other half is for the call to get there.
      if (clock.millis() <= turn + limits.grace().toMillis() / 2) {
        return;
      }
    }
    throw exhausted(limits.grace().toMillis());
  }

  @Override
  public void reserve(int calls, Duration within) {
    if (calls < 1) {
      return;
    }
    try {
      synchronized (booking) {
        long now = clock.millis();
        int have;
        synchronized (held) {
          dropPast(now);
          have = held.size();
        }
        if (calls > have) {
          hold(book(calls - have, Math.max(0, within.toMillis()), false));
        }
      }
    } catch (UpstreamException e) {
      // Nothing free soon, or storage contention: acquire() books (or refuses) call by call.
      LOG.fine(() -> "Could not book " + calls + " " + operation + " at once: " + e.getMessage());
    }
  }

  @Override
  public void throttled(Duration wait) {
    long until = clock.millis() + Math.max(0, wait.toMillis());
    synchronized (held) {
      held.removeIf(turn -> turn < until);
    }
    synchronized (booking) {
      for (int attempt = 1; attempt <= DEFAULT_MAX_BOOKING_ATTEMPTS; attempt++) {
        BudgetStore in = storeNow();
        try {
          Row row = known != null && in == store ? known : in.read(key);
          if (row.state().notBefore() >= until) {
            return;
          }
          Row written = in.write(key, new State(row.state().slots(), until), row);
          if (written != null) {
            remember(in, written);
            return;
          }
          known = null;
        } catch (RuntimeException e) {
          storageFailed(e);
        }
      }
    }
  }

  /** The earliest turn this process holds, or a new booking's; refuses past {@code maxWait}. */
  private long nextTurn(long maxWaitMillis) {
    Long turn = takeHeld(maxWaitMillis);
    if (turn != null) {
      return turn;
    }
    synchronized (booking) {
      turn = takeHeld(maxWaitMillis); // another thread of this process may have booked meanwhile
      if (turn != null) {
        return turn;
      }
      List<Long> turns = book(limits.prefetch(), maxWaitMillis, true);
      hold(turns.subList(1, turns.size()));
      return turns.get(0);
    }
  }

  /**
   * A held turn within {@code maxWaitMillis}, or null when none is held; throws when every held
   * turn is further away (they stay held for callers that may wait longer).
   */
  private Long takeHeld(long maxWaitMillis) {
    long now = clock.millis();
    synchronized (held) {
      dropPast(now);
      Long first = held.peek();
      if (first == null) {
        return null;
      }
      if (first - now > maxWaitMillis) {
        throw exhausted(first - now);
      }
      return held.poll();
    }
  }

  /** Drops the held turns too late to use (see {@link #acquire}). */
  private void dropPast(long now) {
    long lateness = limits.grace().toMillis() / 2;
    held.removeIf(turn -> turn + lateness < now);
  }

  private void hold(List<Long> turns) {
    synchronized (held) {
      held.addAll(turns);
    }
  }

  /**
   * Books up to {@code wanted} turns: the first within {@code maxWaitMillis}, the others within it
   * too, or (for a prefetch) only while they are free right now. Caller holds {@link #booking}.
   *
   * @return at least one turn
   * @throws UpstreamException {@link UpstreamFailure#THROTTLED} when the first free turn is too far
   *     away; {@link UpstreamFailure#UNAVAILABLE} when other instances won every conditional write
   */
  private List<Long> book(int wanted, long maxWaitMillis, boolean prefetching) {
    for (int attempt = 1; attempt <= DEFAULT_MAX_BOOKING_ATTEMPTS; attempt++) {
      BudgetStore in = storeNow();
      Row row;
      try {
        row = known != null && in == store ? known : in.read(key);
      } catch (RuntimeException e) {
        storageFailed(e);
        continue;
      }
      long now = clock.millis();
      long horizon = now + maxWaitMillis;
      Plan plan =
          plan(
              row.state(),
              limits,
              now,
              wanted,
              horizon,
              prefetching ? now + limits.grace().toMillis() : horizon);
      if (plan.turns().isEmpty()) {
        // Other instances only ever add turns, so a remembered row that has no room is right.
        throw exhausted(plan.firstFree() - now);
      }
      Row written;
      try {
        written = in.write(key, plan.next(), row);
      } catch (RuntimeException e) {
        storageFailed(e);
        continue;
      }
      if (written != null) {
        remember(in, written);
        return plan.turns();
      }
      known = null; // another instance wrote first: read its row and plan again
    }
    throw UpstreamException.retryLater(
        upstream,
        "Could not book a call to "
            + upstream
            + ": other instances kept writing its budget first; try again",
        Duration.ofSeconds(1));
  }

  /**
   * The turns for {@code wanted} more calls after those {@code state} holds: the first no later
   * than {@code firstHorizon}, the others no later than {@code nextHorizon}; and the state that
   * records them, without turns too old to matter.
   */
  static Plan plan(
      State state, Limits limits, long now, int wanted, long firstHorizon, long nextHorizon) {
    long[] booked = state.slots();
    List<Long> all = new ArrayList<>(booked.length + wanted);
    for (long turn : booked) {
      all.add(turn);
    }
    long grace = limits.grace().toMillis();
    long floor = Math.max(now, state.notBefore());
    if (!all.isEmpty()) {
      floor = Math.max(floor, all.get(all.size() - 1));
    }
    List<Long> turns = new ArrayList<>();
    long firstFree = floor;
    for (int i = 0; i < wanted; i++) {
      long turn = floor;
      for (Window window : limits.windows()) {
        if (all.size() >= window.calls()) {
          turn =
              Math.max(
                  turn, all.get(all.size() - window.calls()) + window.period().toMillis() + grace);
        }
      }
      if (i == 0) {
        firstFree = turn;
      }
      if (turn > (i == 0 ? firstHorizon : nextHorizon)) {
        break;
      }
      all.add(turn);
      turns.add(turn);
      floor = turn;
    }
    long oldest = now - limits.longestSpanMillis();
    int from = Math.max(0, all.size() - limits.mostCalls());
    while (from < all.size() && all.get(from) <= oldest) {
      from++;
    }
    long[] kept = all.subList(from, all.size()).stream().mapToLong(Long::longValue).toArray();
    return new Plan(List.copyOf(turns), new State(kept, state.notBefore()), firstFree);
  }

  private BudgetStore storeNow() {
    return clock.millis() < fallbackUntil ? fallback : store;
  }

  private void remember(BudgetStore in, Row written) {
    known = in == store && written.etag() != null ? written : null;
  }

  private void storageFailed(RuntimeException e) {
    known = null;
    fallbackUntil = clock.millis() + DEFAULT_STORAGE_COOLDOWN.toMillis();
    LOG.warning(
        () ->
            "Table storage failed for the shared budget of "
                + upstream
                + " "
                + operation
                + " ("
                + e.getClass().getSimpleName()
                + "); booking in this instance only for "
                + DEFAULT_STORAGE_COOLDOWN.toSeconds()
                + " s");
  }

  private UpstreamException exhausted(long waitMillis) {
    Duration retryAfter = Duration.ofSeconds(Math.max(1, (waitMillis + 999) / 1000));
    return UpstreamException.throttled(
        upstream,
        upstream
            + " allows "
            + limits.describe(operation)
            + ", shared by every instance of the app, and they are used up for now: the next"
            + " is free in "
            + retryAfter.toSeconds()
            + " s",
        retryAfter);
  }

  private void sleep(Duration wait) {
    sleeper.await(wait, upstream, "for a turn to call");
  }

  @Override
  public String toString() {
    return key + " (" + limits.describe(operation) + ")";
  }

  /** For tests: the turns held in this process. */
  List<Long> heldTurns() {
    synchronized (held) {
      return held.stream().sorted().toList();
    }
  }
}
