package com.socactions.localhost;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.HttpStatusType;
import java.net.URI;
import java.util.Collections;
import java.util.Map;

/**
 * The request handed to an HTTP function. Headers have lower-case names with repeated values joined
 * by {@code ", "}; query parameters are decoded and the first value of a repeated name wins; both
 * maps are read-only. The body was already bound to the declared type (see {@link BodyType}).
 */
final class LocalHttpRequest<T> implements HttpRequestMessage<T> {
  private final URI uri;
  private final HttpMethod method;
  private final Map<String, String> headers;
  private final Map<String, String> queryParameters;
  private final T body;

  LocalHttpRequest(
      URI uri,
      HttpMethod method,
      Map<String, String> headers,
      Map<String, String> queryParameters,
      T body) {
    this.uri = uri;
    this.method = method;
    this.headers = Collections.unmodifiableMap(headers);
    this.queryParameters = Collections.unmodifiableMap(queryParameters);
    this.body = body;
  }

  @Override
  public URI getUri() {
    return uri;
  }

  @Override
  public HttpMethod getHttpMethod() {
    return method;
  }

  @Override
  public Map<String, String> getHeaders() {
    return headers;
  }

  @Override
  public Map<String, String> getQueryParameters() {
    return queryParameters;
  }

  @Override
  public T getBody() {
    return body;
  }

  @Override
  public HttpResponseMessage.Builder createResponseBuilder(HttpStatus status) {
    return new LocalResponseBuilder(status);
  }

  @Override
  public HttpResponseMessage.Builder createResponseBuilder(HttpStatusType status) {
    return new LocalResponseBuilder(status);
  }
}
