package com.socactions.sentinel;

import com.socactions.platform.Digests;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Incident comment names derived from what a comment is for, so that writing the same comment again
 * names the same resource. Sentinel's {@code PUT .../incidents/{id}/comments/{incidentCommentId}}
 * takes the caller's name and creates or updates the comment under it (201 Created, then 200
 * Updated), so a repeat with a derived name replaces the comment instead of adding a second one.
 *
 * <p>The name is a GUID, as Sentinel's own comments and the API's examples have (the parameter is a
 * plain string in the API spec; a GUID keeps to what every client sends): an RFC 9562 version 8
 * UUID whose bits are the first 128 of SHA-256 over the parts, each written with its length so that
 * no two lists of parts are written alike.
 */
public final class IncidentCommentId {
  /** Keeps these names apart from any other name derived the same way from the same parts. */
  private static final String SCHEME = "soc-actions/incident-comment/v1";

  private IncidentCommentId() {}

  /**
   * The comment name for {@code parts}, e.g. ticket system, ticket id and ticket comment id: the
   * same parts always give the same name, different parts (in practice) different names.
   *
   * @throws IllegalArgumentException when there are no parts
   * @throws NullPointerException when a part is null
   */
  public static String derive(List<String> parts) {
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("'parts' cannot be empty.");
    }
    StringBuilder text = new StringBuilder(SCHEME);
    for (String part : parts) {
      Objects.requireNonNull(part, "a part of a comment name cannot be null");
      text.append('\n').append(part.length()).append(':').append(part);
    }
    byte[] bits = Digests.sha256(text.toString().getBytes(StandardCharsets.UTF_8));
    bits[6] = (byte) ((bits[6] & 0x0f) | 0x80); // version 8: custom, here SHA-256 based
    bits[8] = (byte) ((bits[8] & 0x3f) | 0x80); // the RFC's variant
    ByteBuffer buffer = ByteBuffer.wrap(bits, 0, 16);
    return new UUID(buffer.getLong(), buffer.getLong()).toString();
  }
}
