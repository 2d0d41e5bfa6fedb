package com.socactions.enrichment.rdap;

import com.fasterxml.jackson.databind.JsonNode;
import com.socactions.enrichment.DomainRegistration;
import com.socactions.enrichment.WhoisNetwork;
import com.socactions.indicators.IpAddresses;
import java.net.InetAddress;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import okhttp3.HttpUrl;

/** Reduces RFC 9083 objects to the contract records. Lenient: missing parts become nulls. */
final class RdapParser {
  private static final Map<String, String> REGISTRY_BY_HOST =
      Map.of(
          "rdap.arin.net", "ARIN",
          "rdap.db.ripe.net", "RIPE NCC",
          "rdap.apnic.net", "APNIC",
          "rdap.lacnic.net", "LACNIC",
          "rdap.afrinic.net", "AFRINIC");
  // RIR answers name their whois server; used when the RDAP host itself is not a known one.
  private static final Map<String, String> REGISTRY_BY_PORT43 =
      Map.of(
          "whois.arin.net", "ARIN",
          "whois.ripe.net", "RIPE NCC",
          "whois.apnic.net", "APNIC",
          "whois.lacnic.net", "LACNIC",
          "whois.afrinic.net", "AFRINIC");
  private static final List<DateTimeFormatter> OFFSET_FORMATS =
      List.of(
          DateTimeFormatter.ISO_OFFSET_DATE_TIME,
          DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss[.SSSSSSSSS][.SSSSSS][.SSS]XX"),
          DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSS]XXX"));

  private RdapParser() {}

  /** The name an analyst knows the registry by: ARIN, RIPE NCC, ... or the server's host. */
  static String registryName(HttpUrl url, JsonNode body) {
    String known = REGISTRY_BY_HOST.get(url.host());
    if (known != null) {
      return known;
    }
    if (body != null) {
      String port43 =
          REGISTRY_BY_PORT43.get(
              text(body, "port43") == null ? "" : text(body, "port43").toLowerCase(Locale.ROOT));
      if (port43 != null) {
        return port43;
      }
    }
    return url.host();
  }

  static WhoisNetwork ipNetwork(JsonNode body, HttpUrl queried, String registry) {
    return new WhoisNetwork(
        network(body),
        text(body, "name"),
        text(body, "handle"),
        registry,
        text(body, "country"),
        abuseEmail(body.path("entities")),
        event(body, "registration"),
        lastChanged(body),
        selfLink(body, queried));
  }

  /** The start and end addresses of an ip network object, or null when it gives none. */
  static InetAddress[] range(JsonNode body) {
    InetAddress start = IpAddresses.parse(text(body, "startAddress")).orElse(null);
    InetAddress end = IpAddresses.parse(text(body, "endAddress")).orElse(null);
    if (start != null && end != null && start.getClass() == end.getClass()) {
      return new InetAddress[] {start, end};
    }
    return null;
  }

  static DomainRegistration domain(String domain, JsonNode body, HttpUrl queried) {
    JsonNode registrar = firstEntityWithRole(body.path("entities"), "registrar");
    List<String> status = new ArrayList<>();
    body.path("status")
        .forEach(
            s -> {
              if (s.isTextual()) {
                status.add(s.asText());
              }
            });
    List<String> nameservers = new ArrayList<>();
    body.path("nameservers")
        .forEach(
            ns -> {
              String name = text(ns, "ldhName");
              if (name == null) {
                name = text(ns, "unicodeName");
              }
              if (name != null) {
                name = name.toLowerCase(Locale.ROOT);
                nameservers.add(name.endsWith(".") ? name.substring(0, name.length() - 1) : name);
              }
            });
    JsonNode signed = body.path("secureDNS").path("delegationSigned");
    return new DomainRegistration(
        domain,
        registrar == null ? null : registrarName(registrar),
        event(body, "registration"),
        event(body, "expiration"),
        lastChanged(body),
        List.copyOf(status),
        List.copyOf(nameservers),
        signed.isBoolean() ? signed.asBoolean() : null,
        abuseEmail(body.path("entities")),
        selfLink(body, queried));
  }

  /**
   * The registrar's own RDAP for this domain ({@code links[rel=related]}, RDAP media type), or
   * null.
   */
  static String relatedRdapLink(JsonNode body) {
    for (JsonNode link : body.path("links")) {
      String type = text(link, "type");
      if ("related".equalsIgnoreCase(text(link, "rel"))
          && type != null
          && type.toLowerCase(Locale.ROOT).startsWith("application/rdap+json")
          && text(link, "href") != null) {
        return text(link, "href");
      }
    }
    return null;
  }

  /** "title: description" of an RFC 9083 error object, or null when the body is not one. */
  static String errorSummary(JsonNode body) {
    if (body == null || !body.isObject()) {
      return null;
    }
    String title = text(body, "title");
    List<String> lines = new ArrayList<>();
    JsonNode description = body.path("description");
    if (description.isArray()) {
      description.forEach(
          d -> {
            if (d.isTextual() && !d.asText().isBlank()) {
              lines.add(d.asText().trim());
            }
          });
    } else if (description.isTextual() && !description.asText().isBlank()) {
      lines.add(description.asText().trim());
    }
    String joined = String.join(" ", lines);
    String summary;
    if (title != null && !joined.isEmpty()) {
      summary = title + ": " + joined;
    } else if (title != null) {
      summary = title;
    } else if (!joined.isEmpty()) {
      summary = joined;
    } else {
      return null;
    }
    summary = summary.replaceAll("\\s+", " ").trim();
    return summary.length() > 200 ? summary.substring(0, 200) + "..." : summary;
  }

