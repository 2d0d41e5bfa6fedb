package com.socactions.localhost;

import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatusType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Builds the response of an HTTP function. Header names keep the case they were set with, but
 * setting a name again (in any case) replaces the earlier value; {@code getHeader} is
 * case-insensitive. Any body object is accepted here; whether it can be sent is decided when the
 * response is written.
 */
final class LocalResponseBuilder implements HttpResponseMessage.Builder {
  private HttpStatusType status;
  private final Map<String, String> headers = new LinkedHashMap<>();
  private Object body;

  LocalResponseBuilder(HttpStatusType status) {
    this.status = Objects.requireNonNull(status, "status");
  }

  @Override
  public HttpResponseMessage.Builder status(HttpStatusType status) {
    this.status = Objects.requireNonNull(status, "status");
    return this;
  }

  @Override
  public HttpResponseMessage.Builder header(String name, String value) {
    headers.keySet().removeIf(existing -> existing.equalsIgnoreCase(name));
    headers.put(name, value);
    return this;
  }

  @Override
  public HttpResponseMessage.Builder body(Object body) {
    this.body = body;
    return this;
  }

  @Override
  public HttpResponseMessage build() {
    return new LocalHttpResponse(
        status, Collections.unmodifiableMap(new LinkedHashMap<>(headers)), body);
  }

  /** The immutable response; {@link #headers()} exposes all headers for the writer. */
  record LocalHttpResponse(HttpStatusType status, Map<String, String> headers, Object body)
      implements HttpResponseMessage {

    @Override
    public HttpStatusType getStatus() {
      return status;
    }

    @Override
    public String getHeader(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(Map.Entry::getValue)
          .findFirst()
          .orElse(null);
    }

    @Override
    public Object getBody() {
      return body;
    }
  }
}
