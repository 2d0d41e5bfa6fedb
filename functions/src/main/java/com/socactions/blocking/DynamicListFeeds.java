package com.socactions.blocking;

import com.azure.core.util.Context;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import com.azure.data.tables.models.TableServiceException;
import com.socactions.indicators.IndicatorType;
import com.socactions.ledger.Action;
import com.socactions.ledger.BlockLedger;
import com.socactions.platform.TableBatch;
import com.socactions.platform.TableReads;
import com.socactions.platform.UpstreamException;
import com.socactions.platform.UpstreamFailure;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The External Dynamic List feeds of provider {@code edl}, in the plain format PAN-OS, FortiGate
 * and Check Point read: one entry a line, sorted, URLs without their scheme, {@code \n} line ends,
 * with a strong {@code ETag} of the content.
 *
 * <p>Served from a stored rendering, not from the ledger: table {@value #TABLE} holds, per list, a
 * head row (the ETag, the count, the ledger versions it was rendered from) and the text in chunks.
 * A poll reads the head (one point read): {@code If-None-Match} with its ETag is a 304 that reads
 * nothing else, and a 200 is the text this instance already holds for that ETag or the chunks (one
 * range query). At most once per {@link #DEFAULT_REBUILD_INTERVAL} an instance compares the head
 * with the ledger's list versions (a point read per type); when they differ and no other instance
 * is rebuilding, it renders the list again from the ledger's list index (a read of the active list,
 * never of the history) and switches the head to the new chunks under its ETag, so instances
 * rebuild a list at most once per change and interval between them. An entry blocked or lifted
 * appears in the feed within about that interval.
 */
public final class DynamicListFeeds {
  /** How often an instance checks whether a list changed; the delay before a change shows. */
  public static final Duration DEFAULT_REBUILD_INTERVAL = Duration.ofSeconds(10);

  /** A rebuild claimed longer ago than this was abandoned: another instance may take it over. */
  static final Duration REBUILD_CLAIM_TIMEOUT = Duration.ofMinutes(2);

  /** The table of the renderings, in the state storage account. */
  public static final String TABLE = "feedrenderings";

  /** Characters per chunk row: under a string property's 32,768 UTF-16 characters. */
  static final int CHUNK_CHARS = 30_000;

  /** The lists, by name: which action and indicator types each holds. */
  public static final Map<String, ListSpec> LISTS = lists();

  private static final String HEAD = "head";
  private static final String UPSTREAM = "Table storage";

  private final Supplier<BlockLedger> ledger;
  private final Supplier<TableClient> table;
  private final Optional<String> feedToken;
  private final Clock clock;
  private final Duration interval;
  private final Map<String, Instant> checkedAt = new ConcurrentHashMap<>();
  private final Map<String, Feed> held = new ConcurrentHashMap<>();
  private final Map<String, ReentrantLock> rebuilding = new ConcurrentHashMap<>();

  /**
   * @param feedToken the secret a firewall presents ({@value
   *     DynamicListEnforcementPoint#FEED_TOKEN_SETTING}); the feeds are off without one
   */
  public DynamicListFeeds(
      Supplier<BlockLedger> ledger,
      Supplier<TableClient> table,
      Optional<String> feedToken,
      Clock clock) {
    this(ledger, table, feedToken, clock, DEFAULT_REBUILD_INTERVAL);
  }

  DynamicListFeeds(
      Supplier<BlockLedger> ledger,
      Supplier<TableClient> table,
      Optional<String> feedToken,
      Clock clock,
      Duration interval) {
    this.ledger = ledger;
    this.table = table;
    this.feedToken = feedToken;
    this.clock = clock;
    this.interval = interval;
  }

  /** One list: its action and the indicator types it holds. */
  public record ListSpec(Action action, List<IndicatorType> types) {}

  /**
   * A rendered feed: its strong ETag (quoted, as the header carries it), how many entries, when it
   * was rendered, and its text (read only when asked for).
   */
  public static final class Feed {
    private final String list;
    private final String etag;
    private final int entries;
    private final Instant renderedAt;
    private final Supplier<String> text;

    Feed(String list, String etag, int entries, Instant renderedAt, Supplier<String> text) {
      this.list = list;
      this.etag = etag;
      this.entries = entries;
      this.renderedAt = renderedAt;
      this.text = com.google.common.base.Suppliers.memoize(text::get);
    }

    public String list() {
      return list;
    }

    public String etag() {
      return etag;
    }

    public int entries() {
      return entries;
    }

    public Instant renderedAt() {
      return renderedAt;
    }

    /** The text: from this instance's memory for the ETag, or read from the chunks. */
    public String text() {
      return text.get();
    }
  }

  /** Whether the feeds are on (a {@code FEED_TOKEN} is set). */
  public boolean isEnabled() {
    return feedToken.isPresent();
  }

  /**
   * Whether {@code presented} is the feed secret, compared in constant time. False when the feeds
   * are off.
   */
  public boolean isAuthorized(String presented) {
    Optional<String> token = feedToken;
    if (token.isEmpty() || presented == null) {
      return false;
    }
    return MessageDigest.isEqual(
        token.get().getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The feed of a list: its head read, rebuilt first when it is missing or its list changed (see
   * the class comment); empty when there is no such list.
   *
   * @throws UpstreamException when storage fails
   */
  public Optional<Feed> feed(String list) {
    ListSpec spec = LISTS.get(list);
    if (spec == null) {
      return Optional.empty();
    }
    Head head = readHead(list);
    Instant now = clock.instant();
    Instant checked = checkedAt.get(list);
    if (head == null || checked == null || !checked.plus(interval).isAfter(now)) {
      checkedAt.put(list, now);
      String versions = versions(spec);
      if (head == null || !versions.equals(head.sourceVersion())) {
        head = rebuild(list, spec, versions, head, now);
      }
    }
    return Optional.of(feedOf(list, head));
  }

  private Feed feedOf(String list, Head head) {
    Feed cached = held.get(list);
    if (cached != null && cached.etag().equals(head.etag())) {
      return cached;
    }
    Feed feed =
        new Feed(list, head.etag(), head.entries(), head.renderedAt(), () -> readText(list, head));
    held.put(list, feed);
    return feed;
  }

  /** The ledger's versions of the list's types, joined: what a rendering was made from. */
  private String versions(ListSpec spec) {
    List<String> versions = new ArrayList<>();
    for (IndicatorType type : spec.types()) {
      versions.add(
          String.valueOf(
              ledger.get().listVersion(DynamicListEnforcementPoint.ID, type, spec.action())));
    }
    return String.join(",", versions);
  }

  /**
   * Renders the list again, unless another poll of this instance or another instance is at it (then
   * the head there is will do, or this poll waits for the first rendering).
   */
  private Head rebuild(String list, ListSpec spec, String versions, Head head, Instant now) {
    ReentrantLock lock = rebuilding.computeIfAbsent(list, name -> new ReentrantLock());
    if (head != null && !lock.tryLock()) {
      return head; // this instance is rebuilding it: the previous rendering will do
    }
    if (head == null) {
      lock.lock();
    }
    try {
      Head current = readHead(list);
      if (current != null && versions.equals(current.sourceVersion())) {
        return current; // rebuilt meanwhile
      }
      if (current != null && current.renderedAt().plus(interval).isAfter(now) && head != null) {
        return current; // rendered within the interval: the change shows with the next rebuild
      }
      if (current != null && !claimRebuild(list, current, now)) {
        return current; // another instance is rebuilding it
      }
      List<BlockLedger.Listed> entries = new ArrayList<>();
      for (IndicatorType type : spec.types()) {
        entries.addAll(
            ledger.get().activeEntries(DynamicListEnforcementPoint.ID, type, spec.action()));
      }
      Rendering rendering = render(list, entries, now);
      long generation = current == null ? 1 : current.generation() + 1;
      List<String> chunks = chunks(rendering.text());
      TableBatch batch = new TableBatch(UPSTREAM);
      for (int i = 0; i < chunks.size(); i++) {
        batch.upsert(
            table.get(),
            new TableEntity(list, chunkKey(generation, i)).addProperty("text", chunks.get(i)));
      }
      batch.flush();
      Head next =
          new Head(
              rendering.etag(),
              rendering.entries(),
              now,
              versions,
              generation,
              chunks.size(),
              null,
              null);
      writeHead(list, next, current);
      held.put(list, new Feed(list, next.etag(), next.entries(), now, rendering::text));
      if (current != null) {
        TableBatch old = new TableBatch(UPSTREAM);
        for (int i = 0; i < current.chunks(); i++) {
          old.delete(table.get(), list, chunkKey(current.generation(), i));
        }
        old.flush();
      }
      return readHead(list);
    } finally {
      lock.unlock();
    }
  }

  /** Marks the head as being rebuilt here; false when another instance holds a fresh mark. */
  private boolean claimRebuild(String list, Head current, Instant now) {
    if (current.buildingSince() != null
        && current.buildingSince().plus(REBUILD_CLAIM_TIMEOUT).isAfter(now)) {
      return false;
    }
    TableEntity entity = current.toEntity(list);
    entity.addProperty("building_since", now.atOffset(ZoneOffset.UTC));
    try {
      table
          .get()
          .updateEntityWithResponse(
              entity, TableEntityUpdateMode.REPLACE, true, null, Context.NONE);
      return true;
    } catch (TableServiceException e) {
      if (UpstreamFailure.of(e) == UpstreamFailure.CONFLICT) {
        return false;
      }
      throw UpstreamException.ofAzure(UPSTREAM, "Table storage could not claim a feed rebuild", e);
    }
  }

  private void writeHead(String list, Head next, Head current) {
    try {
      if (current == null) {
        table
            .get()
            .upsertEntityWithResponse(
                next.toEntity(list), TableEntityUpdateMode.REPLACE, null, Context.NONE);
      } else {
        // The head as read before the claim moved on (the claim changed its ETag): replace it.
        TableBatch.replace(table.get(), next.toEntity(list));
      }
    } catch (RuntimeException e) {
      throw new UpstreamException(UPSTREAM, "Table storage could not write a feed head", e);
    }
  }

  private Head readHead(String list) {
    TableEntity entity = TableReads.get(table.get(), new TableReads.Key(list, HEAD), UPSTREAM);
    return entity == null ? null : Head.from(entity);
  }

  private String readText(String list, Head head) {
    String from = chunkKey(head.generation(), 0);
    String to = String.format(Locale.ROOT, "g%012d-d", head.generation());
    StringBuilder text = new StringBuilder();
    try {
      ListEntitiesOptions options =
          new ListEntitiesOptions()
              .setFilter(
                  "PartitionKey eq '"
                      + list
                      + "' and RowKey ge '"
                      + from
                      + "' and RowKey lt '"
                      + to
                      + "'");
      table
          .get()
          .listEntities(options, null, Context.NONE)
          .forEach(entity -> text.append(entity.getProperty("text")));
    } catch (RuntimeException e) {
      throw new UpstreamException(UPSTREAM, "Table storage could not read a feed", e);
    }
    return text.toString();
  }

  private static String chunkKey(long generation, int chunk) {
    return String.format(Locale.ROOT, "g%012d-c%06d", generation, chunk);
  }

  static List<String> chunks(String text) {
    List<String> chunks = new ArrayList<>();
    for (int from = 0; from < text.length(); from += CHUNK_CHARS) {
      chunks.add(text.substring(from, Math.min(text.length(), from + CHUNK_CHARS)));
    }
    return chunks;
  }

  /** A feed's head row. */
  private record Head(
      String etag,
      int entries,
      Instant renderedAt,
      String sourceVersion,
      long generation,
      int chunks,
      Instant buildingSince,
      String rowEtag) {

    TableEntity toEntity(String list) {
      TableEntity entity =
          new TableEntity(list, HEAD)
              .addProperty("etag", etag)
              .addProperty("entries", entries)
              .addProperty("rendered_at", renderedAt.atOffset(ZoneOffset.UTC))
              .addProperty("source_version", sourceVersion)
              .addProperty("generation", generation)
              .addProperty("chunks", chunks);
      if (rowEtag != null) {
        entity.addProperty("odata.etag", rowEtag);
      }
      return entity;
    }

    static Head from(TableEntity entity) {
      Object building = entity.getProperty("building_since");
      return new Head(
          String.valueOf(entity.getProperty("etag")),
          ((Number) entity.getProperty("entries")).intValue(),
          ((OffsetDateTime) entity.getProperty("rendered_at")).toInstant(),
          String.valueOf(entity.getProperty("source_version")),
          ((Number) entity.getProperty("generation")).longValue(),
          ((Number) entity.getProperty("chunks")).intValue(),
          building instanceof OffsetDateTime time ? time.toInstant() : null,
          entity.getETag());
    }
  }

  /** A list rendered: its text, strong ETag and entry count. */
  public record Rendering(String text, String etag, int entries) {}

  /**
   * The render step alone: {@code entries} (in any order, duplicates allowed) as the feed's text,
   * one line each, sorted, each line once, with its strong ETag. Public so that benchmarks can time
   * it apart from storage.
   */
  public static Rendering render(
      String list, Collection<BlockLedger.Listed> entries, Instant renderedAt) {
    List<String> lines = new ArrayList<>(entries.size());
    for (BlockLedger.Listed entry : entries) {
      lines.add(line(entry.type(), entry.value()));
    }
    lines.sort(null);
    StringBuilder text = new StringBuilder(lines.size() * 24);
    String previous = null;
    int count = 0;
    for (String line : lines) {
      if (!line.equals(previous)) {
        text.append(line).append('\n');
        count++;
      }
      previous = line;
    }
    String body = text.toString();
    return new Rendering(body, etag(body), count);
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
