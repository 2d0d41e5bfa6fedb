package com.socactions.enrichment.geoip;

import com.maxmind.db.CHMCache;
import com.maxmind.db.DatabaseRecord;
import com.maxmind.db.Metadata;
import com.maxmind.db.Networks;
import com.maxmind.db.Reader;
import com.socactions.enrichment.AutonomousSystem;
import com.socactions.enrichment.GeoLocation;
import com.socactions.enrichment.geoip.MmdbRecords.AsnRecord;
import com.socactions.enrichment.geoip.MmdbRecords.GeoRecord;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One MaxMind DB file (GeoIP2/GeoLite2 City, Country, ASN or ISP; DB-IP and ip-location-db files
 * in the same format work too), opened once with MaxMind's reader ({@code maxmind-db}, the layer
 * under geoip2's {@code DatabaseReader}) and its concurrent cache. Thread-safe. Records are decoded
 * into the slim {@link MmdbRecords} rather than geoip2's full responses: see there why.
 *
 * <p>Opening checks the file and walks a sample of its records, so a corrupt file is reported by
 * {@link #open} (and so by health) rather than on some later lookup. A lookup that still hits a
 * corrupt record throws {@link GeoIpException}, which callers turn into a per-item error.
 */
public final class GeoIpDatabase {
  /** Records decoded when a database is opened, to find corruption early without reading it all. */
  static final int RECORDS_CHECKED_ON_OPEN = 2_000;

  private final Path file;
  private final Kind kind;
  private final Reader reader;
  private final Metadata metadata;
  private final FileTime modifiedAt;

  /** What a database can answer, from its metadata's {@code database_type}. */
  public enum Kind {
    CITY, COUNTRY, ASN, ISP;

    public boolean answersGeo() {
      return this == CITY || this == COUNTRY;
    }

    public boolean answersAsn() {
      return this == ASN || this == ISP;
    }
  }

  private GeoIpDatabase(Path file, Kind kind, Reader reader, Metadata metadata, FileTime modifiedAt) {
    this.file = file;
    this.kind = kind;
    this.reader = reader;
    this.metadata = metadata;
    this.modifiedAt = modifiedAt;
  }

  /**
   * Opens and checks a database file.
   *
   * @throws GeoIpException when the file is missing, unreadable, corrupt, or of a type that is
   *     neither City/Country nor ASN/ISP; the message says which and names the file
   */
  public static GeoIpDatabase open(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new GeoIpException("GeoIP database " + file + " does not exist");
    }
    try {
      FileTime modifiedAt = Files.getLastModifiedTime(file);
      checkRecords(file);
      Reader reader = new Reader(file.toFile(), new CHMCache());
      Metadata metadata = reader.getMetadata();
      Kind kind = kindOf(metadata.databaseType())
          .orElseThrow(() -> new GeoIpException("GeoIP database " + file.getFileName() + " is of type '"
              + metadata.databaseType() + "': expected a City, Country, ASN or ISP database"));
      return new GeoIpDatabase(file, kind, reader, metadata, modifiedAt);
    } catch (IOException | com.maxmind.db.InvalidNetworkException | RuntimeException e) {
      if (e instanceof GeoIpException known) {
        throw known;
      }
      throw new GeoIpException("GeoIP database " + file.getFileName() + " cannot be read: " + describe(e), e);
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

  /** The file's modification time when it was opened; a newer file on disk means an update. */
  public FileTime modifiedAt() {
    return modifiedAt;
  }

  /**
   * Where the database places an address; empty when it holds no network for it.
   *
   * @throws GeoIpException when the record is corrupt
   * @throws IllegalStateException when this is not a City or Country database
   */
  public Optional<GeoLocation> locate(InetAddress address) {
    try {
      if (!kind.answersGeo()) {
        throw new IllegalStateException(type() + " does not answer locations");
      }
      return Optional.ofNullable(reader.get(address, GeoRecord.class)).map(GeoRecord::answer);
    } catch (IOException | RuntimeException e) {
      throw lookupFailure(e);
    }
  }

  /**
   * The autonomous system of an address; empty when the database holds no network for it.
   *
   * @throws GeoIpException when the record is corrupt
   * @throws IllegalStateException when this is not an ASN or ISP database
   */
  public Optional<AutonomousSystem> autonomousSystem(InetAddress address) {
    try {
      if (!kind.answersAsn()) {
        throw new IllegalStateException(type() + " does not answer autonomous systems");
      }
      DatabaseRecord<AsnRecord> found = reader.getRecord(address, AsnRecord.class);
      if (found == null || found.data() == null) {
        return Optional.empty();
      }
      AsnRecord asn = found.data();
      return Optional.of(new AutonomousSystem(asn.number(), asn.organization(), found.network() == null ? null : found.network().toString()));
    } catch (IOException | RuntimeException e) {
      throw lookupFailure(e);
    }
  }

  private GeoIpException lookupFailure(Exception e) {
    if (e instanceof IllegalStateException programmerError) {
      throw programmerError;
    }
    return new GeoIpException("GeoIP database " + file.getFileName() + " failed the lookup: " + describe(e), e);
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
  private static void checkRecords(Path file) throws IOException, com.maxmind.db.InvalidNetworkException {
    try (Reader raw = new Reader(file.toFile())) {
      Networks<Map> networks = raw.networks(Map.class);
      for (int i = 0; i < RECORDS_CHECKED_ON_OPEN && networks.hasNext(); i++) {
        networks.next();
      }
    }
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
