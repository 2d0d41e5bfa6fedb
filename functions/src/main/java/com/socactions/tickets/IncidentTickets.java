package com.socactions.tickets;

import com.socactions.platform.InvalidInputException;
import com.socactions.sentinel.ArmIncidentId;
import com.socactions.sentinel.Incident;
import com.socactions.sentinel.IncidentEntity;
import com.socactions.sentinel.IncidentOwner;
import com.socactions.sentinel.IncidentStatus;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** What a ticket says about an incident: {@link TicketContent} from a parsed {@link Incident}. */
public final class IncidentTickets {
  /**
   * Longest description written, in characters: ServiceNow's {@code incident.description} holds
   * 4,000 by default, Jira 32,767. Entities past the room left are counted, not listed.
   */
  public static final int MAX_DESCRIPTION_CHARS = 4_000;

  private static final List<String> ENTITY_FIELDS =
      List.of(
          "address",
          "url",
          "domainName",
          "hostName",
          "accountName",
          "name",
          "hashValue",
          "fileName",
          "processId",
          "recipient",
          "displayName");

  private IncidentTickets() {}

  /**
   * The ticket content of {@code incident}.
   *
   * @throws InvalidInputException naming {@code incident.object.id} when the incident has no ARM id
   *     (ticket links are keyed by it)
   */
  public static TicketContent contentOf(Incident incident) {
    if (incident.id() == null) {
      throw InvalidInputException.of(
          "incident.object.id",
          "required: the incident's ARM resource id, as the trigger body has it");
    }
    ArmIncidentId id;
    try {
      id = ArmIncidentId.parse(incident.id());
    } catch (InvalidInputException e) {
      throw InvalidInputException.of(
          "incident.object.id",
          "must be the incident's ARM resource id"
              + " (/subscriptions/.../providers/Microsoft.SecurityInsights/incidents/<guid>), as"
              + " the trigger body has it");
    }
    return new TicketContent(
        id.resourceId(),
        id.incidentName(),
        incident.incidentNumber() == null ? null : incident.incidentNumber().toString(),
        incident.title() == null
            ? "Microsoft Sentinel incident " + id.incidentName()
            : incident.title(),
        description(incident),
        incident.severity() == null ? "Medium" : incident.severity().wireName(),
        incident.status() == null ? IncidentStatus.NEW : incident.status(),
        incident.classification(),
        closingNote(incident),
        owner(incident.owner()),
        incident.labels(),
        incident.incidentUrl(),
        incident.comments());
  }

  private static String owner(IncidentOwner owner) {
    if (owner == null) {
      return null;
    }
    return owner.email() != null ? owner.email() : owner.userPrincipalName();
  }

  private static String closingNote(Incident incident) {
    List<String> parts = new ArrayList<>();
    if (incident.classificationReason() != null) {
      parts.add(incident.classificationReason());
    }
    if (incident.classificationComment() != null && !incident.classificationComment().isBlank()) {
      parts.add(incident.classificationComment());
    }
    return parts.isEmpty() ? null : String.join(" - ", parts);
  }

  /**
   * Plain text: the incident's facts first (they are what an ITSM agent triages on), then its
   * description.
   */
  static String description(Incident incident) {
    StringBuilder text = new StringBuilder();
    text.append("Microsoft Sentinel incident");
    if (incident.incidentNumber() != null) {
      text.append(' ').append(incident.incidentNumber());
    }
    text.append('\n');
    line(text, "Severity", incident.severity() == null ? null : incident.severity().wireName());
    line(text, "Incident", incident.incidentUrl());
    line(text, "Tactics", String.join(", ", incident.tactics()));
    line(text, "Products", String.join(", ", incident.alertProductNames()));
    line(text, "Labels", String.join(", ", incident.labels()));
    if (incident.description() != null && !incident.description().isBlank()) {
      text.append('\n').append(TicketText.plain(incident.description()).strip()).append('\n');
    }
    Set<String> entities = new LinkedHashSet<>();
    for (IncidentEntity entity : incident.entities()) {
      entities.add(entity.kind() + ": " + entityName(entity));
    }
    if (!entities.isEmpty()) {
      text.append("\nEntities:\n");
      int listed = 0;
      for (String entity : entities) {
        String line = "- " + entity + "\n";
        if (text.length() + line.length() > MAX_DESCRIPTION_CHARS - 40) {
          text.append("... and ").append(entities.size() - listed).append(" more\n");
          break;
        }
        text.append(line);
        listed++;
      }
    }
    return TicketText.cut(text.toString().strip(), MAX_DESCRIPTION_CHARS);
  }

  private static String entityName(IncidentEntity entity) {
    if (entity.is("Account")) {
      String name = entity.text("accountName").or(() -> entity.text("name")).orElse(null);
      String suffix = entity.text("upnSuffix").orElse(null);
      if (name != null && suffix != null) {
        return name + "@" + suffix;
      }
    }
    if (entity.is("Host")) {
      String host = entity.text("hostName").orElse(null);
      String domain = entity.text("dnsDomain").orElse(null);
      if (host != null && domain != null) {
        return host + "." + domain;
      }
    }
    if (entity.is("FileHash")) {
      return entity.text("algorithm").map(a -> a + " ").orElse("")
          + entity.text("hashValue").orElse("");
    }
    for (String field : ENTITY_FIELDS) {
      var value = entity.text(field);
      if (value.isPresent()) {
        return value.get();
      }
    }
    return entity.friendlyName() == null ? "(unnamed)" : entity.friendlyName();
  }

  private static void line(StringBuilder text, String label, String value) {
    if (value != null && !value.isBlank()) {
      text.append(label).append(": ").append(value).append('\n');
    }
  }
}
