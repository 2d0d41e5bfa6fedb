package com.socactions.platform;

import com.azure.core.exception.HttpResponseException;
import com.azure.core.util.Context;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableEntity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Point reads of many entities by key, a bounded number at a time: the one read whose cost does not
 * grow with the size of the table or partition. A filter of {@code RowKey eq 'a' or RowKey eq 'b'}
 * looks cheaper (one call for fourteen keys) but Azure Tables runs it as a scan of the whole
 * partition, so its cost grows with history; a point read costs the same at a thousand rows and at
 * a million.
 */
public final class TableReads {
  /**
   * Point reads in flight at once, per call of {@link #getAll}: well under a partition's 2,000/s.
   */
  public static final int DEFAULT_PARALLELISM = 16;

  private static final ExecutorService READERS =
      Executors.newCachedThreadPool(daemonThreads("table-reads"));

  private TableReads() {}

  /** A table key. */
  public record Key(String partitionKey, String rowKey) {
    public Key {
      Objects.requireNonNull(partitionKey, "'partitionKey' cannot be null.");
      Objects.requireNonNull(rowKey, "'rowKey' cannot be null.");
    }
  }

  /**
   * The entity at each key (absent from the map when there is none), {@link #DEFAULT_PARALLELISM}
   * point reads at a time. Keys read once each, whatever their repeats.
   *
   * @throws UpstreamException naming {@code upstream} when a read fails (other than 404)
   */
  public static Map<Key, TableEntity> getAll(TableClient table, List<Key> keys, String upstream) {
    List<Key> distinct = List.copyOf(new java.util.LinkedHashSet<>(keys));
    Map<Key, TableEntity> found = new LinkedHashMap<>();
    if (distinct.isEmpty()) {
      return found;
    }
    if (distinct.size() == 1) {
      TableEntity entity = get(table, distinct.get(0), upstream);
      if (entity != null) {
        found.put(distinct.get(0), entity);
      }
      return found;
    }
    List<CompletableFuture<TableEntity>> reads = new ArrayList<>(distinct.size());
    java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(DEFAULT_PARALLELISM);
    for (Key key : distinct) {
      slots.acquireUninterruptibly();
      reads.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return get(table, key, upstream);
                } finally {
                  slots.release();
                }
              },
              READERS));
    }
    for (int i = 0; i < distinct.size(); i++) {
      TableEntity entity;
      try {
        entity = reads.get(i).join();
      } catch (CompletionException e) {
        if (e.getCause() instanceof RuntimeException runtime) {
          throw runtime;
        }
        throw e;
      }
      if (entity != null) {
        found.put(distinct.get(i), entity);
      }
    }
    return found;
  }

  /** The entity at {@code key}, or null when there is none. */
  public static TableEntity get(TableClient table, Key key, String upstream) {
    try {
      return table
          .getEntityWithResponse(key.partitionKey(), key.rowKey(), null, null, Context.NONE)
          .getValue();
    } catch (HttpResponseException e) {
      if (UpstreamFailure.of(e) == UpstreamFailure.NOT_FOUND) {
        return null;
      }
      throw failure(upstream, "could not read " + key.partitionKey() + "/" + key.rowKey(), e);
    } catch (RuntimeException e) {
      throw failure(upstream, "could not read " + key.partitionKey() + "/" + key.rowKey(), e);
    }
  }

  /**
   * The ETag of a write as Table Storage sent it. azure-data-tables 12.5.9 hands back a write's
   * {@code ETag} header without its closing quote (the wire, and a read of the entity, have it),
   * and a conditional write with that value is refused with 400: the quote is put back here. Null
   * when there is none.
   */
  public static String etagOf(com.azure.core.http.HttpHeaders headers) {
    String etag =
        headers == null ? null : headers.getValue(com.azure.core.http.HttpHeaderName.ETAG);
    if (etag == null || !etag.startsWith("W/\"")) {
      return null;
    }
    return etag.endsWith("\"") && etag.length() > 3 ? etag : etag + "\"";
  }

  static UpstreamException failure(String upstream, String what, RuntimeException e) {
    return UpstreamException.ofAzure(upstream, upstream + " " + what, e);
  }

  static ThreadFactory daemonThreads(String name) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
