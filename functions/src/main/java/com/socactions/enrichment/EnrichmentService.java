package com.socactions.enrichment;

import com.socactions.enrichment.geoip.GeoIpDatabase;
import com.socactions.enrichment.geoip.GeoIpDatabases;
import com.socactions.enrichment.geoip.GeoIpException;
import com.socactions.enrichment.rdap.DomainOutcome;
import com.socactions.enrichment.rdap.RdapClient;
import com.socactions.enrichment.rdap.WhoisOutcome;
import com.socactions.indicators.DomainNames;
import com.socactions.indicators.IpAddresses;
import com.socactions.indicators.IpScope;
import com.socactions.platform.HtmlTable;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Enriches batches of IP addresses (GeoIP location, autonomous system, RDAP network registration)
 * and domains (RDAP registration of the registrable domain).
 *
 * <p>Never fails a batch for one item: each item carries its own {@link LookupStatus} and errors.
 * Only public addresses leave the process (RDAP); private, documentation and other special ranges
 * answer their scope without lookups.
 */
public final class EnrichmentService {
  /**
   * Time a batch may spend on RDAP; well inside Logic Apps' 120 s limit for a synchronous action.
   */
  public static final Duration DEFAULT_WHOIS_BUDGET = Duration.ofSeconds(25);

  /** Domains younger than this are flagged {@code newly_registered}. */
  public static final int NEWLY_REGISTERED_DAYS = 30;

  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

  private final GeoIpDatabases geoip;
  private final Supplier<RdapClient> rdap;
  private final Clock clock;
  private final Duration whoisBudget;

  /**
   * @param rdap built on first use: batches without WHOIS never need it
   */
  public EnrichmentService(
      GeoIpDatabases geoip, Supplier<RdapClient> rdap, Clock clock, Duration whoisBudget) {
    this.geoip = geoip;
    this.rdap = rdap;
    this.clock = clock;
    this.whoisBudget = whoisBudget;
  }

  /** One result per input, in input order. */
  public IpEnrichmentResponse enrichIps(List<String> inputs, Set<Lookup> lookups) {
    List<ParsedIp> parsed = inputs.stream().map(ParsedIp::of).toList();
    Map<InetAddress, WhoisOutcome> whois =
        lookups.contains(Lookup.WHOIS) ? whoisOf(parsed) : Map.of();
    Optional<GeoIpDatabase> geoDb = geoip.geo().database();
    Optional<GeoIpDatabase> asnDb = geoip.asn().database();
    IpEnrichment[] inOrder = new IpEnrichment[parsed.size()];
    for (int index : lookupOrder(parsed)) {
      inOrder[index] = enrich(parsed.get(index), lookups, geoDb, asnDb, whois);
    }
    List<IpEnrichment> results = Arrays.asList(inOrder);
    List<DatabaseInfo> databases = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    if (lookups.contains(Lookup.GEO)) {
      describe(geoip.geo(), databases, warnings);
    }
    if (lookups.contains(Lookup.ASN)) {
      describe(geoip.asn(), databases, warnings);
    }
    return ipResponse(results, databases, warnings);
  }

  /**
   * The answer for these results: their summary and comment, with the databases and warnings of the
   * call. A job that ran a request in chunks builds the answer for all of them with it.
   */
  public static IpEnrichmentResponse ipResponse(
      List<IpEnrichment> results, List<DatabaseInfo> databases, List<String> warnings) {
    return new IpEnrichmentResponse(
        results,
        summarise(results, IpEnrichment::lookupStatus),
        databases,
        warnings,
        ipComment(results, warnings));
  }

  /** One result per input, in input order. */
  public DomainEnrichmentResponse enrichDomains(List<String> inputs) {
    List<ParsedDomainItem> parsed = inputs.stream().map(ParsedDomainItem::of).toList();
    Set<String> registrable = new LinkedHashSet<>();
    parsed.forEach(
        item -> item.domain().ifPresent(domain -> registrable.add(domain.registrableDomain())));
    Map<String, DomainOutcome> outcomes =
        registrable.isEmpty() ? Map.of() : rdap.get().lookupDomains(registrable, whoisBudget);
    Instant now = clock.instant();
    List<DomainEnrichment> results =
        parsed.stream().map(item -> enrich(item, outcomes, now)).toList();
    return domainResponse(results);
  }

  /**
   * The answer for these results: their summary and comment. A job that ran a request in chunks
   * builds the answer for all of them with it.
   */
  public static DomainEnrichmentResponse domainResponse(List<DomainEnrichment> results) {
    return new DomainEnrichmentResponse(
        results,
        summarise(results, DomainEnrichment::lookupStatus),
        List.of(),
        domainComment(results));
  }

