package com.socactions.platform;

import java.io.IOException;
import java.time.Duration;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * {@code Authorization: Bearer <token>} for one Azure token scope ({@code <base url>/.default}),
 * from the process's {@link AzureCredentials}: the credential caches the token, and a fetch that
 * does not finish within {@code maxWait} fails the call with an {@link UpstreamException} of {@link
 * AzureCredentials#UPSTREAM} (which the upstream's policy neither retries nor counts: a failing
 * identity endpoint is not the upstream's fault).
 */
final class BearerToken implements Interceptor {
  private final AzureCredentials credentials;
  private final String scope;
  private final Duration maxWait;

  BearerToken(AzureCredentials credentials, String scope, Duration maxWait) {
    this.credentials = credentials;
    this.scope = scope;
    this.maxWait = maxWait;
  }

  String scope() {
    return scope;
  }

  /**
   * Fetches the token now (the credential keeps it), so that the next call does not wait for it.
   */
  void prepare(Duration wait) {
    credentials.token(scope, wait);
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    String token = credentials.token(scope, maxWait).getToken();
    return chain.proceed(
        chain.request().newBuilder().header("Authorization", "Bearer " + token).build());
  }
}
