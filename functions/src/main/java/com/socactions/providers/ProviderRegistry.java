package com.socactions.providers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The providers of this deployment, in registration order. Each capability registers its own
 * when the composition root builds it; nothing else needs to know which exist.
 */
public final class ProviderRegistry {
  private final List<Provider> providers = new ArrayList<>();

  /**
   * Adds providers.
   *
   * @throws IllegalArgumentException when an id is registered twice (a programming error)
   */
  public synchronized ProviderRegistry register(List<? extends Provider> added) {
    for (Provider provider : added) {
      if (find(provider.id()).isPresent()) {
        throw new IllegalArgumentException("Provider '" + provider.id() + "' is registered twice");
      }
      providers.add(provider);
    }
    return this;
  }

  public synchronized List<Provider> all() {
    return Collections.unmodifiableList(new ArrayList<>(providers));
  }

  /** Providers with the capability (all when empty), configured ones only unless asked for all. */
  public List<Provider> list(Optional<Capability> capability, boolean includeUnconfigured) {
    return all().stream()
        .filter(provider -> capability.map(provider.capabilities()::contains).orElse(true))
        .filter(provider -> includeUnconfigured || provider.isConfigured())
        .toList();
  }

  public synchronized Optional<Provider> find(String id) {
    return providers.stream().filter(provider -> provider.id().equalsIgnoreCase(id)).findFirst();
  }
}
