package com.socactions.blocking;

import com.socactions.indicators.Coverage;
import com.socactions.indicators.Indicator;
import com.socactions.indicators.Indicators;
import com.socactions.indicators.ParseResult;
import com.socactions.platform.ConfigurationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The indicators an administrator says must never be blocked, from the {@value #SETTING} setting:
 * CIDRs, IP addresses, domains (and URLs or hashes, matched exactly), separated by commas or white
 * space.
 *
 * <p>What an entry protects:
 *
 * <ul>
 *   <li>a network or address: every address in it and every network that overlaps it (blocking a
 *       network that holds a protected address would cut that address off too);
 *   <li>a domain: the domain, its subdomains and URLs on them, and its parent domains (most
 *       enforcement points block a domain's subdomains with it);
 *   <li>a URL or hash: that exact (normalised) value.
 * </ul>
 *
 * Entries are normalised like indicators ({@link Indicators#parse}), so {@code Contoso.COM.} and
 * {@code contoso.com} are one entry.
 */
public final class ProtectedIndicators {
  public static final String SETTING = "PROTECTED_INDICATORS";

  /** Nothing protected. */
  public static final ProtectedIndicators NONE = new ProtectedIndicators(List.of());

  private static final Pattern SEPARATORS = Pattern.compile("[,;\\s]+");

  private final List<Indicator> entries;

  private ProtectedIndicators(List<Indicator> entries) {
    this.entries = List.copyOf(entries);
  }

  /**
   * The entries of {@value #SETTING}'s value.
   *
   * @throws ConfigurationException naming the setting and the entry, when an entry is not an
   *     indicator
   */
  public static ProtectedIndicators parse(String value) {
    List<Indicator> entries = new ArrayList<>();
    for (String entry : SEPARATORS.split(value.strip())) {
      if (entry.isEmpty()) {
        continue;
      }
      ParseResult result = Indicators.parse(entry);
      if (result instanceof ParseResult.Invalid invalid) {
        throw new ConfigurationException(
            SETTING,
            "Setting "
                + SETTING
                + " holds '"
                + entry
                + "', which is not a CIDR, IP address or domain: "
                + invalid.reason());
      }
      entries.add(((ParseResult.Parsed) result).indicator());
    }
    return new ProtectedIndicators(entries);
  }

  /** The normalised entry that protects {@code indicator}, if one does. */
  public Optional<String> protecting(Indicator indicator) {
    return entries.stream()
        .filter(entry -> protects(entry, indicator))
        .map(Indicator::value)
        .findFirst();
  }

  /** Whether {@code entry} covers {@code indicator} as described above ({@link Coverage}). */
  static boolean protects(Indicator entry, Indicator indicator) {
    return Coverage.covers(entry, indicator);
  }
}
