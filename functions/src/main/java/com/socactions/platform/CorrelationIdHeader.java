package com.socactions.platform;

import java.io.IOException;
import java.util.Optional;
import java.util.UUID;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Sends the correlation id of the request being served ({@link RequestLogContext}) to the upstream
 * in its own header, so one id finds a call in our logs and in the vendor's. Microsoft's APIs
 * document their header ({@code client-request-id}, {@code x-ms-client-request-id}) as a GUID: for
 * them an id that is not one is left out rather than sent malformed. Nothing is sent outside a
 * request (timers, queue work).
 */
final class CorrelationIdHeader implements Interceptor {
  private final String header;
  private final boolean guidOnly;

  CorrelationIdHeader(String header, boolean guidOnly) {
    this.header = header;
    this.guidOnly = guidOnly;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    Optional<String> id = RequestLogContext.correlationId().filter(this::sendable);
    if (id.isEmpty() || request.header(header) != null) {
      return chain.proceed(request);
    }
    return chain.proceed(request.newBuilder().header(header, id.get()).build());
  }

  private boolean sendable(String id) {
    if (!guidOnly) {
      return true;
    }
    try {
      return UUID.fromString(id).toString().equalsIgnoreCase(id);
    } catch (IllegalArgumentException notGuid) {
      return false;
    }
  }
}
