package com.socactions.health;

import com.socactions.enrichment.geoip.GeoIpDatabases;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The providers this deployment has, by capability. A provider is listed when the connector
 * implements it; {@code configured} says whether its settings are present. Enforcement points,
 * CMDBs and ticketing systems join this list as they are built.
 */
public final class ProviderCatalog {
  public static final String ENRICH = "enrich";
  /** Every capability a provider can have, as ListProviders' {@code capability} filter accepts them. */
  public static final List<String> CAPABILITIES = List.of(ENRICH, "block", "cmdb", "tickets");

  private final GeoIpDatabases geoip;

  public ProviderCatalog(GeoIpDatabases geoip) {
    this.geoip = geoip;
  }

  public static boolean isCapability(String name) {
    return CAPABILITIES.contains(name.toLowerCase(Locale.ROOT));
  }

  /** All providers, or those with the given capability (case-insensitive; see {@link #isCapability}). */
  public List<ProviderInfo> list(Optional<String> capability) {
    List<ProviderInfo> all = new ArrayList<>();
    all.add(new ProviderInfo("geoip", "GeoIP (MaxMind DB)", List.of(ENRICH), geoip.geo().isConfigured(),
        "Location of IP addresses from a GeoIP2/GeoLite2 City or Country database (" + GeoIpDatabases.CITY_SETTING + ")"));
    all.add(new ProviderInfo("asn", "ASN (MaxMind DB)", List.of(ENRICH), geoip.asn().isConfigured(),
        "Autonomous system of IP addresses from a GeoLite2/GeoIP2 ASN database (" + GeoIpDatabases.ASN_SETTING + ")"));
    all.add(new ProviderInfo("rdap", "WhoIs (RDAP)", List.of(ENRICH), true,
        "Network and domain registrations from the registries' RDAP servers, found through the IANA bootstrap"));
    if (capability.isEmpty()) {
      return all;
    }
    String wanted = capability.get().toLowerCase(Locale.ROOT);
    return all.stream().filter(provider -> provider.capabilities().contains(wanted)).toList();
  }
}
