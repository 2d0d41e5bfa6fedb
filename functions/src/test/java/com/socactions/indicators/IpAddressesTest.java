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
    "::ffff:10.0.0.1, PRIVATE"
  })
  void everyAddressHasItsScope(String input, IpScope scope) {
    assertThat(IpAddresses.scopeOf(IpAddresses.parse(input).orElseThrow())).isEqualTo(scope);
  }
}
