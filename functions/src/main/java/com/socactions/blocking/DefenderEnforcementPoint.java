package com.socactions.blocking;

import com.google.common.base.Suppliers;
import com.socactions.blocking.DefenderIndicatorsClient.DefenderIndicator;
import com.socactions.blocking.DefenderIndicatorsClient.ImportResult;
import com.socactions.blocking.DefenderIndicatorsClient.Submission;
import com.socactions.blocking.EnforcementOutcome.Status;
import com.socactions.blocking.EnforcementRequest.Action;
import com.socactions.indicators.Indicator;
import com.socactions.indicators.IndicatorType;
import com.socactions.platform.AzureCredentials;
import com.socactions.platform.ConfigurationException;
import com.socactions.platform.RequestLog;
import com.socactions.platform.Settings;
import com.socactions.platform.Sleeper;
import com.socactions.platform.UpstreamException;
import com.socactions.platform.UpstreamPolicy;
import com.socactions.providers.Capability;
import com.socactions.providers.Readiness;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import okhttp3.OkHttpClient;

/**
 * Microsoft Defender for Endpoint custom indicators as an enforcement point (provider {@code
 * defender}): IPs, domains, URLs and SHA-256/SHA-1/MD5 file hashes become indicators with action
 * {@code Block} or {@code Allowed} and an {@code expirationTime}, so Defender lapses them itself.
 * CIDRs are {@code unsupported}: Defender takes no ranges.
 *
 * <p>Cost per batch: one import call per 500 indicators that are new, change action, or need a
 * later expiry, which is the floor. To know what is already there it reads no value of its own
 * blocks (the ledger answers those before the provider is called; an extension of one of ours is
 * imported straight away, by the {@code providerRef} the ledger holds) and for the rest asks a
 * {@link DefenderSnapshot}: one unfiltered read of the tenant's indicators (one or two calls, under
 * Defender's cap of 15,000), kept for {@link DefenderSnapshot#DEFAULT_MAX_AGE} and updated with our
 * own imports, so many batches share it. A repeat with the same action is {@code ALREADY_PRESENT}
 * with Defender's id and costs no import unless its expiry moves later.
 *
 * <p>An indicator someone else put in Defender is never changed silently: a block of a value
 * Defender already blocks until later (or for ever) leaves it alone and says so; a later expiry
 * extends it and says so; a block of a value Defender holds with another action (say {@code
 * Allowed}) replaces that action, as the analyst asked, and says which indicator it replaced.
 *
 * <p>Why {@code Block} and not {@code BlockAndRemediate} for files: remediation quarantines the
 * file on every device, which deleting the indicator (unblock, expiry) does not undo, and this
 * connector's blocks must be reversible and expiring. Why {@code generateAlert} on blocks: a hit on
 * an indicator from an incident is something the SOC wants to see; allows raise none.
 *
 * <p>Configured when {@code BLOCK_PROVIDERS} lists {@code defender}: it needs no secret of its own
 * (the process's Azure identity, with the WindowsDefenderATP application permission {@code
 * Ti.ReadWrite.All}, signs its calls) and {@code DEFENDER_API_URL} has a public default, so only an
 * explicit choice can say it is in use.
 *
 * <p>Never throws for an item's failure (see {@link EnforcementPoint}); when Defender or the token
 * fails for the whole batch, every outcome is {@code FAILED}, with {@code retryAfter} when trying
 * again later can help.
 */
public final class DefenderEnforcementPoint implements EnforcementPoint {
  public static final String ID = "defender";
  static final String PROVIDERS_SETTING = BlockProviders.SETTING;

  /**
   * Shown in Defender's console as the indicator's application, so analysts see who put it there.
   */
  static final String APPLICATION = "SOC Actions";

  static final String BLOCK_SEVERITY = "Medium";
  static final String ALLOW_SEVERITY = "Informational";

  /** When a retryable failure came without {@code Retry-After}: a hint for the caller's caller. */
  static final Duration DEFAULT_RETRY_HINT = Duration.ofSeconds(30);

