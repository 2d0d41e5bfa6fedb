package com.socactions.taxii;

import com.socactions.ledger.BlockLedger;
import com.socactions.platform.NameBasedUuid;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The collections of the API root: one of every provider's blocks ({@value #ALL_ALIAS}) and one per
 * enforcement point, each read-only. A collection's id is fixed: the name-based UUID (version 5) of
 * {@code urn:soc-actions:taxii:collection:<alias>}, so it stays the same across deployments and can
 * be typed into Sentinel once. The alias (the provider id, or {@value #ALL_ALIAS}) names a
 * collection in URLs as well.
 */
public final class TaxiiCollections {
  /** The alias of the collection of every provider's blocks. */
  public static final String ALL_ALIAS = "all-blocks";

  /**
   * One collection.
   *
   * @param scope what it publishes: a provider id, or {@link BlockLedger#ALL_PROVIDERS}
   */
  public record Collection(
      String id, String alias, String title, String description, String scope) {}

  private final Map<String, Collection> byKey = new LinkedHashMap<>();
  private final List<Collection> all = new ArrayList<>();

  /**
   * @param providers the enforcement points, id to display name, in the order to list them
   */
  public TaxiiCollections(Map<String, String> providers) {
    add(
        new Collection(
            idOf(ALL_ALIAS),
            ALL_ALIAS,
            "All active blocks",
            "Every indicator SOC Actions playbooks blocked, on any enforcement point; revoked"
                + " when the block is lifted or expires.",
            BlockLedger.ALL_PROVIDERS));
    providers.forEach(
        (provider, name) ->
            add(
                new Collection(
                    idOf(provider),
                    provider,
                    "Blocks on " + name,
                    "Indicators SOC Actions playbooks blocked on "
                        + name
                        + " (provider "
                        + provider
                        + "); revoked when the block is lifted or expires.",
                    provider)));
  }

  private void add(Collection collection) {
    all.add(collection);
    byKey.put(collection.id(), collection);
    byKey.put(collection.alias(), collection);
  }

  /** The fixed id of the collection with this alias. */
  public static String idOf(String alias) {
    return NameBasedUuid.v5(
            NameBasedUuid.URL_NAMESPACE, "urn:soc-actions:taxii:collection:" + alias)
        .toString();
  }

  public List<Collection> list() {
    return List.copyOf(all);
  }

  /** The collection with this id or alias (ids in any case). */
  public Optional<Collection> find(String idOrAlias) {
    Collection found = byKey.get(idOrAlias);
    return found != null
        ? Optional.of(found)
        : Optional.ofNullable(byKey.get(idOrAlias.toLowerCase(java.util.Locale.ROOT)));
  }
}
