package com.socactions.localhost;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * An ASP.NET-style route template as the Functions host uses them below the {@code api/} prefix.
 *
 * <p>Segments are literals (matched case-insensitively), {@code {name}}, {@code {name:constraint}}
 * with constraints {@code int}, {@code long}, {@code alpha}, {@code guid}, {@code bool} (several
 * may be chained, {@code {id:int:min(1)}}; unknown ones are ignored with a warning), an optional
 * {@code {name?}} as the last segment, or a catch-all {@code {*name}} (also {@code {**name}}) as
 * the last segment, which matches zero or more segments. Parameter values are percent-decoded as
 * Kestrel decodes request paths: every escape except an encoded slash, so {@code a%2Fb} binds
 * {@code a%2Fb} while {@code a%20b} binds {@code a b}. Parameter names are case-insensitive.
 *
 * <p>{@link #PRECEDENCE} orders templates like ASP.NET Core's inbound route precedence: segment by
 * segment from the left, a literal beats a constrained parameter, which beats a plain parameter,
 * which beats a catch-all. So {@code items/new} beats {@code items/{id:int}} beats {@code
 * items/{name}} beats {@code {*path}}. Segments mixing literal text and parameters ({@code
 * {a}.{b}}) are not supported.
 */
public final class RouteTemplate {
  private static final Logger LOG = FunctionLogging.hostLogger();
  private static final Pattern GUID =
      Pattern.compile(
          "\\{?[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}}?");

  /**
   * Higher-precedence templates sort first; ties fall back to the template text for a stable order.
   */
  public static final Comparator<RouteTemplate> PRECEDENCE = RouteTemplate::comparePrecedence;

  private final String template;
  private final List<Segment> segments;

  private RouteTemplate(String template, List<Segment> segments) {
    this.template = template;
    this.segments = segments;
  }

  /**
   * Parses a template such as {@code v1/items/{id:int}}; a leading or trailing {@code /} is
   * ignored.
   *
   * @throws IllegalArgumentException naming the offending segment when the template is malformed
   */
  public static RouteTemplate parse(String template) {
    String trimmed = template.strip();
    while (trimmed.startsWith("/")) {
      trimmed = trimmed.substring(1);
    }
    while (trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    List<Segment> segments = new ArrayList<>();
    String[] parts = trimmed.isEmpty() ? new String[0] : trimmed.split("/", -1);
    for (int i = 0; i < parts.length; i++) {
      Segment segment = parseSegment(template, parts[i]);
      boolean last = i == parts.length - 1;
      if ((segment.kind == Kind.CATCH_ALL || segment.optional) && !last) {
        throw new IllegalArgumentException(
            "Route '" + template + "': segment '" + parts[i] + "' must be the last segment");
      }
      segments.add(segment);
    }
    return new RouteTemplate(template, Collections.unmodifiableList(segments));
  }

  private static Segment parseSegment(String template, String part) {
    if (part.isEmpty()) {
      throw new IllegalArgumentException("Route '" + template + "' has an empty segment");
    }
    boolean braced = part.startsWith("{") && part.endsWith("}");
    if (!braced) {
      if (part.contains("{") || part.contains("}")) {
        throw new IllegalArgumentException(
            "Route '"
                + template
                + "': segment '"
                + part
                + "' mixes literal text and parameters, which the local host does not support");
      }
      return new Segment(Kind.LITERAL, part, List.of(), false);
    }
    String body = part.substring(1, part.length() - 1);
    if (body.startsWith("*")) {
      String name = body.replaceFirst("^\\*\\*?", "");
      checkName(template, part, name);
      return new Segment(Kind.CATCH_ALL, name, List.of(), false);
    }
    boolean optional = body.endsWith("?");
    if (optional) {
      body = body.substring(0, body.length() - 1);
    }
    String[] pieces = body.split(":");
    String name = pieces[0];
    int equals = name.indexOf('=');
    if (equals >= 0) {
      throw new IllegalArgumentException(
          "Route '"
              + template
              + "': default values ('"
              + part
              + "') are not supported by the local host");
    }
    checkName(template, part, name);
    List<Predicate<String>> constraints = new ArrayList<>();
    for (int i = 1; i < pieces.length; i++) {
      Predicate<String> constraint = constraint(pieces[i]);
      if (constraint == null) {
        LOG.warning(
            "Route '" + template + "': ignoring unsupported constraint '" + pieces[i] + "'");
      } else {
        constraints.add(constraint);
      }
    }
    return new Segment(
        constraints.isEmpty() ? Kind.PARAMETER : Kind.CONSTRAINED_PARAMETER,
        name,
        List.copyOf(constraints),
        optional);
  }

  private static void checkName(String template, String part, String name) {
    if (name.isEmpty() || !name.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '_')) {
      throw new IllegalArgumentException("Route '" + template + "': bad parameter '" + part + "'");
    }
  }

  private static Predicate<String> constraint(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "int" -> v -> parses(() -> Integer.parseInt(v));
      case "long" -> v -> parses(() -> Long.parseLong(v));
      case "alpha" ->
          v -> v.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
      case "guid" -> v -> GUID.matcher(v).matches();
      case "bool" -> v -> v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false");
      default -> null;
    };
  }

  private static boolean parses(Runnable parse) {
    try {
      parse.run();
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** The template as written. */
  public String template() {
    return template;
  }

  /**
   * Matches a request path below {@code /api/}, still percent-encoded (e.g. {@code
   * v1/items/a%20b}). A trailing slash is ignored.
   *
   * @return the decoded parameter values by case-insensitive name (absent optional and empty
   *     catch-all parameters are left out), or empty when the path does not match
   */
  public Optional<Map<String, String>> match(String rawPath) {
    List<String> parts = splitPath(rawPath);
    Map<String, String> values = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (int i = 0; i < segments.size(); i++) {
      Segment segment = segments.get(i);
      if (segment.kind == Kind.CATCH_ALL) {
        if (i < parts.size()) {
          List<String> rest = new ArrayList<>();
          parts.subList(i, parts.size()).forEach(p -> rest.add(decode(p)));
          values.put(segment.text, String.join("/", rest));
        }
        return Optional.of(values);
      }
      if (i >= parts.size()) {
        return segment.optional ? Optional.of(values) : Optional.empty();
      }
      String value = decode(parts.get(i));
      if (segment.kind == Kind.LITERAL) {
        if (!segment.text.equalsIgnoreCase(value)) {
          return Optional.empty();
        }
      } else {
        if (value.isEmpty() || !segment.constraints.stream().allMatch(c -> c.test(value))) {
          return Optional.empty();
        }
        values.put(segment.text, value);
      }
    }
    return parts.size() == segments.size() ? Optional.of(values) : Optional.empty();
  }

  private static List<String> splitPath(String rawPath) {
    String path = rawPath.startsWith("/") ? rawPath.substring(1) : rawPath;
    if (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return path.isEmpty() ? List.of() : List.of(path.split("/", -1));
  }

  /**
   * Percent-decodes one path segment as UTF-8, as Kestrel does: {@code %2F} stays as sent (decoding
   * it would let a value pose as two segments), '+' stays '+', malformed escapes are kept
   * literally.
   */
  static String decode(String segment) {
    if (segment.indexOf('%') < 0) {
      return segment;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(segment.length());
    StringBuilder plain = new StringBuilder();
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      if (c == '%'
          && i + 2 < segment.length()
          && isHex(segment.charAt(i + 1))
          && isHex(segment.charAt(i + 2))) {
        int decoded = Integer.parseInt(segment.substring(i + 1, i + 3), 16);
        if (decoded == '/') {
          plain.append(segment, i, i + 3);
        } else {
          bytes.writeBytes(plain.toString().getBytes(StandardCharsets.UTF_8));
          plain.setLength(0);
          bytes.write(decoded);
        }
        i += 2;
      } else {
        plain.append(c);
      }
    }
    bytes.writeBytes(plain.toString().getBytes(StandardCharsets.UTF_8));
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static boolean isHex(char c) {
    return Character.digit(c, 16) >= 0;
  }

  private static int comparePrecedence(RouteTemplate a, RouteTemplate b) {
    int shared = Math.min(a.segments.size(), b.segments.size());
    for (int i = 0; i < shared; i++) {
      int difference =
          a.segments.get(i).kind.precedenceDigit - b.segments.get(i).kind.precedenceDigit;
      if (difference != 0) {
        return difference;
      }
    }
    // ASP.NET compares the digits as a decimal fraction, so with an equal prefix the shorter one
    // sorts first.
    int bySize = Integer.compare(a.segments.size(), b.segments.size());
    return bySize != 0 ? bySize : a.template.compareToIgnoreCase(b.template);
  }

  @Override
  public String toString() {
    return template;
  }

  private enum Kind {
    LITERAL(1),
    CONSTRAINED_PARAMETER(3),
    PARAMETER(4),
    CATCH_ALL(5);

    final int precedenceDigit;

    Kind(int precedenceDigit) {
      this.precedenceDigit = precedenceDigit;
    }
  }

  private record Segment(
      Kind kind, String text, List<Predicate<String>> constraints, boolean optional) {}
}