  /**
   * How long {@link #readiness()} waits for a token and for Defender: health answers in seconds.
   */
  static final Duration READINESS_TOKEN_WAIT = Duration.ofSeconds(3);

  static final Duration READINESS_CALL_TIMEOUT = Duration.ofSeconds(5);

  static final Map<IndicatorType, String> TYPES = types();

  /**
   * Existing actions that already block, whoever set them: a repeat of a block is not an update.
   */
  private static final Set<String> BLOCKING_ACTIONS =
      Set.of("Block", "AlertAndBlock", "BlockAndRemediate");

  private static final Pattern BEARER = Pattern.compile("(?i)bearer\\s+[^\\s\"',;]+");
  private static final Pattern JWT =
      Pattern.compile("eyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");
  private static final RequestLog LOG = RequestLog.of(DefenderEnforcementPoint.class);

  private final Settings settings;
  private final OkHttpClient http;
  private final Clock clock;
  private final Supplier<DefenderIndicatorsClient> client;
  private final DefenderSnapshot snapshot;

  /**
   * Cheap: reads no setting and builds the client on first use.
   *
   * @param http the shared client; Defender's variant is derived from it
   */
  public DefenderEnforcementPoint(
      Settings settings,
      AzureCredentials credentials,
      OkHttpClient http,
      Clock clock,
      Sleeper sleeper) {
    this(
        settings,
        credentials,
        http,
        clock,
        () -> DefenderIndicatorsClient.defaultPolicy(sleeper),
        DefenderSnapshot.DEFAULT_MAX_AGE);
  }

