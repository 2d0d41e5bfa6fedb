package com.socactions.providers;

import java.util.Set;

/**
 * One source or target a capability talks to (a GeoIP database, an RDAP service, an enforcement
 * point, a CMDB, an ITSM). Each capability registers its providers in the {@link ProviderRegistry};
 * health and {@code ListProviders} iterate over what is registered and know no provider by name.
 *
 * <p>Implementations must be cheap to create (build upstream clients on first use) and must not
 * throw from any method: a bad setting is a {@link Readiness.Status#ERROR} naming the setting.
 */
public interface Provider {
  /** Stable id, as playbooks pass it in {@code provider} ({@code edl}, {@code servicenow}). */
  String id();

  /** Name shown in the designer's dropdown. */
  String displayName();

  Set<Capability> capabilities();

  /** One sentence: what it does and which settings configure it. */
  String description();

  /** Whether its settings are present (not whether they work: see {@link #readiness()}). */
  boolean isConfigured();

  /**
   * A cheap check of whether it can work now, answering within a few seconds even when its upstream
   * hangs. Called by health; never throws.
   */
  Readiness readiness();
}
