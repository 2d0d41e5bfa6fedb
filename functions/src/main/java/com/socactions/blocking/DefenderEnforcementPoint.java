package com.socactions.blocking;

import com.google.common.base.Suppliers;
import com.socactions.blocking.DefenderIndicatorsClient.DefenderIndicator;
import com.socactions.blocking.DefenderIndicatorsClient.ImportResult;
import com.socactions.blocking.DefenderIndicatorsClient.Submission;
import com.socactions.blocking.EnforcementOutcome.Status;
import com.socactions.indicators.Indicator;
import com.socactions.indicators.IndicatorType;
import com.socactions.ledger.Action;
import com.socactions.platform.AzureCredentials;
import com.socactions.platform.ConfigurationException;
import com.socactions.platform.RequestLog;
import com.socactions.platform.UpstreamException;
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
 * own imports, so many batches share it. A repeat with the same action is {@code ALREADY_OURS} with
 * Defender's id and costs no import unless its expiry moves later.
 *
 * <p>Limits: every call keeps to the rate Defender documents for it, shared by every instance of
 * the app (see {@link DefenderIndicatorsClient.Operation}); a batch books its imports in one go,
 * and those whose turn is further off than a call may wait answer {@code FAILED} with {@code
 * retryAfter}. New values that would take the tenant past Defender's cap of 15,000 active
 * indicators answer {@code FAILED} with that reason and are not sent.
 *
 * <p>Ownership: an indicator is the connector's when Defender says an application submitted it
 * ({@code sourceType} {@code AadApp}) under the connector's {@code application} name ({@value
 * #APPLICATION}); a person's from the portal is {@code User}. An indicator someone else made is
 * never changed or deleted: a block (or allow) of a value Defender holds with the same action from
 * someone else is {@code NOT_OURS}, with who made it and when, and costs no import; one Defender
 * holds with the other action from someone else is {@code CONFLICT} and is left as it is. What
 * remains: an indicator someone creates in the portal within the snapshot's age before an import of
 * the same value is updated by that import, as Defender's import always does.
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

  private final boolean enabled;
  private final Supplier<DefenderIndicatorsClient> client;
  private final DefenderSnapshot snapshot;

  /**
   * Cheap: builds the client on first use.
   *
   * @param enabled whether {@value #PROVIDERS_SETTING} lists {@value #ID}
   * @param client the indicators API, built once by the module; a failed build (a malformed {@code
   *     DEFENDER_API_URL}) is not remembered
   * @param snapshotMaxAge how long a read of the indicators serves batches (tests: zero reads every
   *     batch)
   */
  DefenderEnforcementPoint(
      boolean enabled,
      Supplier<DefenderIndicatorsClient> client,
      Clock clock,
      Duration snapshotMaxAge) {
    this.enabled = enabled;
    this.client =
        Suppliers.memoize(Objects.requireNonNull(client, "'client' cannot be null.")::get);
    Objects.requireNonNull(clock, "'clock' cannot be null.");
    this.snapshot = new DefenderSnapshot(() -> this.client.get().listAll(), clock, snapshotMaxAge);
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
    return enabled;
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
      defender.probe(READINESS_TOKEN_WAIT, READINESS_CALL_TIMEOUT);
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
    if (e.failure().isRefusedIdentity()) {
      return Readiness.error(
          defender.base()
              + " refused the app's Azure identity ("
              + e.answerText()
              + "): grant it the WindowsDefenderATP application permission Ti.ReadWrite.All");
    }
    return Readiness.degraded(e.getMessage());
  }

  /**
   * See {@link EnforcementPoint#apply}. Every value is looked up in the {@link DefenderSnapshot}
   * (shared by batches within its age) to tell whose an existing indicator is; then everything that
   * needs it is imported 500 at a time. A value sent twice in one batch is sent once.
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
    int readsBefore = snapshot.reads();
    DefenderIndicatorsClient defender = client.get();
    Map<Key, Existing> before = new LinkedHashMap<>();
    List<Key> toImport = new ArrayList<>();
    wanted.forEach(
        (key, request) -> {
          List<DefenderIndicator> held = snapshot.of(key);
          if (isOurExtension(request)) {
            // The ledger holds its id as ours; Defender has the last word on whose it is (ledgers
            // written before ownership was checked may hold someone else's id).
            DefenderIndicator byRef =
                held.stream()
                    .filter(indicator -> request.providerRef().equals(indicator.id()))
                    .findFirst()
                    .orElse(null);
            if (byRef != null && !isOurs(byRef)) {
              outcomes.put(key, notOurs(request, byRef));
              return;
            }
            toImport.add(key);
            before.put(key, Existing.ours(request.providerRef(), true));
            return;
          }
          DefenderIndicator same =
              held.stream()
                  .filter(indicator -> sameAction(indicator, request.action()))
                  .findFirst()
                  .orElse(null);
          if (same != null && !isOurs(same)) {
            outcomes.put(key, notOurs(request, same));
            return;
          }
          if (same != null) {
            // Ours, though the ledger did not know it (a worker died after its import).
            before.put(key, Existing.ours(same.id(), true));
            if (expiresLater(same, request)) {
              toImport.add(key); // the import moves our indicator's expiry in the same call
            } else {
              outcomes.put(key, EnforcementOutcome.alreadyOurs(request.indicator(), same.id()));
            }
            return;
          }
          DefenderIndicator other = held.stream().findFirst().orElse(null);
          if (other != null && !isOurs(other)) {
            outcomes.put(key, conflict(request, other));
            return;
          }
          if (other != null) {
            // Our own indicator with the other action (our allow, now a block): replaced.
            before.put(key, Existing.ours(other.id(), false));
          }
          toImport.add(key);
        });
    refuseBeyondTheCap(toImport, before, wanted, outcomes, snapshot.reads() > readsBefore);
    defender.reserveImports(
        (toImport.size() + DefenderIndicatorsClient.MAX_IMPORT_BATCH - 1)
            / DefenderIndicatorsClient.MAX_IMPORT_BATCH);
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

  /**
   * Takes out of {@code toImport} the new values (not yet in Defender) that would take the tenant
   * past {@link DefenderIndicatorsClient#TENANT_CAP}, last ones first, and answers them {@code
   * FAILED} with the reason, without a call. The count is what Defender holds by the {@link
   * DefenderSnapshot}; before refusing on a view read before this batch began, Defender is read
   * again, so a refusal rests on a count of now.
   */
  private void refuseBeyondTheCap(
      List<Key> toImport,
      Map<Key, Existing> before,
      Map<Key, EnforcementRequest> wanted,
      Map<Key, EnforcementOutcome> outcomes,
      boolean readThisBatch) {
    List<Key> added = toImport.stream().filter(key -> !before.containsKey(key)).toList();
    if (added.isEmpty()) {
      return;
    }
    int held = snapshot.size();
    if (held + added.size() > DefenderIndicatorsClient.TENANT_CAP && !readThisBatch) {
      snapshot.refresh();
      held = snapshot.size();
    }
    int room = Math.max(0, DefenderIndicatorsClient.TENANT_CAP - held);
    if (added.size() <= room) {
      return;
    }
    String reason =
        String.format(
            "Not sent: Defender for Endpoint holds %,d active indicators and takes at most %,d per"
                + " tenant, so this batch has room for %,d new ones; unblock some or let them"
                + " expire first",
            held, DefenderIndicatorsClient.TENANT_CAP, room);
    for (Key key : added.subList(room, added.size())) {
      toImport.remove(key);
      outcomes.put(key, EnforcementOutcome.failed(wanted.get(key).indicator(), reason, null));
    }
  }

  private static boolean isOurExtension(EnforcementRequest request) {
    return request.extension() && request.providerRef() != null && !request.providerRef().isBlank();
  }

  /**
   * Whether the connector made {@code indicator}: submitted through the API by an application
   * ({@code sourceType} {@code AadApp}) under the connector's {@code application} name. A person's
   * indicator from the portal is {@code User}; other tools name their own application.
   */
  static boolean isOurs(DefenderIndicator indicator) {
    return APPLICATION.equals(indicator.application())
        && !"User".equalsIgnoreCase(indicator.sourceType());
  }

  /** Who made someone else's indicator, as Defender names them; null when it does not say. */
  static String madeBy(DefenderIndicator indicator) {
    String who =
        firstPresent(
            indicator.createdByDisplayName(), indicator.createdBy(), indicator.application());
    if (who == null) {
      return null;
    }
    String when = indicator.creationTimeDateTimeUtc();
    return who + (when == null || when.isBlank() ? "" : " on " + when);
  }

  private static String firstPresent(String... values) {
    for (String value : values) {
      if (value != null && !value.isBlank()) {
        return value;
      }
    }
    return null;
  }

  private static EnforcementOutcome notOurs(EnforcementRequest request, DefenderIndicator held) {
    return EnforcementOutcome.notOurs(
        request.indicator(),
        held.id(),
        madeBy(held),
        "Defender already holds it as "
            + describe(held)
            + ", which the connector did not create: left exactly as it is, and never lifted by"
            + " unblock or expiry");
  }

  private static EnforcementOutcome conflict(EnforcementRequest request, DefenderIndicator held) {
    return new EnforcementOutcome(
        request.indicator(),
        Status.CONFLICT,
        held.id(),
        "Defender holds it as "
            + describe(held)
            + ", which the connector did not create and does not change: change or remove it in"
            + " the Defender portal first",
        null,
        madeBy(held));
  }

  /**
   * What Defender held for a value before an import: always the connector's own (someone else's is
   * never imported over).
   *
   * @param sameAction the import moves its expiry (an extension, or a recovered entry); otherwise
   *     it replaces its action
   */
  private record Existing(String id, boolean sameAction) {
    static Existing ours(String id, boolean sameAction) {
      return new Existing(id, sameAction);
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
                null,
                APPLICATION,
                "AadApp",
                null,
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
    if (result.isFailed()) {
      String reason = result.failureReason() == null ? "no reason given" : result.failureReason();
      return EnforcementOutcome.failed(
          indicator, "Defender refused the indicator: " + reason, null);
    }
    String id = result.id() != null ? result.id() : before == null ? null : before.id();
    if (before != null && before.sameAction()) {
      return EnforcementOutcome.alreadyOurs(indicator, id);
    }
    return EnforcementOutcome.done(indicator, id);
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
        + (madeBy(indicator) == null ? "" : ", created by " + madeBy(indicator));
  }

  /**
   * See {@link EnforcementPoint#remove}. Deletes the connector's own indicator: by {@code
   * providerRef}, or without one the indicator of the same type and action that the {@link
   * DefenderSnapshot} shows as the connector's. An indicator that Defender names as someone else's
   * ({@link #isOurs}) is {@code NOT_OURS} and never deleted, even when a ledger row holds its id.
   * After a throttle or an open circuit, the rest are {@code FAILED} without more calls.
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
      wanted.forEach(
          (key, request) -> {
            List<DefenderIndicator> held = snapshot.of(key);
            String ref = request.providerRef();
            boolean hasRef = ref != null && !ref.isBlank();
            // Whatever the ledger says, an indicator Defender names as someone else's is theirs:
            // ledgers written before ownership was checked may hold such ids.
            DefenderIndicator byRef =
                hasRef
                    ? held.stream()
                        .filter(indicator -> ref.equals(indicator.id()))
                        .findFirst()
                        .orElse(null)
                    : null;
            DefenderIndicator same =
                held.stream()
                    .filter(indicator -> sameAction(indicator, request.action()))
                    .findFirst()
                    .orElse(null);
            DefenderIndicator found = byRef != null ? byRef : same;
            if (found != null && !isOurs(found)) {
              outcomes.put(key, removalNotOurs(request, found));
            } else if (hasRef) {
              ids.put(key, ref);
            } else if (found != null) {
              ids.put(key, found.id());
            } else {
              outcomes.put(key, notFound(request.indicator()));
            }
          });
    } catch (UpstreamException e) {
      Failure failure = failure(e, "find the indicators to delete");
      wanted.forEach(
          (key, request) -> outcomes.putIfAbsent(key, failure.outcome(request.indicator())));
      return inRequestOrder(requests, outcomes);
    }
    List<Map.Entry<Key, String>> toDelete = new ArrayList<>(ids.entrySet());
    Failure stop = null;
    for (int from = 0; from < toDelete.size(); from += DefenderIndicatorsClient.MAX_BATCH_DELETE) {
      List<Map.Entry<Key, String>> chunk =
          toDelete.subList(
              from, Math.min(toDelete.size(), from + DefenderIndicatorsClient.MAX_BATCH_DELETE));
      if (stop != null) {
        for (Map.Entry<Key, String> entry : chunk) {
          outcomes.put(entry.getKey(), stop.outcome(wanted.get(entry.getKey()).indicator()));
        }
        continue;
      }
      if (chunk.size() > 1) {
        // One BatchDelete call for up to 500; a 404 (one of them gone) sends them one by one.
        try {
          if (defender.batchDelete(chunk.stream().map(Map.Entry::getValue).toList())) {
            for (Map.Entry<Key, String> entry : chunk) {
              snapshot.deleted(entry.getKey(), entry.getValue());
              outcomes.put(
                  entry.getKey(),
                  EnforcementOutcome.done(
                      wanted.get(entry.getKey()).indicator(), entry.getValue()));
            }
            continue;
          }
        } catch (UpstreamException e) {
          Failure failure = failure(e, "delete " + chunk.size() + " indicators");
          for (Map.Entry<Key, String> entry : chunk) {
            outcomes.put(entry.getKey(), failure.outcome(wanted.get(entry.getKey()).indicator()));
          }
          if (failure.retryAfter() != null) {
            stop = failure; // the same wait holds for the rest; more calls would only be refused
          }
          continue;
        }
      }
      stop = deleteOneByOne(defender, chunk, wanted, outcomes);
    }
    return inRequestOrder(requests, outcomes);
  }

  /**
   * Defender lapses an indicator at its {@code expirationTime}, which the connector set to the
   * block's expiry (and moved with every confirmed extension): the expiry timer spends no delete
   * call of Defender's budget on it.
   */
  @Override
  public boolean lapsesOnItsOwn(EnforcementRequest request) {
    return request.expiresAt() != null && TYPES.containsKey(request.indicator().type());
  }

  private static EnforcementOutcome removalNotOurs(
      EnforcementRequest request, DefenderIndicator held) {
    return EnforcementOutcome.notOurs(
        request.indicator(),
        held.id(),
        madeBy(held),
        "Defender holds it as "
            + describe(held)
            + ", which the connector did not create: not the connector's to lift, left as it is");
  }

  /** Deletes each id alone; the failure that should stop further calls, if one came. */
  private Failure deleteOneByOne(
      DefenderIndicatorsClient defender,
      List<Map.Entry<Key, String>> chunk,
      Map<Key, EnforcementRequest> wanted,
      Map<Key, EnforcementOutcome> outcomes) {
    Failure stop = null;
    for (Map.Entry<Key, String> entry : chunk) {
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
    return stop;
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
                  outcome.retryAfter(),
                  outcome.heldBy());
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
