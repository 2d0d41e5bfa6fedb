package com.socactions.localhost;

import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Function-key checks: {@code ANONYMOUS} is open; {@code FUNCTION} and {@code ADMIN} need the
 * host's single key in the {@code x-functions-key} header or the {@code code} query parameter
 * (locally there are no separate master or per-function keys). Keys are compared in constant time.
 */
final class KeyAuthorization {
  /** The setting that fixes the key; unset means a random key per run. */
  static final String KEY_SETTING = "LOCAL_FUNCTION_KEY";

  private final byte[] key;

  KeyAuthorization(String key) {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("The function key must not be empty");
    }
    this.key = key.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * @param headerKey the {@code x-functions-key} header, or {@code null}
   * @param queryCode the {@code code} query parameter, or {@code null}
   */
  boolean permits(AuthorizationLevel level, String headerKey, String queryCode) {
    if (level == AuthorizationLevel.ANONYMOUS) {
      return true;
    }
    // The header wins when both are sent, as in the real host.
    String presented = headerKey != null ? headerKey : queryCode;
    return presented != null
        && MessageDigest.isEqual(key, presented.getBytes(StandardCharsets.UTF_8));
  }

  /** 32 random bytes, URL-safe base64 without padding, so it can go in a query string unescaped. */
  static String generateKey() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
