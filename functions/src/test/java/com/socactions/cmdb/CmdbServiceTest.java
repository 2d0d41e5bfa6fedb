package com.socactions.cmdb;

import static org.assertj.core.api.Assertions.assertThat;

import com.socactions.indicators.Indicator;
import com.socactions.indicators.Indicators;
import com.socactions.indicators.ParseResult;
import com.socactions.platform.Settings;
import com.socactions.testing.TestKit;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class CmdbServiceTest {

  @Test
  void theBlockGuardrailAsksTheCmdbOncePerBatchNotOncePerIndicator() {
    RecordingCmdb cmdb = new RecordingCmdb(Set.of(), Set.of());
    CriticalAssets assets = new CmdbService(List.of(cmdb), "recording").criticalAssets();
    List<Indicator> indicators =
        IntStream.range(0, 100).mapToObj(i -> parse("host" + i + ".fabrikam.com")).toList();

    CriticalAssets batch = assets.forBatch(indicators);
    indicators.forEach(batch::find);

    // One lookup: each domain as itself and as *.domain, its subdomains.
    assertThat(cmdb.assetBatches).hasSize(1);
    assertThat(cmdb.assetBatches.get(0))
        .hasSize(200)
        .contains("host7.fabrikam.com", "*.host7.fabrikam.com");
  }

  @Test
  void whenTheCmdbCannotAnswerForAnIndicatorItsBlockIsRefusedAsPossiblyCritical() {
    RecordingCmdb cmdb =
        new RecordingCmdb(Set.of("known.fabrikam.com"), Set.of("flaky.fabrikam.com"));
    CriticalAssets batch =
        new CmdbService(List.of(cmdb), "recording")
            .criticalAssets()
            .forBatch(
                List.of(
                    parse("flaky.fabrikam.com"),
                    parse("known.fabrikam.com"),
                    parse("unknown.fabrikam.com")));

    assertThat(batch.find(parse("flaky.fabrikam.com")))
        .get()
        .satisfies(asset -> assertThat(asset.why()).contains("could not answer"));
    // The recording CMDB's assets are "high", neither critical nor HVA: blocking them is fine.
    assertThat(batch.find(parse("known.fabrikam.com"))).isEmpty();
    assertThat(batch.find(parse("unknown.fabrikam.com"))).isEmpty();
  }

  @Test
  void theSampleCmdbMarksDomainControllersCritical() {
    CmdbModule module = TestKit.cmdb(Settings.of(Map.of()), Clock.systemUTC());

    assertThat(module.criticalAssets().find(parse("dc01.contoso.com")))
        .get()
        .satisfies(asset -> assertThat(asset.why()).contains("critical").contains("high-value"));
    assertThat(module.criticalAssets().find(parse("185.220.101.1"))).isEmpty();
  }

  private static Indicator parse(String value) {
    return ((ParseResult.Parsed) Indicators.parse(value)).indicator();
  }
}
