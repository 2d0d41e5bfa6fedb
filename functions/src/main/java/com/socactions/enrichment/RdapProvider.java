package com.socactions.enrichment;

import com.socactions.enrichment.rdap.RdapClient;
import com.socactions.enrichment.rdap.RdapHealth;
import com.socactions.platform.ConfigurationException;
import com.socactions.providers.Capability;
import com.socactions.providers.Provider;
import com.socactions.providers.Readiness;
import java.util.Set;
import java.util.function.Supplier;

/**
 * WhoIs over RDAP as a provider. Always configured (the IANA bootstrap is public); an unreachable
 * bootstrap or an open circuit degrades WHOIS answers without breaking the other lookups.
 */
final class RdapProvider implements Provider {
  private final Supplier<RdapClient> rdap;

  RdapProvider(Supplier<RdapClient> rdap) {
    this.rdap = rdap;
  }

  @Override
  public String id() {
    return "rdap";
  }

  @Override
  public String displayName() {
    return "WhoIs (RDAP)";
  }

  @Override
  public Set<Capability> capabilities() {
    return Set.of(Capability.ENRICH);
  }

  @Override
  public String description() {
    return "Network and domain registrations from the registries' RDAP servers, found through the"
        + " IANA bootstrap";
  }

  @Override
  public boolean isConfigured() {
    return true;
  }

  @Override
  public Readiness readiness() {
    RdapHealth health;
    try {
      health = rdap.get().health();
    } catch (ConfigurationException e) {
      return Readiness.error(e.getMessage());
    }
    boolean circuitsOpen = health.openCircuits() != null && !health.openCircuits().isEmpty();
    String detail =
        "Bootstrap "
            + health.bootstrapUrl()
            + (health.bootstrapFetchedAt() == null ? "" : " fetched " + health.bootstrapFetchedAt())
            + (circuitsOpen ? "; circuit open for " + String.join(", ", health.openCircuits()) : "")
            + (health.detail() == null ? "" : "; " + health.detail());
    return health.bootstrapLoaded() && !circuitsOpen
        ? Readiness.ok(detail)
        : Readiness.degraded(detail);
  }
}
