package com.socactions.platform;

import com.azure.core.http.rest.Response;
import com.azure.core.util.Context;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import com.azure.data.tables.models.TableServiceException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Where a {@link SharedBudget} keeps its row: read by key, written only if unchanged since read.
 * Two kinds: {@link Table} (shared by every instance; Table Storage answers a second create of one
 * row with 409 and a stale ETag with 412, so of two racing writers exactly one wins) and {@link
 * Memory} (this process only: tests, and the fallback while storage fails).
 */
interface BudgetStore {
  /**
   * What a budget row holds: the start of every call booked within the longest window, ascending,
   * and the time before which no call may start (set by a 429), both in epoch milliseconds.
   */
  record State(long[] slots, long notBefore) {
    static final State EMPTY = new State(new long[0], 0);
  }

  /**
   * A row as read or written.
   *
   * @param etag the version a conditional write must match; null when the row does not exist
   */
  record Row(State state, String etag) {
    static final Row MISSING = new Row(State.EMPTY, null);
  }

  /** The row, or {@link Row#MISSING}. Throws for a storage failure (not for a missing row). */
  Row read(String key);

  /**
   * Writes {@code state} if the row is still {@code previous} (absent when its etag is null).
   *
   * @return the row now stored (its etag null when the store did not say it: read before the next
   *     write), or null when another writer got there first
   */
  Row write(String key, State state, Row previous);

  /** The budget table in Table Storage: partition {@value #PARTITION}, one row per budget. */
  final class Table implements BudgetStore {
    static final String PARTITION = "budget";
    static final String SLOTS = "slots";
    static final String NOT_BEFORE = "not_before";
    static final String LIMITS = "limits";
    private static final String ETAG_PROPERTY = "odata.etag";

    private final Supplier<TableClient> table;
    private final Map<String, String> limitsByKey = new ConcurrentHashMap<>();

    Table(Supplier<TableClient> table) {
      this.table = table;
    }

    /** What a row's {@value #LIMITS} column says, for a person reading the table. */
    void describe(String key, String limits) {
      limitsByKey.put(key, limits);
    }

    @Override
    public Row read(String key) {
      TableEntity entity;
      try {
        entity = table.get().getEntity(PARTITION, key);
      } catch (TableServiceException e) {
        if (UpstreamFailure.of(e) == UpstreamFailure.NOT_FOUND) {
          return Row.MISSING;
        }
        throw e;
      }
      Object slots = entity.getProperty(SLOTS);
      Object notBefore = entity.getProperty(NOT_BEFORE);
      return new Row(
          new State(
              slots instanceof byte[] bytes ? decode(bytes) : new long[0],
              notBefore instanceof Long time ? time : 0),
          (String) entity.getProperty(ETAG_PROPERTY));
    }

    @Override
    public Row write(String key, State state, Row previous) {
      TableEntity entity =
          new TableEntity(PARTITION, key)
              .addProperty(SLOTS, encode(state.slots()))
              .addProperty(NOT_BEFORE, state.notBefore())
              .addProperty(LIMITS, limitsByKey.getOrDefault(key, ""));
      try {
        Response<Void> response;
        if (previous.etag() == null) {
          response = table.get().createEntityWithResponse(entity, null, Context.NONE);
        } else {
          entity.addProperty(ETAG_PROPERTY, previous.etag());
          response =
              table
                  .get()
                  .updateEntityWithResponse(
                      entity, TableEntityUpdateMode.REPLACE, true, null, Context.NONE);
        }
        // Without the new ETag the next booking reads the row first: correct, one call dearer.
        return new Row(state, TableReads.etagOf(response.getHeaders()));
      } catch (TableServiceException e) {
        UpstreamFailure failure = UpstreamFailure.of(e);
        if (failure == UpstreamFailure.CONFLICT || failure == UpstreamFailure.NOT_FOUND) {
          return null;
        }
        throw e;
      }
    }

    static byte[] encode(long[] slots) {
      ByteBuffer buffer = ByteBuffer.allocate(slots.length * Long.BYTES);
      for (long slot : slots) {
        buffer.putLong(slot);
      }
      return buffer.array();
    }

    static long[] decode(byte[] bytes) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      long[] slots = new long[bytes.length / Long.BYTES];
      for (int i = 0; i < slots.length; i++) {
        slots[i] = buffer.getLong();
      }
      return slots;
    }
  }

  /** Rows in this process's memory, versioned like the table's. */
  final class Memory implements BudgetStore {
    private final Map<String, Row> rows = new ConcurrentHashMap<>();
    private final AtomicLong versions = new AtomicLong();

    @Override
    public Row read(String key) {
      return rows.getOrDefault(key, Row.MISSING);
    }

    @Override
    public Row write(String key, State state, Row previous) {
      Row next = new Row(state, Long.toString(versions.incrementAndGet()));
      Row[] written = new Row[1];
      rows.compute(
          key,
          (k, current) -> {
            String currentEtag = current == null ? null : current.etag();
            if (Objects.equals(currentEtag, previous.etag())) {
              written[0] = next;
              return next;
            }
            return current;
          });
      return written[0];
    }
  }
}
