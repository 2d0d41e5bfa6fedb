package com.socactions.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProviderRegistryTest {
  private final ProviderRegistry registry = new ProviderRegistry().register(List.of(
      new FakeProvider("edl", Set.of(Capability.BLOCK), true),
      new FakeProvider("panos", Set.of(Capability.BLOCK), false),
      new FakeProvider("geoip", Set.of(Capability.ENRICH), true)));

  @Test
  void aCapabilityListsOnlyItsConfiguredProvidersByDefault() {
    assertThat(registry.list(Optional.of(Capability.BLOCK), false)).extracting(Provider::id).containsExactly("edl");
  }

  @Test
  void unconfiguredProvidersAreListedWhenAskedFor() {
    assertThat(registry.list(Optional.of(Capability.BLOCK), true)).extracting(Provider::id).containsExactly("edl", "panos");
    assertThat(registry.list(Optional.empty(), true)).hasSize(3);
  }

  @Test
  void anIdCannotBeRegisteredTwice() {
    assertThatThrownBy(() -> registry.register(List.of(new FakeProvider("EDL", Set.of(Capability.BLOCK), true))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("EDL");
  }

  @Test
  void capabilitiesParseByTheirWireNameInAnyCase() {
    assertThat(Capability.parse(" Block ")).contains(Capability.BLOCK);
    assertThat(Capability.parse("blocks")).isEmpty();
  }

  /** A provider whose answers are given. */
  record FakeProvider(String id, Set<Capability> capabilities, boolean isConfigured) implements Provider {
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
}
