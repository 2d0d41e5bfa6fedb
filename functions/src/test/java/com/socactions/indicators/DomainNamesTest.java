package com.socactions.indicators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DomainNamesTest {

  @ParameterizedTest
  @CsvSource({
    "google.com, google.com, google.com",
    "WWW.Google.COM., www.google.com, google.com",
    "login.evil.co.uk, login.evil.co.uk, evil.co.uk",
    "https://x.example.com/path?q=1, x.example.com, example.com",
    "alice@mail.contoso.com, mail.contoso.com, contoso.com",
    "münchen.de, xn--mnchen-3ya.de, xn--mnchen-3ya.de",
    "foo.blogspot.com, foo.blogspot.com, blogspot.com"
  })
  void theRegistrableDomainIsTheNameRightUnderTheRegistrySuffix(
      String input, String name, String registrable) throws Exception {
    DomainNames.ParsedDomain parsed = DomainNames.parse(input);
    assertThat(parsed.name()).isEqualTo(name);
    assertThat(parsed.registrableDomain()).isEqualTo(registrable);
  }

  @ParameterizedTest
  @ValueSource(strings = {"com", "co.uk", "8.8.8.8", "not a domain", "", "-bad-.com"})
  void publicSuffixesAddressesAndMalformedNamesAreNotDomains(String input) {
    assertThatThrownBy(() -> DomainNames.parse(input))
        .isInstanceOf(DomainNames.NotADomainException.class)
        .matches(e -> !((DomainNames.NotADomainException) e).isInternal());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "dc01.corp.local",
        "printer.internal",
        "printer.home.arpa",
        "10.in-addr.arpa",
        "1.0.0.10.in-addr.arpa",
        "db.localhost",
        "x.test",
        "nas.lan",
        "https://intranet.corp/x",
        "evil.example"
      })
  void internalNamesAreSkippedNotInvalid(String input) {
    assertThatThrownBy(() -> DomainNames.parse(input))
        .isInstanceOf(DomainNames.NotADomainException.class)
        .matches(e -> ((DomainNames.NotADomainException) e).isInternal());
  }

  @Test
  void unicodeFullStopsAreDotsForEnrichmentToo() throws Exception {
    assertThat(DomainNames.parse("login.contoso.com\u3002").name()).isEqualTo("login.contoso.com");
    assertThat(DomainNames.parse("login\uFF0Econtoso\uFF61com").registrableDomain())
        .isEqualTo("contoso.com");
    assertThat(DomainNames.withAsciiDots("a\u3002b\uFF0Ec\uFF61d.e")).isEqualTo("a.b.c.d.e");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        // under no public suffix: the organisation's own names
        "corp.local            | RFC 6762",
        "dc01.corp.local       | RFC 6762",
        "local                 | RFC 6762",
        "nas.lan               | under no public suffix",
        "fs01.corp             | under no public suffix",
        "router.home           | under no public suffix",
        "intranet.zz           | under no public suffix",
        // RFC 6761, 6762, 8375, 9476 and ICANN's internal
        "localhost             | RFC 6761",
        "db.localhost          | RFC 6761",
        "test                  | RFC 6761",
        "x.test                | RFC 6761",
        "invalid               | RFC 6761",
        "y.invalid             | RFC 6761",
        "home.arpa             | RFC 8375",
        "printer.home.arpa     | RFC 8375",
        "alt                   | RFC 9476",
        "wiki.alt              | RFC 9476",
        "internal              | ICANN",
        "intranet.internal     | ICANN",
        // arpa: reverse DNS and protocol zones (RFC 6761, 6762, 8880, 9462, ...)
        "arpa                  | RFC 3172",
        "10.in-addr.arpa       | RFC 3172",
        "16.172.in-addr.arpa   | RFC 3172",
        "168.192.in-addr.arpa  | RFC 3172",
        "254.169.in-addr.arpa  | RFC 3172",
        "8.e.f.ip6.arpa        | RFC 3172",
        "ipv4only.arpa         | RFC 3172",
        "resolver.arpa         | RFC 3172",
        "service.arpa          | RFC 3172",
        "6tisch.arpa           | RFC 3172"
      })
  void internalAndSpecialUseNamesSayWhy(String name, String why) {
    assertThat(DomainNames.internalName(name)).get().asString().contains(why);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "contoso.com",
        "com",
        "co.uk",
        "github.io",
        "attacker.github.io",
        "example.com",
        "example.net",
        "evil.example",
        "example",
        "abcdefghijklmnop.onion",
        "onion",
        "xn--mnchen-3ya.de",
        "not a name"
      })
  void outsideNamesDocumentationNamesAndOnionServicesAreNotInternal(String name) {
    assertThat(DomainNames.internalName(name)).isEmpty();
  }
}
