package com.socactions.testing;

import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.okhttp.OkHttpAsyncHttpClientBuilder;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableClientBuilder;
import com.azure.data.tables.TableServiceClientBuilder;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import reactor.core.publisher.Mono;

/**
 * A fresh table on the running {@link Azurite} and a client of it that records every request it
 * sends, so a test can count storage calls and tell reads by key from queries (scans). Make one
 * client per simulated instance with {@link #client()}: they share the table and the record.
 */
public final class CountedTable {
  /** One request: its method and what it addressed. */
  public record Call(String method, Kind kind) {}

  /** What a request addressed. */
  public enum Kind {
    /** One entity by partition and row key. */
    ENTITY,
    /** A query over entities ({@code Table()}, with or without a filter): a scan. */
    QUERY,
    /** An entity-group transaction. */
    BATCH,
    /** The table itself (create, list tables). */
    TABLE
  }

  private final String name;
  private final List<Call> calls = new CopyOnWriteArrayList<>();

  private CountedTable(String name) {
    this.name = name;
  }

  /** A new, empty table named after {@code prefix}. */
  public static CountedTable create(String prefix) {
    String name = prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    new TableServiceClientBuilder()
        .connectionString(Azurite.connectionString())
        .httpClient(new OkHttpAsyncHttpClientBuilder().build())
        .buildClient()
        .createTableIfNotExists(name);
    return new CountedTable(name);
  }

  /** A client of its own (as one app instance has), recording into this table's record. */
  public TableClient client() {
    return new TableClientBuilder()
        .connectionString(Azurite.connectionString())
        .tableName(name)
        .httpClient(new OkHttpAsyncHttpClientBuilder().build())
        .addPolicy(new Recording())
        .buildClient();
  }

  public String name() {
    return name;
  }

  /** Every request sent so far, by every client of this table, in order. */
  public List<Call> calls() {
    return List.copyOf(calls);
  }

  public long count(Kind kind) {
    return calls.stream().filter(call -> call.kind() == kind).count();
  }

  public void reset() {
    calls.clear();
  }

  private final class Recording implements HttpPipelinePolicy {
    @Override
    public Mono<HttpResponse> process(
        HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
      String path = context.getHttpRequest().getUrl().getPath();
      String method = context.getHttpRequest().getHttpMethod().name();
      Kind kind;
      if (path.endsWith("$batch")) {
        kind = Kind.BATCH;
      } else if (path.endsWith("()")) {
        kind = Kind.QUERY;
      } else if (path.contains("(")) {
        kind = Kind.ENTITY;
      } else if (path.endsWith("/" + name)) {
        kind = method.equals("POST") ? Kind.ENTITY : Kind.QUERY; // POST is an insert
      } else {
        kind = Kind.TABLE;
      }
      calls.add(new Call(method, kind));
      return next.process();
    }
  }
}
