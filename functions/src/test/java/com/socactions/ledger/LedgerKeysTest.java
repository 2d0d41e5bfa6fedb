package com.socactions.ledger;

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
  void partitionsAreProviderTypeAndShardAndRefuseOddProviderIds() {
    assertThat(LedgerKeys.listKey("edl", IndicatorType.IP)).isEqualTo("edl:ip");
    assertThat(LedgerKeys.partitionKey("edl", IndicatorType.IP, "203.0.113.7"))
        .matches("edl:ip:[0-9a-f]");
    assertThat(LedgerKeys.partitionKey("entra-named-location", IndicatorType.CIDR, "45.42.0.0/24"))
        .startsWith("entra-named-location:cidr:");
    assertThatThrownBy(() -> LedgerKeys.partitionKey("edl' or 'a'='a", IndicatorType.IP, "1.2.3.4"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LedgerKeys.partitionKey("EDL/x", IndicatorType.IP, "1.2.3.4"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theRowsOfOneListSpreadOverEveryShard() {
    java.util.Set<String> partitions = new java.util.HashSet<>();
    for (int i = 0; i < 2_000; i++) {
      partitions.add(
          LedgerKeys.partitionKey("edl", IndicatorType.IP, "45.1." + i / 250 + "." + i % 250));
    }
    assertThat(partitions).hasSize(LedgerKeys.SHARDS);
  }
}
