package com.socactions.indicators;

import java.util.Optional;

/**
 * One normalised indicator of compromise.
 *
 * @param type what it is
 * @param value the canonical text: two inputs that mean the same thing have the same value, so it
 *     is the key for the allow list, the ledger and the providers
 * @param input what the caller sent, untouched, to echo back
 */
public record Indicator(IndicatorType type, String value, String input) {
  public Indicator {
    if (type == null || value == null) {
      throw new IllegalArgumentException("'type' and 'value' cannot be null.");
    }
  }

  /**
   * The addresses a network indicator names: one address (/32 or /128), a network, or a URL's
   * IP-literal host; empty for domains, URLs on a domain, and hashes.
   */
  public Optional<Cidr> addresses() {
    return switch (type) {
      case IP -> IpAddresses.parse(value).map(Cidr::of);
      case CIDR -> Cidr.parse(value);
      case URL -> host().flatMap(IpAddresses::parse).map(Cidr::of);
      default -> Optional.empty();
    };
  }

  /**
   * The host a network indicator names: the domain itself, or a URL's host (an IP literal without
   * brackets, or a domain); empty for addresses, networks and hashes.
   */
  public Optional<String> host() {
    return switch (type) {
      case DOMAIN -> Optional.of(value);
      case URL -> Optional.of(Indicators.hostOfCanonicalUrl(value));
      default -> Optional.empty();
    };
  }
}
