package com.socactions.providers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The providers of this deployment, in registration order. Each capability registers its own when
 * the composition root builds it; nothing else needs to know which exist.
 */
public final class ProviderRegistry {
  private final List<Provider> providers = new ArrayList<>();

  /**
   * Adds providers. A provider whose id is registered already for other capabilities (ServiceNow as
   * CMDB and as ticket system) joins it as one {@link CombinedProvider}.
   *
   * @throws IllegalArgumentException when an id is registered twice for a same capability (a
   *     programming error)
   */
  public synchronized ProviderRegistry register(List<? extends Provider> added) {
    for (Provider provider : added) {
      Optional<Provider> existing = find(provider.id());
      if (existing.isEmpty()) {
        providers.add(provider);
        continue;
      }
      if (existing.get().capabilities().stream().anyMatch(provider.capabilities()::contains)) {
        throw new IllegalArgumentException("Provider '" + provider.id() + "' is registered twice");
      }
      providers.set(
          providers.indexOf(existing.get()), new CombinedProvider(existing.get(), provider));
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
