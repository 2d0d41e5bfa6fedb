package com.socactions.enrichment.incident;

import static com.socactions.platform.HtmlTable.escape;

import com.socactions.cmdb.AssetResult;
import com.socactions.enrichment.DomainEnrichment;
import com.socactions.enrichment.GeoLocation;
import com.socactions.enrichment.incident.IncidentEnrichment.AccountEntry;
import com.socactions.enrichment.incident.IncidentEnrichment.DomainResult;
import com.socactions.enrichment.incident.IncidentEnrichment.HostResult;
import com.socactions.enrichment.incident.IncidentEnrichment.IpResult;
import com.socactions.enrichment.incident.IncidentEnrichment.Summary;
import com.socactions.enrichment.incident.IncidentEnrichment.UrlResult;
import com.socactions.platform.HtmlTable;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one incident comment of {@code EnrichIncident}: a few lines on the verdict (severity, tags,
 * lookups that did not answer), then one compact table per kind of entity. The whole stays within
 * Sentinel's 30,000 characters: each table gets a share, small tables leave theirs to the large
 * ones, and a table that runs out says how many rows it left out.
 */
final class IncidentComment {
  static final String TITLE = "SOC Actions: incident enrichment";

  /** Least room a table gets, whatever the others need: its title, header row and a few rows. */
  static final int MIN_SECTION_CHARS = 3_000;

  /** Longest single text (title, reason, error) in the lines above the tables. */
  private static final int MAX_LINE_CHARS = 300;

  /** Reasons and errors listed above the tables; more are counted. */
  private static final int MAX_LISTED = 5;

  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

  private IncidentComment() {}

  static String render(IncidentEnrichment answer) {
    StringBuilder html = new StringBuilder("<p><b>").append(TITLE).append("</b></p>");
    if (answer.summary().entities() == 0) {
      return html.append("<p>")
          .append(escape(incidentName(answer)))
          .append(
              " has no entities: nothing to enrich. The analytics rule maps no entities, or the"
                  + " incident was created empty.</p>")
          .toString();
    }
    html.append("<p>")
        .append(escape(incidentName(answer) + ": " + counts(answer.summary())))
        .append("</p>");
    if (!answer.severityReasons().isEmpty()) {
      html.append("<p>Suggested severity: <b>")
          .append(answer.suggestedSeverity().wireName())
          .append("</b>")
          .append(answer.severity() == null ? "" : " (now " + answer.severity().wireName() + ")")
          .append(". ")
          .append(escape(listed(answer.severityReasons())))
          .append("</p>");
    }
    if (!answer.tags().isEmpty()) {
      html.append("<p>Tags to add: ")
          .append(escape(cut(String.join(", ", answer.tags()))))
          .append("</p>");
    }
    if (!answer.errors().isEmpty()) {
      html.append("<p>Not answered: ")
          .append(
              escape(
                  listed(
                      answer.errors().stream()
                          .map(error -> error.lookup() + ": " + error.message())
                          .toList())))
          .append("</p>");
    }
    answer.warnings().stream()
        .limit(MAX_LISTED)
        .forEach(warning -> html.append("<p>").append(escape(cut(warning))).append("</p>"));
    return html.append(tables(answer, HtmlTable.MAX_COMMENT_CHARS - html.length())).toString();
  }

  private static String tables(IncidentEnrichment answer, int room) {
    List<Section> sections = new ArrayList<>();
    if (!answer.accounts().isEmpty()) {
      sections.add(
          new Section(
              "Accounts",
              List.of("Account", "Name", "Title", "Department", "VIP"),
              answer.accounts().stream().map(IncidentComment::accountRow).toList()));
    }
    if (!answer.hosts().isEmpty()) {
      sections.add(
          new Section(
              "Hosts",
              List.of("Host", "Asset", "Class", "Criticality", "HVA", "Owner"),
              answer.hosts().stream().map(IncidentComment::hostRow).toList()));
    }
    if (!answer.ips().isEmpty()) {
      sections.add(
          new Section(
              "IP addresses",
              List.of("IP", "Scope", "Country", "City", "ASN", "Network (RDAP)", "Asset"),
              answer.ips().stream().map(IncidentComment::ipRow).toList()));
    }
    if (!answer.domains().isEmpty()) {
      sections.add(
          new Section(
              "Domains",
              List.of("Domain", "Registrar", "Registered", "Age (days)", "Newly registered"),
              answer.domains().stream().map(IncidentComment::domainRow).toList()));
    }
    if (!answer.urls().isEmpty()) {
      sections.add(
          new Section(
              "URLs",
              List.of("URL", "Host", "Registered", "Newly registered"),
              answer.urls().stream().map(IncidentComment::urlRow).toList()));
    }
    if (!answer.fileHashes().isEmpty()) {
      sections.add(
          new Section(
              "File hashes",
              List.of("Algorithm", "Hash"),
              answer.fileHashes().stream()
                  .map(hash -> Arrays.asList(hash.algorithm(), hash.hashValue()))
                  .toList()));
    }
    // Smallest first, so the room a small table does not use goes to the large ones.
    List<Section> bySize = new ArrayList<>(sections);
    bySize.sort(Comparator.comparingInt(section -> section.rows.size()));
    Map<Section, String> rendered = new LinkedHashMap<>();
    int left = room;
    for (int i = 0; i < bySize.size(); i++) {
      int sectionsLeft = bySize.size() - i;
      int share =
          Math.max(
              MIN_SECTION_CHARS,
              Math.min(left / sectionsLeft, left - MIN_SECTION_CHARS * (sectionsLeft - 1)));
      Section section = bySize.get(i);
      HtmlTable table = new HtmlTable(section.title, section.headers, share);
      for (List<String> row : section.rows) {
        if (table.isFull()) {
          table.skipRow();
        } else {
          table.row(row);
        }
      }
      String html = table.render();
      rendered.put(section, html);
      left -= html.length();
    }
    StringBuilder html = new StringBuilder();
    sections.forEach(section -> html.append(rendered.get(section)));
    return html.toString();
  }

