package com.socactions.enrichment.rdap;

import com.socactions.enrichment.DomainRegistration;
import com.socactions.enrichment.WhoisNetwork;
import com.socactions.indicators.IpAddresses;
import com.socactions.platform.Deadline;
import com.socactions.platform.RequestLog;
import com.socactions.platform.RequestLogContext;
import com.socactions.platform.Ticker;
import com.socactions.platform.UpstreamBudgets;
import com.socactions.platform.UpstreamClient;
import com.socactions.platform.UpstreamClients;
import com.socactions.platform.UpstreamPolicy;
import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import okhttp3.HttpUrl;

/**
 * WhoIs through RDAP (RFC 9083), with servers found through the IANA bootstrap (RFC 9224).
 *
 * <p>Built once per worker process and shared: it holds the bootstrap files, a cache of network
 * answers by address range (one answer covers a whole network, so a thousand addresses in one
 * network cost one call), a cache of domain answers, and per-server resilience (retry honouring
 * {@code Retry-After}, rate limiter, circuit breaker).
 *
 * <p>Lookups never throw for upstream trouble: every input gets an outcome, either the record or a
 * one-line reason for the analyst. They return within the budget (plus a little), marking the items
 * not done. Every URL contacted (service URLs, redirects, registrar links) must be https and
 * resolve to public addresses, unless {@code RDAP_ALLOW_INSECURE=true} (local fakes and tests
 * only), which allows http and loopback.
 */
public final class RdapClient implements AutoCloseable {
  private static final RequestLog LOG = RequestLog.of(RdapClient.class);

  /** The RDAP servers, as log lines name them (failures name each server's host). */
  static final String UPSTREAM = "RDAP";

  /** The IANA bootstrap files' server, as log lines name it. */
  static final String BOOTSTRAP_UPSTREAM = "RDAP bootstrap";

  /**
   * The prefix lengths of the fan-out, widest first (see {@link #resolve}). The first is the lane:
   * its first answer is awaited alone, because it often covers the whole lane (ARIN's
   * 13.64.0.0-13.107.255.255 spans 44 /16s). The last is one address.
   */
  private static final int[] FAN_OUT_PREFIXES_V4 = {8, 16, 24, 32};

  private static final int[] FAN_OUT_PREFIXES_V6 = {24, 32, 48, 64, 128};

  /**
   * How long the caller's thread waits on the items between two readings of the deadline's ticker.
   */
  private static final Duration AWAIT_SLICE = Duration.ofMillis(50);

  /**
   * Wider answers than these are cached for the queried address only (a /8 is an RIR's whole
   * block).
   */
  private static final int WIDEST_CACHED_PREFIX_V4 = 8;

  private static final int WIDEST_CACHED_PREFIX_V6 = 12;

  /** How long after the budget a lookup may take to hand back what it has. */
  private static final Duration GRACE = Duration.ofMillis(200);

  private final RdapOptions options;
  private final Clock clock;
  private final Ticker ticker;
  private final Bootstrap bootstrap;
  private final RdapHttp http;
  private final HostPolicies policies;
  private final RangeCache<WhoisNetwork> networks;
  private final TtlCache<InetAddress, String> notFoundIps;
  private final TtlCache<String, DomainOutcome> domains;
  private final ExecutorService executor;

  /** The call budgets kept in this process only; deadlines on the system ticker. */
  public RdapClient(RdapOptions options, UpstreamClients kit) {
    this(options, kit, Ticker.SYSTEM, UpstreamBudgets.local(kit.clock(), kit.sleeper()));
  }

