package com.socactions.enrichment;

import com.socactions.enrichment.geoip.GeoIpDatabase;
import com.socactions.enrichment.geoip.GeoIpDatabases;
import com.socactions.platform.ConfigurationException;
import com.socactions.providers.Capability;
import com.socactions.providers.Provider;
import com.socactions.providers.Readiness;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A GeoIP database as a provider: the location one ({@code geoip}) or the autonomous-system one
 * ({@code asn}).
 */
final class GeoIpProvider implements Provider {
  private final String id;
  private final String displayName;
  private final String description;
  private final Supplier<GeoIpDatabases> databases;
  private final Function<GeoIpDatabases, GeoIpDatabases.Slot> slotOf;

  /** Without a location database the main enrichment answers nothing useful; ASN is optional. */
  private final boolean missingIsDegraded;

  private GeoIpProvider(
      String id,
      String displayName,
      String description,
      Supplier<GeoIpDatabases> databases,
      Function<GeoIpDatabases, GeoIpDatabases.Slot> slotOf,
      boolean missingIsDegraded) {
    this.id = id;
    this.displayName = displayName;
    this.description = description;
    this.databases = databases;
    this.slotOf = slotOf;
    this.missingIsDegraded = missingIsDegraded;
  }

  static GeoIpProvider location(Supplier<GeoIpDatabases> databases) {
    return new GeoIpProvider(
        "geoip",
        "GeoIP (MaxMind DB)",
        "Location of IP addresses from a GeoIP2/GeoLite2 City or Country database ("
            + GeoIpDatabases.CITY_SETTING
            + ")",
        databases,
        GeoIpDatabases::geo,
        true);
  }

  static GeoIpProvider autonomousSystems(Supplier<GeoIpDatabases> databases) {
    return new GeoIpProvider(
        "asn",
        "ASN (MaxMind DB)",
        "Autonomous system of IP addresses from a GeoLite2/GeoIP2 ASN database ("
            + GeoIpDatabases.ASN_SETTING
            + ")",
        databases,
        GeoIpDatabases::asn,
        false);
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String displayName() {
    return displayName;
  }

  @Override
  public Set<Capability> capabilities() {
    return Set.of(Capability.ENRICH);
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public boolean isConfigured() {
    try {
      return slotOf.apply(databases.get()).isConfigured();
    } catch (ConfigurationException e) {
      return true; // set, but wrongly: readiness says how
    }
  }

  @Override
  public Readiness readiness() {
    GeoIpDatabases all;
    try {
      all = databases.get();
    } catch (ConfigurationException e) {
      return Readiness.error(e.getMessage());
    }
    GeoIpDatabases.Slot slot = slotOf.apply(all);
    Optional<GeoIpDatabase> database = slot.database();
    if (database.isEmpty()) {
      String why = slot.problem().orElse(id + " database unavailable");
      if (slot.isConfigured()) {
        return Readiness.error(why);
      }
      return missingIsDegraded ? Readiness.degraded(why) : Readiness.notConfigured(why);
    }
    GeoIpDatabase db = database.get();
    long ageDays = all.ageDays(db);
    boolean stale = all.isStale(db);
    String detail =
        "Loaded "
            + db.file().getFileName()
            + " ("
            + db.type()
            + "), built "
            + db.buildDate()
            + (stale
                ? ": "
                    + ageDays
                    + " days old, older than "
                    + all.staleAfter().toDays()
                    + " days; keep it fresh with geoipupdate"
                : "");
    Optional<String> refreshProblem = slot.refreshProblem();
    if (refreshProblem.isPresent()) {
      // The working copy keeps serving; the update on disk is what needs attention.
      detail +=
          "; the file on disk could not be loaded, so this copy keeps serving: "
              + refreshProblem.get();
    }
    boolean degraded = stale || refreshProblem.isPresent();
    return new Readiness(
        degraded ? Readiness.Status.DEGRADED : Readiness.Status.OK,
        detail,
        db.type(),
        db.buildDate(),
        ageDays);
  }
}
