package com.socactions.indicators;

import java.util.Optional;

/**
 * When one indicator stands for another in a list that must never be blocked (the protected list,
 * the allow list): the same value; a network or address overlapping it; a domain it is within, or
 * (for a domain) one within it, since most enforcement points block a domain's subdomains with it;
 * and for URLs and hashes the exact value only.
 */
public final class Coverage {
  private Coverage() {}

  /** Whether {@code entry} covers {@code indicator} (both normalised). */
  public static boolean covers(Indicator entry, Indicator indicator) {
    if (entry.value().equals(indicator.value())) {
      return true;
    }
    if (entry.type() == IndicatorType.IP || entry.type() == IndicatorType.CIDR) {
      Cidr network = entry.addresses().orElseThrow();
      return indicator.addresses().map(network::overlaps).orElse(false);
    }
    if (entry.type() == IndicatorType.DOMAIN) {
      Optional<String> host = indicator.host();
      return host.isPresent()
          && (DomainNames.isWithin(host.get(), entry.value())
              || indicator.type() == IndicatorType.DOMAIN
                  && DomainNames.isWithin(entry.value(), host.get()));
    }
    return false;
  }
}
