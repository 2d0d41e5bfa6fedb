package com.socactions.tickets;

import com.azure.core.util.Context;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import com.azure.data.tables.models.TableServiceException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.socactions.platform.Digests;
import com.socactions.platform.Json;
import com.socactions.platform.TableStorage;
import com.socactions.platform.UpstreamException;
import com.socactions.platform.UpstreamFailure;
import com.socactions.sentinel.IncidentStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Table {@value #TABLE}: which ticket belongs to which incident, per system, and the sync state of
 * each link. Rows:
 *
 * <ul>
 *   <li>partition {@code <system>}, row {@code sha256(lower-case incident id)}: the link (ARM ids
 *       hold {@code /}, which table keys forbid; the id itself is a property);
 *   <li>partition {@code <system>:ticket}, row the ticket id: the reverse index that inbound
 *       changes use to find the incident;
 *   <li>partition {@value #CURSOR_PARTITION}, row {@code <system>}: the catch-up cursor, the
 *       position ({@code updated_at}, {@code key}) of the last change applied; written if-match its
 *       ETag and only ever forward;
 *   <li>partition {@code <system>:delivery}, row {@code sha256(delivery id)}: webhook deliveries
 *       already applied, so a replayed delivery changes nothing; partition {@code
 *       <system>:delivery-by-time}, row {@code <received, UTC>~<sha256>}: the same by time, so that
 *       old ones are found by a key range.
 * </ul>
 *
 * <p>Every write of a link is conditional (insert, or replace if-match its ETag): two runs never
 * both believe they created the ticket, and a save that lost a race says so ({@link LinkConflict})
 * so the caller re-reads and decides again.
 */
public final class TicketLinks {
  public static final String TABLE = "TicketLinks";
  private static final String UPSTREAM = "Table storage";
  private static final String ETAG_PROPERTY = "odata.etag";
  private static final Pattern SAFE_KEY = Pattern.compile("[A-Za-z0-9._-]{1,200}");
  private static final TypeReference<Map<TicketField, String>> DIGESTS = new TypeReference<>() {};
  private static final TypeReference<List<String>> IDS = new TypeReference<>() {};

  /** The partition of the catch-up cursors (named for the watermark rows it replaces). */
  static final String CURSOR_PARTITION = "watermark";

  /** How far before a pre-cursor watermark the first run with cursors starts again. */
  static final Duration LEGACY_WATERMARK_OVERLAP = Duration.ofMinutes(2);

  private static final String DELIVERY_SUFFIX = ":delivery";
  private static final String DELIVERY_TIME_SUFFIX = ":delivery-by-time";

  /** UTC to the millisecond, fixed width: row keys in this form sort as the times do. */
  private static final DateTimeFormatter TIME_KEY =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  /** Writes of a cursor tried before giving up on a row that keeps changing. */
  static final int MAX_CURSOR_ATTEMPTS = 5;

  private final TableClient table;

  public TicketLinks(TableStorage storage) {
    this(storage.table(TABLE));
  }

  TicketLinks(TableClient table) {
    this.table = table;
  }

  /** Thrown by {@link #save} when another run changed the link since it was read. */
  public static final class LinkConflict extends RuntimeException {
    LinkConflict(String message) {
      super(message, null, false, false);
    }
  }

  public Optional<TicketLink> get(String system, String incidentId) {
    return read(system, linkKey(incidentId)).map(TicketLinks::toLink);
  }

  /**
   * Claims the create of the ticket for an incident that has no link yet.
   *
   * @return the claim, or empty when another run claimed (or linked) it first
   */
  public Optional<TicketLink> claim(String system, String incidentId, String claimId, Instant now) {
    TicketLink link = TicketLink.claim(system, incidentId, claimId, now);
    try {
      table.createEntity(toEntity(link));
      // The insert's ETag header is URL-encoded by some services (Azurite) and then refused as
      // If-Match; the row as read carries it in the form every service accepts back.
      return get(system, incidentId);
    } catch (TableServiceException e) {
      if (UpstreamFailure.of(e) == UpstreamFailure.CONFLICT) {
        return Optional.empty();
      }
      throw upstream("could not claim the link of " + incidentId, e);
    }
  }

  /**
   * Saves a link read earlier (or a claim), or one made from it, if nobody changed it since.
   *
   * @return the link as saved, with the ETag to save its next value against
   * @throws LinkConflict when another run saved first: read again and decide again
   */
  public TicketLink save(TicketLink link) {
    try {
      TableEntity entity = toEntity(link);
      entity.addProperty(ETAG_PROPERTY, link.etag());
      table.updateEntityWithResponse(
          entity, TableEntityUpdateMode.REPLACE, true, null, Context.NONE);
      TicketLink saved =
          link.withEtag(
              read(link.system(), linkKey(link.incidentId()))
                  .map(TableEntity::getETag)
                  .orElse(null));
      if (saved.ticket() != null) {
        table.upsertEntity(reverseEntity(saved));
      }
      return saved;
    } catch (TableServiceException e) {
      if (UpstreamFailure.of(e) == UpstreamFailure.CONFLICT
          || UpstreamFailure.of(e) == UpstreamFailure.NOT_FOUND) {
        throw new LinkConflict(
            "The link of " + link.incidentId() + " changed while it was being saved");
      }
      throw upstream("could not save the link of " + link.incidentId(), e);
    }
  }

  /** Gives up a claim whose create failed, so the next run may try again at once. */
  public void release(TicketLink claim) {
    try {
      table.deleteEntityWithResponse(
          toEntity(claim).addProperty(ETAG_PROPERTY, claim.etag()), true, null, Context.NONE);
    } catch (TableServiceException e) {
      if (UpstreamFailure.of(e) != UpstreamFailure.NOT_FOUND
          && UpstreamFailure.of(e) != UpstreamFailure.CONFLICT) {
        throw upstream("could not release the claim of " + claim.incidentId(), e);
      }
    }
  }

  /** The incident linked to a ticket, through the reverse index. */
  public Optional<TicketLink> findByTicket(String system, String ticketId) {
    return read(system + ":ticket", ticketKey(ticketId))
        .map(entity -> (String) entity.getProperty("incident_id"))
        .flatMap(incidentId -> get(system, incidentId));
  }

  /**
   * The catch-up cursor of a system as stored: the position of the last change applied, and the
   * ETag of its row for {@link #advanceCursor}.
   */
  public record Cursor(ChangePosition position, String etag) {}

  /**
   * The catch-up cursor of {@code system}, or empty before its first run. A row from before cursors
   * (a bare {@code read_until} time) reads as a start at that time less {@link
   * #LEGACY_WATERMARK_OVERLAP}, the overlap that version read again.
   */
  public Optional<Cursor> cursor(String system) {
    return read(CURSOR_PARTITION, system)
        .map(
            entity -> {
              Instant updated = instant(entity.getProperty("updated_at"));
              Object key = entity.getProperty("key");
              ChangePosition position =
                  updated != null
                      ? new ChangePosition(updated, key == null ? "" : key.toString())
                      : ChangePosition.startingAt(
                          instant(entity.getProperty("read_until"))
                              .minus(LEGACY_WATERMARK_OVERLAP));
              return new Cursor(position, entity.getETag());
            });
  }

  /**
   * Moves the cursor of {@code system} forward to {@code to}: written if-match the ETag of {@code
   * read} (or as a new row when {@code read} is null), so two runs writing at once never move it
   * backwards. When another run wrote first, the row is read again: a cursor already at or past
   * {@code to} in {@code order} is kept as it is; one behind is moved, if-match its new ETag.
   *
   * @param read the cursor as read before (null when there was none)
   * @return the cursor as stored now: {@code to} with its new ETag, or the one found ahead of it
   */
  public Cursor advanceCursor(
      String system, Cursor read, ChangePosition to, Comparator<ChangePosition> order) {
    Cursor current = read;
    for (int attempt = 1; attempt <= MAX_CURSOR_ATTEMPTS; attempt++) {
      if (current != null && order.compare(current.position(), to) >= 0) {
        return current;
      }
      TableEntity entity =
          new TableEntity(CURSOR_PARTITION, system)
              .addProperty("updated_at", utc(to.updatedAt()))
              .addProperty("key", to.key());
      try {
        if (current == null) {
          table.createEntity(entity);
        } else {
          entity.addProperty(ETAG_PROPERTY, current.etag());
          table.updateEntityWithResponse(
              entity, TableEntityUpdateMode.REPLACE, true, null, Context.NONE);
        }
        // Read back for the ETag in the form every service accepts as If-Match (see claim).
        return cursor(system).orElseThrow();
      } catch (TableServiceException e) {
        if (UpstreamFailure.of(e) != UpstreamFailure.CONFLICT
            && UpstreamFailure.of(e) != UpstreamFailure.NOT_FOUND) {
          throw upstream("could not save the " + system + " cursor", e);
        }
        current = cursor(system).orElse(null);
      }
    }
    throw UpstreamException.retryLater(
        UPSTREAM,
        "Ticket links: the " + system + " cursor kept changing while it was being saved",
        null);
  }

  /** Whether a webhook delivery was applied before (recorded by {@link #firstDelivery}). */
  public boolean hasDelivery(String system, String deliveryId) {
    return read(system + DELIVERY_SUFFIX, Digests.sha256Hex(deliveryId)).isPresent();
  }

  /**
   * Records a webhook delivery: its row, and before it a row in the time index by which {@link
   * #forgetDeliveriesBefore} finds it again.
   *
   * @return false when the delivery was recorded before (a replay: apply nothing)
   */
  public boolean firstDelivery(String system, String deliveryId, Instant now) {
    String key = Digests.sha256Hex(deliveryId);
    try {
      // The index row first: a delivery row is never without one, so every one is forgotten in
      // time. An index row whose delivery was a replay only makes a delete find nothing.
      table.upsertEntity(
          new TableEntity(system + DELIVERY_TIME_SUFFIX, TIME_KEY.format(now) + "~" + key));
      table.createEntity(
          new TableEntity(system + DELIVERY_SUFFIX, key).addProperty("received_at", utc(now)));
      return true;
    } catch (TableServiceException e) {
      if (UpstreamFailure.of(e) == UpstreamFailure.CONFLICT) {
        return false;
      }
      throw upstream("could not record webhook delivery", e);
    }
  }

  /**
   * Forgets the deliveries of {@code system} received before {@code cutoff}: a replay is only
   * recognised while its row lives, and an ITSM retries a delivery for minutes, not days, so old
   * rows are only cost. They are found by a key range of the time index, so forgetting costs one
   * query and two deletes per delivery forgotten, whatever number is still kept. (Deliveries
   * recorded before the index existed are kept: a replay of one is still recognised.)
   *
   * @return how many were forgotten
   */
  public int forgetDeliveriesBefore(String system, Instant cutoff) {
    ListEntitiesOptions options =
        new ListEntitiesOptions()
            .setFilter(
                "PartitionKey eq '"
                    + system
                    + DELIVERY_TIME_SUFFIX
                    + "' and RowKey lt '"
                    + TIME_KEY.format(cutoff)
                    + "'")
            .setSelect(List.of("PartitionKey", "RowKey"));
    int forgotten = 0;
    try {
      for (TableEntity index : table.listEntities(options, null, Context.NONE)) {
        String row = index.getRowKey();
        deleteIfThere(system + DELIVERY_SUFFIX, row.substring(row.indexOf('~') + 1));
        deleteIfThere(index.getPartitionKey(), row);
        forgotten++;
      }
    } catch (TableServiceException e) {
      if (UpstreamFailure.of(e) != UpstreamFailure.NOT_FOUND) {
        throw upstream("could not forget old " + system + " deliveries", e);
      }
    }
    return forgotten;
  }

  private void deleteIfThere(String partition, String row) {
    try {
      table.deleteEntity(partition, row);
    } catch (TableServiceException e) {
      if (UpstreamFailure.of(e) != UpstreamFailure.NOT_FOUND) {
        throw e;
      }
    }
  }

  static String linkKey(String incidentId) {
    return Digests.sha256Hex(incidentId.toLowerCase(Locale.ROOT));
  }

  /**
   * Ticket ids are sys_ids or Jira numbers; anything else is hashed rather than trusted as a key.
   */
  static String ticketKey(String ticketId) {
    return SAFE_KEY.matcher(ticketId).matches() ? ticketId : "~" + Digests.sha256Hex(ticketId);
  }

  private Optional<TableEntity> read(String partition, String row) {
    try {
      return Optional.of(
          table.getEntityWithResponse(partition, row, null, null, Context.NONE).getValue());
    } catch (TableServiceException e) {
      if (UpstreamFailure.of(e) == UpstreamFailure.NOT_FOUND) {
        return Optional.empty();
      }
      throw upstream("could not read " + partition, e);
    } catch (RuntimeException e) {
      throw upstream("could not read " + partition, e);
    }
  }

  /** The reverse-index row of a link that has its ticket. */
  static TableEntity reverseEntity(TicketLink link) {
    return new TableEntity(link.system() + ":ticket", ticketKey(link.ticket().id()))
        .addProperty("incident_id", link.incidentId());
  }

  /** The row of a link, as {@link #save} writes it (without the ETag it is written against). */
  static TableEntity toEntity(TicketLink link) {
    TableEntity entity =
        new TableEntity(link.system(), linkKey(link.incidentId()))
            .addProperty("incident_id", link.incidentId())
            .addProperty("digests", write(link.digests()))
            .addProperty("copied_comment_ids", write(link.copiedCommentIds()))
            .addProperty("applied_ticket_comment_ids", write(link.appliedTicketCommentIds()));
    put(entity, "state", link.state() == null ? null : link.state().wireName());
    put(entity, "claim_id", link.claimId());
    put(entity, "claimed_at", utc(link.claimedAt()));
    put(entity, "last_synced_at", utc(link.lastSyncedAt()));
    put(entity, "last_inbound_at", utc(link.lastInboundAt()));
    put(
        entity,
        "last_inbound_status",
        link.lastInboundStatus() == null ? null : link.lastInboundStatus().wireName());
    if (link.ticket() != null) {
      entity.addProperty("ticket_id", link.ticket().id());
      put(entity, "ticket_number", link.ticket().number());
      put(entity, "ticket_url", link.ticket().url());
    }
    return entity;
  }

  private static TicketLink toLink(TableEntity entity) {
    Map<String, Object> p = entity.getProperties();
    TicketLink.Draft link =
        new TicketLink.Draft(entity.getPartitionKey(), (String) p.get("incident_id"));
    link.state = TicketLink.State.parse((String) p.get("state")).orElse(null);
    link.claimId = (String) p.get("claim_id");
    link.claimedAt = instant(p.get("claimed_at"));
    link.lastSyncedAt = instant(p.get("last_synced_at"));
    link.lastInboundAt = instant(p.get("last_inbound_at"));
    link.lastInboundStatus =
        IncidentStatus.parse((String) p.get("last_inbound_status")).orElse(null);
    if (p.get("ticket_id") != null) {
      link.ticket =
          new TicketRef(
              link.system,
              (String) p.get("ticket_id"),
              (String) p.get("ticket_number"),
              (String) p.get("ticket_url"));
    }
    link.digests = read((String) p.get("digests"), DIGESTS, Map.of());
    link.copiedCommentIds = read((String) p.get("copied_comment_ids"), IDS, List.of());
    link.appliedTicketCommentIds =
        read((String) p.get("applied_ticket_comment_ids"), IDS, List.of());
    link.etag = entity.getETag();
    return link.build();
  }

  private static void put(TableEntity entity, String name, Object value) {
    if (value != null) {
      entity.addProperty(name, value);
    }
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }

  private static Instant instant(Object value) {
    if (value instanceof OffsetDateTime time) {
      return time.toInstant();
    }
    return value == null ? null : Instant.parse(value.toString());
  }

  private static String write(Object value) {
    try {
      return Json.MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Link state is always serialisable", e);
    }
  }

  private static <T> T read(String json, TypeReference<T> type, T fallback) {
    if (json == null || json.isEmpty()) {
      return fallback;
    }
    try {
      return Json.MAPPER.readValue(json, type);
    } catch (JsonProcessingException e) {
      // A row edited by hand: start over for this field rather than failing every sync of the
      // incident.
      return fallback;
    }
  }

  private static UpstreamException upstream(String what, RuntimeException e) {
    return UpstreamException.ofAzure(UPSTREAM, "Ticket links: " + what, e);
  }
}