  /**
   * Its clients built by {@code kit} (whose clock and sleeper it uses); deadlines read {@code
   * ticker}; each registry host's call budget lives in {@code budgets} (shared by every instance of
   * the app when they are in storage).
   */
  public RdapClient(
      RdapOptions options, UpstreamClients kit, Ticker ticker, UpstreamBudgets budgets) {
    this.options = Objects.requireNonNull(options, "'options' cannot be null.");
    Objects.requireNonNull(kit, "'kit' cannot be null.");
    this.clock = kit.clock();
    this.ticker = Objects.requireNonNull(ticker, "'ticker' cannot be null.");
    UpstreamClient rdapHttp =
        kit.client(UPSTREAM)
            .connectTimeout(options.connectTimeout())
            .readTimeout(options.readTimeout())
            .callTimeout(options.callTimeout())
            .followRedirects(false)
            .dns(new PublicAddressDns(options.dns(), options.allowLoopback()))
            .maxBodyBytes(options.maxBodyBytes())
            .build();
    UpstreamClient bootstrapHttp =
        kit.client(BOOTSTRAP_UPSTREAM)
            .connectTimeout(options.connectTimeout())
            .readTimeout(options.readTimeout())
            .callTimeout(options.callTimeout())
            .followRedirects(true)
            // One attempt: a failed fetch is remembered for RDAP_BOOTSTRAP_FAILURE_TTL instead, and
            // the lookup's deadline has no room for a retry; the breaker still counts no-answers.
            .policy(UpstreamPolicy.Options.defaults().maxAttempts(1))
            .build();
    this.policies =
        new HostPolicies(
            options,
            clock,
            ticker,
            kit.sleeper(),
            Objects.requireNonNull(budgets, "'budgets' cannot be null."));
    this.http = new RdapHttp(rdapHttp, options, policies);
    this.bootstrap =
        new Bootstrap(HttpUrl.get(options.bootstrapUrl()), bootstrapHttp, clock, options);
    this.networks = new RangeCache<>(clock, options.networkCacheTtl(), options.maxCachedRanges());
    this.notFoundIps = new TtlCache<>(clock, options.maxCachedRanges());
    this.domains = new TtlCache<>(clock, options.maxCachedDomains());
    this.executor = newExecutor(options.maxConcurrency());
  }

  /**
   * The registered network of each address. Duplicates are looked up once; private and other
   * non-public addresses are answered without a call.
   *
   * <p>Never throws for upstream trouble; returns an outcome for every input (in input order);
   * finishes within {@code budget}: items not done say so.
   */
  public Map<InetAddress, WhoisOutcome> lookupIps(Collection<InetAddress> ips, Duration budget) {
    Deadline deadline = Deadline.after(budget, ticker);
    LinkedHashSet<InetAddress> unique = new LinkedHashSet<>();
    ips.stream().filter(Objects::nonNull).forEach(unique::add);
    Map<InetAddress, WhoisOutcome> results = new ConcurrentHashMap<>();
    // lane (the widest fan-out prefix) -> its addresses in ascending order
    Map<String, TreeMap<BigInteger, InetAddress>> lanes = new LinkedHashMap<>();
    int pending = 0;
    for (InetAddress ip : unique) {
      WhoisOutcome immediate = fromCacheOrPolicy(ip);
      if (immediate != null) {
        results.put(ip, immediate);
        continue;
      }
      boolean v4 = ip instanceof Inet4Address;
      String lane = (v4 ? "4/" : "6/") + IpRanges.prefix(ip, fanOutPrefixes(ip)[0]);
      lanes.computeIfAbsent(lane, k -> new TreeMap<>()).put(IpAddresses.toBigInteger(ip), ip);
      pending++;
    }
    if (pending > 0) {
      Batch<InetAddress, WhoisOutcome> batch = new Batch<>(results, pending, deadline);
      for (TreeMap<BigInteger, InetAddress> lane : lanes.values()) {
        List<InetAddress> addresses = List.copyOf(lane.values());
        batch.submit(() -> resolve(addresses, 0, batch));
      }
      batch.await();
      String notDone = "whois lookup not done within " + deadline.budgetSeconds() + " s; try again";
      unique.forEach(ip -> results.putIfAbsent(ip, WhoisOutcome.failed(notDone)));
    }
    Map<InetAddress, WhoisOutcome> ordered = new LinkedHashMap<>();
    unique.forEach(ip -> ordered.put(ip, results.get(ip)));
    return ordered;
  }

