package com.socactions.enrichment.rdap;

import java.math.BigInteger;
import com.socactions.indicators.IpAddresses;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Address arithmetic RDAP needs on top of {@link IpAddresses}: prefixes as integer keys, and
 * ranges as CIDR lists.
 */
final class IpRanges {
  private IpRanges() {}

  static InetAddress fromInteger(BigInteger value, int bits) {
    return IpAddresses.fromBigInteger(value, bits);
  }

  /** The first {@code prefixLength} bits of {@code address}, as an integer key. */
  static BigInteger prefix(InetAddress address, int prefixLength) {
    int bits = IpAddresses.bitsOf(address);
    return IpAddresses.toBigInteger(address).shiftRight(bits - Math.min(prefixLength, bits));
  }

  /** The smallest list of CIDR blocks that exactly covers {@code start..end} (inclusive). */
  static List<String> cidrs(InetAddress start, InetAddress end) {
    int bits = IpAddresses.bitsOf(start);
    BigInteger from = IpAddresses.toBigInteger(start);
    BigInteger to = IpAddresses.toBigInteger(end);
    List<String> out = new ArrayList<>();
    while (from.compareTo(to) <= 0 && out.size() < 64) {
      int size = from.signum() == 0 ? bits : Math.min(from.getLowestSetBit(), bits);
      while (size > 0 && from.add(BigInteger.ONE.shiftLeft(size)).subtract(BigInteger.ONE).compareTo(to) > 0) {
        size--;
      }
      out.add(IpAddresses.canonical(fromInteger(from, bits)) + "/" + (bits - size));
      from = from.add(BigInteger.ONE.shiftLeft(size));
    }
    return out;
  }
}
