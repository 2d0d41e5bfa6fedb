package com.socactions.blocking;

import com.socactions.blocking.EnforcementRequest.Action;
import com.socactions.indicators.IndicatorType;
import com.socactions.platform.Settings;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The External Dynamic List feeds of provider {@code edl}, rendered from the ledger in the plain
 * format PAN-OS, FortiGate and Check Point read: one entry a line, sorted, URLs without their
 * scheme, {@code \n} line ends. Each feed has a strong {@code ETag} of its content, so a firewall
 * polling with {@code If-None-Match} costs a 304 when nothing changed. A rendered feed is reused
 * for {@link #DEFAULT_CACHE_TIME}: firewalls poll every few minutes, often several at once. One
 * instance rebuilds a list once at a time: a poll that arrives during a rebuild gets the previous
 * feed (a few seconds old) when there is one, or waits for the rebuild, rather than reading the
 * ledger again (a list of 100,000 entries takes seconds to read).
 */
public final class DynamicListFeeds {
  /** How long a rendered feed is served before the ledger is read again. */
  public static final Duration DEFAULT_CACHE_TIME = Duration.ofSeconds(10);

  /** The lists, by name: which action and indicator types each holds. */
  public static final Map<String, ListSpec> LISTS = lists();

  private final Supplier<BlockLedger> ledger;
  private final Settings settings;
  private final Clock clock;
  private final Duration cacheTime;
  private final Map<String, Feed> rendered = new ConcurrentHashMap<>();
  private final Map<String, ReentrantLock> rebuilding = new ConcurrentHashMap<>();

  public DynamicListFeeds(Supplier<BlockLedger> ledger, Settings settings, Clock clock) {
    this(ledger, settings, clock, DEFAULT_CACHE_TIME);
  }

  DynamicListFeeds(
      Supplier<BlockLedger> ledger, Settings settings, Clock clock, Duration cacheTime) {
    this.ledger = ledger;
    this.settings = settings;
    this.clock = clock;
    this.cacheTime = cacheTime;
  }

  /** One list: its action and the indicator types it holds. */
  public record ListSpec(Action action, List<IndicatorType> types) {}

  /**
   * A rendered feed: its text, its strong ETag (quoted, as the header carries it) and when it was
   * read.
   */
  public record Feed(String list, String text, String etag, int entries, Instant renderedAt) {}

  /** Whether the feeds are on (a {@code FEED_TOKEN} is set). */
  public boolean isEnabled() {
    return settings.isSet(DynamicListEnforcementPoint.FEED_TOKEN_SETTING);
  }

  /**
   * Whether {@code presented} is the feed secret, compared in constant time. False when the feeds
   * are off.
   */
  public boolean isAuthorized(String presented) {
    Optional<String> token = settings.get(DynamicListEnforcementPoint.FEED_TOKEN_SETTING);
    if (token.isEmpty() || presented == null) {
      return false;
    }
    return MessageDigest.isEqual(
        token.get().getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
  }

  /** The feed of a list, from the ledger or the cache; empty when there is no such list. */
  public Optional<Feed> feed(String list) {
    ListSpec spec = LISTS.get(list);
    if (spec == null) {
      return Optional.empty();
    }
    Feed cached = rendered.get(list);
    if (isFresh(cached)) {
      return Optional.of(cached);
    }
    ReentrantLock lock = rebuilding.computeIfAbsent(list, name -> new ReentrantLock());
    if (cached != null && !lock.tryLock()) {
      return Optional.of(cached); // another poll is rebuilding it: the previous feed will do
    }
    if (cached == null) {
      lock.lock();
    }
    try {
      Feed again = rendered.get(list);
      if (isFresh(again)) {
        return Optional.of(again);
      }
      Feed fresh = render(list, spec, clock.instant());
      rendered.put(list, fresh);
      return Optional.of(fresh);
    } finally {
      lock.unlock();
    }
  }

  /** How many polls wait for the rebuild of {@code list}; lets a test see that all have arrived. */
  int waitingForRebuild(String list) {
    ReentrantLock lock = rebuilding.get(list);
    return lock == null ? 0 : lock.getQueueLength();
  }

  private boolean isFresh(Feed feed) {
    return feed != null && feed.renderedAt().plus(cacheTime).isAfter(clock.instant());
  }

  private Feed render(String list, ListSpec spec, Instant now) {
    List<LedgerEntry> entries = new ArrayList<>();
    for (IndicatorType type : spec.types()) {
      entries.addAll(
          ledger.get().activeEntries(DynamicListEnforcementPoint.ID, type, spec.action()));
    }
    return render(list, entries, now);
  }

  /**
   * The render step alone, without the ledger read: {@code entries} (in any order, duplicates
   * allowed) as the feed's text, one line each, sorted, each line once, with its strong ETag.
   * Public so that benchmarks can time it apart from the read; {@link #feed} is the way to a feed.
   */
  public static Feed render(String list, Collection<LedgerEntry> entries, Instant renderedAt) {
    List<String> lines = new ArrayList<>(entries.size());
    for (LedgerEntry entry : entries) {
      lines.add(line(entry.type(), entry.value()));
    }
    lines.sort(null);
    StringBuilder text = new StringBuilder(lines.size() * 24);
    String previous = null;
    for (String line : lines) {
      if (!line.equals(previous)) {
        text.append(line).append('\n');
      }
      previous = line;
    }
    String body = text.toString();
    return new Feed(list, body, etag(body), lines.size(), renderedAt);
  }

  /** URLs lose their scheme (the firewalls' URL list format); everything else is its value. */
  static String line(IndicatorType type, String value) {
    if (type == IndicatorType.URL) {
      int scheme = value.indexOf("://");
      return scheme >= 0 ? value.substring(scheme + 3) : value;
    }
    return value;
  }

  private static String etag(String body) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8));
      return "\""
          + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 22)
          + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private static Map<String, ListSpec> lists() {
    Map<String, ListSpec> lists = new LinkedHashMap<>();
    for (Action action : Action.values()) {
      String prefix = action == Action.BLOCK ? "block-" : "allow-";
      // PAN-OS and FortiGate address lists take single addresses and networks alike.
      lists.put(prefix + "ip", new ListSpec(action, List.of(IndicatorType.IP, IndicatorType.CIDR)));
      lists.put(prefix + "domain", new ListSpec(action, List.of(IndicatorType.DOMAIN)));
      lists.put(prefix + "url", new ListSpec(action, List.of(IndicatorType.URL)));
    }
    return Collections.unmodifiableMap(lists);
  }
}
