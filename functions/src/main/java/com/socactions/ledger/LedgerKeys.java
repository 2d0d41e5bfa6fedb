package com.socactions.ledger;

import com.socactions.indicators.IndicatorType;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The table keys of the {@link BlockLedger}: partitions per provider and indicator type, each
 * spread over {@value #SHARDS} shards by a hash of the row key ({@code edl:ip:7}, {@code
 * defender:url:c}), so that no list or provider concentrates its writes on one partition (a
 * partition tops out near 2,000 entities a second) while the rows of one request still share a few
 * partitions and their entity-group transactions; one row per normalised value. Nothing reads a
 * whole partition: rows are read by key, lists from the ledger's indexes.
 *
 * <p>Table keys may not hold {@code /}, {@code \}, {@code #}, {@code ?} or control characters and
 * are limited to 1 KiB, while CIDRs and URLs hold them and URLs run to 2,048 characters. Row keys
 * are therefore escaped: letters, digits, {@code . - _ :} stay as they are (so addresses and
 * domains stay readable in Storage Explorer), every other UTF-8 byte becomes {@code ~XX} (upper
 * case hex; {@code ~} is unreserved in URLs, unlike {@code %}, which some table front ends decode
 * twice). An escaped key longer than {@link #MAX_ROW_KEY_CHARS} is replaced by {@code ~~} and the
 * base64url SHA-256 of the value, which the row keeps in its {@code value} property. Escaped keys
 * never contain {@code ~~}, so the two forms cannot collide.
 */
public final class LedgerKeys {
  /**
   * Longest escaped row key kept readable, in characters. Far below the 1 KiB key limit (keys are
   * ASCII), so an OData filter quoting two keys stays small too.
   */
  public static final int MAX_ROW_KEY_CHARS = 400;

  /** Partitions per provider and type: one hex digit of the row key's SHA-256. */
  public static final int SHARDS = 16;

  /** The provider id of identity decisions (account disables) in the ledger. */
  public static final String ACCOUNTS_PROVIDER = "entra-account";

  private static final String HASHED_PREFIX = "~~";
  private static final Pattern PROVIDER_ID = Pattern.compile("[a-z][a-z0-9-]{0,62}");
  private static final HexFormat HEX = HexFormat.of().withUpperCase();

  private LedgerKeys() {}

  /**
   * {@code provider:type}, e.g. {@code edl:ip}: the list a row belongs to, without its shard.
   *
   * @throws IllegalArgumentException when {@code provider} is not a provider id (lower-case
   *     letters, digits and dashes, starting with a letter)
   */
  public static String listKey(String provider, IndicatorType type) {
    checkProvider(provider);
    return provider + ":" + type.wireName();
  }

  /**
   * {@code provider:type:shard} of a value, e.g. {@code edl:ip:7}.
   *
   * @throws IllegalArgumentException as {@link #listKey}
   */
  public static String partitionKey(String provider, IndicatorType type, String value) {
    return listKey(provider, type) + ":" + shardOf(rowKey(value));
  }

  /** Whether {@code provider} is a well-formed provider id. */
  public static boolean isProviderId(String provider) {
    return provider != null && PROVIDER_ID.matcher(provider).matches();
  }

  static void checkProvider(String provider) {
    if (!isProviderId(provider)) {
      throw new IllegalArgumentException(
          "'provider' must be a provider id such as edl, not " + provider);
    }
  }

  /** The shard of a row key: one hex digit of its SHA-256. */
  static char shardOf(String rowKey) {
    byte first = sha256(rowKey.getBytes(StandardCharsets.UTF_8))[0];
    return Character.forDigit((first & 0xff) % SHARDS, SHARDS);
  }

  /** The row key of a normalised value; see the class comment for the encoding. */
  public static String rowKey(String value) {
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    StringBuilder key = new StringBuilder(utf8.length);
    for (byte b : utf8) {
      int c = b & 0xff;
      if (isKept(c)) {
        key.append((char) c);
      } else {
        key.append('~').append(HEX.toHexDigits((byte) c));
      }
      if (key.length() > MAX_ROW_KEY_CHARS) {
        return HASHED_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(utf8));
      }
    }
    return key.toString();
  }

  /**
   * The value an escaped row key stands for; empty for a hashed key (read the row's {@code value}
   * property) or a key this class did not write.
   */
  public static Optional<String> valueOf(String rowKey) {
    if (rowKey.startsWith(HASHED_PREFIX)) {
      return Optional.empty();
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(rowKey.length());
    for (int i = 0; i < rowKey.length(); i++) {
      char c = rowKey.charAt(i);
      if (c == '~') {
        try {
          bytes.write(HexFormat.fromHexDigits(rowKey, i + 1, i + 3));
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
          return Optional.empty();
        }
        i += 2;
      } else if (isKept(c)) {
        bytes.write(c);
      } else {
        return Optional.empty();
      }
    }
    return Optional.of(bytes.toString(StandardCharsets.UTF_8));
  }

  private static boolean isKept(int c) {
    return c >= 'a' && c <= 'z'
        || c >= 'A' && c <= 'Z'
        || c >= '0' && c <= '9'
        || c == '.'
        || c == '-'
        || c == '_'
        || c == ':';
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
