package com.socactions.localhost;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The body types an {@code HttpRequestMessage<T>} parameter may declare, and how raw request bytes
 * are bound to each. Anything else is rejected when the function is scanned, because silently
 * guessing a conversion would hide a mismatch that the real host would surface differently.
 */
public enum BodyType {
  /**
   * {@code Optional<String>}: empty when the request has no body, else the body decoded as UTF-8.
   */
  OPTIONAL_STRING,
  /** {@code String}: the body decoded as UTF-8; the empty string when there is no body. */
  STRING,
  /** {@code Optional<byte[]>}: empty when the request has no body, else the raw bytes. */
  OPTIONAL_BYTES,
  /** {@code byte[]}: the raw bytes; an empty array when there is no body. */
  BYTES;

  /** Converts the raw request body (never {@code null}, possibly empty) into the declared type. */
  Object bind(byte[] raw) {
    return switch (this) {
      case OPTIONAL_STRING ->
          raw.length == 0 ? Optional.empty() : Optional.of(new String(raw, StandardCharsets.UTF_8));
      case STRING -> new String(raw, StandardCharsets.UTF_8);
      case OPTIONAL_BYTES -> raw.length == 0 ? Optional.empty() : Optional.of(raw);
      case BYTES -> raw;
    };
  }

  /**
   * Maps the declared type argument of {@code HttpRequestMessage<T>} to a body type.
   *
   * @return the body type, or {@code null} when {@code typeArgument} is not supported
   */
  static BodyType of(Type typeArgument) {
    if (typeArgument == String.class) {
      return STRING;
    }
    if (typeArgument == byte[].class) {
      return BYTES;
    }
    if (typeArgument instanceof ParameterizedType p && p.getRawType() == Optional.class) {
      Type inner = p.getActualTypeArguments()[0];
      if (inner == String.class) {
        return OPTIONAL_STRING;
      }
      if (inner == byte[].class) {
        return OPTIONAL_BYTES;
      }
    }
    return null;
  }
}