  /**
   * Item indexes in address order. Neighbouring addresses share the upper nodes of the GeoIP search
   * trees, so looking them up one after the other keeps those nodes in the CPU caches.
   */
  private static int[] lookupOrder(List<ParsedIp> parsed) {
    Integer[] order = new Integer[parsed.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(
        order,
        (left, right) -> compareAddresses(parsed.get(left).address, parsed.get(right).address));
    int[] indexes = new int[order.length];
    for (int i = 0; i < order.length; i++) {
      indexes[i] = order[i];
    }
    return indexes;
  }

  private static int compareAddresses(InetAddress left, InetAddress right) {
    if (left == null || right == null) {
      return left == null ? (right == null ? 0 : -1) : 1;
    }
    return Arrays.compareUnsigned(left.getAddress(), right.getAddress());
  }

  private Map<InetAddress, WhoisOutcome> whoisOf(List<ParsedIp> parsed) {
    Set<InetAddress> publicAddresses = new LinkedHashSet<>();
    for (ParsedIp item : parsed) {
      if (item.address != null && item.scope.isPublic()) {
        publicAddresses.add(item.address);
      }
    }
    return publicAddresses.isEmpty()
        ? Map.of()
        : rdap.get().lookupIps(publicAddresses, whoisBudget);
  }

  private IpEnrichment enrich(
      ParsedIp item,
      Set<Lookup> lookups,
      Optional<GeoIpDatabase> geoDb,
      Optional<GeoIpDatabase> asnDb,
      Map<InetAddress, WhoisOutcome> whois) {
    if (item.address == null) {
      return new IpEnrichment(
          item.input,
          item.input,
          LookupStatus.INVALID,
          null,
          null,
          null,
          null,
          List.of("'" + item.input + "' is not an IPv4 or IPv6 address"));
    }
    String ip = IpAddresses.canonical(item.address);
    if (!item.scope.isPublic()) {
      return new IpEnrichment(
          ip, item.input, LookupStatus.SKIPPED, item.scope.wireName(), null, null, null, List.of());
    }
    ItemAnswers answers = new ItemAnswers();
    GeoLocation geo =
        lookups.contains(Lookup.GEO)
            ? fromDatabase("geo", geoip.geo(), geoDb, db -> db.locate(item.address), answers)
            : null;
    AutonomousSystem asn =
        lookups.contains(Lookup.ASN)
            ? fromDatabase(
                "asn", geoip.asn(), asnDb, db -> db.autonomousSystem(item.address), answers)
            : null;
    WhoisNetwork network = null;
    if (lookups.contains(Lookup.WHOIS)) {
      WhoisOutcome outcome = whois.get(item.address);
      if (outcome != null && outcome.isFound()) {
        network = outcome.network();
        answers.answered();
      } else {
        answers.failed("whois: " + (outcome == null ? "no answer" : outcome.error()));
      }
    }
    return new IpEnrichment(
        ip,
        item.input,
        answers.status(),
        item.scope.wireName(),
        geo,
        asn,
        network,
        answers.errors());
  }

  /**
   * One database lookup of an item: its value (null when the database has none), or an error noted
   * in {@code answers}.
   */
  private static <T> T fromDatabase(
      String label,
      GeoIpDatabases.Slot slot,
      Optional<GeoIpDatabase> database,
      Function<GeoIpDatabase, Optional<T>> query,
      ItemAnswers answers) {
    if (database.isEmpty()) {
      answers.failed(label + ": " + slot.problem().orElse("unavailable"));
      return null;
    }
    try {
      T value = query.apply(database.get()).orElse(null);
      answers.answered();
      return value;
    } catch (GeoIpException e) {
      answers.failed(label + ": " + e.getMessage());
      return null;
    }
  }

  /** Which requested lookups of one item answered, and why the others did not. */
  private static final class ItemAnswers {
    private final List<String> errors = new ArrayList<>(2);
    private int answered;

    void answered() {
      answered++;
    }

    void failed(String error) {
      errors.add(error);
    }

    LookupStatus status() {
      return errors.isEmpty()
          ? LookupStatus.OK
          : answered == 0 ? LookupStatus.FAILED : LookupStatus.PARTIAL;
    }

    List<String> errors() {
      return errors.isEmpty() ? List.of() : List.copyOf(errors);
    }
  }

  private DomainEnrichment enrich(
      ParsedDomainItem item, Map<String, DomainOutcome> outcomes, Instant now) {
    if (item.domain().isEmpty()) {
      LookupStatus status = item.internal ? LookupStatus.SKIPPED : LookupStatus.INVALID;
      return new DomainEnrichment(
          null,
          item.input,
          null,
          status,
          null,
          null,
          null,
          null,
          null,
          null,
          List.of(),
          List.of(),
          null,
          null,
          null,
          List.of(item.error));
    }
    DomainNames.ParsedDomain domain = item.domain().get();
    DomainOutcome outcome = outcomes.get(domain.registrableDomain());
    if (outcome == null || !outcome.isFound()) {
      return new DomainEnrichment(
          domain.name(),
          item.input,
          domain.registrableDomain(),
          LookupStatus.FAILED,
          null,
          null,
          null,
          null,
          null,
          null,
          List.of(),
          List.of(),
          null,
          null,
          null,
          List.of("whois: " + (outcome == null ? "no answer" : outcome.error())));
    }
    DomainRegistration registration = outcome.registration();
    Long ageDays =
        registration.registered() == null
            ? null
            : Math.max(0, Duration.between(registration.registered(), now).toDays());
    Boolean newlyRegistered = ageDays == null ? null : ageDays < NEWLY_REGISTERED_DAYS;
    return new DomainEnrichment(
        domain.name(),
        item.input,
        domain.registrableDomain(),
        LookupStatus.OK,
        registration.registrar(),
        registration.registered(),
        registration.expires(),
        registration.lastChanged(),
        ageDays,
        newlyRegistered,
        nullToEmpty(registration.status()),
        nullToEmpty(registration.nameservers()),
        registration.dnssec(),
        registration.abuseEmail(),
        registration.rdapUrl(),
        List.of());
  }

  private void describe(
      GeoIpDatabases.Slot slot, List<DatabaseInfo> databases, List<String> warnings) {
    Optional<GeoIpDatabase> database = slot.database();
    if (database.isEmpty()) {
      warnings.add(slot.problem().orElse(slot.role() + " database unavailable"));
      return;
    }
    GeoIpDatabase db = database.get();
    long ageDays = geoip.ageDays(db);
    boolean stale = geoip.isStale(db);
    databases.add(new DatabaseInfo(slot.role(), db.type(), db.buildDate(), ageDays, stale));
    if (stale) {
      warnings.add(
          db.type()
              + " database was built on "
              + DAY.format(db.buildDate())
              + ", "
              + ageDays
              + " days ago: answers may be out of date; keep it fresh with geoipupdate");
    }
  }

  private static <T> BatchSummary summarise(List<T> results, Function<T, LookupStatus> statusOf) {
    int[] counts = new int[LookupStatus.values().length];
    results.forEach(result -> counts[statusOf.apply(result).ordinal()]++);
    return new BatchSummary(
        results.size(),
        counts[LookupStatus.OK.ordinal()],
        counts[LookupStatus.PARTIAL.ordinal()],
        counts[LookupStatus.FAILED.ordinal()],
        counts[LookupStatus.INVALID.ordinal()],
        counts[LookupStatus.SKIPPED.ordinal()]);
  }

  private static String ipComment(List<IpEnrichment> results, List<String> warnings) {
    HtmlTable table =
        new HtmlTable(
            "SOC Actions: IP enrichment",
            List.of(
                "IP",
                "Scope",
                "Country",
                "City",
                "ASN",
                "Network (RDAP)",
                "Abuse contact",
                "Notes"));
    for (IpEnrichment result : results) {
      if (table.isFull()) {
        table.skipRow();
        continue;
      }
      GeoLocation geo = result.geo();
      AutonomousSystem asn = result.asn();
      WhoisNetwork whois = result.whois();
      table.row(
          Arrays.asList(
              result.ip(),
              result.scope() == null ? result.lookupStatus().wireName() : result.scope(),
              geo == null ? null : join(geo.countryCode(), geo.country()),
              geo == null ? null : geo.city(),
              asn == null
                  ? null
                  : join(asn.number() == null ? null : "AS" + asn.number(), asn.organization()),
              whois == null ? null : join(whois.name(), whois.network()),
              whois == null ? null : whois.abuseEmail(),
              String.join("; ", result.errors())));
    }
    warnings.forEach(table::note);
    return table.render();
  }

  private static String domainComment(List<DomainEnrichment> results) {
    HtmlTable table =
        new HtmlTable(
            "SOC Actions: domain enrichment",
            List.of(
                "Domain",
                "Registered domain",
                "Registrar",
                "Registered",
                "Age (days)",
                "Newly registered",
                "Notes"));
    for (DomainEnrichment result : results) {
      table.row(
          Arrays.asList(
              result.domain() == null ? result.input() : result.domain(),
              result.registrableDomain(),
              result.registrar(),
              result.registered() == null ? null : DAY.format(result.registered()),
              result.ageDays() == null ? null : Long.toString(result.ageDays()),
              result.newlyRegistered() == null ? null : result.newlyRegistered() ? "YES" : "no",
              String.join("; ", result.errors())));
    }
    return table.render();
  }

  private static String join(String first, String second) {
    if (first == null) {
      return second;
    }
    return second == null ? first : first + " " + second;
  }

  private static List<String> nullToEmpty(List<String> values) {
    return values == null ? List.of() : values;
  }

  private record ParsedIp(String input, InetAddress address, IpScope scope) {
    static ParsedIp of(String input) {
      Optional<InetAddress> address = IpAddresses.parse(input);
      return new ParsedIp(
          input, address.orElse(null), address.map(IpAddresses::scopeOf).orElse(null));
    }
  }

  private record ParsedDomainItem(
      String input, DomainNames.ParsedDomain parsed, String error, boolean internal) {
    static ParsedDomainItem of(String input) {
      try {
        return new ParsedDomainItem(input, DomainNames.parse(input), null, false);
      } catch (DomainNames.NotADomainException e) {
        return new ParsedDomainItem(input, null, e.getMessage(), e.isInternal());
      }
    }

    Optional<DomainNames.ParsedDomain> domain() {
      return Optional.ofNullable(parsed);
    }
  }
}
