package com.socactions.indicators;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class IndicatorsTest {

  @ParameterizedTest(name = "{0} -> {1} {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        // addresses
        "81.2.69.142                           | ip     | 81.2.69.142",
        "'  8.8.8.8\t'                         | ip     | 8.8.8.8",
        "::ffff:1.2.3.4                        | ip     | 1.2.3.4",
        "[2001:DB8:0:0:0:0:0:1]                | ip     | 2001:db8::1",
        "2606:4700:4700:0000:0000:0000:0000:1111 | ip   | 2606:4700:4700::1111",
        "1.2.3.4/32                            | ip     | 1.2.3.4",
        "2a02:cf40::1/128                      | ip     | 2a02:cf40::1",
        "8[.]8[.]8[.]8                         | ip     | 8.8.8.8",
        // networks
        "198.51.100.0/24                       | cidr   | 198.51.100.0/24",
        "198.51.100.77/24                      | cidr   | 198.51.100.0/24",
        "10.1.2.3/8                            | cidr   | 10.0.0.0/8",
        "198.51.100.0/024                      | cidr   | 198.51.100.0/24",
        "0.0.0.0/0                             | cidr   | 0.0.0.0/0",
        "2001:0DB8:0000::/32                   | cidr   | 2001:db8::/32",
        "2a02:cf40:1:2:3::9/48                 | cidr   | 2a02:cf40:1::/48",
        "::ffff:10.0.0.0/104                   | cidr   | 10.0.0.0/8",
        "[2001:db8::]/48                       | cidr   | 2001:db8::/48",
        "::/0                                  | cidr   | ::/0",
        // domains
        "Evil.Example.COM                      | domain | evil.example.com",
        "evil.example.com.                     | domain | evil.example.com",
        "münchen.de                            | domain | xn--mnchen-3ya.de",
        "XN--MNCHEN-3YA.DE                     | domain | xn--mnchen-3ya.de",
        "evil[.]example(.)com                  | domain | evil.example.com",
        "evil[dot]example{.}com                | domain | evil.example.com",
        "com                                   | domain | com",
        "co.uk                                 | domain | co.uk",
        "cafe                                  | domain | cafe",
        "dc01.corp.local                       | domain | dc01.corp.local",
        // Unicode full stops are dots (IDNA): trailing ones go like the ASCII one
        "contoso.com\u3002                     | domain | contoso.com",
        "contoso\uFF0Ecom\uFF61                | domain | contoso.com",
        "contoso\uFF61com\uFF0E                | domain | contoso.com",
        "8\u30028\u30028\u30028                  | ip     | 8.8.8.8",
        // special-use top-level names parse (the guardrails refuse them as internal names)
        "localhost                             | domain | localhost",
        "LOCAL                                 | domain | local",
        "test.                                 | domain | test",
        "invalid                               | domain | invalid",
        "internal                              | domain | internal",
        "例え.テスト                             | domain | xn--r8jz45g.xn--zckzah",
        // URLs
        "https://Evil.Example.COM/Login?Next=/A#frag | url |"
            + " https://evil.example.com/Login?Next=/A",
        "HTTP://evil.example.com                | url   | http://evil.example.com/",
        "http://evil.example.com:80/a           | url   | http://evil.example.com/a",
        "https://evil.example.com:443/a         | url   | https://evil.example.com/a",
        "https://evil.example.com:8443/a        | url   | https://evil.example.com:8443/a",
        "http://evil.example.com:/a             | url   | http://evil.example.com/a",
        "ftp://files.example.com:21/x.exe       | url   | ftp://files.example.com/x.exe",
        "https://user:pass@evil.example.com/p   | url   | https://evil.example.com/p",
        "https://good.example@evil.example.com/ | url   | https://evil.example.com/",
        "http://evil.example.com\\@good.example/ | url  | http://evil.example.com/@good.example/",
        "http://evil.example.com\\a\\b?q=\\     | url   | http://evil.example.com/a/b?q=\\",
        "http://[::1]:80/x                      | url   | http://[::1]/x",
        "http://[2001:DB8::0001]:8080/x         | url   | http://[2001:db8::1]:8080/x",
        "http://[::ffff:8.8.8.8]/x              | url   | http://8.8.8.8/x",
        "http://8.8.8.8:8080                    | url   | http://8.8.8.8:8080/",
        "https://contoso.com\u3002/x             | url   | https://contoso.com/x",
        "http://10\u30020\u30020\u30021/x          | url   | http://10.0.0.1/x",
        "http://localhost:8080/x                | url   | http://localhost:8080/x",
        "hxxp://evil[.]example[.]com/payload    | url   | http://evil.example.com/payload",
        "HXXPS[://]evil.example.com/p           | url   | https://evil.example.com/p",
        "fxp://files.example.com/x              | url   | ftp://files.example.com/x",
        "https://münchen.de/straße              | url   | https://xn--mnchen-3ya.de/stra%C3%9Fe",
        "https://evil.example.com/%7euser/%2fx%2F%41 | url |"
            + " https://evil.example.com/~user/%2Fx%2FA",
        "https://evil.example.com/100%          | url   | https://evil.example.com/100%25",
        "https://evil.example.com/a/../b/./c    | url   | https://evil.example.com/a/../b/./c",
        "https://evil.example.com?q             | url   | https://evil.example.com/?q",
        "https://%65vil.example.com/            | url   | https://evil.example.com/",
        "https://evil.example.com./x            | url   | https://evil.example.com/x",
        // hashes
        "D41D8CD98F00B204E9800998ECF8427E                                 | md5    |"
            + " d41d8cd98f00b204e9800998ecf8427e",
        "da39a3ee5e6b4b0d3255bfef95601890afd80709                         | sha1   |"
            + " da39a3ee5e6b4b0d3255bfef95601890afd80709",
        "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855 | sha256 |"
            + " e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
      })
  void everyIndicatorIsDetectedAndNormalised(String input, String type, String value) {
    ParseResult result = Indicators.parse(input);

    assertThat(result).isInstanceOf(ParseResult.Parsed.class);
    Indicator indicator = ((ParseResult.Parsed) result).indicator();
    assertThat(indicator.type().wireName()).isEqualTo(type);
    assertThat(indicator.value()).isEqualTo(value);
    assertThat(indicator.input()).isEqualTo(input);
  }

  @ParameterizedTest(name = "{0} -> invalid: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "''                                   | empty",
        "'   '                                | empty",
        "evil example.com                     | space",
        "evil.example.com 8.8.8.8             | space",
        "1.2.3                                | neither a dotted-quad",
        "_dmarc.example.com                   | not a valid domain",
        "1.2.3.256                            | neither a dotted-quad",
        "010.8.8.8                            | neither a dotted-quad",
        "2130706433                           | neither a dotted-quad",
        "0x7f.1                               | neither a dotted-quad",
        "http://2130706433/                   | neither a dotted-quad",
        "http://0x7f.0.0.1/                   | neither a dotted-quad",
        "fe80::1%eth0                         | zone id",
        "[::1]:80                             | port",
        "8.8.8.8:53                           | port",
        "evil.example.com:443                 | port",
        "1.2.3.4/33                           | at most /32",
        "2001:db8::/129                       | at most /128",
        "1.2.3.4/x                            | prefix",
        "1.2.3.4/-1                           | prefix",
        "::ffff:10.0.0.0/64                   | /96 or longer",
        "evil.example.com/login.php           | scheme",
        "alice@evil.example.com               | e-mail",
        "deadbeef                             | single-label",
        "d41d8cd98f00b204e9800998ecf8427                          | 31 hex digits",
        "d41d8cd98f00b204e9800998ecf8427e00                       | 34 hex digits",
        "-bad-.example.com                    | not a valid domain",
        "evil..example.com                    | empty label",
        "evil.example.com..                   | empty label",
        ".                                    | empty label",
        "faß.de                               | xn-- form",
        "javascript://alert(1)                | http, https or ftp",
        "file:///etc/passwd                   | http, https or ftp",
        "http://                              | no host",
        "http:///path                         | no host",
        "http://user@/path                    | no host",
        "http://[::1/x                        | closing ]",
        "http://[1.2.3.4]/x                   | not an IPv6 address",
        "http://evil.example.com:99999/       | 1 to 65535",
        "http://evil.example.com:0/           | 1 to 65535",
        "http://evil.example.com:8o/          | not a number",
        "http://ev%ZZil.example.com/          | malformed percent-escape",
        "http://%ff%fe.example.com/           | invalid UTF-8",
        "http://evil%00.example.com/          | invisible character U+0000",
        "http://intranet/                     | single-label",
        "http://evil_example!.com/            | not a valid domain"
      })
  void anythingElseIsInvalidWithAReason(String input, String reasonFragment) {
    ParseResult result = Indicators.parse(input);

    assertThat(result).isInstanceOf(ParseResult.Invalid.class);
    assertThat(((ParseResult.Invalid) result).reason()).contains(reasonFragment);
    assertThat(result.input()).isEqualTo(input);
  }

  static Stream<Arguments> hostileInputs() {
    return Stream.of(
        Arguments.of("8.8.8.8\u0000", "U+0000"),
        Arguments.of("evil.example.com\u0007", "U+0007"),
        Arguments.of("evil\u200b.example.com", "U+200B"), // zero-width space
        Arguments.of("evil.example.com\u202egpj.exe", "U+202E"), // right-to-left override
        Arguments.of("evil\u00a0example.com", "space"), // no-break space
        Arguments.of("http://evil.example.com/a\r\nSet-Cookie:x", "U+000D"),
        Arguments.of("https://evil.example.com/" + "a".repeat(Indicators.MAX_LENGTH), "too long"),
        Arguments.of("a".repeat(100_000) + ".com", "too long"),
        Arguments.of("a".repeat(64) + ".example.com", "not a valid domain"),
        Arguments.of("https://evil.example.com/" + "é".repeat(500), "too long once normalised"),
        Arguments.of(null, "empty"));
  }

  @ParameterizedTest
  @MethodSource("hostileInputs")
  void hostileInputsAreInvalidNeverAnException(String input, String reasonFragment) {
    ParseResult result = Indicators.parse(input);

    assertThat(result).isInstanceOf(ParseResult.Invalid.class);
    assertThat(((ParseResult.Invalid) result).reason())
        .contains(reasonFragment)
        .hasSizeLessThan(300);
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "10.1.2.3/8                    | host bits zeroed: 10.1.2.3/8 is the network 10.0.0.0/8",
        "1.2.3.4/32                    | a /32 is one address",
        "::ffff:1.2.3.4                | IPv4-mapped",
        "hxxp://evil[.]example.com/    | defanged",
        "https://u:p@evil.example.com/ | credentials dropped",
        "münchen.de                    | internationalised name written as xn--mnchen-3ya.de"
      })
  void surprisingNormalisationIsNoted(String input, String note) {
    ParseResult.Parsed parsed = (ParseResult.Parsed) Indicators.parse(input);

    assertThat(parsed.notes()).anySatisfy(text -> assertThat(text).contains(note));
  }

  @Test
  void anUnsurprisingIndicatorHasNoNotes() {
    assertThat(((ParseResult.Parsed) Indicators.parse("198.51.100.0/24")).notes()).isEmpty();
  }

  @Test
  void aBatchIsAnsweredItemByItem() {
    List<ParseResult> results =
        Indicators.parseAll(List.of("8.8.8.8", "not a thing", "evil.example.com"));

    assertThat(results)
        .extracting(result -> result.getClass().getSimpleName())
        .containsExactly("Parsed", "Invalid", "Parsed");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "https://evil.example.com:8443/a  | evil.example.com",
        "http://[2001:db8::1]:8080/x      | 2001:db8::1",
        "http://8.8.8.8/                  | 8.8.8.8",
        "evil.example.com                 | evil.example.com"
      })
  void theHostOfADomainOrUrlIsAvailable(String input, String host) {
    Indicator indicator = ((ParseResult.Parsed) Indicators.parse(input)).indicator();

    assertThat(indicator.host()).contains(host);
  }

  @Test
  void addressesNetworksAndHashesHaveNoHost() {
    assertThat(((ParseResult.Parsed) Indicators.parse("8.8.8.8")).indicator().host()).isEmpty();
    assertThat(
            ((ParseResult.Parsed) Indicators.parse("d41d8cd98f00b204e9800998ecf8427e"))
                .indicator()
                .host())
        .isEmpty();
  }
}
