package com.socactions.indicators;

import com.google.common.net.InetAddresses;
import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Parsing, normalising and classifying IP addresses, without ever touching DNS.
 *
 * <p>Normalisation: surrounding whitespace and IPv6 brackets are dropped, IPv4-mapped IPv6 ({@code
 * ::ffff:1.2.3.4}) becomes the IPv4 address, IPv6 is written in RFC 5952 canonical form.
 *
 * <p>Transition addresses carry an IPv4 address inside an IPv6 one, and are classified by it too
 * ({@link #embeddedIpv4}): 6to4 ({@code 2002::/16}, RFC 3056: bits 16-47), Teredo ({@code
 * 2001::/32}, RFC 4380: the server in bits 32-63, the client's public address inverted in bits
 * 96-127) and NAT64's well-known prefix ({@code 64:ff9b::/96}, RFC 6052: bits 96-127). An IPv6
 * address that embeds a private, loopback or other non-public IPv4 address has that scope: {@code
 * 2002:a00:1::1} (6to4 of 10.0.0.1) is private, not public. A NAT64 address of a public IPv4
 * address stays reserved: it is one translator's view of that address, which is what to block.
 */
public final class IpAddresses {
  /** IPv6 global unicast (2000::/3); the rest of the IPv6 space is not routed on the internet. */
  private static final Cidr GLOBAL_UNICAST_V6 = Cidr.parse("2000::/3").orElseThrow();

  private static final List<Range> SPECIAL_RANGES =
      List.of(
          range("0.0.0.0/32", IpScope.UNSPECIFIED),
          range("0.0.0.0/8", IpScope.RESERVED),
          range("10.0.0.0/8", IpScope.PRIVATE),
          range("100.64.0.0/10", IpScope.CGNAT),
          range("127.0.0.0/8", IpScope.LOOPBACK),
          range("169.254.0.0/16", IpScope.LINK_LOCAL),
          range("172.16.0.0/12", IpScope.PRIVATE),
          range("192.0.0.0/24", IpScope.RESERVED),
          range("192.0.2.0/24", IpScope.DOCUMENTATION),
          range("192.88.99.0/24", IpScope.RESERVED),
          range("192.168.0.0/16", IpScope.PRIVATE),
          range("198.18.0.0/15", IpScope.RESERVED),
          range("198.51.100.0/24", IpScope.DOCUMENTATION),
          range("203.0.113.0/24", IpScope.DOCUMENTATION),
          range("224.0.0.0/4", IpScope.MULTICAST),
          range("240.0.0.0/4", IpScope.RESERVED),
          range("::/128", IpScope.UNSPECIFIED),
          range("::1/128", IpScope.LOOPBACK),
          range("64:ff9b:1::/48", IpScope.RESERVED),
          range("100::/64", IpScope.RESERVED),
          range("2001:db8::/32", IpScope.DOCUMENTATION),
          range("2001:2::/48", IpScope.RESERVED),
          range("3fff::/20", IpScope.DOCUMENTATION),
          range("fc00::/7", IpScope.PRIVATE),
          range("fe80::/10", IpScope.LINK_LOCAL),
          range("fec0::/10", IpScope.RESERVED),
          range("ff00::/8", IpScope.MULTICAST));

  private IpAddresses() {}

