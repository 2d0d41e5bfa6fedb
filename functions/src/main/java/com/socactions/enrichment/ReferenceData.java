package com.socactions.enrichment;

import com.socactions.enrichment.geoip.GeoIpDatabases;
import com.socactions.enrichment.rdap.RdapClient;
import com.socactions.platform.ConfigurationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Keeps the enrichment's reference data fresh without a restart: the GeoIP files that geoipupdate
 * replaced, and the IANA RDAP bootstrap. Each is refreshed on its own, so one that fails never
 * holds the other back, and a copy that fails to load leaves the one in service serving.
 */
public final class ReferenceData {
  private final Supplier<GeoIpDatabases> geoip;
  private final Supplier<RdapClient> rdap;

  public ReferenceData(Supplier<GeoIpDatabases> geoip, Supplier<RdapClient> rdap) {
    this.geoip = Objects.requireNonNull(geoip, "'geoip' cannot be null.");
    this.rdap = Objects.requireNonNull(rdap, "'rdap' cannot be null.");
  }

  /**
   * What one refresh did.
   *
   * @param done what was refreshed or found unchanged, a line each
   * @param problems what could not be refreshed and why, a line each (the data in service stays)
   */
  public record Refresh(List<String> done, List<String> problems) {
    public Refresh {
      done = List.copyOf(done);
      problems = List.copyOf(problems);
    }
  }

  /** Reloads the GeoIP files that changed on disk, then fetches the RDAP bootstrap again. */
  public Refresh refresh() {
    List<String> done = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    try {
      GeoIpDatabases databases = geoip.get();
      boolean reloaded = databases.reloadIfChanged();
      done.add("GeoIP databases " + (reloaded ? "reloaded from updated files" : "unchanged"));
      for (GeoIpDatabases.Slot slot : List.of(databases.geo(), databases.asn())) {
        slot.refreshProblem()
            .ifPresent(
                problem ->
                    problems.add(
                        "GeoIP "
                            + slot.role()
                            + " database: the file on disk could not be loaded; the loaded copy"
                            + " keeps serving: "
                            + problem));
      }
    } catch (ConfigurationException e) {
      problems.add("GeoIP refresh skipped: " + e.getMessage());
    }
    try {
      rdap.get().refreshBootstrap();
      done.add("RDAP bootstrap refreshed");
    } catch (RuntimeException e) {
      // The old bootstrap stays in use; the next run tries again.
      problems.add("RDAP bootstrap refresh failed: " + e.getMessage());
    }
    return new Refresh(done, problems);
  }
}
