package com.socactions.tickets.jira;

import com.fasterxml.jackson.databind.JsonNode;
import com.socactions.blocking.Verdict;
import com.socactions.platform.InvalidInputException;
import com.socactions.platform.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Jira Cloud admin webhooks (System > WebHooks, with a secret): the signature check and the parse
 * of the events ticket sync acts on. Thread-safe.
 *
 * <p>Jira signs the raw request body with HMAC-SHA256 keyed by the webhook's secret and sends
 * {@code X-Hub-Signature: sha256=<hex>} (the WebSub form). {@link #verify} recomputes it over the
 * exact bytes received and compares in constant time; verify first, and parse only a body that
 * verified. Each delivery carries {@code X-Atlassian-Webhook-Identifier}, the same for Jira's
 * retries of it: keep it to recognise replays (this class keeps no state).
 *
 * <p>Admin webhooks send the issue in the REST v2 shape: {@code description} and a comment's {@code
 * body} are strings (wiki markup), which {@link Adf#toPlainText} passes through; an ADF body is
 * flattened.
 */
public final class JiraWebhook {
  public static final String SECRET_SETTING = "JIRA_WEBHOOK_SECRET";
  public static final String SIGNATURE_HEADER = "X-Hub-Signature";
  public static final String IDENTIFIER_HEADER = "X-Atlassian-Webhook-Identifier";
  private static final String SCHEME = "sha256=";
  private static final String HMAC = "HmacSHA256";
  private static final int SHA256_HEX_LENGTH = 64;

  /**
   * The outcome of a signature check; anything but {@link #VALID} means: refuse (401), change
   * nothing.
   */
  public enum Verdict {
    VALID,
    /** No {@code X-Hub-Signature} header. */
    MISSING_SIGNATURE,
    /** The header is not {@code sha256=} and 64 hex digits (another algorithm is refused too). */
    MALFORMED_SIGNATURE,
    /** Well formed, but not the body's signature under our secret. */
    BAD_SIGNATURE
  }

  private final SecretKeySpec key;

  /**
   * @param secret the webhook's secret, exactly as entered in Jira (UTF-8)
   */
  public JiraWebhook(String secret) {
    if (secret == null || secret.isEmpty()) {
      throw new IllegalArgumentException("'secret' cannot be empty.");
    }
    this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), HMAC);
  }

  /**
   * Checks {@code signatureHeader} against the HMAC-SHA256 of {@code rawBody}, in constant time.
   *
   * @param rawBody the request body exactly as received (before any parsing or re-encoding)
   * @param signatureHeader the value of {@value #SIGNATURE_HEADER}, or null when absent
   */
  public Verdict verify(byte[] rawBody, String signatureHeader) {
    if (signatureHeader == null || signatureHeader.isBlank()) {
      return Verdict.MISSING_SIGNATURE;
    }
    String value = signatureHeader.strip();
    if (!value.regionMatches(true, 0, SCHEME, 0, SCHEME.length())
        || value.length() != SCHEME.length() + SHA256_HEX_LENGTH) {
      return Verdict.MALFORMED_SIGNATURE;
    }
    byte[] presented;
    try {
      presented =
          HexFormat.of().parseHex(value.substring(SCHEME.length()).toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException notHex) {
      return Verdict.MALFORMED_SIGNATURE;
    }
    return MessageDigest.isEqual(sign(rawBody), presented) ? Verdict.VALID : Verdict.BAD_SIGNATURE;
  }

  /** {@code sha256=<hex>} for {@code rawBody}: what Jira sends (for tests and the local fake). */
  public String signature(byte[] rawBody) {
    return SCHEME + HexFormat.of().formatHex(sign(rawBody));
  }

  private byte[] sign(byte[] body) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(key);
      return mac.doFinal(body);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
    }
  }

  /**
   * The event a verified body describes: {@code jira:issue_updated} (status, assignee and priority
   * changes from its changelog) and {@code comment_created}; empty for any other event (issue
   * created or deleted, worklogs...), which ticket sync ignores.
   *
   * @param webhookIdentifier the {@value #IDENTIFIER_HEADER} header, or null
   * @throws InvalidInputException (field {@code body}) when the body is not a JSON object or names
   *     no issue
   */
  public static Optional<JiraWebhookEvent> parse(byte[] rawBody, String webhookIdentifier) {
    JsonNode root;
    try {
      root = Json.UPSTREAM.readTree(rawBody);
    } catch (IOException e) {
      throw InvalidInputException.of("body", "a Jira webhook body must be JSON");
    }
    if (root == null || !root.isObject()) {
      throw InvalidInputException.of("body", "a Jira webhook body must be a JSON object");
    }
    String event = root.path("webhookEvent").asText("");
    JiraWebhookEvent.Type type =
        switch (event) {
          case "jira:issue_updated" -> JiraWebhookEvent.Type.ISSUE_UPDATED;
          case "comment_created" -> JiraWebhookEvent.Type.COMMENT_CREATED;
          default -> null;
        };
    if (type == null) {
      return Optional.empty();
    }
    JsonNode issue = root.path("issue");
    String key = issue.path("key").asText("");
    if (key.isEmpty()) {
      throw InvalidInputException.of(
          "body", "a Jira " + event + " webhook must name the issue (issue.key)");
    }
    JsonNode fields = issue.path("fields");
    List<String> labels = new ArrayList<>();
    fields.path("labels").forEach(label -> labels.add(label.asText()));
    Map<String, JsonNode> properties = new HashMap<>();
    for (JsonNode property : issue.path("properties")) {
      if (property.hasNonNull("key")) {
        properties.put(property.path("key").asText(), property.path("value"));
      }
    }
    JsonNode status = fields.path("status");
    Optional<JiraWebhookEvent.Status> current =
        status.hasNonNull("name")
            ? Optional.of(
                new JiraWebhookEvent.Status(
                    status.path("name").asText(),
                    StatusCategory.ofKey(status.path("statusCategory").path("key").asText(""))))
            : Optional.empty();
    Optional<JiraWebhookEvent.Comment> comment = Optional.empty();
    String actor = root.path("user").path("accountId").asText("");
    if (type == JiraWebhookEvent.Type.COMMENT_CREATED) {
      JsonNode node = root.path("comment");
      String author = node.path("author").path("accountId").asText("");
      comment =
          Optional.of(
              new JiraWebhookEvent.Comment(
                  node.path("id").asText(""),
                  Adf.toPlainText(node.path("body")),
                  author,
                  JiraDates.parse(node.path("created").asText(null))));
      if (actor.isEmpty()) {
        actor = author;
      }
    }
    JsonNode timestamp = root.path("timestamp");
    Instant at =
        timestamp.canConvertToLong() && timestamp.isIntegralNumber()
            ? Instant.ofEpochMilli(timestamp.asLong())
            : null;
    return Optional.of(
        new JiraWebhookEvent(
            webhookIdentifier == null ? "" : webhookIdentifier.strip(),
            type,
            event,
            key,
            issue.path("id").asText(""),
            labels,
            properties,
            change(root, "status"),
            current,
            change(root, "assignee"),
            change(root, "priority"),
            comment,
            actor,
            at));
  }

  /** The last changelog item for {@code field} (by {@code fieldId}, else {@code field}). */
  private static Optional<JiraWebhookEvent.Change> change(JsonNode root, String field) {
    JiraWebhookEvent.Change found = null;
    for (JsonNode item : root.path("changelog").path("items")) {
      String id = item.path("fieldId").asText(item.path("field").asText(""));
      if (id.equals(field)) {
        found =
            new JiraWebhookEvent.Change(
                item.path("from").asText(""),
                item.path("fromString").asText(""),
                item.path("to").asText(""),
                item.path("toString").asText(""));
      }
    }
    return Optional.ofNullable(found);
  }
}
