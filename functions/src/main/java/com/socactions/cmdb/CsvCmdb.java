package com.socactions.cmdb;

import com.socactions.platform.ConfigurationException;
import com.socactions.platform.FileVersion;
import com.socactions.platform.RequestLog;
import com.socactions.providers.Readiness;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The built-in CMDB (provider {@code builtin}, the embedded default): assets and accounts from two
 * CSV files, named by {@value #ASSETS_SETTING} and {@value #ACCOUNTS_SETTING}. Without a setting,
 * the sample data shipped inside the app is served (a class-path resource, so it is there both in
 * the local run and in the package deployed to Azure, whatever the working directory); readiness
 * says so.
 *
 * <p>Columns are named by the header row, in any order; unknown columns are ignored (and listed in
 * readiness). Assets: {@code name}, {@code fqdn}, {@code ip_addresses} (several separated by {@code
 * ;}), {@code class}, {@code environment}, {@code criticality} (critical|high|medium|low), {@code
 * is_hva}, {@code owner_name}, {@code owner_email}, {@code support_group}, {@code
 * business_service}, {@code location}, {@code os}, {@code url}; a row needs a name or an FQDN.
 * Accounts: {@code user_principal_name} (required), {@code email}, {@code sam_account_name}, {@code
 * domain}, {@code display_name}, {@code department}, {@code title}, {@code manager}, {@code
 * is_vip}. Matching is described in {@link AssetIndex} and {@link AccountIndex}.
 *
 * <p>Each file is read and indexed on first use, then kept fresh without a restart: a lookup at
 * most once per {@value #CHECK_INTERVAL_SETTING} (default {@link #DEFAULT_CHECK_INTERVAL}) compares
 * the file's size and modification time with the version in service and reads it again when they
 * moved. A reload can only make things better: a file that cannot be used as a whole keeps the
 * previous data in service and is reported by {@link #readiness()} until it changes again.
 *
 * <p>Failure modes: a row that cannot be used (a bad IP address or criticality, too few fields) is
 * skipped and listed, with its line and column, in {@link #readiness()} (degraded). A file that
 * cannot be used as a whole (missing, unreadable, not UTF-8, malformed CSV such as a quote never
 * closed, no usable header) with no earlier version in service makes the lookups of that kind throw
 * {@link ConfigurationException} naming the setting, the file, line and column.
 */
public final class CsvCmdb implements CmdbProvider {
  public static final String ID = "builtin";
  public static final String ASSETS_SETTING = "CMDB_ASSETS_CSV";
  public static final String ACCOUNTS_SETTING = "CMDB_ACCOUNTS_CSV";
  public static final String CHECK_INTERVAL_SETTING = "CMDB_CHECK_INTERVAL";

  /**
   * How often a used instance looks at its files: an edit reaches every instance within this, for
   * one file-attribute read per file (a round trip to an Azure Files share) per interval.
   */
  public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofMinutes(1);

  /** The sample data, as class-path resources beside this class. */
  static final String SAMPLE_ASSETS = "sample-assets.csv";

  static final String SAMPLE_ACCOUNTS = "sample-accounts.csv";

  /** Row problems listed in readiness; the rest are counted. */
  private static final int PROBLEMS_SHOWN = 5;

  private static final RequestLog LOG = RequestLog.of(CsvCmdb.class);

  private final Source<AssetIndex> assets;
  private final Source<AccountIndex> accounts;

  /**
   * Reads nothing yet: each file is read on first use.
   *
   * @param assetsFile {@value #ASSETS_SETTING}; the sample assets when empty
   * @param accountsFile {@value #ACCOUNTS_SETTING}; the sample accounts when empty
   * @param interval {@value #CHECK_INTERVAL_SETTING}: how often a file is checked for changes
   */
  public CsvCmdb(
      Optional<Path> assetsFile, Optional<Path> accountsFile, Duration interval, Clock clock) {
    this.assets =
        new Source<>(
            "assets",
            ASSETS_SETTING,
            assetsFile,
            SAMPLE_ASSETS,
            AssetIndex::from,
            AssetIndex.COLUMNS,
            clock,
            interval);
    this.accounts =
        new Source<>(
            "accounts",
            ACCOUNTS_SETTING,
            accountsFile,
            SAMPLE_ACCOUNTS,
            AccountIndex::from,
            AccountIndex.COLUMNS,
            clock,
            interval);
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String displayName() {
    return "Built-in CMDB (CSV files)";
  }

  @Override
  public String description() {
    return "Assets and accounts from CSV files named by "
        + ASSETS_SETTING
        + " and "
        + ACCOUNTS_SETTING
        + " (the sample data shipped with the app when unset), reloaded when a file changes.";
  }

  /** Always: without settings it serves the sample data. */
  @Override
  public boolean isConfigured() {
    return true;
  }

  /**
   * {@inheritDoc}
   *
   * @throws ConfigurationException when the assets file cannot be used and none was before
   */
  @Override
  public List<AssetMatch> lookupAssets(List<String> keys) {
    AssetIndex index = assets.index();
    return keys.stream().map(key -> AssetMatch.of(key, index.find(key))).toList();
  }

  /**
   * {@inheritDoc}
   *
   * @throws ConfigurationException when the accounts file cannot be used and none was before
   */
  @Override
  public List<AccountMatch> lookupAccounts(List<String> keys) {
    AccountIndex index = accounts.index();
    return keys.stream().map(key -> AccountMatch.of(key, index.find(key))).toList();
  }

  /**
   * Checks both files now and reads those that changed (a timer's backstop); true when one was
   * replaced. A file not used yet is left for its first use to read. Never throws for a bad file:
   * see {@link #readiness()}.
   */
  public boolean reloadIfChanged() {
    boolean assetsReloaded = assets.reloadIfChanged();
    boolean accountsReloaded = accounts.reloadIfChanged();
    return assetsReloaded || accountsReloaded;
  }

  /**
   * OK with what is served; degraded when rows were skipped or a changed file could not be read
   * (the previous version still serves); error when a file cannot be used and none was before.
   */
  @Override
  public Readiness readiness() {
    State<AssetIndex> assetState = assets.current();
    State<AccountIndex> accountState = accounts.current();
    List<String> errors = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    List<String> served = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    Report report = new Report(served, warnings, errors, notes);
    assets.describe(assetState, assetState.index == null ? 0 : assetState.index.size(), report);
    accounts.describe(
        accountState, accountState.index == null ? 0 : accountState.index.size(), report);
    String serving = served.isEmpty() ? "" : "Serving " + String.join(" and ", served) + ".";
    if (!notes.isEmpty()) {
      serving += " " + String.join(" ", notes);
    }
    if (!errors.isEmpty()) {
      return Readiness.error(String.join(" ", errors) + (serving.isEmpty() ? "" : " " + serving));
    }
    if (!warnings.isEmpty()) {
      return Readiness.degraded(serving + " " + String.join(" ", warnings));
    }
    return Readiness.ok(serving);
  }

  /** Readiness' sentences, by how bad they are; notes are for information only. */
  private record Report(
      List<String> served, List<String> warnings, List<String> errors, List<String> notes) {}

  /** Reads a table and indexes it, adding row problems to the list. */
  @FunctionalInterface
  private interface Indexer<T> {
    T index(CsvTable table, String source, List<String> problems);
  }

  /**
   * What one source serves.
   *
   * @param index the data in service; null before the first load and while none ever loaded
   * @param problems the rows of the data in service that were skipped
   * @param ignoredColumns header columns of the data in service that nothing reads
   * @param error why the latest load failed (with data in service: why it was kept); null if it did
   *     not
   * @param tried the file version last loaded or tried, so a bad file is read again only once it
   *     changes
   */
  private record State<T>(
      T index,
      List<String> problems,
      List<String> ignoredColumns,
      String error,
      FileVersion tried) {}

  /** One CSV file (or the sample resource) and the index built from it. */
  private static final class Source<T> {
    private final String kind;
    private final String setting;
    private final Optional<Path> file;
    private final String sampleResource;
    private final Indexer<T> indexer;
    private final Set<String> knownColumns;
    private final Clock clock;
    private final Duration interval;
    private final AtomicReference<State<T>> state = new AtomicReference<>();

    /** The earliest instant a use may check the file again; claimed by compare-and-set. */
    private final AtomicReference<Instant> nextCheck;

    Source(
        String kind,
        String setting,
        Optional<Path> file,
        String sampleResource,
        Indexer<T> indexer,
        Set<String> knownColumns,
        Clock clock,
        Duration interval) {
      this.kind = kind;
      this.setting = setting;
      this.file = file;
      this.sampleResource = sampleResource;
      this.indexer = indexer;
      this.knownColumns = Set.copyOf(knownColumns);
      this.clock = clock;
      this.interval = interval;
      this.nextCheck = new AtomicReference<>(clock.instant().plus(interval));
    }

    /**
     * The index in service, loading it on first use and checking the file when the interval has
     * passed (in the calling thread: one caller per interval pays for a stat, rarely a read).
     */
    T index() {
      State<T> current = loadedOrCheckedIfDue();
      if (current.index == null) {
        throw new ConfigurationException(setting, current.error);
      }
      return current.index;
    }

    State<T> current() {
      return loadedOrCheckedIfDue();
    }

    private State<T> loadedOrCheckedIfDue() {
      State<T> current = state.get();
      if (current == null) {
        return firstLoad();
      }
      Instant due = nextCheck.get();
      Instant now = clock.instant();
      // One use per interval wins the claim; the others go on with the data in service.
      if (file.isPresent()
          && !now.isBefore(due)
          && nextCheck.compareAndSet(due, now.plus(interval))) {
        reloadIfChanged();
      }
      return state.get();
    }

    private synchronized State<T> firstLoad() {
      if (state.get() == null) {
        state.set(file.map(this::loadFile).orElseGet(this::loadSample));
      }
      return state.get();
    }

    synchronized boolean reloadIfChanged() {
      State<T> current = state.get();
      if (current == null || file.isEmpty()) {
        return false; // not used yet (the first use reads it), or the sample, which never changes
      }
      FileVersion onDisk;
      try {
        onDisk = FileVersion.of(file.get());
      } catch (IOException e) {
        onDisk = null; // gone or being replaced: loadFile says which
      }
      if (onDisk != null && Objects.equals(onDisk, current.tried)) {
        return false;
      }
      State<T> loaded = loadFile(file.get());
      if (loaded.index == null) {
        if (current.index != null) {
          LOG.warning(() -> "Kept the " + kind + " loaded before: " + loaded.error);
        }
        state.set(
            new State<>(
                current.index,
                current.problems,
                current.ignoredColumns,
                loaded.error,
                loaded.tried));
        return false;
      }
      state.set(loaded);
      return true;
    }

    private State<T> loadFile(Path path) {
      FileVersion version;
      try {
        version = FileVersion.of(path);
      } catch (NoSuchFileException e) {
        return failed(null, "Setting " + setting + " names " + path + ", which does not exist");
      } catch (IOException e) {
        return failed(
            null, "Setting " + setting + " names " + path + ", which cannot be read: " + e);
      }
      try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
        return indexed(reader, "file " + path.getFileName(), version);
      } catch (CharacterCodingException e) {
        return failed(
            version,
            "The " + kind + " file " + path + " (setting " + setting + ") is not UTF-8 text");
      } catch (IOException e) {
        return failed(
            version,
            "The " + kind + " file " + path + " (setting " + setting + ") cannot be read: " + e);
      } catch (CsvFormatException e) {
        return failed(
            version,
            "The "
                + kind
                + " file "
                + path
                + " (setting "
                + setting
                + ") is not usable CSV: "
                + e.getMessage());
      }
    }

    private State<T> loadSample() {
      InputStream stream = CsvCmdb.class.getResourceAsStream(sampleResource);
      if (stream == null) {
        return failed(
            null,
            "The sample " + kind + " are missing from the app; set " + setting + " to a CSV file");
      }
      try (Reader reader =
          new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
        return indexed(reader, "the sample data shipped with the app", null);
      } catch (IOException | CsvFormatException e) {
        return failed(
            null,
            "The sample "
                + kind
                + " shipped with the app cannot be read ("
                + e.getMessage()
                + "); set "
                + setting
                + " to a CSV file");
      }
    }

    private State<T> indexed(Reader reader, String origin, FileVersion version) throws IOException {
      CsvTable table = CsvTable.read(reader);
      List<String> problems = new ArrayList<>();
      T index = indexer.index(table, ID, problems);
      List<String> ignored = CsvColumns.unknown(table, knownColumns);
      LOG.info(
          () ->
              "Loaded the "
                  + kind
                  + " from "
                  + origin
                  + (problems.isEmpty()
                      ? ""
                      : ", skipping " + problems.size() + " rows: " + problems.get(0)));
      return new State<>(index, List.copyOf(problems), ignored, null, version);
    }

    private State<T> failed(FileVersion version, String why) {
      LOG.warning(() -> why);
      return new State<>(null, List.of(), List.of(), why, version);
    }

    /** Adds what this source serves, and what is wrong with it, to readiness' sentences. */
    void describe(State<T> current, int size, Report report) {
      if (current.index == null) {
        report.errors().add(current.error + ".");
        return;
      }
      report
          .served()
          .add(
              size
                  + " "
                  + kind
                  + " from "
                  + file.map(p -> p.getFileName().toString())
                      .orElse(
                          "the sample data shipped with the app (set "
                              + setting
                              + " to use your own)"));
      if (current.error != null) {
        report.warnings().add(current.error + "; the " + kind + " loaded before are still served.");
      }
      if (!current.problems.isEmpty()) {
        int more = current.problems.size() - PROBLEMS_SHOWN;
        report
            .warnings()
            .add(
                current.problems.size()
                    + " "
                    + kind
                    + " rows skipped: "
                    + String.join(
                        "; ",
                        current.problems.subList(
                            0, Math.min(PROBLEMS_SHOWN, current.problems.size())))
                    + (more > 0 ? "; and " + more + " more" : "")
                    + ".");
      }
      if (!current.ignoredColumns.isEmpty()) {
        // Exports carry many columns this does not read; a typo in a header shows up here.
        report
            .notes()
            .add(
                "Columns not used in the "
                    + kind
                    + " file: "
                    + String.join(", ", current.ignoredColumns)
                    + ".");
      }
    }
  }
}
