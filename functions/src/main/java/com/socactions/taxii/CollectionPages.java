package com.socactions.taxii;

import com.socactions.ledger.BlockLedger;
import com.socactions.ledger.BlockVersion;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Pages of one collection: the block versions the ledger published for its scope, in the order they
 * were added, and the connector's identity, which every collection holds (added at {@link
 * StixObjects#IDENTITY_CREATED}, so it comes first). A page is one range query of the ledger's
 * publication index, or one point read per id for {@code match[id]}.
 */
final class CollectionPages {
  private static final String IDENTITY_UUID =
      StixObjects.IDENTITY_ID.substring(StixObjects.IDENTITY.length() + 2);

  /** One object of a collection, where it stands, and when it was added. */
  record Entry(String position, Instant dateAdded, String id, Instant modified, Object object) {}

  /**
   * A page: the entries to serve, and when more follow the position of the last one looked at
   * (filters may have left some out of the page).
   */
  record Page(List<Entry> entries, String nextPosition) {
    boolean more() {
      return nextPosition != null;
    }
  }

  private final Supplier<BlockLedger> ledger;

  CollectionPages(Supplier<BlockLedger> ledger) {
    this.ledger = ledger;
  }

  /**
   * The objects of {@code collection} that {@code query} asks for, after {@code afterPosition}
   * (null: from the start), added at or before {@code until}.
   */
  Page page(
      TaxiiCollections.Collection collection,
      TaxiiQuery query,
      String afterPosition,
      Instant until) {
    List<Entry> candidates = new ArrayList<>();
    if (query.ids() != null) {
      for (String id : query.ids()) {
        find(collection, id, until)
            .filter(entry -> inRange(entry, afterPosition, query.addedAfter()))
            .ifPresent(candidates::add);
      }
      candidates.removeIf(entry -> !query.admitsType(typeOf(entry.id())));
    } else if (query.admitsSpec21()) {
      if (query.admitsType(StixObjects.INDICATOR)) {
        for (BlockLedger.Published published :
            ledger
                .get()
                .published(
                    collection.scope(),
                    afterPosition,
                    query.addedAfter(),
                    until,
                    query.limit() + 1)) {
          candidates.add(entry(published));
        }
      }
      Entry identity = identity();
      if (query.admitsType(StixObjects.IDENTITY)
          && !identity.dateAdded().isAfter(until)
          && inRange(identity, afterPosition, query.addedAfter())) {
        candidates.add(identity);
      }
    }
    candidates.sort(Comparator.comparing(Entry::position));
    List<Entry> examined = candidates.subList(0, Math.min(candidates.size(), query.limit()));
    List<Entry> served =
        examined.stream()
            .filter(entry -> query.admitsSpec21() && query.admitsVersion(entry.modified()))
            .toList();
    String next =
        candidates.size() > query.limit() ? examined.get(examined.size() - 1).position() : null;
    return new Page(served, next);
  }

  /** The object with STIX id {@code id} in {@code collection}, if it holds it by {@code until}. */
  Optional<Entry> find(TaxiiCollections.Collection collection, String id, Instant until) {
    if (id.equals(StixObjects.IDENTITY_ID)) {
      return Optional.of(identity());
    }
    String prefix = StixObjects.INDICATOR + "--";
    if (!id.startsWith(prefix)) {
      return Optional.empty();
    }
    UUID episode;
    try {
      episode = UUID.fromString(id.substring(prefix.length()));
    } catch (IllegalArgumentException notAUuid) {
      return Optional.empty();
    }
    return ledger
        .get()
        .publishedVersion(episode)
        .filter(published -> !published.dateAdded().isAfter(until))
        .filter(
            published ->
                collection.scope().equals(BlockLedger.ALL_PROVIDERS)
                    || collection.scope().equals(published.version().provider()))
        .map(CollectionPages::entry);
  }

  private static boolean inRange(Entry entry, String afterPosition, Instant addedAfter) {
    return (afterPosition == null || entry.position().compareTo(afterPosition) > 0)
        && (addedAfter == null || entry.dateAdded().isAfter(addedAfter));
  }

  private static String typeOf(String id) {
    return id.substring(0, id.indexOf("--"));
  }

  private static Entry entry(BlockLedger.Published published) {
    BlockVersion version = published.version();
    return new Entry(
        published.position(),
        published.dateAdded(),
        StixObjects.indicatorId(version.episodeId()),
        version.modified(),
        StixObjects.indicator(version));
  }

  private static Entry identity() {
    return new Entry(
        BlockLedger.positionOf(StixObjects.IDENTITY_CREATED, UUID.fromString(IDENTITY_UUID)),
        StixObjects.IDENTITY_CREATED,
        StixObjects.IDENTITY_ID,
        StixObjects.IDENTITY_CREATED,
        StixObjects.identity());
  }
}
