package com.socactions.enrichment;

/**
 * Where a GeoIP database places an address. City-level fields are null when the database is a
 * Country database or has no city for the network.
 *
 * @param countryCode ISO 3166-1 alpha-2 code of the country the address is used in
 * @param registeredCountryCode country the network is registered to (differs for e.g. cloud ranges)
 * @param accuracyRadiusKm radius around the coordinates in which the address is likely to be
 */
public record GeoLocation(
    String countryCode,
    String country,
    String continent,
    String subdivision,
    String city,
    Double latitude,
    Double longitude,
    Integer accuracyRadiusKm,
    String timeZone,
    String registeredCountryCode) {}
