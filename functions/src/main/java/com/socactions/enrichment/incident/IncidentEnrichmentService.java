package com.socactions.enrichment.incident;

import com.socactions.blocking.Verdict;
import com.socactions.cmdb.AccountResult;
import com.socactions.cmdb.AssetResult;
import com.socactions.cmdb.CmdbService;
import com.socactions.cmdb.CmdbService.AccountLookup;
import com.socactions.cmdb.CmdbService.AssetLookup;
import com.socactions.cmdb.Criticality;
import com.socactions.decisions.DecisionLog;
import com.socactions.enrichment.DomainEnrichment;
import com.socactions.enrichment.DomainEnrichmentResponse;
import com.socactions.enrichment.EnrichmentService;
import com.socactions.enrichment.IpEnrichment;
import com.socactions.enrichment.IpEnrichmentResponse;
import com.socactions.enrichment.Lookup;
import com.socactions.enrichment.incident.IncidentEnrichment.AccountEntry;
import com.socactions.enrichment.incident.IncidentEnrichment.DomainResult;
import com.socactions.enrichment.incident.IncidentEnrichment.FileHashResult;
import com.socactions.enrichment.incident.IncidentEnrichment.HostResult;
import com.socactions.enrichment.incident.IncidentEnrichment.IpResult;
import com.socactions.enrichment.incident.IncidentEnrichment.PartError;
import com.socactions.enrichment.incident.IncidentEnrichment.Summary;
import com.socactions.enrichment.incident.IncidentEnrichment.UrlResult;
import com.socactions.enrichment.incident.IncidentEntities.AccountKey;
import com.socactions.indicators.IpAddresses;
import com.socactions.platform.DeadlineTimer;
import com.socactions.platform.InputTooLargeException;
import com.socactions.platform.InvalidInputException;
import com.socactions.platform.RequestLogContext;
import com.socactions.sentinel.Incident;
import com.socactions.sentinel.IncidentSeverity;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Enriches every entity of a Sentinel incident in one call: GeoIP, ASN and RDAP for public
 * addresses, RDAP for domains and URL hosts, CMDB assets for addresses and hosts, CMDB accounts
 * (VIPs) for accounts. From those it derives the tags to add, a suggested severity and one comment.
 *
 * <p>The lookups run side by side on an executor built once per process, under one deadline well
 * inside Logic Apps' 120 s limit for a synchronous action. A lookup that fails or misses the
 * deadline becomes an entry in {@code errors} and the rest still answers: the playbook gets what
 * could be found instead of a 5xx that it would retry for minutes. Only a request that is wrong as
 * a whole fails ({@link InvalidInputException}, e.g. an unknown CMDB provider).
 */
public final class IncidentEnrichmentService {
  /**
   * Time the lookups of one call may take together; Logic Apps gives a synchronous action 120 s.
   */
  public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(45);

  /**
   * Entities one call may carry; an incident past this is almost always a rule that needs tuning.
   */
  public static final int MAX_ENTITIES = 500;

  static final String TAG_CRITICAL_ASSET = "asset:critical";
  static final String TAG_VIP = "vip";
  static final String TAG_NEWLY_REGISTERED = "newly-registered-domain";
  static final String TAG_GEO_PREFIX = "geo:";

  private final Supplier<EnrichmentService> enrichment;
  private final CmdbService cmdb;
  private final Executor executor;
  private final Duration deadline;
  private final String deadlineSetting;
  private final DeadlineTimer timer;
  private volatile DecisionLog decisions = DecisionLog.OFF;
  private volatile Clock decisionClock = Clock.systemUTC();

  /**
   * @param enrichment the IP and domain enrichment, fetched inside the lookups that need it (so a
   *     CMDB-only call never opens the GeoIP databases)
   * @param executor runs the lookups; shared by all calls
   * @param deadline how long the lookups of one call may take together
   * @param deadlineSetting the setting that sets {@code deadline}, named in timeout errors
   * @param timer tells when {@code deadline} has passed ({@link DeadlineTimer#SYSTEM})
   */
  public IncidentEnrichmentService(
      Supplier<EnrichmentService> enrichment,
      CmdbService cmdb,
      Executor executor,
      Duration deadline,
      String deadlineSetting,
      DeadlineTimer timer) {
    if (deadline.isNegative() || deadline.isZero()) {
      throw new IllegalArgumentException("'deadline' must be positive, not " + deadline + ".");
    }
    this.enrichment = enrichment;
    this.cmdb = cmdb;
    this.executor = executor;
    this.deadline = deadline;
    this.deadlineSetting = deadlineSetting;
    this.timer = timer;
  }

