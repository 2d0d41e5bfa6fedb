package com.socactions.platform;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import okhttp3.Credentials;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * A credential that is one fixed header on every request: HTTP basic auth ({@code Authorization:
 * Basic ...}) or an API key in the header its vendor names ({@code X-PAN-KEY}). In a header, never
 * in the URL, because URLs end up in proxy and web-server logs.
 */
final class CredentialHeader implements Interceptor {
  private final String name;
  private final String value;

  private CredentialHeader(String name, String value) {
    this.name = name;
    this.value = value;
  }

  static CredentialHeader basic(String user, String password) {
    return new CredentialHeader(
        "Authorization", Credentials.basic(user, password, StandardCharsets.UTF_8));
  }

  static CredentialHeader apiKey(String header, String key) {
    return new CredentialHeader(header, key);
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    return chain.proceed(chain.request().newBuilder().header(name, value).build());
  }

  /** Never the credential. */
  @Override
  public String toString() {
    return "CredentialHeader[" + name + "]";
  }
}
