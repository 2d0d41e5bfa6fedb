package com.socactions.enrichment.rdap;

import com.socactions.indicators.IpAddresses;
import com.socactions.indicators.IpScope;
import java.net.InetAddress;

/**
 * Which addresses an RDAP client may connect to, and which inputs have no public registration: only
 * {@link IpScope#PUBLIC} ones (the classification every capability shares), plus loopback when
 * allowed for local fakes. So private, link-local (including the cloud metadata address
 * 169.254.169.254), CGNAT, multicast, documentation and reserved addresses are all refused.
 */
final class AddressPolicy {
  private AddressPolicy() {}

  /**
   * Why {@code address} is not a public unicast address ("private address"), or null when it is
   * one.
   */
  static String whyNotPublic(InetAddress address, boolean allowLoopback) {
    IpScope scope = IpAddresses.scopeOf(address);
    if (scope.isPublic() || (allowLoopback && scope == IpScope.LOOPBACK)) {
      return null;
    }
    return scope.description() + " address";
  }
}
