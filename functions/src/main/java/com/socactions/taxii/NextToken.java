package com.socactions.taxii;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * The opaque {@code next} of a page: the collection and the position of the last object the page
 * looked at. A position, not an offset: objects added or replaced meanwhile do not shift the next
 * page, and no object is served twice in one walk unless a newer version of it was added.
 */
final class NextToken {
  private static final String VERSION = "n1";
  private static final Pattern POSITION = Pattern.compile("\\d{17}\\|[0-9a-f-]{36}");

  private NextToken() {}

  static String encode(String collectionId, String position) {
    String text = VERSION + "\n" + collectionId + "\n" + position;
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The position a {@code next} names in collection {@code collectionId}.
   *
   * @throws TaxiiException 400 naming {@code next} when this server did not issue it for that
   *     collection
   */
  static String decode(String token, String collectionId) {
    String[] parts;
    try {
      parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split("\n");
    } catch (IllegalArgumentException notBase64) {
      parts = new String[0];
    }
    if (parts.length != 3 || !parts[0].equals(VERSION) || !POSITION.matcher(parts[2]).matches()) {
      throw TaxiiException.badParameter(
          "next", "is not a value this server issued; start again without it");
    }
    if (!parts[1].equals(collectionId)) {
      throw TaxiiException.badParameter(
          "next", "was issued for another collection; start again without it");
    }
    return parts[2];
  }
}
