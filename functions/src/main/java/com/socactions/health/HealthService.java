package com.socactions.health;

import com.socactions.enrichment.geoip.GeoIpDatabase;
import com.socactions.enrichment.geoip.GeoIpDatabases;
import com.socactions.enrichment.rdap.RdapClient;
import com.socactions.enrichment.rdap.RdapHealth;
import com.socactions.platform.TableStorage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Readiness of the connector: state storage, the GeoIP databases (type and build date), RDAP, and
 * the providers. Answers within a few seconds even when everything is down.
 *
 * <p>{@code unhealthy}: storage is unreachable, or a configured database cannot be read.
 * {@code degraded}: something works with a caveat (a stale or missing optional database, RDAP
 * unreachable). {@code healthy}: everything configured answers.
 */
public final class HealthService {
  public static final String VERSION = Optional.ofNullable(HealthService.class.getPackage().getImplementationVersion()).orElse("1.0.0");

  private final Supplier<TableStorage> storage;
  private final GeoIpDatabases geoip;
  private final Supplier<RdapClient> rdap;
  private final ProviderCatalog providers;
  private final Clock clock;

  public HealthService(Supplier<TableStorage> storage, GeoIpDatabases geoip, Supplier<RdapClient> rdap, ProviderCatalog providers, Clock clock) {
    this.storage = storage;
    this.geoip = geoip;
    this.rdap = rdap;
    this.providers = providers;
    this.clock = clock;
  }

  public HealthReport check() {
    List<ComponentHealth> components = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    TableStorage tables = storage.get();
    components.add(tables.problem()
        .map(problem -> ComponentHealth.of("storage", "error", problem))
        .orElseGet(() -> ComponentHealth.of("storage", "ok", "Table storage answers at " + tables.endpoint())));
    components.add(database("geoip-geo", geoip.geo(), warnings));
    components.add(database("geoip-asn", geoip.asn(), warnings));
    components.add(rdap());
    components.forEach(component -> {
      if (!component.status().equals("ok") && !component.status().equals("not_configured")) {
        warnings.add(component.name() + ": " + component.detail());
      }
    });
    return new HealthReport(overall(components), VERSION, clock.instant(), components,
        providers.list(Optional.empty()), warnings.stream().distinct().toList());
  }

  private ComponentHealth database(String name, GeoIpDatabases.Slot slot, List<String> warnings) {
    Optional<GeoIpDatabase> database = slot.database();
    if (database.isEmpty()) {
      boolean configured = slot.isConfigured();
      if (!configured) {
        warnings.add(slot.problem().orElse(name + " not configured"));
      }
      return ComponentHealth.of(name, configured ? "error" : "not_configured", slot.problem().orElse(""));
    }
    GeoIpDatabase db = database.get();
    Instant built = db.buildDate();
    long ageDays = geoip.ageDays(db);
    boolean stale = geoip.isStale(db);
    String detail = "Loaded " + db.file().getFileName() + " (" + db.type() + "), built " + built
        + (stale ? ": " + ageDays + " days old, older than " + geoip.staleAfter().toDays()
            + " days; keep it fresh with geoipupdate" : "");
    return new ComponentHealth(name, stale ? "degraded" : "ok", detail, db.type(), built, ageDays);
  }

  private ComponentHealth rdap() {
    RdapHealth health = rdap.get().health();
    String detail = "Bootstrap " + health.bootstrapUrl()
        + (health.bootstrapFetchedAt() == null ? "" : " fetched " + health.bootstrapFetchedAt())
        + (health.openCircuits() == null || health.openCircuits().isEmpty() ? "" : "; circuit open for " + String.join(", ", health.openCircuits()))
        + (health.detail() == null ? "" : "; " + health.detail());
    String status = "ok".equals(health.status()) ? (health.openCircuits() == null || health.openCircuits().isEmpty() ? "ok" : "degraded") : "degraded";
    return ComponentHealth.of("rdap", status, detail);
  }

  private static String overall(List<ComponentHealth> components) {
    boolean error = components.stream().anyMatch(component -> component.status().equals("error"));
    // Without a location database the main enrichment answers nothing useful; ASN is optional.
    boolean degraded = components.stream().anyMatch(component -> component.status().equals("degraded")
        || (component.name().equals("geoip-geo") && component.status().equals("not_configured")));
    return error ? "unhealthy" : degraded ? "degraded" : "healthy";
  }
}
