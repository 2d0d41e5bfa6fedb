package com.socactions.enrichment.geoip;

import com.maxmind.db.CHMCache;
import com.maxmind.db.CacheKey;
import com.maxmind.db.DatabaseRecord;
import com.maxmind.db.DecodedValue;
import com.maxmind.db.InvalidNetworkException;
import com.maxmind.db.Metadata;
import com.maxmind.db.Networks;
import com.maxmind.db.NodeCache;
import com.maxmind.db.Reader;
import com.maxmind.db.Reader.FileMode;
import com.socactions.enrichment.AutonomousSystem;
import com.socactions.enrichment.GeoLocation;
import com.socactions.enrichment.geoip.MmdbRecords.AsnRecord;
import com.socactions.enrichment.geoip.MmdbRecords.GeoRecord;
import com.socactions.platform.FileVersion;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One MaxMind DB file (GeoIP2/GeoLite2 City, Country, ASN or ISP; DB-IP and ip-location-db files in
 * the same format work too), read once into memory with MaxMind's reader ({@code maxmind-db}, the
 * layer under geoip2's {@code DatabaseReader}) and its concurrent cache. Thread-safe. Records are
 * decoded into the slim {@link MmdbRecords} rather than geoip2's full responses: see there why.
 *
 * <p>The file is read into the heap rather than memory-mapped: production files live on an Azure
 * Files share that geoipupdate may rewrite in place, and a mapped file that is truncated under the
 * reader kills lookups (or the JVM). Once opened, a database never touches its file again. The cost
 * is the file's size in heap per open copy (two while a replacement is being swapped in).
 *
 * <p>Opening checks the file and walks a sample of its records, and refuses a file whose size or
 * modification time moved while it was being read (a torn read of an update in progress), so a
 * corrupt file is reported by {@link #open} (and so by health) rather than on some later lookup. A
 * lookup that still hits a corrupt record throws {@link GeoIpException}, which callers turn into a
 * per-item error.
 *
 * <p>A database that {@link GeoIpDatabases} replaced is retired: lookups already running finish on
 * it, later ones (through a reference taken before the swap) are answered by its replacement, and
 * its reader is closed when the last running lookup returns.
 */
public final class GeoIpDatabase {
  /** Records decoded when a database is opened, to find corruption early without reading it all. */
  static final int RECORDS_CHECKED_ON_OPEN = 2_000;

  /** Set in {@link #leases} once the database is retired; the bits below count lookups running. */
  private static final long RETIRED = 1L << 62;

  private final Path file;
  private final Kind kind;
  private final Reader reader;
  private final Metadata metadata;
  private final FileVersion version;

  /**
   * {@link #RETIRED} plus the number of lookups running; the reader closes when it is exactly
   * RETIRED.
   */
  private final AtomicLong leases = new AtomicLong();

  /**
   * What answers once this is retired; written before the retired bit, so readers of the bit see
   * it.
   */
  private volatile GeoIpDatabase successor;

  private volatile boolean closed;

  /** What a database can answer, from its metadata's {@code database_type}. */
  public enum Kind {
    CITY,
    COUNTRY,
    ASN,
    ISP;

    public boolean answersGeo() {
      return this == CITY || this == COUNTRY;
    }

    public boolean answersAsn() {
      return this == ASN || this == ISP;
    }
  }

  private GeoIpDatabase(
      Path file, Kind kind, Reader reader, Metadata metadata, FileVersion version) {
    this.file = file;
    this.kind = kind;
    this.reader = reader;
    this.metadata = metadata;
    this.version = version;
  }

  /**
   * Reads a database file into memory and checks it.
   *
   * @throws GeoIpException when the file is missing, unreadable, changed while being read, corrupt,
   *     or of a type that is neither City/Country nor ASN/ISP; the message says which and names the
   *     file
   */
  public static GeoIpDatabase open(Path file) {
    return open(file, new CHMCache());
  }

  /** As {@link #open(Path)}, with the given decoded-record cache (tests use one that can stall). */
  static GeoIpDatabase open(Path file, NodeCache cache) {
    if (!Files.isRegularFile(file)) {
      throw new GeoIpException("GeoIP database " + file + " does not exist");
    }
    Reader reader = null;
    try {
      FileVersion before = FileVersion.of(file);
      CacheAfterCheck checkedCache = new CacheAfterCheck(cache);
      reader = new Reader(file.toFile(), FileMode.MEMORY, checkedCache);
      if (!FileVersion.of(file).equals(before)) {
        throw new GeoIpException(
            "GeoIP database "
                + file.getFileName()
                + " changed while it was being read (an update in progress?); it is read again once"
                + " it stops changing");
      }
      Metadata metadata = reader.getMetadata();
      Kind kind =
          kindOf(metadata.databaseType())
              .orElseThrow(
                  () ->
                      new GeoIpException(
                          "GeoIP database "
                              + file.getFileName()
                              + " is of type '"
                              + metadata.databaseType()
                              + "': expected a City, Country, ASN or ISP database"));
      checkRecords(reader);
      checkedCache.start();
      return new GeoIpDatabase(file, kind, reader, metadata, before);
    } catch (IOException | InvalidNetworkException | RuntimeException e) {
      closeQuietly(reader);
      if (e instanceof GeoIpException known) {
        throw known;
      }
      throw new GeoIpException(
          "GeoIP database " + file.getFileName() + " cannot be read: " + describe(e), e);
    }
  }

  public Path file() {
    return file;
  }

  public Kind kind() {
    return kind;
  }

  public String type() {
    return metadata.databaseType();
  }

  public Instant buildDate() {
    return metadata.buildTime();
  }

  /** The file's modification time when it was read; a different one on disk means an update. */
  public FileTime modifiedAt() {
    return version.modifiedAt();
  }

  /** The size and modification time of the file when it was read. */
  FileVersion version() {
    return version;
  }

  /** True once the reader is closed: the database was retired and its last lookup returned. */
  boolean isClosed() {
    return closed;
  }

  /**
   * Where the database places an address; empty when it holds no network for it.
   *
   * @throws GeoIpException when the record is corrupt
   * @throws IllegalStateException when this is not a City or Country database
   */
  public Optional<GeoLocation> locate(InetAddress address) {
    if (!kind.answersGeo()) {
      throw new IllegalStateException(type() + " does not answer locations");
    }
    if (!enter()) {
      return replacement().locate(address);
    }
    try {
      return Optional.ofNullable(reader.get(address, GeoRecord.class)).map(GeoRecord::answer);
    } catch (IOException | RuntimeException e) {
      throw lookupFailure(e);
    } finally {
      exit();
    }
  }

  /**
   * The autonomous system of an address; empty when the database holds no network for it.
   *
   * @throws GeoIpException when the record is corrupt
   * @throws IllegalStateException when this is not an ASN or ISP database
   */
  public Optional<AutonomousSystem> autonomousSystem(InetAddress address) {
    if (!kind.answersAsn()) {
      throw new IllegalStateException(type() + " does not answer autonomous systems");
    }
    if (!enter()) {
      return replacement().autonomousSystem(address);
    }
    try {
      DatabaseRecord<AsnRecord> found = reader.getRecord(address, AsnRecord.class);
      if (found == null || found.data() == null) {
        return Optional.empty();
      }
      AsnRecord asn = found.data();
      return Optional.of(
          new AutonomousSystem(
              asn.number(),
              asn.organization(),
              found.network() == null ? null : found.network().toString()));
    } catch (IOException | RuntimeException e) {
      throw lookupFailure(e);
    } finally {
      exit();
    }
  }

  /**
   * Takes this database out of service: lookups running now finish here, later ones go to {@code
   * successor}, and the reader closes when the last running lookup returns (at once when none is
   * running). Without a successor, later lookups fail with {@link GeoIpException}. Retiring twice
   * is a no-op.
   */
  void retire(GeoIpDatabase successor) {
    this.successor = successor;
    long current;
    do {
      current = leases.get();
      if ((current & RETIRED) != 0) {
        return;
      }
    } while (!leases.compareAndSet(current, current | RETIRED));
    if (current == 0) {
      closeReader();
    }
  }

  /** Counts a lookup in; false once retired (no lookup may start on a reader about to close). */
  private boolean enter() {
    long current;
    do {
      current = leases.get();
      if ((current & RETIRED) != 0) {
        return false;
      }
    } while (!leases.compareAndSet(current, current + 1));
    return true;
  }

  private void exit() {
    // Only one thread can bring a retired count to zero: no lookup enters once the bit is set.
    if (leases.decrementAndGet() == RETIRED) {
      closeReader();
    }
  }

  private GeoIpDatabase replacement() {
    GeoIpDatabase next = successor;
    if (next == null) {
      throw new GeoIpException("GeoIP database " + file.getFileName() + " was closed");
    }
    return next;
  }

  private void closeReader() {
    closed = true;
    closeQuietly(reader);
  }

  private static void closeQuietly(Reader reader) {
    if (reader == null) {
      return;
    }
    try {
      reader.close();
    } catch (IOException e) {
      // An in-memory reader only drops its buffer; nothing to report.
    }
  }

  private GeoIpException lookupFailure(Exception e) {
    return new GeoIpException(
        "GeoIP database " + file.getFileName() + " failed the lookup: " + describe(e), e);
  }

  private static Optional<Kind> kindOf(String databaseType) {
    String type = databaseType == null ? "" : databaseType.toLowerCase(Locale.ROOT);
    if (type.contains("city") || type.contains("enterprise")) {
      return Optional.of(Kind.CITY);
    }
    if (type.contains("country")) {
      return Optional.of(Kind.COUNTRY);
    }
    if (type.contains("asn")) {
      return Optional.of(Kind.ASN);
    }
    if (type.contains("isp")) {
      return Optional.of(Kind.ISP);
    }
    return Optional.empty();
  }

  /** Decodes the first records of the file; corrupt data or pointers throw here. */
  private static void checkRecords(Reader reader) throws IOException, InvalidNetworkException {
    Networks<Map> networks = reader.networks(Map.class);
    for (int i = 0; i < RECORDS_CHECKED_ON_OPEN && networks.hasNext(); i++) {
      networks.next();
    }
  }

  /**
   * Passes decoding straight through until {@link #start()}: the records walked by the open check
   * (decoded as maps, never looked up again) must not fill the cache, which stops adding entries
   * once full.
   */
  private static final class CacheAfterCheck implements NodeCache {
    private final NodeCache cache;
    private volatile boolean started;

    CacheAfterCheck(NodeCache cache) {
      this.cache = cache;
    }

    void start() {
      started = true;
    }

    @Override
    public DecodedValue get(CacheKey<?> key, Loader loader) throws IOException {
      return started ? cache.get(key, loader) : loader.load(key);
    }
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
