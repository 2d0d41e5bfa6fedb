package com.socactions.testing;

import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.socactions.platform.Settings;
import com.socactions.platform.TableStorage;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import reactor.core.publisher.Mono;

/**
 * Counts the calls a table client makes, by table: a pipeline policy on the storage client, so
 * tests and benchmarks can show what an operation costs in storage calls (the one measure that does
 * not depend on the machine).
 */
public final class StorageCalls implements HttpPipelinePolicy {
  /** One call: its method and the table (or {@code $batch}) it went to. */
  public record Call(String method, String table, String query) {}

  private final List<Call> calls = new CopyOnWriteArrayList<>();

  /** A storage on the running Azurite whose data calls this counts. */
  public TableStorage storage() {
    return storage(Azurite.connectionString());
  }

  /** A storage on {@code connectionString} whose data calls this counts. */
  public TableStorage storage(String connectionString) {
    Settings settings = Settings.of(Map.of("STATE_STORAGE_CONNECTION", connectionString));
    return new TableStorage(settings, TestKit.credentials(settings), TestKit.kit(), List.of(this));
  }

  @Override
  public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
    String path = context.getHttpRequest().getUrl().getPath();
    String last = path.substring(path.lastIndexOf('/') + 1);
    int paren = last.indexOf('(');
    String table = paren >= 0 ? last.substring(0, paren) : last;
    String query = context.getHttpRequest().getUrl().getQuery();
    calls.add(
        new Call(
            context.getHttpRequest().getHttpMethod().name(),
            URLDecoder.decode(table, StandardCharsets.UTF_8),
            query == null ? "" : URLDecoder.decode(query, StandardCharsets.UTF_8)));
    return next.process();
  }

  public List<Call> calls() {
    return List.copyOf(calls);
  }

  /** Calls to tables whose name starts with {@code prefix}. */
  public long to(String prefix) {
    return calls.stream().filter(call -> call.table().startsWith(prefix)).count();
  }

  public int count() {
    return calls.size();
  }

  public void clear() {
    calls.clear();
  }
}
