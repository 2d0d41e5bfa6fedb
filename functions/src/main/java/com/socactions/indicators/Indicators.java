package com.socactions.indicators;

import com.google.common.net.InternetDomainName;
import java.io.ByteArrayOutputStream;
import java.net.IDN;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Detects and normalises indicators of compromise as analysts and threat-intel feeds write them:
 * {@code ip}, {@code cidr}, {@code domain}, {@code url}, {@code sha256}, {@code sha1}, {@code md5}.
 * Never touches DNS or the network, and never throws for a bad input: each input is answered on its
 * own, as a {@link ParseResult.Parsed} or a {@link ParseResult.Invalid} with a reason.
 *
 * <p>Normalisation, so that one thing has one value:
 *
 * <ul>
 *   <li>IP: canonical text (dotted quad, RFC 5952 IPv6); IPv4-mapped IPv6 becomes the IPv4 address.
 *   <li>CIDR: host bits zeroed (noted), canonical address and prefix text; a /32 or /128 is an IP.
 *   <li>Domain: lower case, IDN as punycode, the Unicode full stops {@code 。．｡} read as dots (as
 *       IDNA reads them, also in a URL's host and in addresses), one trailing dot removed.
 *   <li>URL (http, https, ftp): scheme and host normalised as above, credentials and fragment
 *       dropped, default port dropped, empty path written {@code /}; path and query kept as sent
 *       except that percent-escapes of unreserved characters are decoded, other escapes get
 *       upper-case hex (RFC 3986 6.2.2), non-ASCII characters are percent-encoded as UTF-8, and
 *       backslashes in the authority and path count as slashes, as browsers read them.
 *   <li>Hashes: lower-case hex of 32, 40 or 64 digits.
 * </ul>
 *
 * <p>Defanged forms, common in threat intel, are accepted and noted: schemes {@code hxxp}, {@code
 * hxxps}, {@code fxp}; {@code [://]}, {@code [:]}; dots written {@code [.]}, {@code (.)}, {@code
 * {.}}, {@code [dot]}, {@code (dot)}.
 *
 * <p>Refused as invalid, because guessing would block the wrong thing: whitespace inside a value,
 * control and invisible formatting characters, values longer than {@link #MAX_LENGTH}, hosts with a
 * port but no scheme, URLs without a scheme, e-mail addresses, numeric hosts that are not dotted
 * quads ({@code 0x7f.1}, {@code 2130706433}: browsers read them as addresses), IPv6 zone ids,
 * single-label names other than public suffixes and special-use names ({@code localhost}, {@code
 * local}, {@code test}, ...: {@link DomainNames#isSpecialUse}), and names with {@code ß} or {@code
 * ς} (IDNA 2003 and 2008 map them to different domains; send the {@code xn--} form).
 */
public final class Indicators {
  /** Longest input accepted, in characters (before and after normalisation). */
  public static final int MAX_LENGTH = 2048;

  /** Inputs of only hex digits this long or longer are taken for (possibly mistyped) hashes. */
  private static final int MIN_HASH_LIKE_LENGTH = 16;

  private static final Pattern SCHEME =
      Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*)://(.*)", Pattern.DOTALL);
  private static final Pattern HEX = Pattern.compile("[0-9A-Fa-f]+");
  private static final Pattern DIGITS = Pattern.compile("[0-9]{1,5}");
  private static final Pattern HOST_WITH_PORT =
      Pattern.compile("(\\[[^\\]]*\\]|[^:\\[\\]]+):[0-9]+");

  /** A last label that browsers parse as part of an IPv4 number. */
  private static final Pattern NUMERIC_LABEL = Pattern.compile("[0-9]+|0[xX][0-9A-Fa-f]*");

  private static final Map<String, Integer> DEFAULT_PORTS =
      Map.of("http", 80, "https", 443, "ftp", 21);
  private static final Map<String, String> DEFANGED_SCHEMES =
      Map.of("hxxp", "http", "hxxps", "https", "fxp", "ftp");
  private static final Pattern DEFANGED_SCHEME = Pattern.compile("(?i)^(hxxps?|fxp)(?=://)");
  private static final Pattern DEFANGED_DOT =
      Pattern.compile("(?i)\\[\\.\\]|\\(\\.\\)|\\{\\.\\}|\\[dot\\]|\\(dot\\)");
  private static final String UNRESERVED_PUNCTUATION = "-._~";
  private static final HexFormat UPPER_HEX = HexFormat.of().withUpperCase();

  private Indicators() {}

  /** Detects and normalises one input; never throws. */
  public static ParseResult parse(String input) {
    String sent = input == null ? "" : input;
    List<String> notes = new ArrayList<>();
    try {
      return new ParseResult.Parsed(detect(sent, notes), notes);
    } catch (Rejected rejected) {
      return new ParseResult.Invalid(sent, rejected.getMessage());
    }
  }

  /** Every input, in order; one result each. */
  public static List<ParseResult> parseAll(List<String> inputs) {
    return inputs.stream().map(Indicators::parse).toList();
  }

  /** The host of a URL in this class's canonical form, without IPv6 brackets. */
  static String hostOfCanonicalUrl(String url) {
    int start = url.indexOf("://") + 3;
    if (url.startsWith("[", start)) {
      return url.substring(start + 1, url.indexOf(']', start));
    }
    int end = start;
    while (end < url.length() && ":/?".indexOf(url.charAt(end)) < 0) {
      end++;
    }
    return url.substring(start, end);
  }

  private static Indicator detect(String sent, List<String> notes) throws Rejected {
    String text = sent.strip();
    if (text.isEmpty()) {
      throw new Rejected("empty: send an IP address, CIDR, domain, URL or file hash");
    }
    if (text.length() > MAX_LENGTH) {
      throw new Rejected("too long: " + text.length() + " characters, at most " + MAX_LENGTH);
    }
    checkCharacters(text);
    String refanged = refang(text);
    if (!refanged.equals(text)) {
      notes.add("read the defanged form as " + refanged);
      text = refanged;
    }
    Matcher url = SCHEME.matcher(text);
    if (url.matches()) {
      return new Indicator(IndicatorType.URL, url(url.group(1), url.group(2), notes), sent);
    }
    text = withAsciiDots(text, notes);
    if (HEX.matcher(text).matches() && text.length() >= MIN_HASH_LIKE_LENGTH) {
      return new Indicator(hashType(text), text.toLowerCase(Locale.ROOT), sent);
    }
    int slash = text.indexOf('/');
    if (slash >= 0) {
      return cidr(text.substring(0, slash), text.substring(slash + 1), sent, notes);
    }
    Optional<InetAddress> address = IpAddresses.parse(text);
    if (address.isPresent()) {
      if (text.indexOf(':') >= 0 && address.get() instanceof Inet4Address) {
        notes.add(
            "an IPv4-mapped IPv6 address is read as the IPv4 address "
                + IpAddresses.canonical(address.get()));
      }
      return new Indicator(IndicatorType.IP, IpAddresses.canonical(address.get()), sent);
    }
    if (text.indexOf('%') >= 0
        && IpAddresses.parse(text.substring(0, text.indexOf('%'))).isPresent()) {
      throw new Rejected(
          "an address with a zone id (%...) names an interface of one machine; send the address"
              + " alone");
    }
    if (HOST_WITH_PORT.matcher(text).matches()) {
      throw new Rejected(
          "a host with a port: send the address or domain alone, or a URL with its scheme");
    }
    if (text.indexOf('@') >= 0) {
      throw new Rejected("looks like an e-mail address: send its domain");
    }
    return new Indicator(IndicatorType.DOMAIN, domain(text, notes), sent);
  }

  private static void checkCharacters(String text) throws Rejected {
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
        // Invisible characters make a value that looks right and blocks nothing (or something
        // else).
        throw new Rejected(String.format("contains the invisible character U+%04X", c));
      }
      if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
        throw new Rejected(
            "contains a space: send one indicator per item, URLs with spaces as %20");
      }
      i += Character.charCount(c);
    }
  }

  private static String refang(String text) {
    String result = text.replace("[://]", "://").replace("[:]", ":");
    result = DEFANGED_DOT.matcher(result).replaceAll(".");
    Matcher scheme = DEFANGED_SCHEME.matcher(result);
    if (scheme.find()) {
      result =
          DEFANGED_SCHEMES.get(scheme.group(1).toLowerCase(Locale.ROOT))
              + result.substring(scheme.end());
    }
    return result;
  }

  private static IndicatorType hashType(String hex) throws Rejected {
    return switch (hex.length()) {
      case 32 -> IndicatorType.MD5;
      case 40 -> IndicatorType.SHA1;
      case 64 -> IndicatorType.SHA256;
      default ->
          throw new Rejected(
              hex.length() + " hex digits: a file hash has 32 (MD5), 40 (SHA-1) or 64 (SHA-256)");
    };
  }

  private static Indicator cidr(
      String addressText, String prefixText, String sent, List<String> notes) throws Rejected {
    Optional<InetAddress> parsed = IpAddresses.parse(addressText);
    if (parsed.isEmpty()) {
      throw new Rejected(
          "not a CIDR (the part before / is not an IP address), and a URL needs its scheme (http://"
              + " or https://)");
    }
    InetAddress address = parsed.get();
    int bits = IpAddresses.bitsOf(address);
    if (!DIGITS.matcher(prefixText).matches()) {
      throw new Rejected("the prefix after / must be a number from 0 to " + bits);
    }
    int prefix = Integer.parseInt(prefixText);
    if (addressText.indexOf(':') >= 0 && address instanceof Inet4Address) {
      // ::ffff:a.b.c.d/n: the first 96 bits are the mapping prefix.
      if (prefix < 96) {
        throw new Rejected("an IPv4-mapped IPv6 prefix must be /96 or longer; send the IPv4 CIDR");
      }
      prefix -= 96;
      notes.add("an IPv4-mapped IPv6 prefix is read as the IPv4 CIDR");
    }
    if (prefix > bits) {
      throw new Rejected(
          "/"
              + prefix
              + " is longer than an "
              + (bits == 32 ? "IPv4" : "IPv6")
              + " address (at most /"
              + bits
              + ")");
    }
    Cidr cidr = Cidr.containing(address, prefix);
    if (prefix == bits) {
      notes.add("a /" + bits + " is one address: read as the IP " + IpAddresses.canonical(address));
      return new Indicator(IndicatorType.IP, IpAddresses.canonical(address), sent);
    }
    if (!cidr.network().equals(address)) {
      notes.add(
          "host bits zeroed: "
              + IpAddresses.canonical(address)
              + "/"
              + prefix
              + " is the network "
              + cidr);
    }
    return new Indicator(IndicatorType.CIDR, cidr.toString(), sent);
  }

  /** {@code rest} is everything after {@code scheme://}. */
  private static String url(String schemeText, String rest, List<String> notes) throws Rejected {
    String scheme = schemeText.toLowerCase(Locale.ROOT);
    Integer defaultPort = DEFAULT_PORTS.get(scheme);
    if (defaultPort == null) {
      throw new Rejected("a " + scheme + ": URL cannot be blocked; send http, https or ftp URLs");
    }
    int hash = rest.indexOf('#');
    String withoutFragment = hash >= 0 ? rest.substring(0, hash) : rest;
    int authorityEnd = 0;
    while (authorityEnd < withoutFragment.length()
        && "/\\?".indexOf(withoutFragment.charAt(authorityEnd)) < 0) {
      authorityEnd++;
    }
    String authority = withoutFragment.substring(0, authorityEnd);
    int at = authority.lastIndexOf('@');
    if (at >= 0) {
      notes.add("credentials dropped from the URL");
      authority = authority.substring(at + 1);
    }
    String host;
    String port;
    if (authority.startsWith("[")) {
      int close = authority.indexOf(']');
      if (close < 0) {
        throw new Rejected("the URL's IPv6 host has no closing ]");
      }
      host = ipv6Host(authority.substring(1, close));
      port = portAfter(authority.substring(close + 1));
    } else {
      int colon = authority.lastIndexOf(':');
      String hostText = colon >= 0 ? authority.substring(0, colon) : authority;
      port = colon >= 0 ? portAfter(authority.substring(colon)) : "";
      host = host(hostText, notes);
    }
    if (!port.isEmpty() && Integer.parseInt(port) == defaultPort) {
      port = "";
    }
    String pathAndQuery = withoutFragment.substring(authorityEnd);
    int question = pathAndQuery.indexOf('?');
    String path = question >= 0 ? pathAndQuery.substring(0, question) : pathAndQuery;
    String query = question >= 0 ? pathAndQuery.substring(question) : "";
    path = path.isEmpty() ? "/" : path.replace('\\', '/');
    String value =
        scheme
            + "://"
            + host
            + (port.isEmpty() ? "" : ":" + port)
            + normalisePercentEncoding(path)
            + normalisePercentEncoding(query);
    if (value.length() > MAX_LENGTH) {
      throw new Rejected(
          "too long once normalised: " + value.length() + " characters, at most " + MAX_LENGTH);
    }
    return value;
  }

  private static String ipv6Host(String text) throws Rejected {
    Optional<InetAddress> address = IpAddresses.parse(text);
    if (address.isEmpty() || text.indexOf(':') < 0) {
      throw new Rejected("the URL's host in [brackets] is not an IPv6 address");
    }
    String canonical = IpAddresses.canonical(address.get());
    return address.get() instanceof Inet4Address ? canonical : "[" + canonical + "]";
  }

  /** {@code ""} or {@code ":digits"} -> the port digits, or {@code ""} for none. */
  private static String portAfter(String text) throws Rejected {
    if (text.isEmpty() || text.equals(":")) {
      return "";
    }
    if (!text.startsWith(":") || !DIGITS.matcher(text.substring(1)).matches()) {
      throw new Rejected("the URL's port is not a number");
    }
    int port = Integer.parseInt(text.substring(1));
    if (port < 1 || port > 65535) {
      throw new Rejected("the URL's port must be 1 to 65535, not " + port);
    }
    return Integer.toString(port);
  }

  private static String host(String text, List<String> notes) throws Rejected {
    if (text.isEmpty()) {
      throw new Rejected("the URL has no host");
    }
    String decoded = text;
    if (text.indexOf('%') >= 0) {
      decoded = percentDecode(text);
      notes.add("percent-escapes in the host decoded, as browsers do");
    }
    decoded = withAsciiDots(decoded, notes);
    Optional<InetAddress> address = IpAddresses.parse(decoded);
    if (address.isPresent() && decoded.indexOf(':') < 0) {
      return IpAddresses.canonical(address.get());
    }
    return domain(decoded, notes);
  }

  /**
   * Unicode full stops read as the dots they are to IDNA, so that {@code contoso.com。} and {@code
   * contoso.com} are one value for the allow list, the protected list and the ledger.
   */
  private static String withAsciiDots(String text, List<String> notes) {
    String dotted = DomainNames.withAsciiDots(text);
    if (!dotted.equals(text)) {
      notes.add("Unicode full stops read as dots: " + dotted);
    }
    return dotted;
  }

  private static String domain(String text, List<String> notes) throws Rejected {
    String name = text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
    if (name.isEmpty() || name.endsWith(".") || name.startsWith(".") || name.contains("..")) {
      throw new Rejected("'" + text + "' is not a valid domain name (empty label)");
    }
    String lastLabel = name.substring(name.lastIndexOf('.') + 1);
    if (NUMERIC_LABEL.matcher(lastLabel).matches()) {
      throw new Rejected(
          "'"
              + text
              + "' is neither a dotted-quad IP address nor a domain (browsers read numeric hosts"
              + " such as 0x7f.1 as addresses)");
    }
    if (name.indexOf('ß') >= 0 || name.indexOf('ς') >= 0) {
      throw new Rejected(
          "'"
              + text
              + "' contains ß or ς, which IDNA 2003 and 2008 map to different domains; send the"
              + " xn-- form");
    }
    String ascii;
    try {
      ascii = IDN.toASCII(name, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      throw new Rejected("'" + text + "' is not a valid domain name");
    }
    if (!InternetDomainName.isValid(ascii)) {
      throw new Rejected("'" + text + "' is not a valid domain name");
    }
    if (!ascii.equals(name.toLowerCase(Locale.ROOT))) {
      notes.add("internationalised name written as " + ascii);
    }
    InternetDomainName parsed = InternetDomainName.from(ascii);
    // A special-use top-level name (localhost, local, test, ...) is a fully qualified name of its
    // own: it parses, and the guardrails refuse it as internal with the RFC that says why.
    if (parsed.parts().size() == 1
        && !parsed.isPublicSuffix()
        && !DomainNames.isSpecialUse(ascii)) {
      throw new Rejected("'" + ascii + "' is a single-label name, not a fully qualified domain");
    }
    return ascii;
  }

  /** RFC 3986 6.2.2: decode escapes of unreserved characters, upper-case the others' hex. */
  private static String normalisePercentEncoding(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      if (c == '%'
          && i + 2 < text.length()
          && isHex(text.charAt(i + 1))
          && isHex(text.charAt(i + 2))) {
        int value = HexFormat.fromHexDigits(text, i + 1, i + 3);
        if (isUnreserved(value)) {
          out.append((char) value);
        } else {
          out.append('%').append(UPPER_HEX.toHexDigits((byte) value));
        }
        i += 3;
        continue;
      }
      if (c == '%') {
        out.append("%25"); // a lone % is not an escape: encode it so the value is unambiguous
      } else if (c > 0x7e) {
        for (byte b : new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8)) {
          out.append('%').append(UPPER_HEX.toHexDigits(b));
        }
      } else {
        out.append((char) c);
      }
      i += Character.charCount(c);
    }
    return out.toString();
  }

  private static String percentDecode(String text) throws Rejected {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      if (c == '%') {
        if (i + 2 >= text.length() || !isHex(text.charAt(i + 1)) || !isHex(text.charAt(i + 2))) {
          throw new Rejected("the URL's host has a malformed percent-escape");
        }
        bytes.write(HexFormat.fromHexDigits(text, i + 1, i + 3));
        i += 3;
      } else {
        bytes.writeBytes(new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8));
        i += Character.charCount(c);
      }
    }
    try {
      String decoded =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes.toByteArray()))
              .toString();
      checkCharacters(decoded);
      return decoded;
    } catch (CharacterCodingException e) {
      throw new Rejected("the URL's host decodes to invalid UTF-8");
    }
  }

  private static boolean isHex(char c) {
    return Character.digit(c, 16) >= 0 && c < 0x80;
  }

  private static boolean isUnreserved(int c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || UNRESERVED_PUNCTUATION.indexOf(c) >= 0;
  }

  /** Why one input is not an indicator; never leaves this class. */
  private static final class Rejected extends Exception {
    Rejected(String reason) {
      super(reason, null, false, false);
    }
  }
}