  /**
   * The same service with another deadline for its lookups: a background job, which no caller waits
   * on, gives them the time a slow registry needs.
   */
  public IncidentEnrichmentService withDeadline(Duration other) {
    IncidentEnrichmentService longer =
        new IncidentEnrichmentService(enrichment, cmdb, executor, other, deadlineSetting, timer);
    longer.decisions = decisions;
    longer.decisionClock = decisionClock;
    return longer;
  }

  /**
   * The answer when the lookups never ran to the end (a background job that gave up): the
   * incident's entities listed as sent, nothing looked up, and {@code why} as the one error.
   */
  public IncidentEnrichment unanswered(Incident incident, String why) {
    IncidentEnrichment listed =
        enrich(incident, Optional.empty(), EnumSet.noneOf(IncidentLookup.class));
    Summary counted = listed.summary();
    IncidentEnrichment answer =
        new IncidentEnrichment(
            listed.incidentId(),
            listed.incidentNumber(),
            listed.title(),
            listed.severity(),
            listed.ips(),
            listed.hosts(),
            listed.accounts(),
            listed.domains(),
            listed.urls(),
            listed.fileHashes(),
            listed.tags(),
            listed.suggestedSeverity(),
            listed.severityReasons(),
            new Summary(
                counted.entities(),
                counted.ips(),
                counted.hosts(),
                counted.accounts(),
                counted.domains(),
                counted.urls(),
                counted.fileHashes(),
                counted.unenriched(),
                counted.criticalAssets(),
                counted.vips(),
                counted.newlyRegisteredDomains(),
                1),
            listed.warnings(),
            null,
            List.of(new PartError("job", why)));
    return withComment(answer, IncidentComment.render(answer));
  }

  /**
   * The incident, if one call takes it: checked before the work is accepted, so a caller learns at
   * once rather than from a job.
   *
   * @throws InputTooLargeException naming {@code incident} when it carries more than {@value
   *     #MAX_ENTITIES} entities
   */
  public static Incident admit(Incident incident) {
    if (incident.entities().size() > MAX_ENTITIES) {
      throw new InputTooLargeException(
          "incident",
          "the incident has "
              + incident.entities().size()
              + " entities; at most "
              + MAX_ENTITIES
              + " a call");
    }
    return incident;
  }

