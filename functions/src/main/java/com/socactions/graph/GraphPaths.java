package com.socactions.graph;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Graph URL paths built from values callers sent. Every value is percent-encoded as one path
 * segment, so nothing a caller sent can add a segment, a query or an OData expression: {@code /},
 * {@code ?}, {@code #}, {@code %}, {@code '}, {@code $} and every non-ASCII byte are escaped.
 */
final class GraphPaths {
  private static final Pattern GUID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private GraphPaths() {}

  static boolean isGuid(String value) {
    return value != null && GUID.matcher(value).matches();
  }

  /**
   * {@code value} as one path segment: RFC 3986 unreserved characters and {@code @} stay as they
   * are (a UPN reads as the docs show it), every other UTF-8 byte becomes {@code %XX}.
   */
  static String segment(String value) {
    StringBuilder out = new StringBuilder(value.length() + 16);
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      boolean plain =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '.'
              || c == '_'
              || c == '~'
              || c == '@';
      if (plain) {
        out.append((char) c);
      } else {
        out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
    return out.toString();
  }

  /**
   * The path of a user by object id or UPN. A UPN that starts with {@code $} takes the key form
   * {@code /users('$x@y.com')}, as user-get.md requires (Graph would read {@code /users/$x...} as a
   * system segment); inside it the UPN is an OData string literal, so {@code '} is doubled before
   * the whole is percent-encoded.
   */
  static String user(String idOrUpn) {
    if (idOrUpn.startsWith("$")) {
      return "/users('" + segment(idOrUpn.replace("'", "''")) + "')";
    }
    return "/users/" + segment(idOrUpn);
  }
}
