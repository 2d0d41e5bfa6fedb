package com.socactions.localhost;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The body types an {@code HttpRequestMessage<T>} parameter may declare, and how raw request bytes
 * are bound to each, the way the Functions host and the Java worker do it.
 *
 * <p>The host hands the Java worker the body as bytes only when the content type is {@code
 * application/octet-stream} or {@code multipart/*} (the Java worker does not ask for raw bytes);
 * any other body it decodes as text first: UTF-8, a byte order mark honoured and dropped, malformed
 * bytes replaced. The worker cannot turn text into {@code byte[]} nor bytes into a {@code String},
 * so such an invocation fails. Locally, {@code @HttpTrigger(dataType = "binary")} on a {@code
 * byte[]} body is the way to get the bytes exactly as sent, whatever the content type (what inbound
 * webhooks need to check a signature); a {@code String} body is decoded as above whatever the
 * {@code dataType}.
 *
 * <p>Anything else is rejected when the function is scanned, because silently guessing a conversion
 * would hide a mismatch that the real host would surface differently.
 */
public enum BodyType {
  /** {@code Optional<String>}: empty when the request has no body, else the decoded text. */
  OPTIONAL_STRING,
  /** {@code String}: the decoded text; the empty string when there is no body. */
  STRING,
  /** {@code Optional<byte[]>}: empty when the request has no body, else the raw bytes. */
  OPTIONAL_BYTES,
  /** {@code byte[]}: the raw bytes; an empty array when there is no body. */
  BYTES;

  private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  /**
   * Converts the raw request body (never {@code null}, possibly empty) into the declared type.
   *
   * @param contentType the request's {@code Content-Type}, or {@code null}
   * @param binary whether the trigger declares {@code dataType = "binary"}
   * @throws BodyBindingException when the worker could not bind this body to this type
   */
  Object bind(byte[] raw, String contentType, boolean binary) {
    boolean bytesFromHost = binary || isOctetOrMultipart(contentType);
    return switch (this) {
      case OPTIONAL_STRING ->
          raw.length == 0 ? Optional.empty() : Optional.of(text(raw, contentType));
      case STRING -> raw.length == 0 ? "" : text(raw, contentType);
      case OPTIONAL_BYTES ->
          raw.length == 0 ? Optional.empty() : Optional.of(bytes(raw, bytesFromHost));
      case BYTES -> raw.length == 0 ? raw : bytes(raw, bytesFromHost);
    };
  }

  private static byte[] bytes(byte[] raw, boolean bytesFromHost) {
    if (!bytesFromHost) {
      throw new BodyBindingException(
          "the host passes a body that is not application/octet-stream or multipart/* as text,"
              + " which the Java worker cannot bind to byte[]; declare @HttpTrigger(dataType ="
              + " \"binary\") to receive the bytes as sent");
    }
    return raw;
  }

  private static String text(byte[] raw, String contentType) {
    if (isOctetOrMultipart(contentType)) {
      throw new BodyBindingException(
          "the host passes an application/octet-stream or multipart/* body as bytes, which the"
              + " Java worker cannot bind to a String; declare a byte[] body with"
              + " @HttpTrigger(dataType = \"binary\")");
    }
    return decodeAsTheHostDoes(raw);
  }

  /**
   * What the host's {@code StreamReader} makes of a body: UTF-8 unless a byte order mark says
   * UTF-16, the mark dropped, malformed input replaced with U+FFFD. The charset parameter of the
   * content type is not consulted.
   */
  static String decodeAsTheHostDoes(byte[] raw) {
    if (startsWith(raw, UTF8_BOM)) {
      return new String(raw, 3, raw.length - 3, StandardCharsets.UTF_8);
    }
    if (raw.length >= 2 && (raw[0] & 0xFF) == 0xFF && (raw[1] & 0xFF) == 0xFE) {
      return new String(raw, 2, raw.length - 2, StandardCharsets.UTF_16LE);
    }
    if (raw.length >= 2 && (raw[0] & 0xFF) == 0xFE && (raw[1] & 0xFF) == 0xFF) {
      return new String(raw, 2, raw.length - 2, StandardCharsets.UTF_16BE);
    }
    return new String(raw, StandardCharsets.UTF_8);
  }

  private static boolean startsWith(byte[] raw, byte[] prefix) {
    return raw.length >= prefix.length
        && Arrays.equals(raw, 0, prefix.length, prefix, 0, prefix.length);
  }

  /** As the host's {@code IsMediaTypeOctetOrMultipart}: the media type, parameters ignored. */
  static boolean isOctetOrMultipart(String contentType) {
    if (contentType == null) {
      return false;
    }
    int semicolon = contentType.indexOf(';');
    String mediaType =
        (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
            .strip()
            .toLowerCase(Locale.ROOT);
    return mediaType.equals("application/octet-stream") || mediaType.startsWith("multipart/");
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

  /** The Java worker would fail to bind this body; the message says why and what to declare. */
  static final class BodyBindingException extends RuntimeException {
    BodyBindingException(String message) {
      super(message);
    }
  }
}