  /**
   * Enriches the incident's entities, each distinct one once.
   *
   * @param cmdbProvider the CMDB to ask; empty for the default one
   * @param lookups the lookups to make; the others are left out of the answer
   * @throws InvalidInputException when {@code cmdbProvider} is not a CMDB provider
   * @throws InputTooLargeException when the incident is more than one call takes ({@link #admit})
   */
  public IncidentEnrichment enrich(
      Incident incident, Optional<String> cmdbProvider, Set<IncidentLookup> lookups) {
    admit(incident);
    long started = System.nanoTime();
    IncidentEntities entities = IncidentEntities.of(incident.entities());
    Parts parts = new Parts();
    Set<Lookup> ipLookups = EnumSet.noneOf(Lookup.class);
    if (lookups.contains(IncidentLookup.GEO)) {
      ipLookups.add(Lookup.GEO);
    }
    if (lookups.contains(IncidentLookup.ASN)) {
      ipLookups.add(Lookup.ASN);
    }
    List<String> domainNames = entities.domainNames();
    List<String> assetKeys = entities.assetKeys();
    List<String> accountKeys = entities.accountKeys();
    // RDAP is the slow part, so it runs apart from the local GeoIP lookups: a registry that misses
    // the deadline still leaves every address its country.
    CompletableFuture<IpEnrichmentResponse> geo =
        parts.start(
            "geo",
            !ipLookups.isEmpty() && !entities.ips().isEmpty(),
            () -> enrichment.get().enrichIps(entities.ips(), ipLookups));
    CompletableFuture<IpEnrichmentResponse> whois =
        parts.start(
            "whois",
            lookups.contains(IncidentLookup.WHOIS) && !entities.ips().isEmpty(),
            () -> enrichment.get().enrichIps(entities.ips(), EnumSet.of(Lookup.WHOIS)));
    CompletableFuture<DomainEnrichmentResponse> domains =
        parts.start(
            "domains",
            lookups.contains(IncidentLookup.WHOIS) && !domainNames.isEmpty(),
            () -> enrichment.get().enrichDomains(domainNames));
    CompletableFuture<AssetLookup> assets =
        parts.start(
            "assets",
            lookups.contains(IncidentLookup.CMDB) && !assetKeys.isEmpty(),
            () -> cmdb.lookupAssets(assetKeys, cmdbProvider));
    CompletableFuture<AccountLookup> accounts =
        parts.start(
            "accounts",
            lookups.contains(IncidentLookup.CMDB) && !accountKeys.isEmpty(),
            () -> cmdb.lookupAccounts(accountKeys, cmdbProvider));
    parts.awaitAll(timer.after(deadline));

    Map<String, IpEnrichment> geoByIp =
        byKey(parts.value(geo).map(IpEnrichmentResponse::results), IpEnrichment::input);
    Map<String, IpEnrichment> whoisByIp =
        byKey(parts.value(whois).map(IpEnrichmentResponse::results), IpEnrichment::input);
    Map<String, DomainEnrichment> domainsByName =
        byKey(parts.value(domains).map(DomainEnrichmentResponse::results), DomainEnrichment::input);
    Optional<Map<String, AssetResult>> assetsByKey =
        parts.value(assets).map(found -> byKey(Optional.of(found.assets()), AssetResult::key));
    Optional<Map<String, AccountResult>> accountsByKey =
        parts
            .value(accounts)
            .map(found -> byKey(Optional.of(found.accounts()), AccountResult::key));

    List<IpResult> ipResults =
        entities.ips().stream()
            .map(
                ip ->
                    ipResult(
                        ip,
                        geoByIp.get(ip),
                        whoisByIp.get(ip),
                        assetsByKey.map(found -> found.get(ip)).orElse(null)))
            .toList();
    List<HostResult> hostResults =
        entities.hosts().stream()
            .map(
                host ->
                    new HostResult(
                        host.host(),
                        host.hostName(),
                        host.dnsDomain(),
                        host.netBiosName(),
                        assetsByKey.map(found -> found.get(host.host())).orElse(null)))
            .toList();
    List<AccountEntry> accountResults =
        entities.accounts().stream().map(account -> accountEntry(account, accountsByKey)).toList();
    List<DomainResult> domainResults =
        entities.domains().stream()
            .map(domain -> new DomainResult(domain, domainsByName.get(domain)))
            .toList();
    List<UrlResult> urlResults =
        entities.urls().stream()
            .map(
                url ->
                    new UrlResult(
                        url.url(),
                        url.host(),
                        url.host() == null ? null : domainsByName.get(url.host())))
            .toList();
    List<FileHashResult> hashResults =
        entities.fileHashes().stream()
            .map(hash -> new FileHashResult(hash.algorithm(), hash.value()))
            .toList();

    Verdict verdict = verdict(ipResults, hostResults, accountResults, domainResults, urlResults);
    IncidentSeverity suggested =
        incident.severity() == null
            ? (verdict.reasons.isEmpty() ? null : IncidentSeverity.HIGH)
            : verdict.reasons.isEmpty()
                ? incident.severity()
                : incident.severity().atLeast(IncidentSeverity.HIGH);
    List<String> warnings =
        new ArrayList<>(
            new LinkedHashSet<>(
                parts.value(geo).map(IpEnrichmentResponse::warnings).orElse(List.of())));
    Summary summary =
        new Summary(
            incident.entities().size(),
            ipResults.size(),
            hostResults.size(),
            accountResults.size(),
            domainResults.size(),
            urlResults.size(),
            hashResults.size(),
            entities.unenriched(),
            verdict.criticalAssets.size(),
            verdict.vips.size(),
            verdict.newlyRegistered.size(),
            parts.errors.size());
    IncidentEnrichment answer =
        new IncidentEnrichment(
            incident.id(),
            incident.incidentNumber(),
            incident.title(),
            incident.severity(),
            ipResults,
            hostResults,
            accountResults,
            domainResults,
            urlResults,
            hashResults,
            List.copyOf(verdict.tags),
            suggested,
            List.copyOf(verdict.reasons),
            summary,
            warnings,
            null,
            List.copyOf(parts.errors));
    IncidentEnrichment enriched = withComment(answer, IncidentComment.render(answer));
    // Decisions to Log Analytics (issue 19): one record per call, once its outcome is known.
    decisions.recordLazily(
        () ->
            List.of(
                EnrichmentDecisions.of(
                    enriched, (System.nanoTime() - started) / 1_000_000, decisionClock.instant())));
    return enriched;
  }

