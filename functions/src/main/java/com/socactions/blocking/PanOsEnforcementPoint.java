package com.socactions.blocking;

import com.google.common.base.Suppliers;
import com.socactions.blocking.EnforcementOutcome.Status;
import com.socactions.blocking.PanOsUserIdClient.SystemInfo;
import com.socactions.blocking.PanOsUserIdClient.UidResult;
import com.socactions.blocking.PanOsXml.Registration;
import com.socactions.blocking.PanOsXml.Unregistration;
import com.socactions.indicators.Indicator;
import com.socactions.indicators.IndicatorType;
import com.socactions.ledger.Action;
import com.socactions.platform.ConfigurationException;
import com.socactions.platform.RequestLog;
import com.socactions.platform.Settings;
import com.socactions.platform.UpstreamException;
import com.socactions.platform.UpstreamFailure;
import com.socactions.providers.Capability;
import com.socactions.providers.Readiness;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;

/**
 * Provider {@value #ID}: blocks addresses on a PAN-OS firewall (or through Panorama) by tagging
 * them through the User-ID XML API; a dynamic address group that matches the tag, used by a deny
 * rule, does the blocking, with no commit. Configured by {@value #URL_SETTING} and {@value
 * #KEY_SETTING}; {@value #TAG_SETTING} names the tag (default {@value #DEFAULT_BLOCK_TAG}).
 *
 * <p>What it takes: IPv4 and IPv6 addresses, and IPv4 networks (PAN-OS 10.0 and later register
 * networks; IPv6 networks never). Other types, and allow entries, answer {@code UNSUPPORTED}
 * without a call. Each tag carries a {@code timeout} of the seconds until {@code expiresAt}, so the
 * firewall lifts the block itself even if the expiry timer never runs; PAN-OS caps a timeout at
 * {@value #MAX_TAG_TIMEOUT_SECONDS} s (30 days), so a longer block lapses on the firewall then. A
 * block without {@code expiresAt} gets {@code timeout="0"}, which PAN-OS keeps until it is removed.
 * Tags are {@code persistent="1"}, so a reboot of the firewall lifts no block.
 *
 * <p>Calls per batch: {@link #apply} sends one {@code uid-message} and nothing else: it registers
 * the new addresses and re-registers (unregister, then register) the ones whose block the ledger
 * extended, so the firewall's timeout follows a later expiry. An address that already holds the tag
 * (registered by someone else, or by us before the ledger knew) is answered by PAN-OS with {@code
 * already exists, ignore}, keeps its own timeout, and is {@code ALREADY_OURS}: the tag is the
 * connector's own, so a registration under it is the connector's whoever sent it (registrations of
 * other tags on the same address are someone else's, and are never touched: every message names
 * only the connector's tag). No read of the registered addresses is needed to tell. {@link #remove}
 * sends one {@code uid-message}; an entry PAN-OS says was not registered is {@code NOT_FOUND}.
 * {@code providerRef} is the tag an entry was registered with, so removals still find blocks made
 * before {@value #TAG_SETTING} changed.
 *
 * <p>Failures: a per-entry error fails that entry alone with PAN-OS's message; when the batch could
 * not be sent (no answer, 429, 5xx after retries, circuit open) every entry is {@code FAILED} with
 * the same {@code retryAfter}; a refused key fails every entry saying so, without a {@code
 * retryAfter}. A missing or malformed setting throws {@link ConfigurationException} naming it. The
 * key never appears in a URL, a message or a log.
 */
public final class PanOsEnforcementPoint implements EnforcementPoint {
  public static final String ID = "panos";
  public static final String URL_SETTING = "PANOS_URL";
  public static final String KEY_SETTING = "PANOS_API_KEY";
  public static final String TAG_SETTING = "PANOS_BLOCK_TAG";
  public static final String DEFAULT_BLOCK_TAG = "soc-actions-block";

  /** Entries per {@code uid-message}, at most. */
  public static final int MAX_ENTRIES_PER_MESSAGE = 250;

  /** The longest tag timeout PAN-OS accepts, in seconds (30 days). */
  public static final long MAX_TAG_TIMEOUT_SECONDS = 2_592_000;

  /** The tag timeout that PAN-OS reads as "never expires". */
  static final long NO_TIMEOUT = 0;

