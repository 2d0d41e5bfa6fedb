package com.socactions.indicators;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Optional;

/**
 * An IPv4 or IPv6 network: a base address with its host bits zero and a prefix length. Its text is
 * canonical ({@code 2001:db8::/32}, never {@code 2001:0db8:0:0::/032}).
 *
 * <p>Networks of different address families never contain or overlap one another.
 */
public record Cidr(InetAddress network, int prefixLength) {
  public Cidr {
    if (network == null) {
      throw new IllegalArgumentException("'network' cannot be null.");
    }
    int bits = IpAddresses.bitsOf(network);
    if (prefixLength < 0 || prefixLength > bits) {
      throw new IllegalArgumentException(
          "'prefixLength' must be 0 to " + bits + ", not " + prefixLength + ".");
    }
    if (!IpAddresses.toBigInteger(network).equals(first(network, prefixLength))) {
      throw new IllegalArgumentException(
          "'network' has host bits set for /" + prefixLength + "; use Cidr.containing.");
    }
  }

  /** The network of {@code prefixLength} bits that contains {@code address} (host bits zeroed). */
  public static Cidr containing(InetAddress address, int prefixLength) {
    int bits = IpAddresses.bitsOf(address);
    if (prefixLength < 0 || prefixLength > bits) {
      throw new IllegalArgumentException(
          "'prefixLength' must be 0 to " + bits + ", not " + prefixLength + ".");
    }
    return new Cidr(IpAddresses.fromBigInteger(first(address, prefixLength), bits), prefixLength);
  }

  /** The network holding just {@code address} (/32 or /128). */
  public static Cidr of(InetAddress address) {
    return new Cidr(address, IpAddresses.bitsOf(address));
  }

  /**
   * Strict parse of {@code address/prefix} as written in configuration and code: the prefix is
   * required and host bits must be zero. For analysts' input, use {@link Indicators#parse}.
   */
  public static Optional<Cidr> parse(String text) {
    return parseAllowingHostBits(text)
        .filter(
            cidr ->
                cidr.network.equals(
                    IpAddresses.parse(text.substring(0, text.indexOf('/'))).orElseThrow()));
  }

  /**
   * {@code address/prefix} as {@link #parse} reads it, except that host bits may be set: {@code
   * 45.44.0.7/24} is the network {@code 45.44.0.0/24}.
   */
  public static Optional<Cidr> parseAllowingHostBits(String text) {
    int slash = text == null ? -1 : text.indexOf('/');
    if (slash < 0 || !text.substring(slash + 1).matches("[0-9]{1,3}")) {
      return Optional.empty();
    }
    Optional<InetAddress> address = IpAddresses.parse(text.substring(0, slash));
    int prefix = Integer.parseInt(text.substring(slash + 1));
    if (address.isEmpty() || prefix > IpAddresses.bitsOf(address.get())) {
      return Optional.empty();
    }
    return Optional.of(containing(address.get(), prefix));
  }

  public int bits() {
    return IpAddresses.bitsOf(network);
  }

  public boolean isIpv4() {
    return network instanceof Inet4Address;
  }

  /** The lowest address, as a number. */
  public BigInteger first() {
    return IpAddresses.toBigInteger(network);
  }

  /** The highest address, as a number. */
  public BigInteger last() {
    return first().add(BigInteger.ONE.shiftLeft(bits() - prefixLength)).subtract(BigInteger.ONE);
  }

  public boolean contains(InetAddress address) {
    return contains(of(address));
  }

  /** Whether every address of {@code other} is in this network. */
  public boolean contains(Cidr other) {
    return bits() == other.bits()
        && prefixLength <= other.prefixLength
        && first().compareTo(other.first()) <= 0
        && last().compareTo(other.last()) >= 0;
  }

  /** Whether the two networks share at least one address (for prefixes: one contains the other). */
  public boolean overlaps(Cidr other) {
    return contains(other) || other.contains(this);
  }

  @Override
  public String toString() {
    return IpAddresses.canonical(network) + "/" + prefixLength;
  }

  private static BigInteger first(InetAddress address, int prefixLength) {
    int hostBits = IpAddresses.bitsOf(address) - prefixLength;
    return IpAddresses.toBigInteger(address).shiftRight(hostBits).shiftLeft(hostBits);
  }
}
