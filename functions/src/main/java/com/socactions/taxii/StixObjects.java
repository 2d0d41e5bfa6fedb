package com.socactions.taxii;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.socactions.indicators.IndicatorType;
import com.socactions.ledger.BlockVersion;
import com.socactions.platform.InvalidInputException;
import com.socactions.platform.NameBasedUuid;
import com.socactions.sentinel.ArmIncidentId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The STIX 2.1 objects the server serves: one {@code indicator} per published block version, and
 * the {@code identity} of the connector that created them all ({@code created_by_ref}).
 *
 * <p>An indicator's id is {@code indicator--<episode id>}: a name-based UUID of the block's
 * provider, type, value and start ({@link BlockVersion#episodeIdOf}), so every version of one block
 * episode has the same id, and a later block of the same value is a new indicator. STIX recommends
 * version 4 UUIDs for these ids; version 5 is what makes them stable, and it is as valid. Its
 * pattern names the value by its type: {@code ipv4-addr} or {@code ipv6-addr} (single addresses and
 * CIDR networks alike), {@code domain-name}, {@code url}, or {@code file:hashes} with {@code
 * 'SHA-256'}, {@code 'SHA-1'} or {@code MD5}; the value is a pattern string literal, with {@code \}
 * and {@code '} escaped.
 */
public final class StixObjects {
  /** The connector's identity: created once, never changed. */
  public static final String IDENTITY_ID =
      "identity--"
          + NameBasedUuid.v5(NameBasedUuid.URL_NAMESPACE, "urn:soc-actions:identity:connector");

  /**
   * The identity's {@code created} and {@code modified}, and its date added in every collection.
   */
  public static final Instant IDENTITY_CREATED = Instant.parse("2026-01-01T00:00:00Z");

  static final String INDICATOR = "indicator";
  static final String IDENTITY = "identity";
  static final String SENTINEL = "Microsoft Sentinel";
  private static final String PORTAL_INCIDENT =
      "https://portal.azure.com/#asset/Microsoft_Azure_Security_Insights/Incident";
  private static final int MAX_LABEL_CHARS = 128;
  private static final int MAX_NAME_VALUE_CHARS = 200;

  private StixObjects() {}

  /** A STIX 2.1 indicator, as served. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({
    "type",
    "spec_version",
    "id",
    "created_by_ref",
    "created",
    "modified",
    "revoked",
    "name",
    "description",
    "indicator_types",
    "pattern",
    "pattern_type",
    "pattern_version",
    "valid_from",
    "valid_until",
    "labels",
    "external_references"
  })
  public record Indicator(
      String type,
      String specVersion,
      String id,
      String createdByRef,
      String created,
      String modified,
      Boolean revoked,
      String name,
      String description,
      List<String> indicatorTypes,
      String pattern,
      String patternType,
      String patternVersion,
      String validFrom,
      String validUntil,
      List<String> labels,
      List<ExternalReference> externalReferences) {}

  /** A STIX external reference. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ExternalReference(
      String sourceName, String description, String url, String externalId) {}

  /** A STIX 2.1 identity, as served. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({
    "type",
    "spec_version",
    "id",
    "created",
    "modified",
    "name",
    "description",
    "identity_class"
  })
  public record Identity(
      String type,
      String specVersion,
      String id,
      String created,
      String modified,
      String name,
      String description,
      String identityClass) {}

  /** The connector's identity. */
  public static Identity identity() {
    String created = TaxiiTimestamps.stix(IDENTITY_CREATED);
    return new Identity(
        IDENTITY,
        "2.1",
        IDENTITY_ID,
        created,
        created,
        "SOC Actions",
        "The SOC Actions connector for Microsoft Sentinel playbooks: what its playbooks blocked.",
        "system");
  }

  /** The STIX id of a block episode's indicator. */
  public static String indicatorId(UUID episodeId) {
    return INDICATOR + "--" + episodeId;
  }

  /** One version of a block as a STIX indicator. */
  public static Indicator indicator(BlockVersion version) {
    List<String> labels = new ArrayList<>();
    labels.add("soc-actions");
    labels.add("provider:" + version.provider());
    if (version.reason() != null && !version.reason().isBlank()) {
      labels.add(cut("reason:" + version.reason().strip(), MAX_LABEL_CHARS));
    }
    if (version.incidentId() != null && !version.incidentId().isBlank()) {
      labels.add(cut("incident:" + lastSegment(version.incidentId().strip()), MAX_LABEL_CHARS));
    }
    return new Indicator(
        INDICATOR,
        "2.1",
        indicatorId(version.episodeId()),
        IDENTITY_ID,
        TaxiiTimestamps.stix(version.validFrom()),
        TaxiiTimestamps.stix(version.modified()),
        version.revoked() ? Boolean.TRUE : null,
        "Blocked by SOC Actions: " + cut(version.value(), MAX_NAME_VALUE_CHARS),
        description(version),
        List.of("malicious-activity"),
        pattern(version.type(), version.value()),
        "stix",
        "2.1",
        TaxiiTimestamps.stix(version.validFrom()),
        version.validUntil() == null ? null : TaxiiTimestamps.stix(version.validUntil()),
        labels,
        incidentReference(version.incidentId()));
  }

  /** The STIX pattern that matches {@code value} of {@code type}. */
  public static String pattern(IndicatorType type, String value) {
    String path =
        switch (type) {
          case IP, CIDR -> value.indexOf(':') >= 0 ? "ipv6-addr:value" : "ipv4-addr:value";
          case DOMAIN -> "domain-name:value";
          case URL -> "url:value";
          case SHA256 -> "file:hashes.'SHA-256'";
          case SHA1 -> "file:hashes.'SHA-1'";
          case MD5 -> "file:hashes.MD5";
          case ACCOUNT ->
              throw new IllegalArgumentException("accounts are not published as indicators");
        };
    return "[" + path + " = '" + literal(value) + "']";
  }

  /** A STIX pattern string literal's content: backslashes and quotes escaped. */
  static String literal(String value) {
    return value.replace("\\", "\\\\").replace("'", "\\'");
  }

  private static String description(BlockVersion version) {
    StringBuilder text = new StringBuilder("Blocked on ").append(version.provider());
    if (version.requestedBy() != null && !version.requestedBy().isBlank()) {
      text.append(" at the request of ").append(version.requestedBy().strip());
    }
    if (version.incidentId() != null && !version.incidentId().isBlank()) {
      text.append(" for Microsoft Sentinel incident ").append(lastSegment(version.incidentId()));
    }
    text.append('.');
    if (version.reason() != null && !version.reason().isBlank()) {
      text.append(" Reason: ").append(version.reason().strip());
    }
    if (version.revoked()) {
      text.append(" No longer blocked: ")
          .append(
              switch (version.ended() == null ? "" : version.ended()) {
                case "expired" -> "the block expired";
                case "allowed" -> "an allow replaced the block";
                case "present" -> "only an entry the connector did not create remains";
                default -> "the block was lifted";
              })
          .append(" at ")
          .append(TaxiiTimestamps.stix(version.modified()))
          .append('.');
    }
    return text.toString();
  }

  /** The Sentinel incident, linked to its page in the Azure portal when the id is an ARM id. */
  private static List<ExternalReference> incidentReference(String incidentId) {
    if (incidentId == null || incidentId.isBlank()) {
      return null;
    }
    try {
      ArmIncidentId arm = ArmIncidentId.parse(incidentId);
      return List.of(
          new ExternalReference(
              SENTINEL,
              "The incident the block was made for",
              PORTAL_INCIDENT + arm.path(),
              arm.incidentName()));
    } catch (InvalidInputException notAnArmId) {
      return List.of(
          new ExternalReference(
              SENTINEL, "The incident the block was made for", null, incidentId.strip()));
    }
  }

  private static String lastSegment(String id) {
    String trimmed = id.strip();
    int slash = trimmed.lastIndexOf('/');
    return slash >= 0 && slash < trimmed.length() - 1 ? trimmed.substring(slash + 1) : trimmed;
  }

  private static String cut(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }
}
