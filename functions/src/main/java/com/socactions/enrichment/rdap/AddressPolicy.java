package com.socactions.enrichment.rdap;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Which addresses an RDAP client may connect to, and which inputs have no public registration.
 * Refused: unspecified, loopback (unless allowed for local fakes), private (RFC 1918, IPv6 ULA),
 * link-local (including the cloud metadata address 169.254.169.254), CGNAT (100.64.0.0/10),
 * multicast, "this network" 0.0.0.0/8 and the reserved 240.0.0.0/4.
 */
final class AddressPolicy {
  private AddressPolicy() {}

  /** Why {@code address} is not a public unicast address, or null when it is one. */
  static String whyNotPublic(InetAddress address, boolean allowLoopback) {
    if (address.isAnyLocalAddress()) {
      return "unspecified address";
    }
    if (address.isLoopbackAddress()) {
      return allowLoopback ? null : "loopback address";
    }
    if (address.isLinkLocalAddress()) {
      return "link-local address";
    }
    if (address.isSiteLocalAddress()) {
      return "private address";
    }
    if (address.isMulticastAddress()) {
      return "multicast address";
    }
    byte[] b = address.getAddress();
    if (address instanceof Inet4Address) {
      int first = b[0] & 0xff;
      int second = b[1] & 0xff;
      if (first == 0) {
        return "unspecified address";
      }
      if (first == 100 && (second & 0xc0) == 64) {
        return "carrier-grade NAT address";
      }
      if (first >= 240) {
        return "reserved address";
      }
    } else if (address instanceof Inet6Address) {
      if ((b[0] & 0xfe) == 0xfc) {
        return "private address";
      }
    }
    return null;
  }

  /** True for literal IPv4/IPv6 hosts, which OkHttp connects to without asking its {@code Dns}. */
  static boolean isIpLiteral(String host) {
    return host.indexOf(':') >= 0 || host.matches("[0-9.]+");
  }
}
