package com.socactions.tickets;

import com.fasterxml.jackson.databind.JsonNode;
import com.socactions.blocking.Verdict;
import com.socactions.platform.InvalidInputException;
import com.socactions.platform.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies the signed REST messages that a ServiceNow business rule sends when a linked ticket
 * changes (the README gives the rule step by step). The rule sends:
 *
 * <ul>
 *   <li>header {@value #TIMESTAMP_HEADER}: the time of sending, in seconds since the epoch;
 *   <li>header {@value #SIGNATURE_HEADER}: {@code sha256=} and the HMAC-SHA256, keyed with {@value
 *       #SECRET_SETTING}, of the timestamp, a dot, and the raw body bytes, in lower-case hex or in
 *       base64 (what ServiceNow's {@code GlideCertificateEncryption.generateMac} returns);
 *   <li>body: {@code {"sys_id": "<the ticket's sys_id>", "table": "incident"}}; nothing else is
 *       trusted from it: the connector reads the ticket back through the Table API.
 * </ul>
 *
 * <p>Messages older or newer than {@link #DEFAULT_WINDOW} are refused, so a captured message cannot
 * be replayed later; inside the window the signature itself is the delivery id that {@link
 * TicketLinks#firstDelivery} remembers.
 */
public final class ServiceNowWebhook {
  public static final String SECRET_SETTING = "SERVICENOW_WEBHOOK_SECRET";
  public static final String SIGNATURE_HEADER = "X-SOC-Actions-Signature";
  public static final String TIMESTAMP_HEADER = "X-SOC-Actions-Timestamp";
  public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(5);
  private static final Pattern SIGNATURE =
      Pattern.compile("sha256=([0-9a-f]{64}|[A-Za-z0-9+/]{43}=)");
  private static final Pattern SYS_ID = Pattern.compile("[0-9a-f]{32}");

  /** Why a message was or was not accepted. Everything but {@code VALID} is a 401. */
  public enum Verdict {
    VALID,
    MISSING_SIGNATURE,
    MALFORMED_SIGNATURE,
    BAD_SIGNATURE,
    STALE
  }

  private final byte[] secret;

  public ServiceNowWebhook(String secret) {
    this.secret = secret.getBytes(StandardCharsets.UTF_8);
  }

  /** Checks the signature over the raw bytes before anything parses them, in constant time. */
  public Verdict verify(
      byte[] rawBody, String timestampHeader, String signatureHeader, Instant now) {
    if (signatureHeader == null || timestampHeader == null) {
      return Verdict.MISSING_SIGNATURE;
    }
    var match = SIGNATURE.matcher(signatureHeader.trim());
    long seconds;
    try {
      seconds = Long.parseLong(timestampHeader.trim());
    } catch (NumberFormatException e) {
      return Verdict.MALFORMED_SIGNATURE;
    }
    if (!match.matches()) {
      return Verdict.MALFORMED_SIGNATURE;
    }
    byte[] expected = sign(timestampHeader.trim(), rawBody);
    String presented = match.group(1);
    byte[] given =
        presented.length() == 64
            ? HexFormat.of().parseHex(presented)
            : Base64.getDecoder().decode(presented);
    if (!MessageDigest.isEqual(expected, given)) {
      return Verdict.BAD_SIGNATURE;
    }
    Duration age = Duration.between(Instant.ofEpochSecond(seconds), now).abs();
    return age.compareTo(DEFAULT_WINDOW) > 0 ? Verdict.STALE : Verdict.VALID;
  }

  /** {@code sha256=<hex>} for a timestamp and body: what the business rule computes. */
  public String signature(String timestamp, byte[] rawBody) {
    return "sha256=" + HexFormat.of().formatHex(sign(timestamp, rawBody));
  }

  /**
   * The ticket a verified message names.
   *
   * @throws InvalidInputException naming {@code sys_id} when the body does not name one
   */
  public static String ticketId(byte[] rawBody) {
    JsonNode body;
    try {
      body = Json.MAPPER.readTree(rawBody);
    } catch (IOException e) {
      throw InvalidInputException.of(
          "body", "must be the JSON the business rule sends: {\"sys_id\": \"...\"}");
    }
    String sysId = body == null ? "" : body.path("sys_id").asText("");
    if (!SYS_ID.matcher(sysId).matches()) {
      throw InvalidInputException.of("sys_id", "must be the ticket's 32-character sys_id");
    }
    return sysId;
  }

  private byte[] sign(String timestamp, byte[] rawBody) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      mac.update(timestamp.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) '.');
      return mac.doFinal(rawBody);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("Every Java runtime has HmacSHA256", e);
    }
  }
}
