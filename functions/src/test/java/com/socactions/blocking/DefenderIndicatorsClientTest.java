package com.socactions.blocking;

import static org.assertj.core.api.Assertions.assertThat;

import okhttp3.HttpUrl;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DefenderIndicatorsClientTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "https://api.securitycenter.microsoft.com, https://api.securitycenter.microsoft.com/.default",
    "https://api.security.microsoft.com, https://api.securitycenter.microsoft.com/.default",
    "https://eu.api.security.microsoft.com, https://api.securitycenter.microsoft.com/.default",
    "https://US.api.security.microsoft.com/api/, https://api.securitycenter.microsoft.com/.default",
    "https://api-gcc.securitycenter.microsoft.us,"
        + " https://api-gcc.securitycenter.microsoft.us/.default",
    "http://127.0.0.1:41234/, http://127.0.0.1:41234/.default"
  })
  void regionalHostsAskForTheWindowsDefenderAtpTokenAndOtherCloudsForTheirOwn(
      String base, String scope) {
    assertThat(DefenderIndicatorsClient.scopeOf(HttpUrl.get(base))).isEqualTo(scope);
  }
}