  /**
   * With another policy (tests: a small breaker) and snapshot age (tests: zero reads every batch).
   */
  DefenderEnforcementPoint(
      Settings settings,
      AzureCredentials credentials,
      OkHttpClient http,
      Clock clock,
      Supplier<UpstreamPolicy> policy,
      Duration snapshotMaxAge) {
    this.settings = Objects.requireNonNull(settings, "'settings' cannot be null.");
    this.http = Objects.requireNonNull(http, "'http' cannot be null.");
    this.clock = Objects.requireNonNull(clock, "'clock' cannot be null.");
    Objects.requireNonNull(credentials, "'credentials' cannot be null.");
    this.client =
        Suppliers.memoize(
            () ->
                new DefenderIndicatorsClient(
                    DefenderIndicatorsClient.apiUrl(settings),
                    credentials,
                    http,
                    clock,
                    policy.get()));
    this.snapshot = new DefenderSnapshot(() -> client.get().listAll(), clock, snapshotMaxAge);
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String displayName() {
    return "Microsoft Defender for Endpoint indicators";
  }

  @Override
  public Set<Capability> capabilities() {
    return Set.of(Capability.BLOCK);
  }

  @Override
  public String description() {
    return "Block and allow IPs, domains, URLs and file hashes as Defender for Endpoint custom"
        + " indicators that expire on their own; enabled by listing defender in"
        + " BLOCK_PROVIDERS, signed by the app's Azure identity (Ti.ReadWrite.All),"
        + " DEFENDER_API_URL for a regional API";
  }

  @Override
  public boolean isConfigured() {
    return BlockProviders.isEnabled(settings, ID);
  }

  @Override
  public Set<IndicatorType> supportedTypes() {
    return TYPES.keySet();
  }

  @Override
  public boolean supportsAllow() {
    return true;
  }

  @Override
  public Readiness readiness() {
    if (!isConfigured()) {
      return Readiness.notConfigured(
          "Not in "
              + PROVIDERS_SETTING
              + "; add "
              + ID
              + " to use Defender for Endpoint indicators");
    }
    DefenderIndicatorsClient defender;
    try {
      defender = client.get();
    } catch (ConfigurationException e) {
      return Readiness.error(e.getMessage());
    }
    try {
      OkHttpClient probe = http.newBuilder().callTimeout(READINESS_CALL_TIMEOUT).build();
      defender.probe(probe, clock, READINESS_TOKEN_WAIT);
    } catch (UpstreamException e) {
      return unready(defender, e);
    } catch (RuntimeException e) {
      return Readiness.error(defender.base() + ": " + e.getClass().getSimpleName());
    }
    if (defender.policy().circuitState() == CircuitBreaker.State.OPEN) {
      return Readiness.degraded(
          defender.base() + " answers, but recent calls failed and its circuit is open");
    }
    return Readiness.ok(defender.base() + " answers with the app's Azure identity");
  }

  private static Readiness unready(DefenderIndicatorsClient defender, UpstreamException e) {
    if (AzureCredentials.UPSTREAM.equals(e.upstream())) {
      // Slow is a passing state of the identity endpoint; a refusal needs someone to fix the
      // identity.
      return e.getCause() instanceof TimeoutException
          ? Readiness.degraded(e.getMessage())
          : Readiness.error("No Azure token for " + defender.base() + ": " + e.getMessage());
    }
    if (e.status() == 401 || e.status() == 403) {
      return Readiness.error(
          defender.base()
              + " refused the app's Azure identity (HTTP "
              + e.status()
              + "): grant it the WindowsDefenderATP application permission Ti.ReadWrite.All");
    }
    return Readiness.degraded(e.getMessage());
  }

  /**
   * See {@link EnforcementPoint#apply}. Extensions of our own indicators are imported without a
   * read; the rest are looked up in the {@link DefenderSnapshot}; then everything that needs it is
   * imported 500 at a time. A value sent twice in one batch is sent once.
   */
  @Override
  public List<EnforcementOutcome> apply(List<EnforcementRequest> requests) {
    Map<Key, EnforcementOutcome> outcomes = new HashMap<>();
    Map<Key, EnforcementRequest> wanted = supported(requests, outcomes);
    if (!wanted.isEmpty()) {
      try {
        applySupported(wanted, outcomes);
      } catch (UpstreamException e) {
        Failure failure = failure(e, "read the indicators Defender holds");
        wanted.forEach(
            (key, request) -> outcomes.putIfAbsent(key, failure.outcome(request.indicator())));
      }
    }
    return inRequestOrder(requests, outcomes);
  }

  private void applySupported(
      Map<Key, EnforcementRequest> wanted, Map<Key, EnforcementOutcome> outcomes) {
    DefenderIndicatorsClient defender = client.get();
    Map<Key, Existing> before = new LinkedHashMap<>();
    List<Key> toImport = new ArrayList<>();
    wanted.forEach(
        (key, request) -> {
          if (isOurExtension(request)) {
            // Ours (the ledger holds its id and says it is active): only the expiry moves.
            toImport.add(key);
            before.put(key, Existing.ours(request.providerRef()));
            return;
          }
          List<DefenderIndicator> held = snapshot.of(key);
          DefenderIndicator same =
              held.stream()
                  .filter(indicator -> sameAction(indicator, request.action()))
                  .findFirst()
                  .orElse(null);
          if (same == null) {
            toImport.add(key);
            held.stream()
                .findFirst()
                .ifPresent(other -> before.put(key, Existing.otherAction(other)));
            return;
          }
          before.put(key, Existing.sameAction(same));
          if (expiresLater(same, request)) {
            toImport.add(
                key); // the import updates the existing indicator's expiry in the same call
          } else {
            outcomes.put(
                key,
                new EnforcementOutcome(
                    request.indicator(),
                    Status.ALREADY_PRESENT,
                    same.id(),
                    "Already in Defender as " + describe(same) + "; left as it is",
                    null));
          }
        });
    int calls = 0;
    for (int from = 0; from < toImport.size(); from += DefenderIndicatorsClient.MAX_IMPORT_BATCH) {
      List<Key> chunk =
          toImport.subList(
              from, Math.min(toImport.size(), from + DefenderIndicatorsClient.MAX_IMPORT_BATCH));
      calls++;
      importChunk(defender, chunk, wanted, before, outcomes);
    }
    int importCalls = calls;
    LOG.fine(
        () ->
            "Defender apply: "
                + wanted.size()
                + " indicators, "
                + before.size()
                + " already there, "
                + toImport.size()
                + " imported in "
                + importCalls
                + " calls");
  }

  private static boolean isOurExtension(EnforcementRequest request) {
    return request.extension() && request.providerRef() != null && !request.providerRef().isBlank();
  }

  /** What Defender held for a value before an import, and whose it was. */
  private record Existing(
      DefenderIndicator indicator, String id, boolean sameAction, boolean ours) {
    static Existing ours(String id) {
      return new Existing(null, id, true, true);
    }

    static Existing sameAction(DefenderIndicator indicator) {
      return new Existing(indicator, indicator.id(), true, false);
    }

    static Existing otherAction(DefenderIndicator indicator) {
      return new Existing(indicator, indicator.id(), false, false);
    }
  }

  private void importChunk(
      DefenderIndicatorsClient defender,
      List<Key> chunk,
      Map<Key, EnforcementRequest> wanted,
      Map<Key, Existing> before,
      Map<Key, EnforcementOutcome> outcomes) {
    List<Submission> submissions =
        chunk.stream().map(key -> submission(key, wanted.get(key))).toList();
    List<ImportResult> results;
    try {
      results = defender.importIndicators(submissions);
    } catch (UpstreamException e) {
      Failure failure = failure(e, "import indicators");
      chunk.forEach(key -> outcomes.put(key, failure.outcome(wanted.get(key).indicator())));
      return;
    }
    Map<Key, ImportResult> byValue = new HashMap<>();
    results.forEach(
        result -> {
          if (result.indicator() != null) {
            chunk.stream()
                .filter(key -> key.equals(Key.of(key.type(), result.indicator())))
                .findFirst()
                .ifPresent(key -> byValue.putIfAbsent(key, result));
          }
        });
    for (int i = 0; i < chunk.size(); i++) {
      Key key = chunk.get(i);
      EnforcementRequest request = wanted.get(key);
      // By value; by position only when Defender left the value out of its answer.
      ImportResult result = byValue.get(key);
      if (result == null && i < results.size() && results.get(i).indicator() == null) {
        result = results.get(i);
      }
      EnforcementOutcome outcome = outcome(request, result, before.get(key));
      if (outcome.providerRef() != null && (result != null && !result.isFailed())) {
        Submission sent = submissions.get(i);
        snapshot.imported(
            key,
            new DefenderIndicator(
                outcome.providerRef(),
                sent.indicatorValue(),
                sent.indicatorType(),
                sent.action(),
                sent.expirationTime(),
                null));
      }
      outcomes.put(key, outcome);
    }
  }

  private static EnforcementOutcome outcome(
      EnforcementRequest request, ImportResult result, Existing before) {
    Indicator indicator = request.indicator();
    if (result == null) {
      return EnforcementOutcome.failed(
          indicator, "Defender gave no result for this indicator in its import answer", null);
    }
    boolean present = before != null && before.sameAction();
    if (result.isFailed()) {
      String reason = result.failureReason() == null ? "no reason given" : result.failureReason();
      if (present) {
        // Still blocked as before; only the later expiry did not take.
        return new EnforcementOutcome(
            indicator,
            Status.ALREADY_PRESENT,
            before.id(),
            "Already in Defender; its expiry was not extended: " + reason,
            null);
      }
      return EnforcementOutcome.failed(
          indicator, "Defender refused the indicator: " + reason, null);
    }
    String id = result.id() != null ? result.id() : before == null ? null : before.id();
    if (before == null) {
      return EnforcementOutcome.done(indicator, id);
    }
    if (before.ours()) {
      return new EnforcementOutcome(indicator, Status.ALREADY_PRESENT, id, null, null);
    }
    String expiry =
        request.expiresAt() == null
            ? "never"
            : request.expiresAt().truncatedTo(ChronoUnit.SECONDS).toString();
    return present
        ? new EnforcementOutcome(
            indicator,
            Status.ALREADY_PRESENT,
            id,
            "Was already in Defender as "
                + describe(before.indicator())
                + "; its expiry is now "
                + expiry,
            null)
        : new EnforcementOutcome(
            indicator,
            Status.DONE,
            id,
            "Replaced Defender's " + describe(before.indicator()),
            null);
  }

  /**
   * {@code Allowed indicator 995 until 2025-03-02T10:00:00Z, created by alice}: for a per-item
   * detail.
   */
  private static String describe(DefenderIndicator indicator) {
    Instant expires = indicator.expiresAt();
    return indicator.action()
        + " indicator "
        + indicator.id()
        + (expires == null ? " that never expires" : " until " + expires)
        + (indicator.createdBy() == null || indicator.createdBy().isBlank()
            ? ""
            : ", created by " + indicator.createdBy());
  }

  /**
   * See {@link EnforcementPoint#remove}. Deletes by {@code providerRef}; without one, looks the
   * value up in the {@link DefenderSnapshot} and deletes Defender's indicator of the same type and
   * action. After a throttle or an open circuit, the rest are {@code FAILED} without more calls.
   */
  @Override
  public List<EnforcementOutcome> remove(List<EnforcementRequest> requests) {
    Map<Key, EnforcementOutcome> outcomes = new HashMap<>();
    Map<Key, EnforcementRequest> wanted = supported(requests, outcomes);
    if (wanted.isEmpty()) {
      return inRequestOrder(requests, outcomes);
    }
    DefenderIndicatorsClient defender;
    Map<Key, String> ids = new LinkedHashMap<>();
    try {
      defender = client.get();
      Map<Key, EnforcementRequest> unknown = new LinkedHashMap<>();
      wanted.forEach(
          (key, request) -> {
            if (request.providerRef() != null && !request.providerRef().isBlank()) {
              ids.put(key, request.providerRef());
            } else {
              unknown.put(key, request);
            }
          });
      if (!unknown.isEmpty()) {
        unknown.forEach(
            (key, request) ->
                snapshot.of(key).stream()
                    .filter(indicator -> sameAction(indicator, request.action()))
                    .findFirst()
                    .ifPresentOrElse(
                        indicator -> ids.put(key, indicator.id()),
                        () -> outcomes.put(key, notFound(request.indicator()))));
      }
    } catch (UpstreamException e) {
      Failure failure = failure(e, "find the indicators to delete");
      wanted.forEach(
          (key, request) -> outcomes.putIfAbsent(key, failure.outcome(request.indicator())));
      return inRequestOrder(requests, outcomes);
    }
    Failure stop = null;
    for (Map.Entry<Key, String> entry : ids.entrySet()) {
      Indicator indicator = wanted.get(entry.getKey()).indicator();
      if (stop != null) {
        outcomes.put(entry.getKey(), stop.outcome(indicator));
        continue;
      }
      try {
        boolean deleted = defender.delete(entry.getValue());
        snapshot.deleted(entry.getKey(), entry.getValue());
        outcomes.put(
            entry.getKey(),
            deleted ? EnforcementOutcome.done(indicator, entry.getValue()) : notFound(indicator));
      } catch (UpstreamException e) {
        Failure failure = failure(e, "delete indicator " + entry.getValue());
        outcomes.put(entry.getKey(), failure.outcome(indicator));
        if (failure.retryAfter() != null) {
          stop = failure; // the same wait holds for the rest; more calls would only be refused
        }
      }
    }
    return inRequestOrder(requests, outcomes);
  }

  private static EnforcementOutcome notFound(Indicator indicator) {
    return new EnforcementOutcome(indicator, Status.NOT_FOUND, null, null, null);
  }

  /** Supported requests by key (first one wins); the rest answered {@code UNSUPPORTED} in place. */
  private static Map<Key, EnforcementRequest> supported(
      List<EnforcementRequest> requests, Map<Key, EnforcementOutcome> outcomes) {
    Map<Key, EnforcementRequest> wanted = new LinkedHashMap<>();
    for (EnforcementRequest request : requests) {
      Key key = Key.of(request.indicator());
      String type = TYPES.get(request.indicator().type());
      if (type == null) {
        outcomes.put(
            key,
            EnforcementOutcome.unsupported(
                request.indicator(),
                "Defender for Endpoint takes single IP addresses, not "
                    + request.indicator().type().wireName()
                    + " ranges; block the addresses one by one or use another provider"));
      } else {
        wanted.putIfAbsent(key, request);
      }
    }
    return wanted;
  }

  private static boolean sameAction(DefenderIndicator indicator, Action action) {
    return action == Action.BLOCK
        ? BLOCKING_ACTIONS.contains(indicator.action())
        : "Allowed".equals(indicator.action());
  }

  /** Whether the request's expiry is later than the existing one's (never-expiring is latest). */
  private static boolean expiresLater(DefenderIndicator existing, EnforcementRequest request) {
    Instant current = existing.expiresAt();
    if (current == null) {
      return false;
    }
    return request.expiresAt() == null
        || request.expiresAt().truncatedTo(ChronoUnit.SECONDS).isAfter(current);
  }

  private static Submission submission(Key key, EnforcementRequest request) {
    boolean block = request.action() == Action.BLOCK;
    String title =
        request.title() != null && !request.title().isBlank()
            ? request.title()
            : block ? "Blocked by SOC Actions" : "Allowed by SOC Actions";
    String description =
        request.description() != null && !request.description().isBlank()
            ? request.description()
            : title;
    String expiry =
        request.expiresAt() == null
            ? null
            : request.expiresAt().truncatedTo(ChronoUnit.SECONDS).toString();
    return new Submission(
        request.indicator().value(),
        TYPES.get(key.type()),
        block ? "Block" : "Allowed",
        title,
        description,
        expiry,
        block ? BLOCK_SEVERITY : ALLOW_SEVERITY,
        block,
        APPLICATION,
        null);
  }

  private static List<EnforcementOutcome> inRequestOrder(
      List<EnforcementRequest> requests, Map<Key, EnforcementOutcome> outcomes) {
    return requests.stream()
        .map(
            request -> {
              EnforcementOutcome outcome = outcomes.get(Key.of(request.indicator()));
              // A repeat in the batch gets its twin's outcome, under its own input.
              return new EnforcementOutcome(
                  request.indicator(),
                  outcome.status(),
                  outcome.providerRef(),
                  outcome.detail(),
                  outcome.retryAfter());
            })
        .toList();
  }

  private static Failure failure(UpstreamException e, String what) {
    Duration retryAfter = e.isRetryable() ? e.retryAfter().orElse(DEFAULT_RETRY_HINT) : null;
    String detail =
        redacted(
            "Could not "
                + what
                + ": "
                + e.getMessage()
                + (e.bodyExcerpt() == null || e.bodyExcerpt().isEmpty()
                    ? ""
                    : " (" + e.bodyExcerpt() + ")"));
    LOG.warning(() -> "Defender: " + detail);
    return new Failure(detail, retryAfter);
  }

  /**
   * The text without anything that looks like a bearer token or a JWT: an error body is Defender's
   * text, and a proxy or gateway in between may echo the request's headers into it.
   */
  static String redacted(String text) {
    return BEARER
        .matcher(JWT.matcher(text).replaceAll("[redacted]"))
        .replaceAll("Bearer [redacted]");
  }

  private record Failure(String detail, Duration retryAfter) {
    EnforcementOutcome outcome(Indicator indicator) {
      return EnforcementOutcome.failed(indicator, detail, retryAfter);
    }
  }

  /**
   * One Defender indicator: type and value. Hosts and hex hashes mean the same in any case (an
   * analyst may have typed a hash in upper case in the console); a URL's path and query do not.
   */
  record Key(IndicatorType type, String value) {
    static Key of(Indicator indicator) {
      return of(indicator.type(), indicator.value());
    }

    static Key of(IndicatorType type, String value) {
      return new Key(type, type == IndicatorType.URL ? value : value.toLowerCase(Locale.ROOT));
    }
  }

  private static Map<IndicatorType, String> types() {
    Map<IndicatorType, String> types = new EnumMap<>(IndicatorType.class);
    types.put(IndicatorType.IP, "IpAddress");
    types.put(IndicatorType.DOMAIN, "DomainName");
    types.put(IndicatorType.URL, "Url");
    types.put(IndicatorType.SHA256, "FileSha256");
    types.put(IndicatorType.SHA1, "FileSha1");
    types.put(IndicatorType.MD5, "FileMd5");
    return Map.copyOf(types);
  }
}
