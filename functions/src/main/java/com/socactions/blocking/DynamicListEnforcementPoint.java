package com.socactions.blocking;

import com.socactions.indicators.IndicatorType;
import com.socactions.providers.Capability;
import com.socactions.providers.Readiness;
import java.util.List;
import java.util.Set;

/**
 * Provider {@code edl}, the built-in External Dynamic List: the ledger is the list. A block is
 * enforced the moment its ledger row is active, and firewalls (PAN-OS, FortiGate, Check Point) pull
 * it from {@code GET /api/v1/feeds/{list}} (see {@link DynamicListFeeds}); so applying and lifting
 * make no upstream call. The embedded default: it needs nothing outside the app.
 */
public final class DynamicListEnforcementPoint implements EnforcementPoint {
  public static final String ID = "edl";

  /** The firewall's secret for pulling the feeds; without it the feeds are off. */
  public static final String FEED_TOKEN_SETTING = "FEED_TOKEN";

  private final boolean enabled;
  private final boolean feedTokenSet;

  /**
   * @param enabled whether {@value BlockProviders#SETTING} lists {@value #ID}
   * @param feedTokenSet whether {@value #FEED_TOKEN_SETTING} is set (without it firewalls cannot
   *     pull the lists)
   */
  public DynamicListEnforcementPoint(boolean enabled, boolean feedTokenSet) {
    this.enabled = enabled;
    this.feedTokenSet = feedTokenSet;
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String displayName() {
    return "External Dynamic List (built-in)";
  }

  @Override
  public Set<Capability> capabilities() {
    return Set.of(Capability.BLOCK);
  }

  @Override
  public String description() {
    return "Block and allow lists of IPs, networks, domains and URLs that firewalls pull from"
        + " /api/v1/feeds/{list} with the "
        + FEED_TOKEN_SETTING
        + " secret";
  }

  @Override
  public boolean isConfigured() {
    return enabled;
  }

  @Override
  public Set<IndicatorType> supportedTypes() {
    return Set.of(IndicatorType.IP, IndicatorType.CIDR, IndicatorType.DOMAIN, IndicatorType.URL);
  }

  @Override
  public boolean supportsAllow() {
    return true;
  }

  @Override
  public Readiness readiness() {
    if (!isConfigured()) {
      return Readiness.notConfigured(
          "Not in "
              + BlockProviders.SETTING
              + "; add "
              + ID
              + " to serve block lists to firewalls");
    }
    if (!feedTokenSet) {
      return Readiness.degraded(
          "Blocks are recorded, but firewalls cannot pull them: set "
              + FEED_TOKEN_SETTING
              + " and give it to the firewall (as ?token= or the basic-auth password)");
    }
    return Readiness.ok(
        "Lists " + String.join(", ", DynamicListFeeds.LISTS.keySet()) + " at /api/v1/feeds/{list}");
  }

  /** The ledger row is the entry: nothing to send. */
  @Override
  public List<EnforcementOutcome> apply(List<EnforcementRequest> requests) {
    return requests.stream()
        .map(request -> EnforcementOutcome.done(request.indicator(), null))
        .toList();
  }

  /** Lifting the ledger row takes the entry off the feed: nothing to send. */
  @Override
  public List<EnforcementOutcome> remove(List<EnforcementRequest> requests) {
    return requests.stream()
        .map(request -> EnforcementOutcome.done(request.indicator(), null))
        .toList();
  }
}
