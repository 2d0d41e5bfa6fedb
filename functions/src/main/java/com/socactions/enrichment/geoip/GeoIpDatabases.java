package com.socactions.enrichment.geoip;

import com.socactions.platform.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * The GeoIP databases of the process: one for locations (City or Country, setting
 * {@code GEOIP_CITY_DB}) and one for autonomous systems (ASN or ISP, setting {@code GEOIP_ASN_DB}).
 *
 * <p>Each is opened once. {@link #reloadIfChanged()} reopens a file whose modification time moved
 * (geoipupdate replaces files in place), swapping atomically so lookups in flight finish on the
 * old copy. A database that cannot be opened is kept as an error for health and per-item errors;
 * the other one still serves.
 */
public final class GeoIpDatabases {
  public static final String CITY_SETTING = "GEOIP_CITY_DB";
  public static final String ASN_SETTING = "GEOIP_ASN_DB";
  public static final String STALE_AFTER_SETTING = "GEOIP_STALE_AFTER_DAYS";
  /** Where the quick start puts the free GeoLite2 City database when no setting names one. */
  public static final Path DEFAULT_CITY_DB = Path.of(".local", "geoip", "GeoLite2-City.mmdb");
  /** MaxMind publishes GeoLite2 twice a week; a month without an update means the updater stopped. */
  public static final int DEFAULT_STALE_AFTER_DAYS = 30;

  private static final Logger LOG = Logger.getLogger(GeoIpDatabases.class.getName());

  private final Slot geo;
  private final Slot asn;
  private final Duration staleAfter;
  private final Clock clock;

  public GeoIpDatabases(Settings settings, Clock clock) {
    this.clock = clock;
    this.staleAfter = Duration.ofDays(settings.getInt(STALE_AFTER_SETTING, DEFAULT_STALE_AFTER_DAYS));
    Optional<String> cityPath = settings.get(CITY_SETTING);
    this.geo = new Slot("geo", CITY_SETTING, cityPath.map(Path::of).orElse(DEFAULT_CITY_DB), cityPath.isPresent(), true);
    Optional<String> asnPath = settings.get(ASN_SETTING);
    this.asn = new Slot("asn", ASN_SETTING, asnPath.map(Path::of).orElse(null), asnPath.isPresent(), false);
    geo.load();
    asn.load();
  }

  /** The location database slot. */
  public Slot geo() {
    return geo;
  }

  /** The autonomous-system database slot. */
  public Slot asn() {
    return asn;
  }

  public Duration staleAfter() {
    return staleAfter;
  }

  /** Whole days since the database was built. */
  public long ageDays(GeoIpDatabase database) {
    return Math.max(0, Duration.between(database.buildDate(), clock.instant()).toDays());
  }

  /** Older than {@value #STALE_AFTER_SETTING} allows: answers may be out of date. */
  public boolean isStale(GeoIpDatabase database) {
    return ageDays(database) > staleAfter.toDays();
  }

  /** Reopens databases whose files changed on disk; returns true when one was reloaded. */
  public boolean reloadIfChanged() {
    boolean geoReloaded = geo.reloadIfChanged();
    boolean asnReloaded = asn.reloadIfChanged();
    return geoReloaded || asnReloaded;
  }

  /** One configured database: either open, failed with a reason, or not configured. */
  public static final class Slot {
    private final String role;
    private final String setting;
    private final Path file;
    private final boolean explicitlySet;
    private final boolean wantsGeo;
    private final AtomicReference<State> state = new AtomicReference<>(new State(null, null));

    Slot(String role, String setting, Path file, boolean explicitlySet, boolean wantsGeo) {
      this.role = role;
      this.setting = setting;
      this.file = file;
      this.explicitlySet = explicitlySet;
      this.wantsGeo = wantsGeo;
    }

    public String role() {
      return role;
    }

    public String setting() {
      return setting;
    }

    /** The open database, if there is one. */
    public Optional<GeoIpDatabase> database() {
      return Optional.ofNullable(state.get().database);
    }

    /** Why there is no database: not configured, or the open error. Empty when open. */
    public Optional<String> problem() {
      State current = state.get();
      if (current.database != null) {
        return Optional.empty();
      }
      return Optional.of(current.error != null ? current.error : notConfiguredMessage());
    }

    /** True when the setting is absent and no default file exists: not an error, a choice. */
    public boolean isConfigured() {
      return file != null && (explicitlySet || Files.exists(file));
    }

    private String notConfiguredMessage() {
      return wantsGeo
          ? "GeoIP location database not configured: set " + setting + " to a GeoIP2/GeoLite2 City or Country .mmdb file"
          : "ASN database not configured: set " + setting + " to a GeoLite2/GeoIP2 ASN (or ISP) .mmdb file";
    }

    void load() {
      if (!isConfigured()) {
        state.set(new State(null, null));
        return;
      }
      try {
        GeoIpDatabase opened = GeoIpDatabase.open(file);
        boolean rightKind = wantsGeo ? opened.kind().answersGeo() : opened.kind().answersAsn();
        if (!rightKind) {
          state.set(new State(null, "GeoIP database " + file.getFileName() + " is a " + opened.type()
              + " database; " + setting + " needs " + (wantsGeo ? "a City or Country" : "an ASN or ISP") + " database"));
          return;
        }
        state.set(new State(opened, null));
        LOG.info(() -> "Opened " + role + " database " + file + " (" + opened.type() + ", built " + opened.buildDate() + ")");
      } catch (GeoIpException e) {
        state.set(new State(null, e.getMessage()));
        LOG.warning(e.getMessage());
      }
    }

    boolean reloadIfChanged() {
      if (!isConfigured()) {
        return false;
      }
      GeoIpDatabase current = state.get().database;
      try {
        if (current != null && Files.getLastModifiedTime(file).equals(current.modifiedAt())) {
          return false;
        }
      } catch (java.io.IOException e) {
        return false; // the file is being replaced right now; the next run picks it up
      }
      load();
      return state.get().database != null && state.get().database != current;
    }

    private record State(GeoIpDatabase database, String error) {}
  }
}
