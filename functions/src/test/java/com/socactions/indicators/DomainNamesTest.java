package com.socactions.indicators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
  @ValueSource(strings = {"dc01.corp.local", "printer.internal"})
  void internalNamesAreSkippedNotInvalid(String input) {
    assertThatThrownBy(() -> DomainNames.parse(input))
        .isInstanceOf(DomainNames.NotADomainException.class)
        .matches(e -> ((DomainNames.NotADomainException) e).isInternal());
  }
}
