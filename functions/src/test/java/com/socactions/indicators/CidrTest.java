package com.socactions.indicators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {

  private static Cidr cidr(String text) {
    return Cidr.parse(text).orElseThrow();
  }

  private static InetAddress ip(String text) {
    return IpAddresses.parse(text).orElseThrow();
  }

  @ParameterizedTest
  @CsvSource({
    "10.0.0.0/8, 10.255.255.255, true",
    "10.0.0.0/8, 11.0.0.0, false",
    "198.51.100.0/24, 198.51.100.0, true",
    "198.51.100.0/24, 198.51.101.0, false",
    "2001:db8::/32, 2001:db8:ffff::1, true",
    "2001:db8::/32, 2001:db9::, false",
    "0.0.0.0/0, 8.8.8.8, true",
    "::/0, 8.8.8.8, false"
  })
  void aNetworkContainsExactlyItsAddresses(String network, String address, boolean contained) {
    assertThat(cidr(network).contains(ip(address))).isEqualTo(contained);
  }

  @ParameterizedTest
  @CsvSource({
    "10.0.0.0/8, 10.1.0.0/16, true",
    "10.1.0.0/16, 10.0.0.0/8, true",
    "10.0.0.0/8, 11.0.0.0/8, false",
    "198.51.100.0/25, 198.51.100.128/25, false",
    "2001:db8::/32, 2001:db8:1::/48, true",
    "0.0.0.0/0, ::/0, false"
  })
  void networksOverlapWhenOneHoldsTheOther(String a, String b, boolean overlap) {
    assertThat(cidr(a).overlaps(cidr(b))).isEqualTo(overlap);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"10.0.0.1/8", "10.0.0.0", "10.0.0.0/33", "10.0.0.0/", "evil/8", "2001:db8::1/32"})
  void theStrictParseRefusesHostBitsAndMalformedText(String text) {
    assertThat(Cidr.parse(text)).isEmpty();
  }

  @Test
  void containingZeroesTheHostBits() {
    assertThat(Cidr.containing(ip("2a02:cf40:1:2::9"), 48)).hasToString("2a02:cf40:1::/48");
    assertThat(Cidr.containing(ip("198.51.100.255"), 23)).hasToString("198.51.100.0/23");
    assertThat(Cidr.containing(ip("255.255.255.255"), 1)).hasToString("128.0.0.0/1");
  }

  @Test
  void aNetworkWithHostBitsSetCannotBeBuilt() {
    assertThatThrownBy(() -> new Cidr(ip("10.0.0.1"), 8))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "8.8.8.0/24       | ''",
        "10.0.0.0/8       | PRIVATE",
        "8.0.0.0/7        | ''",
        "0.0.0.0/0        | UNSPECIFIED PRIVATE RESERVED CGNAT LOOPBACK LINK_LOCAL MULTICAST"
            + " DOCUMENTATION",
        "100.0.0.0/8      | CGNAT",
        "192.0.0.0/16     | RESERVED DOCUMENTATION",
        "192.168.0.0/15   | PRIVATE",
        "2a02:cf40::/32   | ''",
        "fd00::/8         | PRIVATE",
        "fc00::/6         | PRIVATE RESERVED LINK_LOCAL MULTICAST",
        "3fff::/16        | DOCUMENTATION",
        "1000::/4         | RESERVED",
        // ::/0 holds every 6to4, Teredo and NAT64 address, so every IPv4 scope as well
        "::/0             | UNSPECIFIED LOOPBACK RESERVED DOCUMENTATION PRIVATE LINK_LOCAL"
            + " MULTICAST CGNAT",
        "2002:2d2c::/32   | ''",
        "2002:a00::/24    | PRIVATE",
        "2002::/16        | UNSPECIFIED PRIVATE RESERVED CGNAT LOOPBACK LINK_LOCAL MULTICAST"
            + " DOCUMENTATION",
        "2001:0:2d2c:a::/64 | UNSPECIFIED PRIVATE RESERVED CGNAT LOOPBACK LINK_LOCAL MULTICAST"
            + " DOCUMENTATION",
        "2001:0:2d2c:a:0:0:d2d3::/112 | ''",
        "2001:0:2d2c:a:0:0:f5ff::/112 | PRIVATE"
      })
  void aNetworkReportsEveryNonPublicScopeItTouches(String network, String scopes) {
    assertThat(IpAddresses.nonPublicScopesIn(cidr(network)))
        .extracting(Enum::name)
        .containsExactlyInAnyOrder(scopes.isBlank() ? new String[0] : scopes.split(" "));
  }
}
