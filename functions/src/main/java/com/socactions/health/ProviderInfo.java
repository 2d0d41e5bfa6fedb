package com.socactions.health;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.socactions.providers.Capability;
import com.socactions.providers.Provider;
import com.socactions.providers.Readiness;
import java.util.List;

/**
 * A provider as {@code ListProviders} lists it for the designer's dropdowns ({@code
 * x-ms-dynamic-values}: {@code value[].id} and {@code value[].display_name}).
 *
 * @param configured its settings are present
 * @param status its readiness; only in {@code GetHealth}, which runs the checks
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProviderInfo(
    String id,
    String displayName,
    List<Capability> capabilities,
    boolean configured,
    String description,
    Readiness.Status status) {

  public static ProviderInfo of(Provider provider) {
    return new ProviderInfo(
        provider.id(),
        provider.displayName(),
        sorted(provider),
        provider.isConfigured(),
        provider.description(),
        null);
  }

  static ProviderInfo of(Provider provider, Readiness readiness) {
    return new ProviderInfo(
        provider.id(),
        provider.displayName(),
        sorted(provider),
        provider.isConfigured(),
        provider.description(),
        readiness.status());
  }

  private static List<Capability> sorted(Provider provider) {
    return provider.capabilities().stream().sorted().toList();
  }
}
