package com.socactions.tickets;

import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.okhttp.OkHttpAsyncHttpClientBuilder;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableClientBuilder;
import com.socactions.platform.Settings;
import com.socactions.platform.TableStorage;
import com.socactions.testing.Azurite;
import com.socactions.testing.TestKit;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Mono;

/** Counts every request a table client sends: how tests pin down the storage cost of a call. */
record CountingPolicy(AtomicInteger calls) implements HttpPipelinePolicy {
  @Override
  public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
    calls.incrementAndGet();
    return next.process();
  }

  /**
   * A client of table {@code name} in Azurite that counts its requests into {@code calls}; the
   * table is made first, by {@link TableStorage} (whose own requests are not counted).
   */
  static TableClient countedTable(String name, AtomicInteger calls) {
    TestKit.storage(
            Settings.of(Map.of(TableStorage.CONNECTION_SETTING, Azurite.connectionString())))
        .table(name);
    return new TableClientBuilder()
        .connectionString(Azurite.connectionString())
        .tableName(name)
        .httpClient(new OkHttpAsyncHttpClientBuilder().build())
        .addPolicy(new CountingPolicy(calls))
        .buildClient();
  }
}
