package com.socactions.graph;

import com.azure.core.credential.AccessToken;
import com.socactions.platform.AzureCredentials;
import com.socactions.platform.UpstreamBudgets;
import com.socactions.testing.TestKit;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.HttpUrl;
import reactor.core.publisher.Mono;

/** One fake Graph, a manual ticker and a client on them, for the tests of this package. */
final class GraphTesting implements AutoCloseable {
  static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJncmFwaCJ9.c2lnbmF0dXJl";

  final FakeGraph graph;
  final ManualTicker ticker = new ManualTicker();
  final List<String> scopes = new CopyOnWriteArrayList<>();
  final GraphClient client;

  GraphTesting() throws Exception {
    this(TOKEN);
  }

  /** The client presents {@code token}; the fake accepts only {@link #TOKEN}. */
  GraphTesting(String token) throws Exception {
    graph = FakeGraph.start(TOKEN).seedRecorded();
    graph.stampWith(ticker::read);
    AzureCredentials credentials =
        AzureCredentials.of(
            request -> {
              scopes.addAll(request.getScopes());
              return Mono.just(new AccessToken(token, OffsetDateTime.now().plusHours(1)));
            });
    client =
        // Paced turns are judged on the clock: it moves with every sleep.
        GraphClient.create(
            TestKit.kit(ticker.clock(), ticker),
            HttpUrl.get(graph.baseUrl()),
            credentials,
            UpstreamBudgets.local(ticker.clock(), ticker));
  }

  /** {@code n} users {@code 00000000-0000-0000-0000-<n>} with UPNs {@code user<n>@contoso.com}. */
  List<String> addUsers(int n) {
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      String id = String.format("00000000-0000-0000-0000-%012d", i);
      graph.addUser(id, "user" + i + "@contoso.com");
      ids.add(id);
    }
    return ids;
  }

  @Override
  public void close() {
    graph.close();
  }
}
