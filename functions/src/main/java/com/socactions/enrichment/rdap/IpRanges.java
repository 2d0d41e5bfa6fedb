package com.socactions.enrichment.rdap;

import com.socactions.indicators.IpAddresses;
import java.math.BigInteger;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Address arithmetic RDAP needs on top of {@link IpAddresses}: prefixes as integer keys, and ranges
 * as CIDR lists.
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

  /** A CIDR block as numbers: the first {@code length} bits of its start, and that length. */
  record Block(BigInteger prefix, int length) {}

  /**
   * The smallest list of CIDR blocks that exactly covers {@code from..to} (inclusive) in a space of
   * {@code bits}-bit addresses, largest-aligned first; at most {@code maxBlocks} (a cut list covers
   * only the start of the range).
   */
  static List<Block> blocks(BigInteger from, BigInteger to, int bits, int maxBlocks) {
    List<Block> out = new ArrayList<>();
    BigInteger next = from;
    while (next.compareTo(to) <= 0 && out.size() < maxBlocks) {
      int size = next.signum() == 0 ? bits : Math.min(next.getLowestSetBit(), bits);
      while (size > 0
          && next.add(BigInteger.ONE.shiftLeft(size)).subtract(BigInteger.ONE).compareTo(to) > 0) {
        size--;
      }
      out.add(new Block(next.shiftRight(size), bits - size));
      next = next.add(BigInteger.ONE.shiftLeft(size));
    }
    return out;
  }

  /** The smallest list of CIDR blocks that exactly covers {@code start..end} (inclusive). */
  static List<String> cidrs(InetAddress start, InetAddress end) {
    int bits = IpAddresses.bitsOf(start);
    List<String> out = new ArrayList<>();
    for (Block block :
        blocks(IpAddresses.toBigInteger(start), IpAddresses.toBigInteger(end), bits, 64)) {
      InetAddress first = fromInteger(block.prefix().shiftLeft(bits - block.length()), bits);
      out.add(IpAddresses.canonical(first) + "/" + block.length());
    }
    return out;
  }
}
