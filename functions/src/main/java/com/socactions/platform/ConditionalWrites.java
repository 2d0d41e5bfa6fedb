package com.socactions.platform;

import com.azure.core.http.rest.Response;
import com.azure.core.util.Context;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import com.azure.data.tables.models.TableServiceException;
import com.azure.data.tables.models.TableTransactionAction;
import com.azure.data.tables.models.TableTransactionActionType;
import com.azure.data.tables.models.TableTransactionFailedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * Conditional writes of rows in one Azure table, decided on what is stored: the one way state that
 * several runs and instances share is changed here (the ledger, and anything else that needs
 * optimistic concurrency on rows).
 *
 * <p>Each {@link Change} carries a guess of the stored row and a pure decision function. The
 * guesses are written first, one entity-group transaction per partition and {@value
 * #MAX_TRANSACTION_ACTIONS} rows (the service's limit), each action conditional: an insert where no
 * row is expected (409 when one exists), a replace {@code If-Match} the guessed ETag (412 when it
 * changed). A transaction is all or nothing, so when one of its rows lost a race nothing of it was
 * written: its rows are read again by key ({@link TableReads}, never a filter scan), decided again,
 * and sent in one more transaction; if that one fails too, they are written one by one, re-read and
 * re-decided after each lost race, up to {@link #MAX_WRITE_ATTEMPTS} times. A transaction never
 * decides a race, it only saves calls when there is none.
 *
 * <p>{@link #writeUnderLease}: rows the caller holds a lease on (a claim nobody else may take over
 * before it expires) are replaced without {@code If-Match}: transactions do not return the ETags of
 * the rows they wrote, and re-reading a batch to learn them would cost a read per row.
 *
 * <p>Failures: storage errors (after the storage client's own retries) throw {@link
 * UpstreamException} naming the upstream; a batch that fails part way leaves the rows written
 * before the failure written, each correct on its own.
 *
 * @param <T> the mutable working copy of a row
 */
public final class ConditionalWrites<T> {
  /** Entity-group transactions take at most this many actions (Azure Tables' limit). */
  public static final int MAX_TRANSACTION_ACTIONS = 100;

  /**
   * Reads and conditional writes of one row before giving up on a row others keep changing. Each
   * round of a race has one winner, so up to this many concurrent writers of one row all finish.
   */
  public static final int MAX_WRITE_ATTEMPTS = 25;

  /** First wait after a lost race; doubles per attempt, jittered, so racers spread out. */
  public static final Duration RACE_BACKOFF_BASE = Duration.ofMillis(5);

  /** Longest wait after a lost race. */
  public static final Duration RACE_BACKOFF_MAX = Duration.ofMillis(200);

  /** How a row maps to an entity and back; the entity's {@code odata.etag} is the row's ETag. */
  public interface Codec<T> {
    String partitionKey(T row);

    String rowKey(T row);

    String etag(T row);

    void setEtag(T row, String etag);

    TableEntity toEntity(T row);

    T fromEntity(TableEntity entity);

    /** A copy the decision may change without touching the original. */
    T copy(T row);
  }

  /**
   * One row to change. {@code decide} gets a copy of the row as stored (null when there is none)
   * and says what to write; {@code guess} is what the caller believes is stored: at its ETag when
   * {@code exists}, else no row yet.
   */
  public record Change<T, R>(
      T guess, boolean exists, Function<T, Decision<T, R>> decide, boolean fresh) {
    public Change(T guess, boolean exists, Function<T, Decision<T, R>> decide) {
      this(guess, exists, decide, false);
    }
  }

  /**
   * The row to write (null: nothing), and the caller's answer given the row as it is after (null
   * when there is no row).
   */
  public record Decision<T, R>(T write, Function<T, R> result) {}

  /** A row this call wrote: as it was decided on (null: new) and as written (with its ETag). */
  public record Written<T>(T before, T after) {}

  /** The answers in order, and every row written. */
  public record Outcome<T, R>(List<R> results, List<Written<T>> written) {}

  private final TableClient table;
  private final Codec<T> codec;
  private final String upstream;
  private final Sleeper sleeper;

  public ConditionalWrites(TableClient table, Codec<T> codec, String upstream, Sleeper sleeper) {
    this.table = Objects.requireNonNull(table, "'table' cannot be null.");
    this.codec = Objects.requireNonNull(codec, "'codec' cannot be null.");
    this.upstream = Objects.requireNonNull(upstream, "'upstream' cannot be null.");
    this.sleeper = Objects.requireNonNull(sleeper, "'sleeper' cannot be null.");
  }

  public TableClient table() {
    return table;
  }

  /** The rows at these keys, read by key; absent keys have no row. */
  public Map<TableReads.Key, T> read(List<TableReads.Key> keys) {
    Map<TableReads.Key, T> rows = new LinkedHashMap<>();
    TableReads.getAll(table, keys, upstream)
        .forEach((key, entity) -> rows.put(key, codec.fromEntity(entity)));
    return rows;
  }

  /** Writes every change, deciding on what is stored; see the class comment. */
  public <R> Outcome<T, R> write(List<Change<T, R>> requested) {
    List<Change<T, R>> changes = new ArrayList<>(requested);
    List<R> results = new ArrayList<>(Arrays.asList(newArray(changes.size())));
    List<Written<T>> written = new ArrayList<>();
    Map<String, List<Integer>> byPartition = new LinkedHashMap<>();
    Set<String> seen = new HashSet<>();
    List<Integer> oneByOne = new ArrayList<>();
    for (int i = 0; i < changes.size(); i++) {
      Change<T, R> change = changes.get(i);
      if (seen.add(key(change.guess()))) {
        byPartition
            .computeIfAbsent(codec.partitionKey(change.guess()), key -> new ArrayList<>())
            .add(i);
      } else {
        // A transaction may not touch a row twice; the second request decides on the first's write.
        oneByOne.add(i);
      }
    }
    for (List<Integer> partition : byPartition.values()) {
      for (int from = 0; from < partition.size(); from += MAX_TRANSACTION_ACTIONS) {
        List<Integer> chunk =
            partition.subList(from, Math.min(partition.size(), from + MAX_TRANSACTION_ACTIONS));
        if (!writeTogether(changes, chunk, results, written, false)) {
          refresh(changes, chunk);
          if (!writeTogether(changes, chunk, results, written, false)) {
            oneByOne.addAll(chunk);
          }
        }
      }
    }
    oneByOne.sort(Comparator.naturalOrder());
    for (int i : oneByOne) {
      results.set(i, writeOne(changes.get(i), written));
    }
    return new Outcome<>(results, written);
  }

  /**
   * Writes rows the caller holds a lease on, deciding on its guesses and replacing them without
   * {@code If-Match}: nobody else writes a leased row until the lease lapses, so the guess is what
   * is stored. The caller must be sure the lease still holds for the time the write takes;
   * otherwise use {@link #write}.
   */
  public <R> Outcome<T, R> writeUnderLease(List<Change<T, R>> requested) {
    List<Change<T, R>> changes = new ArrayList<>(requested);
    List<R> results = new ArrayList<>(Arrays.asList(newArray(changes.size())));
    List<Written<T>> written = new ArrayList<>();
    Map<String, List<Integer>> byPartition = new LinkedHashMap<>();
    Set<String> seen = new HashSet<>();
    List<Integer> fallback = new ArrayList<>();
    for (int i = 0; i < changes.size(); i++) {
      Change<T, R> change = changes.get(i);
      if (!change.exists() || !seen.add(key(change.guess()))) {
        fallback.add(i);
      } else {
        byPartition
            .computeIfAbsent(codec.partitionKey(change.guess()), key -> new ArrayList<>())
            .add(i);
      }
    }
    for (List<Integer> partition : byPartition.values()) {
      for (int from = 0; from < partition.size(); from += MAX_TRANSACTION_ACTIONS) {
        List<Integer> chunk =
            partition.subList(from, Math.min(partition.size(), from + MAX_TRANSACTION_ACTIONS));
        if (!writeTogether(changes, chunk, results, written, true)) {
          fallback.addAll(chunk);
        }
      }
    }
    fallback.sort(Comparator.naturalOrder());
    for (int i : fallback) {
      results.set(i, writeOne(changes.get(i), written));
    }
    return new Outcome<>(results, written);
  }

  private String key(T row) {
    return codec.partitionKey(row) + "\n" + codec.rowKey(row);
  }

  @SuppressWarnings("unchecked")
  private static <R> R[] newArray(int size) {
    return (R[]) new Object[size];
  }

  /** Makes the rows of {@code chunk} as stored now the guesses: one point read per row. */
  private <R> void refresh(List<Change<T, R>> changes, List<Integer> chunk) {
    List<TableReads.Key> keys =
        chunk.stream()
            .map(i -> changes.get(i).guess())
            .map(row -> new TableReads.Key(codec.partitionKey(row), codec.rowKey(row)))
            .toList();
    Map<TableReads.Key, T> stored = read(keys);
    for (int k = 0; k < chunk.size(); k++) {
      Change<T, R> change = changes.get(chunk.get(k));
      T row = stored.get(keys.get(k));
      changes.set(
          chunk.get(k),
          row == null
              ? new Change<>(change.guess(), false, change.decide(), true)
              : new Change<>(row, true, change.decide(), true));
    }
  }

  /**
   * One transaction for {@code chunk}, decided on the guesses; false when a race (or a no-op) needs
   * one by one.
   */
  private <R> boolean writeTogether(
      List<Change<T, R>> changes,
      List<Integer> chunk,
      List<R> results,
      List<Written<T>> written,
      boolean underLease) {
    List<TableTransactionAction> actions = new ArrayList<>();
    List<Decision<T, R>> decisions = new ArrayList<>();
    List<T> befores = new ArrayList<>();
    List<Integer> writing = new ArrayList<>();
    Map<Integer, R> decidedWithoutWrite = new LinkedHashMap<>();
    for (int i : chunk) {
      Change<T, R> change = changes.get(i);
      if (change.exists() && codec.etag(change.guess()) == null && !underLease) {
        return false;
      }
      T guess = change.exists() ? codec.copy(change.guess()) : null;
      Decision<T, R> decision = change.decide().apply(guess == null ? null : codec.copy(guess));
      if (decision.write() == null) {
        if (!change.fresh() && !underLease) {
          // Deciding "nothing to do" on a guess could be stale: let a fresh read decide.
          return false;
        }
        decidedWithoutWrite.put(i, decision.result().apply(guess));
        continue;
      }
      decisions.add(decision);
      befores.add(guess);
      writing.add(i);
      TableEntity entity = codec.toEntity(decision.write());
      if (guess == null) {
        actions.add(new TableTransactionAction(TableTransactionActionType.CREATE, entity));
      } else if (underLease) {
        actions.add(
            new TableTransactionAction(
                TableTransactionActionType.UPDATE_REPLACE, withEtag(entity, "*"), false));
      } else {
        actions.add(
            new TableTransactionAction(
                TableTransactionActionType.UPDATE_REPLACE,
                withEtag(entity, codec.etag(guess)),
                true));
      }
    }
    if (actions.isEmpty()) {
      decidedWithoutWrite.forEach(results::set);
      return true;
    }
    try {
      table.submitTransaction(actions);
    } catch (TableTransactionFailedException e) {
      // One action failed (409/412 when a row was raced; a real failure shows again one by one).
      return false;
    } catch (RuntimeException e) {
      throw TableReads.failure(upstream, "could not write " + actions.size() + " rows", e);
    }
    for (int n = 0; n < writing.size(); n++) {
      T row = decisions.get(n).write();
      // The SDK does not surface the per-row ETags of a changeset: the row is known, its ETag not.
      codec.setEtag(row, null);
      written.add(new Written<>(befores.get(n), row));
      results.set(writing.get(n), decisions.get(n).result().apply(row));
    }
    decidedWithoutWrite.forEach(results::set);
    return true;
  }

  private <R> R writeOne(Change<T, R> change, List<Written<T>> written) {
    String partitionKey = codec.partitionKey(change.guess());
    String rowKey = codec.rowKey(change.guess());
    TableReads.Key key = new TableReads.Key(partitionKey, rowKey);
    for (int attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
      TableEntity entity = TableReads.get(table, key, upstream);
      T current = entity == null ? null : codec.fromEntity(entity);
      Decision<T, R> decision = change.decide().apply(current == null ? null : codec.copy(current));
      T next = decision.write();
      if (next == null) {
        return decision.result().apply(current);
      }
      try {
        Response<Void> response =
            current == null
                ? table.createEntityWithResponse(codec.toEntity(next), null, Context.NONE)
                : table.updateEntityWithResponse(
                    withEtag(codec.toEntity(next), codec.etag(current)),
                    TableEntityUpdateMode.REPLACE,
                    true,
                    null,
                    Context.NONE);
        codec.setEtag(next, TableReads.etagOf(response.getHeaders()));
        written.add(new Written<>(current, next));
        return decision.result().apply(next);
      } catch (TableServiceException e) {
        if (!isRace(e) && UpstreamFailure.of(e) != UpstreamFailure.NOT_FOUND) {
          throw TableReads.failure(
              upstream, "could not write row " + partitionKey + "/" + rowKey, e);
        }
        // Another run created or changed the row (or deleted it) since we read it: decide again.
      } catch (RuntimeException e) {
        throw TableReads.failure(upstream, "could not write row " + partitionKey + "/" + rowKey, e);
      }
      backOff(attempt);
    }
    throw UpstreamException.retryLater(
        upstream,
        "Row "
            + partitionKey
            + "/"
            + rowKey
            + " kept changing under "
            + MAX_WRITE_ATTEMPTS
            + " attempts to write it; try again",
        Duration.ofSeconds(1));
  }

  /**
   * Waits a jittered, doubling while after a lost race, so that many racers do not collide again at
   * once.
   */
  private void backOff(int attempt) {
    long ceiling =
        Math.min(
            RACE_BACKOFF_MAX.toNanos(), RACE_BACKOFF_BASE.toNanos() << Math.min(attempt - 1, 20));
    try {
      sleeper.sleep(Duration.ofNanos(ThreadLocalRandom.current().nextLong(ceiling + 1)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UpstreamException(upstream, "Writing " + upstream + " was interrupted", e);
    }
  }

  private static TableEntity withEtag(TableEntity entity, String etag) {
    entity.addProperty("odata.etag", etag);
    return entity;
  }

  private static boolean isRace(TableServiceException e) {
    return UpstreamFailure.of(e) == UpstreamFailure.CONFLICT;
  }
}