  /**
   * The registration of each registrable domain (lower case, e.g. {@code example.co.uk}). Same
   * guarantees as {@link #lookupIps}.
   */
  public Map<String, DomainOutcome> lookupDomains(
      Collection<String> registrableDomains, Duration budget) {
    Deadline deadline = Deadline.after(budget, ticker);
    LinkedHashSet<String> unique = new LinkedHashSet<>();
    registrableDomains.stream()
        .filter(Objects::nonNull)
        .map(d -> normalizeDomain(d))
        .forEach(unique::add);
    Map<String, DomainOutcome> results = new ConcurrentHashMap<>();
    List<String> pending = new ArrayList<>();
    for (String domain : unique) {
      DomainOutcome cached =
          domain.isEmpty() || domain.indexOf('.') < 0
              ? DomainOutcome.failed("'" + domain + "' is not a registrable domain")
              : domains.get(domain);
      if (cached != null) {
        results.put(domain, cached);
      } else {
        pending.add(domain);
      }
    }
    if (!pending.isEmpty()) {
      Batch<String, DomainOutcome> batch = new Batch<>(results, pending.size(), deadline);
      for (String domain : pending) {
        batch.submit(() -> batch.complete(domain, lookupDomain(domain, deadline)));
      }
      batch.await();
      String notDone =
          "domain lookup not done within " + deadline.budgetSeconds() + " s; try again";
      unique.forEach(d -> results.putIfAbsent(d, DomainOutcome.failed(notDone)));
    }
    Map<String, DomainOutcome> ordered = new LinkedHashMap<>();
    unique.forEach(d -> ordered.put(d, results.get(d)));
    return ordered;
  }

  /**
   * Cheap: reports state. If the bootstrap was never loaded, tries once (IPv4 file, short timeout)
   * so a fresh worker does not report a healthy-looking "not loaded".
   */
  public RdapHealth health() {
    bootstrap.tryLoadOnce(options.healthTimeout());
    boolean loaded = bootstrap.anyLoaded();
    String error = bootstrap.lastError();
    return new RdapHealth(
        loaded,
        RdapHttp.redact(bootstrap.base()),
        bootstrap.fetchedAt(),
        policies.openCircuits(),
        error);
  }

  /** For the daily timer: refetches the bootstrap files; keeps the old ones on failure. */
  public void refreshBootstrap() {
    bootstrap.refresh();
  }

  /** Stops the lookup threads; for tests and orderly shutdown. */
  @Override
  public void close() {
    executor.shutdownNow();
  }

  private WhoisOutcome fromCacheOrPolicy(InetAddress ip) {
    String why = AddressPolicy.whyNotPublic(ip, false);
    if (why != null) {
      return WhoisOutcome.failed(
          IpAddresses.canonical(ip) + " is a " + why + "; it has no public registration");
    }
    WhoisNetwork cached = networks.get(ip);
    if (cached != null) {
      return WhoisOutcome.found(cached);
    }
    String notFound = notFoundIps.get(ip);
    return notFound == null ? null : WhoisOutcome.failed(notFound);
  }

  /**
   * Answers a group of addresses that share the prefix of fan-out level {@code level}, with as few
   * calls as the range cache allows and in few rounds: the group's first address is looked up first
   * (the probe), since its answer's range often covers the rest; then the addresses it did not
   * cover are split by the next, longer prefix, and those groups go on in parallel, each with a
   * probe of its own. Every address is checked against the range cache right before its call, so an
   * answer that arrived meanwhile saves it.
   *
   * <p>So a thousand addresses in one network cost one call, and many small networks in one /16
   * cost about one call each in at most as many rounds as there are levels (4 for IPv4), instead of
   * one after another.
   *
   * @param addresses ascending, all sharing the level's prefix
   */
  private void resolve(
      List<InetAddress> addresses, int level, Batch<InetAddress, WhoisOutcome> batch) {
    List<InetAddress> open = unanswered(addresses, batch);
    if (open.isEmpty() || batch.stopped()) {
      return;
    }
    InetAddress probe = open.get(0);
    batch.complete(probe, lookupIp(probe, batch.deadline));
    open = unanswered(open.subList(1, open.size()), batch);
    int[] prefixes = fanOutPrefixes(probe);
    if (open.isEmpty() || level + 1 >= prefixes.length || batch.stopped()) {
      return;
    }
    Map<BigInteger, List<InetAddress>> groups = new LinkedHashMap<>();
    for (InetAddress ip : open) {
      groups
          .computeIfAbsent(IpRanges.prefix(ip, prefixes[level + 1]), k -> new ArrayList<>())
          .add(ip);
    }
    groups.values().forEach(group -> batch.submit(() -> resolve(group, level + 1, batch)));
  }

