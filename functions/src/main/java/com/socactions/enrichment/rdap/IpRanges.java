package com.socactions.enrichment.rdap;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/** Address arithmetic: addresses as unsigned integers, prefixes, and ranges as CIDR lists. */
final class IpRanges {
  private IpRanges() {}

  static BigInteger toInteger(InetAddress address) {
    return new BigInteger(1, address.getAddress());
  }

  static int bits(InetAddress address) {
    return address instanceof Inet4Address ? 32 : 128;
  }

  static InetAddress fromInteger(BigInteger value, int bits) {
    byte[] raw = value.toByteArray();
    byte[] out = new byte[bits / 8];
    int copy = Math.min(raw.length, out.length);
    System.arraycopy(raw, raw.length - copy, out, out.length - copy, copy);
    try {
      return InetAddress.getByAddress(out);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e); // only thrown for a bad length
    }
  }

  /** Parses a literal address only (never resolves names); null when it is not one. */
  static InetAddress parseLiteral(String text) {
    if (text == null) {
      return null;
    }
    String t = text.trim();
    if (t.isEmpty() || !AddressPolicy.isIpLiteral(t)) {
      return null;
    }
    if (t.indexOf(':') < 0 && !t.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
      return null;
    }
    try {
      return InetAddress.getByName(t);
    } catch (UnknownHostException e) {
      return null;
    }
  }

  /** The first {@code prefixLength} bits of {@code address}, as an integer key. */
  static BigInteger prefix(InetAddress address, int prefixLength) {
    int bits = bits(address);
    return toInteger(address).shiftRight(bits - Math.min(prefixLength, bits));
  }

  /** The smallest list of CIDR blocks that exactly covers {@code start..end} (inclusive). */
  static List<String> cidrs(InetAddress start, InetAddress end) {
    int bits = bits(start);
    BigInteger from = toInteger(start);
    BigInteger to = toInteger(end);
    List<String> out = new ArrayList<>();
    while (from.compareTo(to) <= 0 && out.size() < 64) {
      int size = from.signum() == 0 ? bits : Math.min(from.getLowestSetBit(), bits);
      while (size > 0 && from.add(BigInteger.ONE.shiftLeft(size)).subtract(BigInteger.ONE).compareTo(to) > 0) {
        size--;
      }
      out.add(compact(fromInteger(from, bits)) + "/" + (bits - size));
      from = from.add(BigInteger.ONE.shiftLeft(size));
    }
    return out;
  }

  /** IPv6 in its short form ({@code 2606:4700::}), IPv4 as is. */
  static String compact(InetAddress address) {
    if (address instanceof Inet4Address) {
      return address.getHostAddress();
    }
    String full = address.getHostAddress();
    int percent = full.indexOf('%');
    if (percent >= 0) {
      full = full.substring(0, percent);
    }
    String[] groups = full.split(":");
    int bestStart = -1;
    int bestLength = 0;
    for (int i = 0; i < groups.length; i++) {
      groups[i] = groups[i].replaceFirst("^0+(?=.)", "");
    }
    for (int i = 0; i < groups.length; ) {
      if (groups[i].equals("0")) {
        int j = i;
        while (j < groups.length && groups[j].equals("0")) {
          j++;
        }
        if (j - i > bestLength && j - i > 1) {
          bestStart = i;
          bestLength = j - i;
        }
        i = j;
      } else {
        i++;
      }
    }
    if (bestStart < 0) {
      return String.join(":", groups);
    }
    String head = String.join(":", java.util.Arrays.copyOfRange(groups, 0, bestStart));
    String tail = String.join(":", java.util.Arrays.copyOfRange(groups, bestStart + bestLength, groups.length));
    return head + "::" + tail;
  }
}
