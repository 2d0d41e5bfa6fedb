package com.socactions.enrichment.geoip;

/** A GeoIP database is missing, unreadable or corrupt; the message names the file and the cause. */
public class GeoIpException extends RuntimeException {
  public GeoIpException(String message) {
    super(message);
  }

  public GeoIpException(String message, Throwable cause) {
    super(message, cause);
  }
}
