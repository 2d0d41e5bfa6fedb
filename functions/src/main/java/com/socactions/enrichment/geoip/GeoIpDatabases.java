package com.socactions.enrichment.geoip;

import com.socactions.platform.ConfigurationException;
import com.socactions.platform.FileVersion;
import com.socactions.platform.RequestLog;
import com.socactions.platform.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The GeoIP databases of the process: one for locations (City or Country, setting {@code
 * GEOIP_CITY_DB}) and one for autonomous systems (ASN or ISP, setting {@code GEOIP_ASN_DB}).
 *
 * <p>Each is read into memory once, then kept fresh without a restart. Every instance checks its
 * own files, because after scale-out the daily timer runs on one instance only: a use of a slot
 * ({@link Slot#database()}, once per lookup batch) starts a check of the file's size and
 * modification time at most once per {@value #CHECK_INTERVAL_SETTING} (default {@link
 * #DEFAULT_CHECK_INTERVAL}), off the request path; {@link #reloadIfChanged()} does the same check
 * at once (the timer's backstop).
 *
 * <p>A refresh can only make things better. A changed file is read and checked in full before it
 * replaces the database in service; lookups in flight finish on the old copy, whose reader closes
 * when they return. A file that cannot be loaded (half-written, corrupt, of the wrong type, gone)
 * leaves the working database in service and is reported by {@link Slot#refreshProblem()}; it is
 * tried again once its size or modification time moves. Without a working database, the open error
 * is {@link Slot#problem()}, for health and per-item errors; the other slot still serves.
 */
public final class GeoIpDatabases {
  public static final String CITY_SETTING = "GEOIP_CITY_DB";
  public static final String ASN_SETTING = "GEOIP_ASN_DB";
  public static final String STALE_AFTER_SETTING = "GEOIP_STALE_AFTER_DAYS";
  public static final String CHECK_INTERVAL_SETTING = "GEOIP_CHECK_INTERVAL";

  /** Where the quick start puts the free GeoLite2 City database when no setting names one. */
  public static final Path DEFAULT_CITY_DB = Path.of(".local", "geoip", "GeoLite2-City.mmdb");

  /**
   * MaxMind publishes GeoLite2 twice a week; a month without an update means the updater stopped.
   */
  public static final int DEFAULT_STALE_AFTER_DAYS = 30;

  /**
   * How often a used instance looks at its files: an update reaches every instance within this, for
   * one file-attribute read per slot (a round trip to an Azure Files share) per interval.
   */
  public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofMinutes(5);

  private static final RequestLog LOG = RequestLog.of(GeoIpDatabases.class);

  private final Slot geo;
  private final Slot asn;
  private final Duration staleAfter;
  private final Clock clock;

  /**
   * What the databases are read from, parsed once from the settings.
   *
   * @param city {@value #CITY_SETTING}; {@link #DEFAULT_CITY_DB} when empty
   * @param asn {@value #ASN_SETTING}; no ASN data when empty
   * @param staleAfter {@value #STALE_AFTER_SETTING} (days), default {@value
   *     #DEFAULT_STALE_AFTER_DAYS}: a database older than this is reported stale
   * @param checkInterval {@value #CHECK_INTERVAL_SETTING}, default 5 minutes: how often a used
   *     instance looks at its files
   */
  public record Options(
      Optional<Path> city, Optional<Path> asn, Duration staleAfter, Duration checkInterval) {
    /**
     * @throws ConfigurationException naming {@value #STALE_AFTER_SETTING} or {@value
     *     #CHECK_INTERVAL_SETTING} when malformed, or the interval when negative
     */
    public static Options from(Settings settings) {
      Duration checkInterval = settings.getDuration(CHECK_INTERVAL_SETTING, DEFAULT_CHECK_INTERVAL);
      if (checkInterval.isNegative()) {
        throw new ConfigurationException(
            CHECK_INTERVAL_SETTING,
            "Setting "
                + CHECK_INTERVAL_SETTING
                + " must not be negative, not '"
                + checkInterval
                + "'");
      }
      return new Options(
          settings.get(CITY_SETTING).map(Path::of),
          settings.get(ASN_SETTING).map(Path::of),
          Duration.ofDays(settings.getInt(STALE_AFTER_SETTING, DEFAULT_STALE_AFTER_DAYS)),
          checkInterval);
    }
  }

  /**
   * Opens the databases {@code options} name; checks on use run on a short-lived daemon thread
   * each.
   */
  public GeoIpDatabases(Options options, Clock clock) {
    this(options, clock, GeoIpDatabases::onNewDaemonThread);
  }

  /** As {@link #GeoIpDatabases(Options, Clock)}, running checks on use with {@code background}. */
  GeoIpDatabases(Options options, Clock clock, Executor background) {
    this.clock = clock;
    this.staleAfter = options.staleAfter();
    Refresh refresh = new Refresh(clock, options.checkInterval(), background);
    this.geo =
        new Slot(
            "geo",
            CITY_SETTING,
            options.city().orElse(DEFAULT_CITY_DB),
            options.city().isPresent(),
            true,
            refresh);
    this.asn =
        new Slot(
            "asn",
            ASN_SETTING,
            options.asn().orElse(null),
            options.asn().isPresent(),
            false,
            refresh);
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

  /**
   * Checks both files now and swaps in those that changed and load; returns true when one was
   * swapped in. A file that fails to load leaves its working database in service (see {@link
   * Slot#refreshProblem()}). Never throws for a bad file.
   */
  public boolean reloadIfChanged() {
    boolean geoReloaded = geo.reloadIfChanged();
    boolean asnReloaded = asn.reloadIfChanged();
    return geoReloaded || asnReloaded;
  }

  private static void onNewDaemonThread(Runnable task) {
    // Checks are rare (one per slot per interval at most), so a thread each beats a pool to shut
    // down.
    Thread thread = new Thread(task, "geoip-refresh");
    thread.setDaemon(true);
    thread.start();
  }

  /** When and where slots check their files on use. */
  private record Refresh(Clock clock, Duration interval, Executor background) {}

  /**
   * One configured database: open, failed with a reason, or not configured; when open, possibly
   * with a newer file on disk that failed to load.
   */
  public static final class Slot {
    private final String role;
    private final String setting;
    private final Path file;
    private final boolean explicitlySet;
    private final boolean wantsGeo;
    private final Refresh refresh;
    private final AtomicReference<State> state = new AtomicReference<>(State.EMPTY);

    /** The earliest instant a use may start the next check; claimed by compare-and-set. */
    private final AtomicReference<Instant> nextCheck;

    Slot(
        String role,
        String setting,
        Path file,
        boolean explicitlySet,
        boolean wantsGeo,
        Refresh refresh) {
      this.role = role;
      this.setting = setting;
      this.file = file;
      this.explicitlySet = explicitlySet;
      this.wantsGeo = wantsGeo;
      this.refresh = refresh;
      this.nextCheck = new AtomicReference<>(refresh.clock().instant().plus(refresh.interval()));
    }

    public String role() {
      return role;
    }

    public String setting() {
      return setting;
    }

    /**
     * The database in service, if there is one. A call is a use: when the check interval has
     * passed, it starts a check of the file in the background and answers at once with the database
     * in service (so a refresh never delays or fails the caller).
     */
    public Optional<GeoIpDatabase> database() {
      checkInBackgroundIfDue();
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

    /**
     * Why the file on disk is not the database in service: the latest refresh found it changed but
     * could not load it (the message names the file and the cause). Empty when the latest refresh
     * succeeded or found nothing new, and when no database is in service (then see {@link
     * #problem()}).
     */
    public Optional<String> refreshProblem() {
      State current = state.get();
      return current.database == null ? Optional.empty() : Optional.ofNullable(current.error);
    }

    /** True when the setting is absent and no default file exists: not an error, a choice. */
    public boolean isConfigured() {
      return file != null && (explicitlySet || Files.exists(file));
    }

    private String notConfiguredMessage() {
      return wantsGeo
          ? "GeoIP location database not configured: set "
              + setting
              + " to a GeoIP2/GeoLite2 City or Country .mmdb file"
          : "ASN database not configured: set "
              + setting
              + " to a GeoLite2/GeoIP2 ASN (or ISP) .mmdb file";
    }

    private void checkInBackgroundIfDue() {
      if (file == null) {
        return;
      }
      Instant due = nextCheck.get();
      Instant now = refresh.clock().instant();
      // One use per interval wins the claim; the others go on without waiting for it.
      if (now.isBefore(due) || !nextCheck.compareAndSet(due, now.plus(refresh.interval()))) {
        return;
      }
      try {
        refresh.background().execute(this::reloadIfChanged);
      } catch (RuntimeException e) {
        LOG.warning(() -> "Could not start a check of the " + role + " database: " + e);
      }
    }

    /** Loads the file whatever its version (at construction). */
    synchronized void load() {
      if (isConfigured()) {
        loadVersion(currentVersion());
      }
    }

    /** Loads the file when its version differs from the one last tried; true when swapped in. */
    synchronized boolean reloadIfChanged() {
      if (!isConfigured()) {
        return false;
      }
      FileVersion onDisk = currentVersion();
      if (Objects.equals(onDisk, state.get().tried)) {
        return false;
      }
      try {
        return loadVersion(onDisk);
      } catch (RuntimeException e) {
        // Runs on the background thread too, where nobody would see it: keep it as the problem.
        fail(onDisk, "GeoIP database " + file.getFileName() + " could not be loaded: " + e);
        return false;
      }
    }

    /** The file's version, or null when it is missing or cannot be read right now. */
    private FileVersion currentVersion() {
      try {
        return FileVersion.of(file);
      } catch (IOException e) {
        return null;
      }
    }

    private boolean loadVersion(FileVersion onDisk) {
      GeoIpDatabase opened;
      try {
        opened = GeoIpDatabase.open(file);
      } catch (GeoIpException e) {
        fail(onDisk, e.getMessage());
        return false;
      }
      boolean rightKind = wantsGeo ? opened.kind().answersGeo() : opened.kind().answersAsn();
      if (!rightKind) {
        opened.retire(null);
        fail(
            opened.version(),
            "GeoIP database "
                + file.getFileName()
                + " is a "
                + opened.type()
                + " database; "
                + setting
                + " needs "
                + (wantsGeo ? "a City or Country" : "an ASN or ISP")
                + " database");
        return false;
      }
      GeoIpDatabase replaced = state.getAndSet(new State(opened, null, opened.version())).database;
      if (replaced != null) {
        replaced.retire(opened);
      }
      LOG.info(
          () ->
              "Opened "
                  + role
                  + " database "
                  + file
                  + " ("
                  + opened.type()
                  + ", built "
                  + opened.buildDate()
                  + ")");
      return true;
    }

    /** Records a failed load; a database in service stays in service. */
    private void fail(FileVersion tried, String why) {
      GeoIpDatabase serving = state.get().database;
      state.set(new State(serving, why, tried));
      if (serving != null) {
        LOG.warning(
            () ->
                "Kept serving the " + role + " database built " + serving.buildDate() + ": " + why);
      } else {
        LOG.warning(why);
      }
    }

    /**
     * @param error with a database, why the newer file failed; without one, why there is none
     * @param tried the file version last loaded or tried (null: missing), so a bad file is not read
     *     again until it changes
     */
    private record State(GeoIpDatabase database, String error, FileVersion tried) {
      static final State EMPTY = new State(null, null, null);
    }
  }
}