  /** The addresses not yet answered, answering from the range cache those it now covers. */
  private List<InetAddress> unanswered(
      List<InetAddress> addresses, Batch<InetAddress, WhoisOutcome> batch) {
    List<InetAddress> open = new ArrayList<>();
    for (InetAddress ip : addresses) {
      if (batch.results.containsKey(ip)) {
        continue;
      }
      WhoisOutcome cached = fromCacheOrPolicy(ip);
      if (cached != null) {
        batch.complete(ip, cached);
      } else {
        open.add(ip);
      }
    }
    return open;
  }

  private static int[] fanOutPrefixes(InetAddress ip) {
    return ip instanceof Inet4Address ? FAN_OUT_PREFIXES_V4 : FAN_OUT_PREFIXES_V6;
  }

  private WhoisOutcome lookupIp(InetAddress ip, Deadline deadline) {
    String subject = IpAddresses.canonical(ip);
    try {
      HttpUrl service = bootstrap.serviceFor(ip, deadline);
      HttpUrl url = service.newBuilder().addPathSegment("ip").addPathSegment(subject).build();
      RdapHttp.Answer answer = http.get(url, subject, deadline);
      WhoisNetwork network = RdapParser.ipNetwork(answer.body(), answer.url(), answer.registry());
      InetAddress[] range = RdapParser.range(answer.body());
      if (isCacheableRange(range, ip)) {
        networks.put(range[0], range[1], network);
      } else {
        networks.put(ip, ip, network);
      }
      return WhoisOutcome.found(network);
    } catch (RdapLookupException e) {
      if (e.isNotFound()) {
        notFoundIps.put(ip, e.getMessage(), options.notFoundCacheTtl());
      }
      return WhoisOutcome.failed(e.getMessage());
    } catch (RdapHttp.BudgetExhausted e) {
      return null;
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "RDAP lookup of " + subject + " failed unexpectedly", e);
      return WhoisOutcome.failed(
          "whois lookup of "
              + subject
              + " failed unexpectedly ("
              + e.getClass().getSimpleName()
              + ")");
    }
  }

  /**
   * Only a range that holds the address and is no wider than an RIR ever delegates is trusted for
   * other addresses: some servers answer space they do not manage with a placeholder object
   * covering everything (RIPE's {@code 0.0.0.0 - 255.255.255.255}).
   */
  static boolean isCacheableRange(InetAddress[] range, InetAddress ip) {
    if (range == null || range[0].getClass() != ip.getClass()) {
      return false;
    }
    BigInteger start = IpAddresses.toBigInteger(range[0]);
    BigInteger end = IpAddresses.toBigInteger(range[1]);
    BigInteger value = IpAddresses.toBigInteger(ip);
    int widestPrefix =
        ip instanceof Inet4Address ? WIDEST_CACHED_PREFIX_V4 : WIDEST_CACHED_PREFIX_V6;
    BigInteger widest = BigInteger.ONE.shiftLeft(IpAddresses.bitsOf(ip) - widestPrefix);
    return start.compareTo(value) <= 0
        && end.compareTo(value) >= 0
        && end.subtract(start).compareTo(widest) < 0;
  }

  private DomainOutcome lookupDomain(String domain, Deadline deadline) {
    DomainOutcome cached = domains.get(domain);
    if (cached != null) {
      return cached;
    }
    try {
      HttpUrl service = bootstrap.serviceFor(domain, deadline);
      HttpUrl url = service.newBuilder().addPathSegment("domain").addPathSegment(domain).build();
      RdapHttp.Answer answer = http.get(url, domain, deadline);
      DomainRegistration registration = RdapParser.domain(domain, answer.body(), answer.url());
      registration = completeFromRegistrar(registration, answer, deadline);
      DomainOutcome outcome = DomainOutcome.found(registration);
      domains.put(domain, outcome, options.domainCacheTtl());
      return outcome;
    } catch (RdapLookupException e) {
      DomainOutcome outcome = DomainOutcome.failed(e.getMessage());
      if (e.isNotFound()) {
        domains.put(domain, outcome, options.notFoundCacheTtl());
      }
      return outcome;
    } catch (RdapHttp.BudgetExhausted e) {
      return null;
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "RDAP lookup of " + domain + " failed unexpectedly", e);
      return DomainOutcome.failed(
          "domain lookup of "
              + domain
              + " failed unexpectedly ("
              + e.getClass().getSimpleName()
              + ")");
    }
  }

  /**
   * Thin registries leave the abuse contact to the registrar's RDAP ({@code links[rel=related]}):
   * follow it once, under the same URL rules, to fill what is missing. The registry's dates win.
   */
  private DomainRegistration completeFromRegistrar(
      DomainRegistration fromRegistry, RdapHttp.Answer answer, Deadline deadline) {
    if (!options.followRegistrarLink()
        || (fromRegistry.abuseEmail() != null && fromRegistry.registrar() != null)) {
      return fromRegistry;
    }
    String related = RdapParser.relatedRdapLink(answer.body());
    HttpUrl url = related == null ? null : answer.url().resolve(related);
    if (url == null) {
      return fromRegistry;
    }
    try {
      RdapHttp.Answer registrar = http.get(url, fromRegistry.domain(), deadline);
      DomainRegistration more =
          RdapParser.domain(fromRegistry.domain(), registrar.body(), registrar.url());
      return new DomainRegistration(
          fromRegistry.domain(),
          fromRegistry.registrar() != null ? fromRegistry.registrar() : more.registrar(),
          fromRegistry.registered(),
          fromRegistry.expires(),
          fromRegistry.lastChanged(),
          fromRegistry.status(),
          fromRegistry.nameservers(),
          fromRegistry.dnssec(),
          fromRegistry.abuseEmail() != null ? fromRegistry.abuseEmail() : more.abuseEmail(),
          fromRegistry.rdapUrl());
    } catch (RdapLookupException | RdapHttp.BudgetExhausted e) {
      LOG.fine(
          () -> "registrar RDAP for " + fromRegistry.domain() + " not used: " + e.getMessage());
      return fromRegistry;
    }
  }

  private static String normalizeDomain(String domain) {
    String d = domain.trim().toLowerCase(Locale.ROOT);
    return d.endsWith(".") ? d.substring(0, d.length() - 1) : d;
  }

  private static ExecutorService newExecutor(int threads) {
    AtomicInteger counter = new AtomicInteger();
    ThreadFactory factory =
        runnable -> {
          Thread t = new Thread(runnable, "rdap-lookup-" + counter.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), factory);
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  /** The items of one call: results, a latch counting those still open, and the tasks to cancel. */
  private final class Batch<K, V> {
    final Map<K, V> results;
    final CountDownLatch open;
    final Deadline deadline;
    final Queue<Future<?>> tasks = new ConcurrentLinkedQueue<>();

    Batch(Map<K, V> results, int pending, Deadline deadline) {
      this.results = results;
      this.open = new CountDownLatch(pending);
      this.deadline = deadline;
    }

    void submit(Runnable task) {
      if (deadline.passed()) {
        return;
      }
      try {
        // Keeps the request's run and correlation ids on the log lines written on the lookup
        // threads.
        tasks.add(executor.submit(RequestLogContext.wrap(task)));
      } catch (RejectedExecutionException closed) {
        // client closed: the items stay "not done"
      }
    }

    /** Records an outcome once; null (budget ran out in flight) leaves the item "not done". */
    void complete(K key, V outcome) {
      if (outcome != null && results.putIfAbsent(key, outcome) == null) {
        open.countDown();
      }
    }

    /** Whether the tasks of this batch should stop starting work. */
    boolean stopped() {
      return deadline.passed() || Thread.currentThread().isInterrupted();
    }

    /**
     * Waits until every item is answered or the deadline (read from the ticker) passed, then at
     * most {@link #GRACE} for items finishing right then; cancels what is still running.
     */
    void await() {
      try {
        while (open.getCount() > 0 && !deadline.passed()) {
          Duration slice = deadline.remaining();
          open.await(
              Math.max(1, Math.min(slice.toMillis(), AWAIT_SLICE.toMillis())),
              TimeUnit.MILLISECONDS);
        }
        open.await(GRACE.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (open.getCount() > 0) {
        tasks.forEach(task -> task.cancel(true));
      }
    }
  }
}
