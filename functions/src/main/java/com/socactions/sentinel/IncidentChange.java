package com.socactions.sentinel;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/**
 * A change of an incident's status that another system asks for (a ticket resolved or reopened),
 * applied by {@link SentinelClient#changeIncident} only when the incident's status calls for it.
 * Either a close, with the classification that Sentinel requires of a closed incident, or a reopen,
 * which clears it.
 *
 * @param status {@link IncidentStatus#CLOSED} to close, {@link IncidentStatus#ACTIVE} to reopen
 * @param classification a close's classification ({@code TruePositive}, {@code Undetermined}, ...);
 *     null for a reopen
 * @param classificationReason a close's classification reason, or null when it has none
 * @param classificationComment a close's comment, or null
 */
public record IncidentChange(
    IncidentStatus status,
    String classification,
    String classificationReason,
    String classificationComment) {

  /** Sentinel's classification of a closed incident whose cause nobody named. */
  public static final String UNDETERMINED = "Undetermined";

  private static final List<String> CLASSIFICATION_FIELDS =
      List.of("classification", "classificationReason", "classificationComment");

  public IncidentChange {
    Objects.requireNonNull(status, "'status' cannot be null.");
    if (status == IncidentStatus.CLOSED && classification == null) {
      throw new IllegalArgumentException("A close needs a classification");
    }
    if (status == IncidentStatus.ACTIVE
        && (classification != null
            || classificationReason != null
            || classificationComment != null)) {
      throw new IllegalArgumentException("A reopen clears the classification; it sets none");
    }
    if (status == IncidentStatus.NEW) {
      throw new IllegalArgumentException("An incident is never set back to New");
    }
  }

  /**
   * Closes an incident that is not closed yet.
   *
   * @param classification the classification, or null for {@value #UNDETERMINED}
   */
  public static IncidentChange close(
      String classification, String classificationReason, String comment) {
    return new IncidentChange(
        IncidentStatus.CLOSED,
        classification == null ? UNDETERMINED : classification,
        classificationReason,
        comment);
  }

  /** Makes a closed incident Active again, without the classification of its close. */
  public static IncidentChange reopen() {
    return new IncidentChange(IncidentStatus.ACTIVE, null, null, null);
  }

  /**
   * Whether the change does anything to an incident in {@code current}: a close to one not closed,
   * a reopen to a closed one (an open incident, New or Active, is left as it is).
   *
   * @param current the incident's status, or null when Sentinel gave none
   */
  public boolean appliesTo(IncidentStatus current) {
    return status == IncidentStatus.CLOSED
        ? current != IncidentStatus.CLOSED
        : current == IncidentStatus.CLOSED;
  }

  /** The incident's {@code properties} with the change applied (the object given, changed). */
  ObjectNode applyTo(ObjectNode properties) {
    properties.put("status", status.wireName());
    if (status == IncidentStatus.CLOSED) {
      properties.put("classification", classification);
      putOrRemove(properties, "classificationReason", classificationReason);
      putOrRemove(properties, "classificationComment", classificationComment);
    } else {
      properties.remove(CLASSIFICATION_FIELDS);
    }
    return properties;
  }

  private static void putOrRemove(ObjectNode properties, String name, String value) {
    if (value == null) {
      properties.remove(name);
    } else {
      properties.put(name, value);
    }
  }
}