  /**
   * The e-mail of the first entity with role {@code abuse}, breadth first through nested entities:
   * ARIN nests it under the organisation, Verisign under the registrar.
   */
  static String abuseEmail(JsonNode entities) {
    Deque<JsonNode> queue = new ArrayDeque<>();
    entities.forEach(queue::add);
    int visited = 0;
    while (!queue.isEmpty() && visited++ < 1_000) {
      JsonNode entity = queue.removeFirst();
      if (hasRole(entity, "abuse")) {
        String email = vcard(entity, "email");
        if (email != null) {
          return email;
        }
      }
      entity.path("entities").forEach(queue::add);
    }
    return null;
  }

  static String registrarName(JsonNode registrar) {
    String fn = vcard(registrar, "fn");
    if (fn != null) {
      return fn;
    }
    for (JsonNode id : registrar.path("publicIds")) {
      String type = text(id, "type");
      String identifier = text(id, "identifier");
      if (identifier != null && type != null && type.toUpperCase(Locale.ROOT).contains("IANA")) {
        return "IANA registrar " + identifier;
      }
    }
    return text(registrar, "handle");
  }

  static JsonNode firstEntityWithRole(JsonNode entities, String role) {
    Deque<JsonNode> queue = new ArrayDeque<>();
    entities.forEach(queue::add);
    int visited = 0;
    while (!queue.isEmpty() && visited++ < 1_000) {
      JsonNode entity = queue.removeFirst();
      if (hasRole(entity, role)) {
        return entity;
      }
      entity.path("entities").forEach(queue::add);
    }
    return null;
  }

  private static boolean hasRole(JsonNode entity, String role) {
    for (JsonNode r : entity.path("roles")) {
      if (role.equalsIgnoreCase(r.asText())) {
        return true;
      }
    }
    return false;
  }

  /**
   * The first non-blank value of a vCard property ({@code ["vcard", [[name, params, type,
   * value]...]]}).
   */
  static String vcard(JsonNode entity, String property) {
    JsonNode properties = entity.path("vcardArray").path(1);
    for (JsonNode p : properties) {
      if (property.equalsIgnoreCase(p.path(0).asText())) {
        JsonNode value = p.path(3);
        String text = value.isArray() ? value.path(0).asText(null) : value.asText(null);
        if (text != null && !text.isBlank()) {
          return text.trim();
        }
      }
    }
    return null;
  }

  private static String network(JsonNode body) {
    List<String> cidrs = new ArrayList<>();
    for (JsonNode c : body.path("cidr0_cidrs")) {
      String prefix = text(c, "v4prefix") != null ? text(c, "v4prefix") : text(c, "v6prefix");
      if (prefix != null && c.path("length").canConvertToInt()) {
        cidrs.add(prefix + "/" + c.path("length").asInt());
      }
    }
    if (!cidrs.isEmpty()) {
      return String.join(", ", cidrs);
    }
    InetAddress[] range = range(body);
    if (range != null) {
      return String.join(", ", IpRanges.cidrs(range[0], range[1]));
    }
    String start = text(body, "startAddress");
    String end = text(body, "endAddress");
    return start != null && end != null ? start + " - " + end : null;
  }

  private static Instant lastChanged(JsonNode body) {
    Instant changed = event(body, "last changed");
    // Some registrars (MarkMonitor) say "last update"; "last update of RDAP database" is not it.
    return changed != null ? changed : event(body, "last update");
  }

  private static Instant event(JsonNode body, String action) {
    for (JsonNode e : body.path("events")) {
      if (action.equalsIgnoreCase(text(e, "eventAction"))) {
        Instant parsed = parseDate(text(e, "eventDate"));
        if (parsed != null) {
          return parsed;
        }
      }
    }
    return null;
  }

  /** RFC 3339, and the variants registries send: {@code +0000}, no offset (UTC), date only. */
  static Instant parseDate(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    String t = text.trim();
    for (DateTimeFormatter format : OFFSET_FORMATS) {
      try {
        return OffsetDateTime.parse(t, format).toInstant();
      } catch (DateTimeParseException ignored) {
        // try the next form
      }
    }
    try {
      return LocalDateTime.parse(t.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException ignored) {
      // try the next form
    }
    try {
      return LocalDate.parse(t.length() >= 10 ? t.substring(0, 10) : t)
          .atStartOfDay()
          .toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException ignored) {
      return null;
    }
  }

  private static String selfLink(JsonNode body, HttpUrl queried) {
    for (JsonNode link : body.path("links")) {
      if ("self".equalsIgnoreCase(text(link, "rel")) && text(link, "href") != null) {
        return text(link, "href");
      }
    }
    return queried.toString();
  }

  static String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    if (!value.isTextual()) {
      return null;
    }
    String text = value.asText().trim();
    return text.isEmpty() ? null : text;
  }
}