  /** The address, if {@code text} is an IPv4 or IPv6 literal (never a host name). */
  public static Optional<InetAddress> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String trimmed = text.trim();
    if (trimmed.startsWith("[") && trimmed.endsWith("]")) {
      trimmed = trimmed.substring(1, trimmed.length() - 1);
    }
    if (trimmed.isEmpty() || trimmed.indexOf('%') >= 0) {
      return Optional.empty();
    }
    try {
      return Optional.of(unmap(InetAddresses.forString(trimmed)));
    } catch (IllegalArgumentException notAnAddress) {
      return Optional.empty();
    }
  }

  /** Canonical text: dotted quad, or RFC 5952 IPv6. */
  public static String canonical(InetAddress address) {
    return InetAddresses.toAddrString(address);
  }

  /**
   * The scope of an address; only {@link IpScope#PUBLIC} ones are worth asking the internet about.
   * A transition address that embeds a non-public IPv4 address has the embedded address's scope.
   */
  public static IpScope scopeOf(InetAddress address) {
    Cidr host = Cidr.of(address);
    for (Embedded embedded : embeddedIpv4(host)) {
      IpScope inside = scopeOf(embedded.ipv4().network());
      if (!inside.isPublic()) {
        return inside;
      }
    }
    // Most specific range first: the list holds /32 and /128 entries before their enclosing ranges.
    for (Range range : SPECIAL_RANGES) {
      if (range.cidr.contains(host)) {
        return range.scope;
      }
    }
    return address instanceof Inet6Address && !GLOBAL_UNICAST_V6.contains(host)
        ? IpScope.RESERVED
        : IpScope.PUBLIC;
  }

  /**
   * The scopes other than {@link IpScope#PUBLIC} that share at least one address with {@code
   * network}, the IPv4 addresses embedded in its transition addresses included; empty when every
   * address in it is public.
   */
  public static Set<IpScope> nonPublicScopesIn(Cidr network) {
    Set<IpScope> scopes = EnumSet.noneOf(IpScope.class);
    for (Range range : SPECIAL_RANGES) {
      if (range.cidr.overlaps(network)) {
        scopes.add(range.scope);
      }
    }
    if (!network.isIpv4() && !GLOBAL_UNICAST_V6.contains(network)) {
      // Outside 2000::/3 everything is reserved unless a listed range says more (fc00::/7 is
      // private).
      boolean described = SPECIAL_RANGES.stream().anyMatch(range -> range.cidr.contains(network));
      if (!described) {
        scopes.add(IpScope.RESERVED);
      }
    }
    for (Embedded embedded : embeddedIpv4(network)) {
      scopes.addAll(nonPublicScopesIn(embedded.ipv4()));
    }
    return scopes;
  }

  /**
   * An IPv4 network carried inside IPv6 transition addresses.
   *
   * @param mechanism {@code 6to4}, {@code Teredo server}, {@code Teredo client} or {@code NAT64}
   * @param ipv4 the IPv4 addresses the IPv6 address or network can carry: one address (/32) for an
   *     address, a network for an IPv6 network that fixes only some of the embedded bits, {@code
   *     0.0.0.0/0} for one that fixes none of them or holds the whole transition prefix
   */
  public record Embedded(String mechanism, Cidr ipv4) {
    /** For sentences: "6to4 of 10.0.0.1", "Teredo client 10.0.0.0/8". */
    public String describe() {
      String address = ipv4.prefixLength() == 32 ? canonical(ipv4.network()) : ipv4.toString();
      return mechanism.equals(SIX_TO_FOUR.mechanism)
          ? "6to4 of " + address
          : mechanism + " " + address;
    }
  }

  /**
   * The IPv4 addresses that the transition addresses in {@code network} embed (see the class
   * comment); empty for IPv4 and for IPv6 networks that share no address with a transition prefix.
   */
  public static List<Embedded> embeddedIpv4(Cidr network) {
    if (network.isIpv4()) {
      return List.of();
    }
    List<Embedded> found = new ArrayList<>();
    for (Transition transition : TRANSITIONS) {
      transition.embeddedIn(network).ifPresent(found::add);
    }
    return found;
  }

  public static BigInteger toBigInteger(InetAddress address) {
    return new BigInteger(1, address.getAddress());
  }

  /**
   * The address of {@code bits} (32 or 128) whose number is {@code value}; the inverse of {@link
   * #toBigInteger}.
   */
  public static InetAddress fromBigInteger(BigInteger value, int bits) {
    byte[] raw = value.toByteArray();
    byte[] bytes = new byte[bits / 8];
    // toByteArray is big-endian two's complement: it may carry a leading sign byte or be short.
    int copy = Math.min(raw.length, bytes.length);
    System.arraycopy(raw, raw.length - copy, bytes, bytes.length - copy, copy);
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException impossible) {
      throw new IllegalStateException(impossible); // 4 or 16 bytes are always an address
    }
  }

  public static int bitsOf(InetAddress address) {
    return address instanceof Inet4Address ? 32 : 128;
  }

  private static InetAddress unmap(InetAddress address) {
    if (address instanceof Inet6Address v6) {
      byte[] bytes = v6.getAddress();
      boolean mapped = true;
      for (int i = 0; i < 10; i++) {
        mapped &= bytes[i] == 0;
      }
      mapped &= bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
      if (mapped) {
        try {
          return InetAddress.getByAddress(new byte[] {bytes[12], bytes[13], bytes[14], bytes[15]});
        } catch (UnknownHostException impossible) {
          throw new IllegalStateException(impossible); // four bytes are always a valid IPv4 address
        }
      }
    }
    return address;
  }

  private static Range range(String cidr, IpScope scope) {
    return new Range(Cidr.parse(cidr).orElseThrow(), scope);
  }

  private record Range(Cidr cidr, IpScope scope) {}

  private static final Cidr ANY_IPV4 = Cidr.parse("0.0.0.0/0").orElseThrow();
  private static final BigInteger IPV4_MASK = BigInteger.ONE.shiftLeft(32).subtract(BigInteger.ONE);

  private static final Transition SIX_TO_FOUR = new Transition("6to4", "2002::/16", 16, false);

  /**
   * The IPv6 forms that embed an IPv4 address. Teredo embeds two: its server, and its client's
   * public address with every bit inverted.
   */
  private static final List<Transition> TRANSITIONS =
      List.of(
          SIX_TO_FOUR,
          new Transition("Teredo server", "2001::/32", 32, false),
          new Transition("Teredo client", "2001::/32", 96, true),
          new Transition("NAT64", "64:ff9b::/96", 96, false));

  /**
   * One IPv6 transition form: the IPv4 address is the 32 bits at {@code offset} of an address in
   * {@code prefix}, inverted when {@code inverted}.
   */
  private record Transition(String mechanism, Cidr prefix, int offset, boolean inverted) {
    Transition(String mechanism, String prefix, int offset, boolean inverted) {
      this(mechanism, Cidr.parse(prefix).orElseThrow(), offset, inverted);
    }

    Optional<Embedded> embeddedIn(Cidr network) {
      if (network.contains(prefix)) {
        return Optional.of(new Embedded(mechanism, ANY_IPV4));
      }
      if (!prefix.contains(network)) {
        return Optional.empty();
      }
      int known = Math.max(0, Math.min(network.prefixLength() - offset, 32));
      BigInteger bits = network.first().shiftRight(128 - offset - 32).and(IPV4_MASK);
      if (inverted) {
        bits = bits.xor(IPV4_MASK);
      }
      return Optional.of(new Embedded(mechanism, Cidr.containing(fromBigInteger(bits, 32), known)));
    }
  }
}