  /**
   * Where this service records its calls (by default nowhere), with the clock that stamps them; set
   * once by the module that builds it.
   */
  public IncidentEnrichmentService decisionLog(DecisionLog log, Clock clock) {
    this.decisions = java.util.Objects.requireNonNull(log, "'log' cannot be null.");
    this.decisionClock = java.util.Objects.requireNonNull(clock, "'clock' cannot be null.");
    return this;
  }

  private static IncidentEnrichment withComment(IncidentEnrichment answer, String commentHtml) {
    return new IncidentEnrichment(
        answer.incidentId(),
        answer.incidentNumber(),
        answer.title(),
        answer.severity(),
        answer.ips(),
        answer.hosts(),
        answer.accounts(),
        answer.domains(),
        answer.urls(),
        answer.fileHashes(),
        answer.tags(),
        answer.suggestedSeverity(),
        answer.severityReasons(),
        answer.summary(),
        answer.warnings(),
        commentHtml,
        answer.errors());
  }

  private static IpResult ipResult(
      String ip, IpEnrichment geo, IpEnrichment whois, AssetResult asset) {
    Set<String> errors = new LinkedHashSet<>();
    if (geo != null) {
      errors.addAll(geo.errors());
    }
    if (whois != null) {
      errors.addAll(whois.errors());
    }
    String scope =
        IpAddresses.parse(ip).map(address -> IpAddresses.scopeOf(address).wireName()).orElse(null);
    if (scope == null) {
      errors.add("'" + ip + "' is not an IPv4 or IPv6 address");
    }
    return new IpResult(
        ip,
        scope,
        geo == null ? null : geo.geo(),
        geo == null ? null : geo.asn(),
        whois == null ? null : whois.whois(),
        asset,
        List.copyOf(errors));
  }

  /** The account with the CMDB's answer for the first of its forms that the CMDB knows. */
  private static AccountEntry accountEntry(
      AccountKey account, Optional<Map<String, AccountResult>> answers) {
    if (answers.isEmpty()) {
      return new AccountEntry(
          account.account(),
          account.aadUserId(),
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null);
    }
    Optional<AccountResult> found =
        account.candidates().stream()
            .map(answers.get()::get)
            .filter(result -> result != null && result.found())
            .findFirst();
    if (found.isEmpty()) {
      String error =
          account.candidates().stream()
              .map(answers.get()::get)
              .filter(result -> result != null && result.error() != null)
              .map(AccountResult::error)
              .findFirst()
              .orElse(null);
      return new AccountEntry(
          account.account(),
          account.aadUserId(),
          false,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          error);
    }
    AccountResult result = found.get();
    return new AccountEntry(
        account.account(),
        account.aadUserId(),
        true,
        result.key(),
        result.userPrincipalName(),
        result.displayName(),
        result.department(),
        result.title(),
        result.manager(),
        result.isVip(),
        result.source(),
        result.error());
  }

  /** What the findings mean for the incident: its tags and the reasons to raise its severity. */
  private static final class Verdict {
    final Set<String> tags = new TreeSet<>();
    final List<String> reasons = new ArrayList<>();
    final Set<String> criticalAssets = new LinkedHashSet<>();
    final Set<String> vips = new LinkedHashSet<>();
    final Set<String> newlyRegistered = new TreeSet<>();
  }

  private static Verdict verdict(
      List<IpResult> ips,
      List<HostResult> hosts,
      List<AccountEntry> accounts,
      List<DomainResult> domains,
      List<UrlResult> urls) {
    Verdict verdict = new Verdict();
    for (IpResult ip : ips) {
      if (ip.geo() != null && ip.geo().countryCode() != null && "public".equals(ip.scope())) {
        verdict.tags.add(TAG_GEO_PREFIX + ip.geo().countryCode().toUpperCase(Locale.ROOT));
      }
      critical(ip.ip(), ip.asset(), verdict);
    }
    hosts.forEach(host -> critical(host.host(), host.asset(), verdict));
    for (AccountEntry account : accounts) {
      if (Boolean.TRUE.equals(account.isVip())
          && verdict.vips.add(account.account().toLowerCase(Locale.ROOT))) {
        verdict.tags.add(TAG_VIP);
        verdict.reasons.add(
            "Account "
                + account.account()
                + " belongs to a VIP"
                + describe(account.displayName(), account.title())
                + ".");
      }
    }
    domains.forEach(domain -> newlyRegistered(domain.registration(), verdict));
    urls.forEach(url -> newlyRegistered(url.registration(), verdict));
    return verdict;
  }

