package com.socactions.indicators;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressesTest {

  @ParameterizedTest
  @CsvSource({
    "81.2.69.142, 81.2.69.142",
    "' 8.8.8.8 ', 8.8.8.8",
    "::ffff:1.2.3.4, 1.2.3.4",
    "[2001:DB8:0:0:0:0:0:1], 2001:db8::1",
    "2606:4700:4700:0000:0000:0000:0000:1111, 2606:4700:4700::1111"
  })
  void addressesAreNormalisedToCanonicalText(String input, String canonical) {
    InetAddress address = IpAddresses.parse(input).orElseThrow();
    assertThat(IpAddresses.canonical(address)).isEqualTo(canonical);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "evil.example",
        "1.2.3",
        "1.2.3.256",
        "01.2.3.4x",
        "fe80::1%eth0",
        "1.2.3.4/24",
        "null"
      })
  void somethingThatIsNotAnAddressLiteralDoesNotParse(String input) {
    assertThat(IpAddresses.parse(input)).isEmpty();
  }

  @Test
  void aHostNameIsNeverResolved() {
    assertThat(IpAddresses.parse("localhost")).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({
    "8.8.8.8, PUBLIC",
    "81.2.69.142, PUBLIC",
    "10.1.2.3, PRIVATE",
    "172.31.255.255, PRIVATE",
    "172.32.0.1, PUBLIC",
    "192.168.1.1, PRIVATE",
    "127.0.0.1, LOOPBACK",
    "169.254.169.254, LINK_LOCAL",
    "100.64.0.1, CGNAT",
    "100.128.0.1, PUBLIC",
    "224.0.0.251, MULTICAST",
    "192.0.2.10, DOCUMENTATION",
    "198.51.100.7, DOCUMENTATION",
    "203.0.113.7, DOCUMENTATION",
    "198.18.0.1, RESERVED",
    "240.0.0.1, RESERVED",
    "255.255.255.255, RESERVED",
    "0.0.0.0, UNSPECIFIED",
    "::, UNSPECIFIED",
    "::1, LOOPBACK",
    "fe80::1, LINK_LOCAL",
    "fd12:3456::1, PRIVATE",
    "ff02::1, MULTICAST",
    "2001:db8::1, DOCUMENTATION",
    "2606:4700:4700::1111, PUBLIC",
    "2a02:cf40::1, PUBLIC",
    "::ffff:10.0.0.1, PRIVATE",
    // 6to4 (2002::/16): the IPv4 address is bits 16-47
    "2002:a00:1::1, PRIVATE",
    "2002:c0a8:101:5::1, PRIVATE",
    "2002:7f00:1::, LOOPBACK",
    "2002:a9fe:a9fe::1, LINK_LOCAL",
    "2002:6440:1::1, CGNAT",
    "2002:e000:fb::1, MULTICAST",
    "2002:c000:22d::1, DOCUMENTATION",
    "2002:c058:6301::1, RESERVED",
    "2002::1, UNSPECIFIED",
    "2002:808:808::1, PUBLIC",
    "2002:2d2c:a::1, PUBLIC",
    // Teredo (2001::/32): the server is bits 32-63, the client bits 96-127 inverted
    "2001:0:4136:e378:8000:63bf:3fff:fdd2, DOCUMENTATION",
    "2001:0:4136:e378:8000:63bf:f5ff:fffe, PRIVATE",
    "2001:0:a00:1:8000:63bf:d2d3:fff5, PRIVATE",
    "2001:0:7f00:1:8000:63bf:d2d3:fff5, LOOPBACK",
    "2001:0:4136:e378:8000:63bf:d2d3:fff5, PUBLIC",
    // NAT64's well-known prefix (64:ff9b::/96): the IPv4 address is bits 96-127
    "64:ff9b::a00:1, PRIVATE",
    "64:ff9b::7f00:1, LOOPBACK",
    "64:ff9b::808:808, RESERVED"
  })
  void everyAddressHasItsScope(String input, IpScope scope) {
    assertThat(IpAddresses.scopeOf(IpAddresses.parse(input).orElseThrow())).isEqualTo(scope);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "2002:a00:1::1                       | 6to4 of 10.0.0.1",
        "2002:a00::/24                       | 6to4 of 10.0.0.0/8",
        "2002::/16                           | 6to4 of 0.0.0.0/0",
        "2001:0:4136:e378:8000:63bf:3fff:fdd2 | Teredo server 65.54.227.120, Teredo client"
            + " 192.0.2.45",
        "2001:0:4136:e378::/64               | Teredo server 65.54.227.120, Teredo client"
            + " 0.0.0.0/0",
        "2001:0:4136:e378:8000:63bf:f5ff::/112 | Teredo server 65.54.227.120,"
            + " Teredo client 10.0.0.0/16",
        "2001::/32                           | Teredo server 0.0.0.0/0, Teredo client 0.0.0.0/0",
        "64:ff9b::a00:1                      | NAT64 10.0.0.1",
        "64:ff9b::/96                        | NAT64 0.0.0.0/0",
        "2000::/3                            | 6to4 of 0.0.0.0/0, Teredo server 0.0.0.0/0, Teredo"
            + " client 0.0.0.0/0",
        "2a02:cf40::1                        | ''",
        "10.0.0.1                            | ''"
      })
  void transitionAddressesSayWhichIpv4AddressesTheyCarry(String input, String embedded) {
    Cidr network =
        input.contains("/")
            ? Cidr.parse(input).orElseThrow()
            : Cidr.of(IpAddresses.parse(input).orElseThrow());

    assertThat(
            String.join(
                ", ",
                IpAddresses.embeddedIpv4(network).stream()
                    .map(IpAddresses.Embedded::describe)
                    .toList()))
        .isEqualTo(embedded);
  }
}
