package com.socactions.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProviderRegistryTest {
  private final ProviderRegistry registry =
      new ProviderRegistry()
          .register(
              List.of(
                  new FakeProvider("edl", Set.of(Capability.BLOCK), true),
                  new FakeProvider("panos", Set.of(Capability.BLOCK), false),
                  new FakeProvider("geoip", Set.of(Capability.ENRICH), true)));

  @Test
  void aCapabilityListsOnlyItsConfiguredProvidersByDefault() {
    assertThat(registry.list(Optional.of(Capability.BLOCK), false))
        .extracting(Provider::id)
        .containsExactly("edl");
  }

  @Test
  void unconfiguredProvidersAreListedWhenAskedFor() {
    assertThat(registry.list(Optional.of(Capability.BLOCK), true))
        .extracting(Provider::id)
        .containsExactly("edl", "panos");
    assertThat(registry.list(Optional.empty(), true)).hasSize(3);
  }

  @Test
  void anIdCannotBeRegisteredTwice() {
    assertThatThrownBy(
            () ->
                registry.register(List.of(new FakeProvider("EDL", Set.of(Capability.BLOCK), true))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("EDL");
  }

  @Test
  void oneUpstreamWithTwoCapabilitiesIsListedOnceWithBoth() {
    registry.register(List.of(new FakeProvider("geoip", Set.of(Capability.TICKETS), false)));

    assertThat(registry.list(Optional.empty(), true)).hasSize(3);
    Provider combined = registry.find("geoip").orElseThrow();
    assertThat(combined.capabilities())
        .containsExactlyInAnyOrder(Capability.ENRICH, Capability.TICKETS);
    assertThat(combined.isConfigured()).isTrue();
    assertThat(combined.readiness().status()).isEqualTo(Readiness.Status.OK);
    assertThat(registry.list(Optional.of(Capability.TICKETS), false))
        .extracting(Provider::id)
        .containsExactly("geoip");
  }

  @Test
  void aCombinedProviderReportsTheWorseReadinessOfTheTwo() {
    Provider ok = new FakeProvider("servicenow", Set.of(Capability.CMDB), true);
    Provider broken =
        new MisconfiguredProvider(
            "servicenow", Set.of(Capability.TICKETS), "SERVICENOW_STATE_MAP is malformed");

    Provider combined =
        new ProviderRegistry().register(List.of(ok, broken)).find("servicenow").orElseThrow();

    assertThat(combined.readiness().detail()).contains("SERVICENOW_STATE_MAP");
  }

  @Test
  void capabilitiesParseByTheirWireNameInAnyCase() {
    assertThat(Capability.parse(" Block ")).contains(Capability.BLOCK);
    assertThat(Capability.parse("blocks")).isEmpty();
  }

  /** A provider whose answers are given. */
  record FakeProvider(String id, Set<Capability> capabilities, boolean isConfigured)
      implements Provider {
    @Override
    public String displayName() {
      return id.toUpperCase();
    }

    @Override
    public String description() {
      return "fake " + id;
    }

    @Override
    public Readiness readiness() {
      return isConfigured ? Readiness.ok("fine") : Readiness.notConfigured("set FAKE_URL");
    }
  }

  /** A configured provider whose readiness is an error. */
  record MisconfiguredProvider(String id, Set<Capability> capabilities, String problem)
      implements Provider {
    @Override
    public String displayName() {
      return id;
    }

    @Override
    public String description() {
      return "misconfigured " + id;
    }

    @Override
    public boolean isConfigured() {
      return true;
    }

    @Override
    public Readiness readiness() {
      return Readiness.error(problem);
    }
  }
}
