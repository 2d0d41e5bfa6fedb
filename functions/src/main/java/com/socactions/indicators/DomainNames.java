package com.socactions.indicators;

import com.google.common.net.InternetDomainName;
import java.net.IDN;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Domain names as analysts paste them: bare names, names with a trailing dot, URLs, e-mail
 * addresses, internationalised names. Normalises them and finds the registrable domain with the
 * public suffix list shipped in Guava (kept current by Google's releases).
 *
 * <p>Dots: the ideographic full stop (U+3002), the fullwidth full stop (U+FF0E) and the halfwidth
 * ideographic full stop (U+FF61) separate labels as the ASCII dot does (IDNA, UTS #46), so they are
 * read as dots before anything else ({@link #withAsciiDots}): {@code contoso.com。} is {@code
 * contoso.com}.
 *
 * <p>Internal and special-use names ({@link #internalName}) name nothing on the internet: names
 * under no public suffix ({@code corp.local}, {@code nas.lan}, {@code intranet.corp}), and the
 * special-use names of RFC 6761, 6762, 8375 and 9476 with ICANN's {@code internal} ({@code
 * localhost}, {@code local}, {@code test}, {@code invalid}, {@code alt}, {@code internal}, {@code
 * home.arpa}) and the rest of {@code arpa} (RFC 3172: reverse DNS and protocol zones such as {@code
 * 10.in-addr.arpa}, {@code ipv4only.arpa}, {@code resolver.arpa}). Two special-use names are not
 * internal: {@code example} (RFC 6761 section 6.5 asks applications not to treat its names as
 * special; documentation and samples use them as stand-ins for real outside names) and {@code
 * onion} (RFC 7686: Tor onion services, outside the organisation and blockable by a proxy that
 * reaches Tor). A TLD delegated after the Guava release in use is not on its list and reads as
 * internal until the connector is rebuilt.
 */
public final class DomainNames {
  /** The dots that separate labels besides U+002E (IDNA 2003, UTS #46). */
  private static final String UNICODE_DOTS = "\u3002\uFF0E\uFF61";

  /** Special-use names and why they are not on the internet, most specific first. */
  private static final List<Map.Entry<String, String>> SPECIAL_USE =
      List.of(
          Map.entry("home.arpa", "RFC 8375 reserves home.arpa for home networks"),
          Map.entry(
              "arpa",
              "arpa holds the internet's own infrastructure (RFC 3172: reverse DNS and protocol"
                  + " zones)"),
          Map.entry("localhost", "RFC 6761 reserves localhost for the local machine"),
          Map.entry("local", "RFC 6762 reserves local for multicast DNS on the local network"),
          Map.entry("test", "RFC 6761 reserves test for testing"),
          Map.entry("invalid", "RFC 6761 reserves invalid for names that must never resolve"),
          Map.entry("alt", "RFC 9476 reserves alt for names outside the DNS"),
          Map.entry("internal", "ICANN reserves internal for private networks"));

  /** Special-use names that still stand for outside names (see the class comment). */
  private static final Set<String> NOT_INTERNAL = Set.of("example", "onion");

  private DomainNames() {}

  /**
   * Whether a normalised name is one of the special-use names of the class comment or under one
   * ({@code localhost}, {@code db.localhost}, {@code printer.home.arpa}); {@code example} and
   * {@code onion} are not.
   */
  public static boolean isSpecialUse(String name) {
    return specialUse(name).isPresent();
  }

  private static Optional<String> specialUse(String name) {
    return SPECIAL_USE.stream()
        .filter(special -> isWithin(name, special.getKey()))
        .map(Map.Entry::getValue)
        .findFirst();
  }

  /**
   * {@code text} with the Unicode full stops that IDNA reads as label separators written as ASCII
   * dots; other characters untouched.
   */
  public static String withAsciiDots(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      if (UNICODE_DOTS.indexOf(text.charAt(i)) >= 0) {
        if (out == null) {
          out = new StringBuilder(text);
        }
        out.setCharAt(i, '.');
      }
    }
    return out == null ? text : out.toString();
  }

  /**
   * Why a normalised name (lower case, ASCII, no trailing dot) is an internal or special-use name
   * (see the class comment), as a sentence fragment such as {@code "RFC 6761 reserves test for
   * testing"}; empty for a name on the internet, a public suffix and a malformed name.
   */
  public static Optional<String> internalName(String name) {
    if (name == null || !InternetDomainName.isValid(name)) {
      return Optional.empty();
    }
    Optional<String> special = specialUse(name);
    if (special.isPresent()) {
      return special;
    }
    InternetDomainName parsed = InternetDomainName.from(name);
    String tld = parsed.parts().get(parsed.parts().size() - 1);
    if (parsed.isPublicSuffix() || parsed.isUnderPublicSuffix() || NOT_INTERNAL.contains(tld)) {
      return Optional.empty();
    }
    return Optional.of(
        "it is under no public suffix, so it names the organisation's own infrastructure (."
            + tld
            + " is no top-level domain on the internet)");
  }

  /** A parsed domain: the normalised name and what the registry knows it as. */
  public record ParsedDomain(String name, String registrableDomain) {}

  /** Why an input is not a registrable domain; the message is a sentence for the analyst. */
  public static final class NotADomainException extends Exception {
    private final boolean internal;

    NotADomainException(String message, boolean internal) {
      super(message);
      this.internal = internal;
    }

    /**
     * The name is well formed but under no public suffix (e.g. {@code corp.local}): skip, not
     * invalid.
     */
    public boolean isInternal() {
      return internal;
    }
  }

  /**
   * Normalises {@code input} and finds its registrable domain ({@code login.evil.co.uk} -> {@code
   * evil.co.uk}).
   *
   * @throws NotADomainException for IP addresses, malformed names, bare public suffixes, and names
   *     under no public suffix (internal names)
   */
  public static ParsedDomain parse(String input) throws NotADomainException {
    String host = withAsciiDots(hostOf(input == null ? "" : input.trim()));
    if (host.endsWith(".")) {
      host = host.substring(0, host.length() - 1);
    }
    if (host.isEmpty()) {
      throw new NotADomainException("empty: expected a domain name such as example.com", false);
    }
    if (IpAddresses.parse(host).isPresent()) {
      throw new NotADomainException(
          "'" + host + "' is an IP address; use Enrich IP addresses", false);
    }
    String ascii;
    try {
      ascii = IDN.toASCII(host, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      throw new NotADomainException("'" + host + "' is not a valid domain name", false);
    }
    if (!InternetDomainName.isValid(ascii)) {
      throw new NotADomainException("'" + host + "' is not a valid domain name", false);
    }
    InternetDomainName name = InternetDomainName.from(ascii);
    if (name.isRegistrySuffix()) {
      throw new NotADomainException(
          "'" + ascii + "' is a public suffix, not a registered domain", false);
    }
    if (!name.isUnderRegistrySuffix()) {
      throw new NotADomainException(
          "'" + ascii + "' is under no public suffix (an internal name?); nothing to look up",
          true);
    }
    Optional<String> special = internalName(ascii);
    if (special.isPresent()) {
      throw new NotADomainException(
          "'" + ascii + "' is a special-use name (" + special.get() + "); nothing to look up",
          true);
    }
    return new ParsedDomain(ascii, name.topDomainUnderRegistrySuffix().toString());
  }

  /** The host of a URL or e-mail address; the input itself otherwise. */
  private static String hostOf(String input) {
    if (input.contains("://")) {
      try {
        String host = URI.create(input.replace(" ", "%20")).getHost();
        return host == null ? input : host;
      } catch (IllegalArgumentException notAUri) {
        return input;
      }
    }
    int at = input.lastIndexOf('@');
    String host = at >= 0 ? input.substring(at + 1) : input;
    int slash = host.indexOf('/');
    return slash >= 0 ? host.substring(0, slash) : host;
  }

  /**
   * Whether a normalised name (lower case, ASCII, no trailing dot) is a public suffix under which
   * others register names: an ICANN suffix ({@code com}, {@code co.uk}) or one of the list's
   * private section ({@code github.io}, {@code blogspot.com}). Malformed names are not suffixes.
   */
  public static boolean isPublicSuffix(String name) {
    return InternetDomainName.isValid(name) && InternetDomainName.from(name).isPublicSuffix();
  }

  /** Whether {@code name} is {@code ancestor} or one of its subdomains (both normalised). */
  public static boolean isWithin(String name, String ancestor) {
    return name.equals(ancestor) || name.endsWith("." + ancestor);
  }

  /** Convenience for callers that only need a yes/no. */
  public static Optional<ParsedDomain> tryParse(String input) {
    try {
      return Optional.of(parse(input));
    } catch (NotADomainException e) {
      return Optional.empty();
    }
  }
}
