package com.socactions.indicators;

import com.google.common.net.InternetDomainName;
import java.net.IDN;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * Domain names as analysts paste them: bare names, names with a trailing dot, URLs, e-mail
 * addresses, internationalised names. Normalises them and finds the registrable domain with the
 * public suffix list shipped in Guava (kept current by Google's releases).
 */
public final class DomainNames {
  private DomainNames() {}

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
    String host = hostOf(input == null ? "" : input.trim());
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
