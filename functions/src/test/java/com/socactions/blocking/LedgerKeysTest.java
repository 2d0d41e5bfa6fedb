package com.socactions.blocking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.socactions.indicators.IndicatorType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LedgerKeysTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "198.51.100.0/24",
        "2001:db8::/48",
        "https://x.example/p?q=1#frag",
        "https://x.example/a\\b",
        "https://x.example/%2F%3F%23",
        "https://x.example/~tilde~7E~~",
        "it's 'single'",
        "tab\tnew\nline\u0000nul\u007fdel\u009fc1",
        "ünïcödé.example/パス/😀",
        "|pipe|and;semicolon"
      })
  void everyHostileValueRoundTripsThroughAKeyTableStorageAccepts(String value) {
    String key = LedgerKeys.rowKey(value);

    assertThat(key).matches("[A-Za-z0-9._:~-]+").doesNotContain("~~");
    assertThat(LedgerKeys.valueOf(key)).hasValue(value);
  }

  @Test
  void addressesAndDomainsStayReadable() {
    assertThat(LedgerKeys.rowKey("203.0.113.7")).isEqualTo("203.0.113.7");
    assertThat(LedgerKeys.rowKey("2001:db8::1")).isEqualTo("2001:db8::1");
    assertThat(LedgerKeys.rowKey("evil.example")).isEqualTo("evil.example");
    assertThat(LedgerKeys.rowKey("198.51.100.0/24")).isEqualTo("198.51.100.0~2F24");
  }

  @Test
  void aLongUrlGetsAShortHashedKeyThatCannotCollideWithAnEscapedOne() {
    String url = "https://x.example/" + "a/".repeat(1000);
    String other = url + "b";

    String key = LedgerKeys.rowKey(url);

    assertThat(key).startsWith("~~").hasSizeLessThan(LedgerKeys.MAX_ROW_KEY_CHARS);
    assertThat(key).isNotEqualTo(LedgerKeys.rowKey(other));
    assertThat(LedgerKeys.valueOf(key)).isEmpty();
  }

  @Test
  void aValueJustUnderTheLimitKeepsItsReadableKey() {
    String value = "a".repeat(LedgerKeys.MAX_ROW_KEY_CHARS);
    assertThat(LedgerKeys.rowKey(value)).isEqualTo(value);
    assertThat(LedgerKeys.rowKey(value + "a")).startsWith("~~");
  }

  @Test
  void keysThisClassDidNotWriteAreNotDecoded() {
    assertThat(LedgerKeys.valueOf("abc~2")).isEmpty();
    assertThat(LedgerKeys.valueOf("abc~ZZ")).isEmpty();
    assertThat(LedgerKeys.valueOf("a/b")).isEmpty();
  }

  @Test
  void partitionsAreProviderAndTypeAndRefuseOddProviderIds() {
    assertThat(LedgerKeys.partitionKey("edl", IndicatorType.IP)).isEqualTo("edl:ip");
    assertThat(LedgerKeys.partitionKey("entra-named-location", IndicatorType.CIDR))
        .isEqualTo("entra-named-location:cidr");
    assertThatThrownBy(() -> LedgerKeys.partitionKey("edl' or 'a'='a", IndicatorType.IP))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LedgerKeys.partitionKey("EDL/x", IndicatorType.IP))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
