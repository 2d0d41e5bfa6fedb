package com.socactions.platform;

import java.io.IOException;
import java.util.function.Supplier;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * One log line per exchange with an upstream, at FINE, under the request's prefix ({@link
 * RequestLog}): upstream, method, URL, status and the time the exchange took. Never a header (the
 * {@code Authorization}, an API key), never a body, never a query value (a key or a token may
 * travel as one, and queries can hold personal data): the URL is written with its query names only.
 */
final class UpstreamLog implements Interceptor {
  private static final RequestLog LOG = RequestLog.of(UpstreamClient.class);

  private final String upstream;

  UpstreamLog(String upstream) {
    this.upstream = upstream;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    long started = System.nanoTime();
    try {
      Response response = chain.proceed(request);
      log(
          request,
          () -> response.code() + " in " + (System.nanoTime() - started) / 1_000_000 + " ms");
      return response;
    } catch (IOException e) {
      log(request, () -> "no answer (" + e.getClass().getSimpleName() + ")");
      throw e;
    }
  }

  private void log(Request request, Supplier<String> outcome) {
    LOG.fine(
        () ->
            upstream
                + " "
                + request.method()
                + " "
                + redacted(request.url())
                + " -> "
                + outcome.get());
  }

  /**
   * The URL as it may be logged: no user or password, no fragment, and each query parameter's name
   * with its value replaced by {@code ***}.
   */
  static String redacted(HttpUrl url) {
    HttpUrl.Builder shown = url.newBuilder().username("").password("").fragment(null).query(null);
    for (int i = 0; i < url.querySize(); i++) {
      shown.addEncodedQueryParameter(url.queryParameterName(i), "***");
    }
    return shown.build().toString();
  }
}
