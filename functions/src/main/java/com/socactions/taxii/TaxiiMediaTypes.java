package com.socactions.taxii;

import java.util.Locale;

/**
 * The TAXII 2.1 media types and the server's reading of {@code Accept}. Every answer is {@value
 * #TAXII_21}; a request may ask for it, for {@code application/taxii+json} without a version, or
 * for {@code application/*} or {@code *}{@code /*}, and a request without {@code Accept} gets it
 * too. Anything else (another TAXII version, {@code application/json}) is refused with 406.
 */
public final class TaxiiMediaTypes {
  /** The media type of every TAXII 2.1 resource (discovery, collections, envelopes, errors). */
  public static final String TAXII_21 = "application/taxii+json;version=2.1";

  /** The media type of the STIX objects in the collections. */
  public static final String STIX_21 = "application/stix+json;version=2.1";

  private static final String TAXII = "application/taxii+json";

  private TaxiiMediaTypes() {}

  /**
   * Whether an {@code Accept} header (null: none) admits {@value #TAXII_21}: one of its media
   * ranges is {@code application/taxii+json} with version 2.1 or no version, {@code application/*}
   * or {@code *}{@code /*}, and its quality is not 0.
   */
  public static boolean acceptsTaxii21(String accept) {
    if (accept == null || accept.isBlank()) {
      return true;
    }
    for (String range : accept.split(",")) {
      String[] parts = range.split(";");
      String type = parts[0].trim().toLowerCase(Locale.ROOT);
      String version = null;
      boolean refused = false;
      for (int i = 1; i < parts.length; i++) {
        String parameter = parts[i].trim();
        int equals = parameter.indexOf('=');
        if (equals < 0) {
          continue;
        }
        String name = parameter.substring(0, equals).trim().toLowerCase(Locale.ROOT);
        String value = unquote(parameter.substring(equals + 1).trim());
        if (name.equals("version")) {
          version = value;
        } else if (name.equals("q")) {
          refused = isZero(value);
        }
      }
      if (refused) {
        continue;
      }
      if (type.equals("*/*") || type.equals("application/*")) {
        return true;
      }
      if (type.equals(TAXII) && (version == null || version.equals("2.1"))) {
        return true;
      }
    }
    return false;
  }

  private static String unquote(String value) {
    return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
        ? value.substring(1, value.length() - 1)
        : value;
  }

  private static boolean isZero(String quality) {
    try {
      return Double.parseDouble(quality) == 0;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