  private record Section(String title, List<String> headers, List<List<String>> rows) {}

  private static List<String> accountRow(AccountEntry account) {
    return Arrays.asList(
        account.account(),
        account.found() == null
            ? null
            : account.found() ? account.displayName() : "not in the CMDB",
        account.title(),
        account.department(),
        Boolean.TRUE.equals(account.isVip()) ? "VIP" : null);
  }

  private static List<String> hostRow(HostResult host) {
    AssetResult asset = host.asset();
    return Arrays.asList(
        host.host(),
        assetName(asset),
        asset == null ? null : asset.assetClass(),
        asset == null || asset.criticality() == null ? null : asset.criticality().wireName(),
        asset != null && Boolean.TRUE.equals(asset.isHva()) ? "YES" : null,
        asset == null || asset.owner() == null ? null : asset.owner().name());
  }

  private static List<String> ipRow(IpResult ip) {
    GeoLocation geo = ip.geo();
    String asn =
        ip.asn() == null
            ? null
            : join(
                ip.asn().number() == null ? null : "AS" + ip.asn().number(),
                ip.asn().organization());
    String network = ip.whois() == null ? null : join(ip.whois().name(), ip.whois().network());
    return Arrays.asList(
        ip.ip(),
        ip.scope(),
        geo == null ? null : join(geo.countryCode(), geo.country()),
        geo == null ? null : geo.city(),
        asn,
        network,
        assetName(ip.asset()));
  }

  private static List<String> domainRow(DomainResult domain) {
    DomainEnrichment registration = domain.registration();
    return Arrays.asList(
        domain.domain(),
        registration == null ? null : registration.registrar(),
        registered(registration),
        registration == null || registration.ageDays() == null
            ? null
            : Long.toString(registration.ageDays()),
        newlyRegistered(registration));
  }

  private static List<String> urlRow(UrlResult url) {
    return Arrays.asList(
        url.url(),
        url.domain(),
        registered(url.registration()),
        newlyRegistered(url.registration()));
  }

  private static String assetName(AssetResult asset) {
    if (asset == null) {
      return null;
    }
    if (!asset.found()) {
      return asset.error() == null ? "not in the CMDB" : "CMDB: " + asset.error();
    }
    String marks =
        (asset.criticality() == null ? "" : asset.criticality().wireName())
            + (Boolean.TRUE.equals(asset.isHva())
                ? (asset.criticality() == null ? "" : ", ") + "HVA"
                : "");
    return asset.name() + (marks.isEmpty() ? "" : " (" + marks + ")");
  }

  private static String registered(DomainEnrichment registration) {
    return registration == null || registration.registered() == null
        ? null
        : DAY.format(registration.registered());
  }

  private static String newlyRegistered(DomainEnrichment registration) {
    if (registration == null || registration.newlyRegistered() == null) {
      return null;
    }
    return registration.newlyRegistered() ? "YES" : "no";
  }

  private static String incidentName(IncidentEnrichment answer) {
    String number =
        answer.incidentNumber() == null ? "Incident" : "Incident " + answer.incidentNumber();
    return answer.title() == null ? number : number + " (" + cut(answer.title()) + ")";
  }

  private static String counts(Summary summary) {
    String counts =
        summary.entities()
            + (summary.entities() == 1 ? " entity" : " entities")
            + ": "
            + summary.ips()
            + " IP addresses, "
            + summary.hosts()
            + " hosts, "
            + summary.accounts()
            + " accounts, "
            + summary.domains()
            + " domains, "
            + summary.urls()
            + " URLs, "
            + summary.fileHashes()
            + " file hashes";
    return counts
        + (summary.unenriched() == 0
            ? "."
            : " (" + summary.unenriched() + " of other kinds, not enriched).");
  }

  private static String listed(List<String> items) {
    List<String> shown = items.stream().limit(MAX_LISTED).map(IncidentComment::cut).toList();
    return String.join(" ", shown)
        + (items.size() > MAX_LISTED ? " And " + (items.size() - MAX_LISTED) + " more." : "");
  }

  private static String cut(String text) {
    return text.length() <= MAX_LINE_CHARS ? text : text.substring(0, MAX_LINE_CHARS) + "...";
  }

  private static String join(String first, String second) {
    if (first == null) {
      return second;
    }
    return second == null ? first : first + " " + second;
  }
}