  /** How long health waits for {@code show system info}. */
  public static final Duration DEFAULT_READINESS_TIMEOUT = Duration.ofSeconds(3);

  /** The wait suggested when PAN-OS failed without saying how long to wait. */
  public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(30);

  /** PAN-OS tag names are up to 127 characters; quotes would break the group's match filter. */
  private static final Pattern TAG = Pattern.compile("[\\p{L}\\p{N} ._:-]{1,127}");

  /** PAN-OS's per-entry messages, e.g. {@code tag your-tag already exists, ignore}. */
  private static final Pattern ALREADY_REGISTERED =
      Pattern.compile("(?i)already (exists|registered)");

  private static final Pattern NOT_REGISTERED =
      Pattern.compile("(?i)(does )?not (exist|registered|found)");
  private static final Set<String> LOOPBACK_HOSTS = Set.of("127.0.0.1", "::1", "localhost");
  private static final RequestLog LOG = RequestLog.of(PanOsEnforcementPoint.class);

  private final boolean configured;
  private final Supplier<PanOsOptions> options;
  private final Supplier<PanOsUserIdClient> client;
  private final Clock clock;
  private final Duration readinessTimeout;

  /**
   * Cheap: the options are read and the client built on first use, so a deployment without PAN-OS
   * never parses its settings; a failed parse is not remembered, so fixing a setting takes effect
   * on the next call.
   *
   * @param configured whether {@value #URL_SETTING} and {@value #KEY_SETTING} are set
   * @param options the settings, parsed (throws {@link ConfigurationException} naming a malformed
   *     one)
   * @param client the firewall's XML API on those options
   */
  PanOsEnforcementPoint(
      boolean configured,
      Supplier<PanOsOptions> options,
      Function<PanOsOptions, PanOsUserIdClient> client,
      Clock clock,
      Duration readinessTimeout) {
    this.configured = configured;
    this.options = Suppliers.memoize(options::get);
    this.client = Suppliers.memoize(() -> client.apply(this.options.get()));
    this.clock = clock;
    this.readinessTimeout = readinessTimeout;
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String displayName() {
    return "PAN-OS dynamic address group (User-ID tags)";
  }

  @Override
  public Set<Capability> capabilities() {
    return Set.of(Capability.BLOCK);
  }

  @Override
  public String description() {
    return "Tags addresses on a PAN-OS firewall or Panorama through the User-ID XML API, for a"
        + " dynamic address group that a deny rule uses; tags expire on the firewall."
        + " Settings "
        + URL_SETTING
        + ", "
        + KEY_SETTING
        + ", "
        + TAG_SETTING
        + " (default "
        + DEFAULT_BLOCK_TAG
        + ")";
  }

  @Override
  public boolean isConfigured() {
    return configured;
  }

  @Override
  public Set<IndicatorType> supportedTypes() {
    return Set.of(IndicatorType.IP, IndicatorType.CIDR);
  }

  @Override
  public boolean supportsAllow() {
    return false;
  }

  /**
   * See {@link EnforcementPoint#apply}. New blocks are registered; PAN-OS answers an address that
   * already holds the tag with {@code already exists, ignore}, which is {@code ALREADY_OURS}.
   * Extensions of our own blocks are unregistered and registered again with the new timeout,
   * without the read, because PAN-OS answers a register of a tag an address holds with {@code
   * already exists, ignore} and keeps the old timeout. All of it goes in one {@code uid-message},
   * its {@code unregister} section before its {@code register} section.
   *
   * <p>PAN-OS does not document the order in which it applies the sections of one message. If it
   * registered first, the register of an extended address is answered {@code already exists} and
   * the unregister then removed the tag: that answer is the proof, and only then a second {@code
   * uid-message} registers those addresses again, so an extension never lifts a block.
   */
  @Override
  public List<EnforcementOutcome> apply(List<EnforcementRequest> requests) {
    return inMessages(requests, this::applyMessage);
  }

  @Override
  public List<EnforcementOutcome> remove(List<EnforcementRequest> requests) {
    return inMessages(requests, this::removeMessage);
  }

  /**
   * Sends {@code requests} {@value #MAX_ENTRIES_PER_MESSAGE} at a time: a firewall's management
   * plane answers a {@code uid-message} of a few hundred entries well inside the call's timeout,
   * where one of ten thousand (an expiry run after a day off) would not.
   */
  private static List<EnforcementOutcome> inMessages(
      List<EnforcementRequest> requests,
      java.util.function.Function<List<EnforcementRequest>, List<EnforcementOutcome>> send) {
    if (requests.size() <= MAX_ENTRIES_PER_MESSAGE) {
      return send.apply(requests);
    }
    List<EnforcementOutcome> outcomes = new ArrayList<>(requests.size());
    for (int from = 0; from < requests.size(); from += MAX_ENTRIES_PER_MESSAGE) {
      outcomes.addAll(
          send.apply(
              requests.subList(from, Math.min(requests.size(), from + MAX_ENTRIES_PER_MESSAGE))));
    }
    return outcomes;
  }

  private List<EnforcementOutcome> applyMessage(List<EnforcementRequest> requests) {
    EnforcementOutcome[] outcomes = new EnforcementOutcome[requests.size()];
    Map<Integer, String> targets = targets(requests, outcomes);
    if (targets.isEmpty()) {
      return Arrays.asList(outcomes);
    }
    String configuredTag = blockTag();
    try {
      Map<String, String> extending = new LinkedHashMap<>();
      targets.forEach(
          (i, ip) -> {
            if (requests.get(i).extension()) {
              extending.put(ip, tagOf(requests.get(i), configuredTag));
            }
          });
      Map<String, Long> timeouts = new LinkedHashMap<>();
      targets.forEach(
          (i, ip) ->
              timeouts.merge(
                  ip, timeoutSeconds(requests.get(i).expiresAt()), PanOsEnforcementPoint::longer));
      List<Unregistration> unregister =
          extending.entrySet().stream()
              .map(entry -> new Unregistration(entry.getKey(), entry.getValue()))
              .toList();
      List<Registration> register = new ArrayList<>();
      timeouts.forEach(
          (ip, timeout) ->
              register.add(
                  new Registration(ip, extending.getOrDefault(ip, configuredTag), timeout)));
      Map<String, String> registerErrors =
          new LinkedHashMap<>(client.get().update(unregister, register).registerErrors());
      List<Registration> lost =
          register.stream()
              .filter(
                  entry ->
                      extending.containsKey(entry.ip())
                          && alreadyRegistered(registerErrors.get(entry.ip())))
              .toList();
      if (!lost.isEmpty()) {
        LOG.warning(
            () ->
                "PAN-OS applied the register before the unregister of one uid-message; registering "
                    + lost.size()
                    + " extended addresses again");
        lost.forEach(entry -> registerErrors.remove(entry.ip()));
        registerErrors.putAll(client.get().register(lost).registerErrors());
      }
      targets.forEach(
          (i, ip) -> {
            if (outcomes[i] == null) {
              String tag = extending.getOrDefault(ip, configuredTag);
              outcomes[i] =
                  registered(
                      requests.get(i).indicator(),
                      ip,
                      tag,
                      registerErrors.get(ip),
                      extending.containsKey(ip));
            }
          });
    } catch (UpstreamException e) {
      failUnanswered(requests, targets, outcomes, e);
    }
    return Arrays.asList(outcomes);
  }

  /** The tag an entry of ours was registered with ({@code providerRef}), or the configured one. */
  private static String tagOf(EnforcementRequest request, String configuredTag) {
    String ref = request.providerRef();
    return ref != null && TAG.matcher(ref).matches() ? ref : configuredTag;
  }

  private static boolean alreadyRegistered(String error) {
    return error != null && ALREADY_REGISTERED.matcher(error).find();
  }

  private List<EnforcementOutcome> removeMessage(List<EnforcementRequest> requests) {
    EnforcementOutcome[] outcomes = new EnforcementOutcome[requests.size()];
    Map<Integer, String> targets = targets(requests, outcomes);
    if (targets.isEmpty()) {
      return Arrays.asList(outcomes);
    }
    String configuredTag = blockTag();
    Map<Integer, String> tags = new LinkedHashMap<>();
    targets.forEach((i, ip) -> tags.put(i, tagOf(requests.get(i), configuredTag)));
    List<Unregistration> entries =
        targets.entrySet().stream()
            .map(target -> new Unregistration(target.getValue(), tags.get(target.getKey())))
            .distinct()
            .toList();
    try {
      UidResult result = client.get().unregister(entries);
      targets.forEach(
          (i, ip) ->
              outcomes[i] =
                  unregistered(
                      requests.get(i).indicator(),
                      ip,
                      tags.get(i),
                      result.unregisterErrors().get(ip)));
    } catch (UpstreamException e) {
      failUnanswered(requests, targets, outcomes, e);
    }
    return Arrays.asList(outcomes);
  }

  @Override
  public Readiness readiness() {
    if (!isConfigured()) {
      return Readiness.notConfigured(
          "Set "
              + URL_SETTING
              + " and "
              + KEY_SETTING
              + " to block addresses through a PAN-OS dynamic address group");
    }
    try {
      PanOsUserIdClient panOs = client.get();
      String tag = blockTag();
      if (panOs.policy().circuitState() == CircuitBreaker.State.OPEN) {
        return Readiness.degraded(
            "PAN-OS has been failing, so its circuit is open: blocks answer failed until it"
                + " recovers");
      }
      SystemInfo info = panOs.systemInfo(readinessTimeout);
      return Readiness.ok(
          "PAN-OS "
              + Optional.ofNullable(info.hostname()).orElse("firewall")
              + (info.model() == null ? "" : " (" + info.model() + ")")
              + (info.softwareVersion() == null ? "" : " runs PAN-OS " + info.softwareVersion())
              + "; blocks are tagged '"
              + tag
              + "'");
    } catch (ConfigurationException e) {
      return Readiness.error(e.getMessage());
    } catch (UpstreamException e) {
      return e.failure() == UpstreamFailure.FORBIDDEN
          ? Readiness.error(e.getMessage())
          : Readiness.degraded("PAN-OS did not answer show system info: " + e.getMessage());
    } catch (RuntimeException e) {
      return Readiness.error("PAN-OS check failed: " + e.getClass().getSimpleName());
    }
  }

  /**
   * The registered-ip text of each request PAN-OS can take, by request index; the others get their
   * {@code UNSUPPORTED} outcome here.
   */
  private static Map<Integer, String> targets(
      List<EnforcementRequest> requests, EnforcementOutcome[] outcomes) {
    Map<Integer, String> targets = new LinkedHashMap<>();
    for (int i = 0; i < requests.size(); i++) {
      EnforcementRequest request = requests.get(i);
      Indicator indicator = request.indicator();
      if (request.action() == Action.ALLOW) {
        outcomes[i] =
            EnforcementOutcome.unsupported(
                indicator,
                "PAN-OS User-ID tags here feed a deny rule only; allow entries are not supported");
      } else if (indicator.type() == IndicatorType.IP
          || indicator.type() == IndicatorType.CIDR
              && indicator.addresses().map(c -> c.isIpv4()).orElse(false)) {
        targets.put(i, indicator.value());
      } else if (indicator.type() == IndicatorType.CIDR) {
        outcomes[i] =
            EnforcementOutcome.unsupported(
                indicator,
                "PAN-OS registers IPv6 addresses but not IPv6 networks: block the addresses one by"
                    + " one");
      } else {
        outcomes[i] =
            EnforcementOutcome.unsupported(
                indicator,
                "PAN-OS User-ID tags hold IP addresses and IPv4 networks, not a "
                    + indicator.type().wireName()
                    + ": use another enforcement point for it");
      }
    }
    return targets;
  }

  private static EnforcementOutcome registered(
      Indicator indicator, String ip, String tag, String error, boolean extension) {
    if (error == null) {
      return extension
          ? new EnforcementOutcome(indicator, Status.ALREADY_OURS, tag, null, null)
          : EnforcementOutcome.done(indicator, tag);
    }
    if (alreadyRegistered(error)) {
      return new EnforcementOutcome(indicator, Status.ALREADY_OURS, tag, null, null);
    }
    return EnforcementOutcome.failed(indicator, "PAN-OS did not tag " + ip + ": " + error, null);
  }

  private static EnforcementOutcome unregistered(
      Indicator indicator, String ip, String tag, String error) {
    if (error == null) {
      return EnforcementOutcome.done(indicator, tag);
    }
    if (NOT_REGISTERED.matcher(error).find()) {
      return new EnforcementOutcome(indicator, Status.NOT_FOUND, tag, null, null);
    }
    return EnforcementOutcome.failed(indicator, "PAN-OS did not untag " + ip + ": " + error, null);
  }

  /** Every target without an outcome yet fails the same way: the call itself failed. */
  private static void failUnanswered(
      List<EnforcementRequest> requests,
      Map<Integer, String> targets,
      EnforcementOutcome[] outcomes,
      UpstreamException e) {
    String detail;
    Duration retryAfter = null;
    if (e.failure() == UpstreamFailure.FORBIDDEN) {
      detail = e.getMessage();
    } else if (e.isRetryable()) {
      detail = "PAN-OS did not take the batch, even after retries: " + e.getMessage();
      retryAfter = e.retryAfter().orElse(DEFAULT_RETRY_AFTER);
    } else {
      detail = e.getMessage();
    }
    for (int i : targets.keySet()) {
      if (outcomes[i] == null) {
        outcomes[i] = EnforcementOutcome.failed(requests.get(i).indicator(), detail, retryAfter);
      }
    }
  }

  /**
   * Seconds until {@code expiresAt}, rounded up, at least 1 and at most PAN-OS's maximum; {@value
   * #NO_TIMEOUT} (PAN-OS: never) when there is no expiry.
   */
  private long timeoutSeconds(Instant expiresAt) {
    if (expiresAt == null) {
      return NO_TIMEOUT;
    }
    Duration left = Duration.between(clock.instant(), expiresAt);
    long seconds = left.getSeconds() + (left.getNano() > 0 ? 1 : 0);
    return Math.max(1, Math.min(seconds, MAX_TAG_TIMEOUT_SECONDS));
  }

  /** The later of two timeouts, where {@value #NO_TIMEOUT} (never) is the latest. */
  private static long longer(long a, long b) {
    return a == NO_TIMEOUT || b == NO_TIMEOUT ? NO_TIMEOUT : Math.max(a, b);
  }

  private String blockTag() {
    return options.get().blockTag();
  }

  /**
   * What PAN-OS needs from the settings.
   *
   * @param url the firewall or Panorama ({@value #URL_SETTING}): https, or http on loopback (fakes)
   * @param apiKey {@value #KEY_SETTING} (a secret: never in a message)
   * @param blockTag {@value #TAG_SETTING}, default {@value #DEFAULT_BLOCK_TAG}
   */
  record PanOsOptions(HttpUrl url, String apiKey, String blockTag) {
    /** Whether the settings name a firewall and a key, i.e. the provider is available. */
    static boolean isConfigured(Settings settings) {
      return settings.isSet(URL_SETTING) && settings.isSet(KEY_SETTING);
    }

    /**
     * @throws ConfigurationException naming the setting that is missing or malformed
     */
    static PanOsOptions from(Settings settings) {
      String url =
          settings
              .get(URL_SETTING)
              .orElseThrow(
                  () ->
                      new ConfigurationException(
                          URL_SETTING,
                          "Setting " + URL_SETTING + " is required for provider " + ID));
      String key =
          settings
              .get(KEY_SETTING)
              .orElseThrow(
                  () ->
                      new ConfigurationException(
                          KEY_SETTING,
                          "Setting " + KEY_SETTING + " is required for provider " + ID));
      HttpUrl base = HttpUrl.parse(url);
      if (base == null) {
        throw new ConfigurationException(
            URL_SETTING,
            "Setting "
                + URL_SETTING
                + " must be the firewall's or Panorama's"
                + " https URL, such as https://fw.example.com, not '"
                + url
                + "'");
      }
      if (!base.isHttps() && !LOOPBACK_HOSTS.contains(base.host())) {
        // The key travels in a header: over plain http anyone on the path could read it.
        throw new ConfigurationException(
            URL_SETTING,
            "Setting "
                + URL_SETTING
                + " must be an https URL (http is"
                + " accepted for loopback test fakes only), not '"
                + url
                + "'");
      }
      String tag = settings.get(TAG_SETTING, DEFAULT_BLOCK_TAG);
      if (!TAG.matcher(tag).matches()) {
        throw new ConfigurationException(
            TAG_SETTING,
            "Setting "
                + TAG_SETTING
                + " must be a PAN-OS tag name of 1 to 127"
                + " letters, digits, spaces, '.', '_', ':' or '-', not '"
                + tag
                + "'");
      }
      return new PanOsOptions(base, key, tag);
    }

    /** Never prints the key (a record's default would). */
    @Override
    public String toString() {
      return "PanOsOptions[url=" + url + ", blockTag=" + blockTag + "]";
    }
  }
}
