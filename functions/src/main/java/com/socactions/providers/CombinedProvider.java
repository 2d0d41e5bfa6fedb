package com.socactions.providers;

import java.util.EnumSet;
import java.util.Set;

/**
 * Two providers of one upstream under one id, e.g. ServiceNow as CMDB and as ticket system: the
 * designer's dropdowns and health show the upstream once, with the capabilities of both and the
 * worse readiness of the two.
 */
final class CombinedProvider implements Provider {
  private final Provider first;
  private final Provider second;

  CombinedProvider(Provider first, Provider second) {
    this.first = first;
    this.second = second;
  }

  @Override
  public String id() {
    return first.id();
  }

  @Override
  public String displayName() {
    return first.displayName();
  }

  @Override
  public Set<Capability> capabilities() {
    Set<Capability> both = EnumSet.noneOf(Capability.class);
    both.addAll(first.capabilities());
    both.addAll(second.capabilities());
    return both;
  }

  @Override
  public String description() {
    return first.description() + " " + second.description();
  }

  @Override
  public boolean isConfigured() {
    return first.isConfigured() || second.isConfigured();
  }

  /**
   * The worse of the two ({@link Readiness.Status} is ordered best to worst); not configured only
   * if both are not.
   */
  @Override
  public Readiness readiness() {
    Readiness a = first.readiness();
    Readiness b = second.readiness();
    if (a.status() == Readiness.Status.NOT_CONFIGURED) {
      return b;
    }
    if (b.status() == Readiness.Status.NOT_CONFIGURED) {
      return a;
    }
    return b.status().compareTo(a.status()) > 0 ? b : a;
  }
}
