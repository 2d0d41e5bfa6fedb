package com.socactions.graph;

import static com.socactions.graph.FakeGraph.NAMED_LOCATION_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.socactions.indicators.Cidr;
import com.socactions.platform.ConfigurationException;
import com.socactions.platform.Json;
import com.socactions.platform.PolicyRefusedException;
import com.socactions.platform.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GraphNamedLocationsTest {
  private static final String RECORDED_V4 = "12.34.221.11/22";
  private static final String RECORDED_V6 = "2001:0:9d38:90d6:0:0:0:0/63";

  private GraphTesting t;
  private GraphNamedLocations locations;

  @BeforeEach
  void start() throws Exception {
    t = new GraphTesting();
    locations = new GraphNamedLocations(t.client);
  }

  @AfterEach
  void stop() {
    t.close();
  }

  private static Cidr cidr(String text) {
    return Cidr.parse(text).orElseThrow();
  }

  private List<String> held() {
    List<String> ranges = new ArrayList<>();
    t.graph
        .namedLocation(NAMED_LOCATION_ID)
        .path("ipRanges")
        .forEach(range -> ranges.add(range.path("cidrAddress").asText()));
    return ranges;
  }

  private long patches() {
    return t.graph.inner().stream().filter(inner -> inner.method().equals("PATCH")).count();
  }

  @Test
  void theRecordedLocationIsRead() {
    IpNamedLocation location = locations.get(NAMED_LOCATION_ID).orElseThrow();

    assertThat(location.displayName()).isEqualTo("Untrusted IP named location");
    assertThat(location.trusted()).isFalse();
    assertThat(location.ipRanges()).containsExactly(RECORDED_V4, RECORDED_V6);
    assertThat(locations.get("00000000-0000-0000-0000-000000000000")).isEmpty();
  }

  @Test
  void addingKeepsTheOtherRangesAndSendsTheTypedFullList() throws Exception {
    RangeChange change =
        locations.add(NAMED_LOCATION_ID, List.of(cidr("203.0.113.7/32"), cidr("2001:db8::/48")));

    assertThat(change.written()).isTrue();
    assertThat(change.total()).isEqualTo(4);
    assertThat(held()).containsExactly(RECORDED_V4, RECORDED_V6, "203.0.113.7/32", "2001:db8::/48");
    JsonNode sent = Json.UPSTREAM.readTree(t.graph.requests().get(1).getBody().utf8());
    assertThat(sent.path("@odata.type").asText()).isEqualTo("#microsoft.graph.ipNamedLocation");
    assertThat(sent.path("displayName").asText()).isEqualTo("Untrusted IP named location");
    assertThat(sent.has("isTrusted")).isTrue();
    assertThat(sent.path("ipRanges").get(3).path("@odata.type").asText())
        .isEqualTo("#microsoft.graph.iPv6CidrRange");
  }

  @Test
  void addingWhatIsThereWritesNothing() {
    locations.add(NAMED_LOCATION_ID, List.of(cidr("203.0.113.7/32")));

    RangeChange again =
        locations.add(NAMED_LOCATION_ID, List.of(cidr("203.0.113.7/32"), cidr("12.34.220.0/22")));

    assertThat(again.written()).isFalse();
    assertThat(again.unchanged()).hasSize(2);
    assertThat(patches()).isEqualTo(1);
  }

  @Test
  void removingKeepsTheOtherRangesAndRemovingWhatIsAbsentWritesNothing() {
    RangeChange removed = locations.remove(NAMED_LOCATION_ID, List.of(cidr("12.34.220.0/22")));
    RangeChange again = locations.remove(NAMED_LOCATION_ID, List.of(cidr("12.34.220.0/22")));

    assertThat(removed.changed()).containsExactly(cidr("12.34.220.0/22"));
    assertThat(held()).containsExactly(RECORDED_V6);
    assertThat(again.written()).isFalse();
    assertThat(patches()).isEqualTo(1);
  }

  @Test
  void removingTheLastRangeLeavesThePlaceholderWhichTheNextAddDrops() {
    locations.remove(
        NAMED_LOCATION_ID, List.of(cidr("12.34.220.0/22"), cidr("2001:0:9d38:90d6::/63")));
    assertThat(held()).containsExactly(GraphNamedLocations.PLACEHOLDER_RANGE);

    locations.add(NAMED_LOCATION_ID, List.of(cidr("203.0.113.7/32")));
    assertThat(held()).containsExactly("203.0.113.7/32");
  }

  @Test
  void concurrentAddsLoseNoRange() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<RangeChange>> adds = new ArrayList<>();
      for (int i = 1; i <= 16; i++) {
        Cidr range = cidr("198.51.100." + i + "/32");
        adds.add(pool.submit(() -> locations.add(NAMED_LOCATION_ID, List.of(range))));
      }
      for (Future<RangeChange> add : adds) {
        add.get();
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(held()).hasSize(18);
  }

  @Test
  void anAddPastTheLimitIsRefusedAndWritesNothing() {
    GraphNamedLocations small = new GraphNamedLocations(t.client, 3);

    assertThatThrownBy(
            () ->
                small.add(
                    NAMED_LOCATION_ID, List.of(cidr("203.0.113.7/32"), cidr("203.0.113.8/32"))))
        .isInstanceOfSatisfying(
            PolicyRefusedException.class,
            e -> assertThat(e.reason()).isEqualTo("named_location_full"));
    assertThat(patches()).isZero();
  }

  @Test
  void aCountryLocationOrAMissingOneIsAConfigurationError() {
    String countries = "66666666-6666-6666-6666-666666666666";
    t.graph.addCountryLocation(countries);

    assertThatThrownBy(() -> locations.add(countries, List.of(cidr("203.0.113.7/32"))))
        .isInstanceOf(ConfigurationException.class);
    assertThatThrownBy(
            () ->
                locations.add(
                    "00000000-0000-0000-0000-000000000000", List.of(cidr("203.0.113.7/32"))))
        .isInstanceOfSatisfying(
            ConfigurationException.class,
            e -> assertThat(e.setting()).contains(GraphNamedLocations.LOCATION_SETTING));
    assertThatThrownBy(
            () ->
                GraphModule.Options.from(
                    Settings.of(Map.of(GraphNamedLocations.LOCATION_SETTING, "Blocked IPs"))))
        .isInstanceOf(ConfigurationException.class);
  }

  @Test
  void namedLocationCallsArePacedOneSecondApart() {
    locations.add(NAMED_LOCATION_ID, List.of(cidr("203.0.113.7/32")));

    List<Long> stamps = t.graph.stamps();
    assertThat(stamps.get(1) - stamps.get(0)).isGreaterThanOrEqualTo(1_000_000_000L);
  }
}
