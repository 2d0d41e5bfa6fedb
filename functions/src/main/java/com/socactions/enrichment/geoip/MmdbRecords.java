package com.socactions.enrichment.geoip;

import com.maxmind.db.MaxMindDbConstructor;
import com.maxmind.db.MaxMindDbParameter;
import com.socactions.enrichment.GeoLocation;
import java.util.List;

/**
 * The parts of MaxMind DB records that the connector answers with, decoded straight from the file.
 * MaxMind's decoder skips the keys these records do not name (other languages, postal, traits...),
 * which makes a City lookup about 1.5 times as fast as building geoip2's full {@code CityResponse};
 * at 1,000 addresses a call that is most of the work.
 */
public final class MmdbRecords {
  // Public only because MaxMind's decoder constructs them by reflection.
  private MmdbRecords() {}

  /** A {@code names} map, English only (MaxMind's default locale and the one analysts share). */
  public record Names(String en) {
    @MaxMindDbConstructor
    public Names(@MaxMindDbParameter(name = "en") String en) {
      this.en = en;
    }
  }

  /** A country, continent, city or subdivision. */
  public record Place(String isoCode, Names names) {
    @MaxMindDbConstructor
    public Place(
        @MaxMindDbParameter(name = "iso_code") String isoCode,
        @MaxMindDbParameter(name = "names") Names names) {
      this.isoCode = isoCode;
      this.names = names;
    }

    String name() {
      return names == null ? null : names.en();
    }
  }

  public record Location(
      Double latitude, Double longitude, Integer accuracyRadius, String timeZone) {
    @MaxMindDbConstructor
    public Location(
        @MaxMindDbParameter(name = "latitude") Double latitude,
        @MaxMindDbParameter(name = "longitude") Double longitude,
        @MaxMindDbParameter(name = "accuracy_radius") Integer accuracyRadius,
        @MaxMindDbParameter(name = "time_zone") String timeZone) {
      this.latitude = latitude;
      this.longitude = longitude;
      this.accuracyRadius = accuracyRadius;
      this.timeZone = timeZone;
    }
  }

  /**
   * A City or Country database record (a Country record simply has no city, subdivisions or
   * location), turned into the answer once, when decoded: MaxMind's cache keeps decoded records
   * that many networks share, so their answer is built once too.
   */
  public static final class GeoRecord {
    private final GeoLocation answer;

    @MaxMindDbConstructor
    public GeoRecord(
        @MaxMindDbParameter(name = "city") Place city,
        @MaxMindDbParameter(name = "continent") Place continent,
        @MaxMindDbParameter(name = "country") Place country,
        @MaxMindDbParameter(name = "location") Location location,
        @MaxMindDbParameter(name = "registered_country") Place registeredCountry,
        @MaxMindDbParameter(name = "subdivisions") List<Place> subdivisions) {
      Place mostSpecific =
          subdivisions == null || subdivisions.isEmpty()
              ? null
              : subdivisions.get(subdivisions.size() - 1);
      this.answer =
          new GeoLocation(
              country == null ? null : country.isoCode(),
              country == null ? null : country.name(),
              continent == null ? null : continent.name(),
              mostSpecific == null ? null : mostSpecific.name(),
              city == null ? null : city.name(),
              location == null ? null : location.latitude(),
              location == null ? null : location.longitude(),
              location == null ? null : location.accuracyRadius(),
              location == null ? null : location.timeZone(),
              registeredCountry == null ? null : registeredCountry.isoCode());
    }

    GeoLocation answer() {
      return answer;
    }
  }

  /** An ASN or ISP database record. */
  public record AsnRecord(Long number, String organization) {
    @MaxMindDbConstructor
    public AsnRecord(
        @MaxMindDbParameter(name = "autonomous_system_number") Long number,
        @MaxMindDbParameter(name = "autonomous_system_organization") String organization) {
      this.number = number;
      this.organization = organization;
    }
  }
}