  private static void critical(String entity, AssetResult asset, Verdict verdict) {
    if (asset == null || !asset.found()) {
      return;
    }
    boolean critical = asset.criticality() == Criticality.CRITICAL;
    boolean hva = Boolean.TRUE.equals(asset.isHva());
    if ((critical || hva) && verdict.criticalAssets.add(asset.name().toLowerCase(Locale.ROOT))) {
      verdict.tags.add(TAG_CRITICAL_ASSET);
      String why =
          (critical ? "critical" : "")
              + (critical && hva ? " and " : "")
              + (hva ? "a high-value asset" : "");
      verdict.reasons.add(
          "Asset "
              + asset.name()
              + (asset.name().equalsIgnoreCase(entity) ? "" : " (" + entity + ")")
              + " is "
              + why
              + " in the CMDB.");
    }
  }

  private static void newlyRegistered(DomainEnrichment registration, Verdict verdict) {
    if (registration != null && Boolean.TRUE.equals(registration.newlyRegistered())) {
      verdict.tags.add(TAG_NEWLY_REGISTERED);
      verdict.newlyRegistered.add(registration.registrableDomain());
    }
  }

  private static String describe(String name, String title) {
    if (name == null && title == null) {
      return "";
    }
    return " (" + (name == null ? title : title == null ? name : name + ", " + title) + ")";
  }

  private static <T> Map<String, T> byKey(Optional<List<T>> results, Function<T, String> key) {
    Map<String, T> byKey = new HashMap<>();
    results.ifPresent(list -> list.forEach(result -> byKey.putIfAbsent(key.apply(result), result)));
    return byKey;
  }

  /** The lookups of one call: started together, awaited under one deadline, failures noted. */
  private final class Parts {
    private final Map<CompletableFuture<?>, String> names = new HashMap<>();
    private final Map<CompletableFuture<?>, Object> values = new HashMap<>();
    private final List<PartError> errors = new ArrayList<>();

    /** Starts a lookup when {@code wanted}; else returns a future that no one waits for. */
    <T> CompletableFuture<T> start(String name, boolean wanted, Supplier<T> lookup) {
      if (!wanted) {
        return new CompletableFuture<>();
      }
      CompletableFuture<T> future =
          CompletableFuture.supplyAsync(RequestLogContext.wrap(lookup), executor);
      names.put(future, name);
      return future;
    }

    /**
     * Waits for every started lookup until they are all done or {@code expired} completes; a lookup
     * not done by then is an error entry. An {@link InvalidInputException} from any of them is the
     * caller's mistake and fails the call.
     */
    void awaitAll(CompletableFuture<?> expired) {
      CompletableFuture<Void> all =
          CompletableFuture.allOf(names.keySet().toArray(CompletableFuture<?>[]::new));
      try {
        CompletableFuture.anyOf(all, expired).get();
      } catch (ExecutionException failed) {
        // A lookup failed: it is read below with the others.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      InvalidInputException invalid = null;
      List<CompletableFuture<?>> inOrder = new ArrayList<>(names.keySet());
      inOrder.sort((a, b) -> names.get(a).compareTo(names.get(b)));
      for (CompletableFuture<?> future : inOrder) {
        String name = names.get(future);
        if (!future.isDone()) {
          // Not interrupted: the lookups bound their own time, and their answers still warm the
          // caches.
          future.cancel(false);
          errors.add(
              new PartError(
                  name,
                  Thread.currentThread().isInterrupted()
                      ? "interrupted"
                      : "no answer within "
                          + deadline.toSeconds()
                          + " s (setting "
                          + deadlineSetting
                          + "); the other lookups answered"));
          continue;
        }
        try {
          values.put(future, future.get());
        } catch (ExecutionException | CancellationException e) {
          Throwable cause = e.getCause() == null ? e : e.getCause();
          if (cause instanceof InvalidInputException mistake) {
            invalid = mistake;
          }
          errors.add(
              new PartError(
                  name,
                  cause.getMessage() == null
                      ? cause.getClass().getSimpleName()
                      : cause.getMessage()));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          errors.add(new PartError(name, "interrupted"));
        }
      }
      if (invalid != null) {
        throw invalid;
      }
    }

    @SuppressWarnings("unchecked")
    <T> Optional<T> value(CompletableFuture<T> future) {
      return Optional.ofNullable((T) values.get(future));
    }
  }
}
