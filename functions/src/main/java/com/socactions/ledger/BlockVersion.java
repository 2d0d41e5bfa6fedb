package com.socactions.ledger;

import com.socactions.indicators.IndicatorType;
import com.socactions.platform.NameBasedUuid;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One version of one block as the ledger publishes it (the TAXII server serves these as STIX
 * indicators). A block <em>episode</em> runs from the claim of a block that the provider confirmed
 * until it is lifted, expires or is replaced by an allow; every episode has its own {@link
 * #episodeId}, derived from provider, type, value and the episode's start, so a later block of the
 * same value is a new episode with a new id. Within an episode a version is published when it
 * starts, when its expiry moves (a confirmed extension) and when it ends ({@link #revoked}); each
 * has a later {@link #modified}. Only the latest version of an episode is kept.
 *
 * @param episodeId the episode's id: a name-based UUID (version 5), see {@link #episodeIdOf}
 * @param validFrom when the episode started (the claim of the block)
 * @param validUntil when the block lapses (its expiry); at most the end for a revoked version
 * @param modified when this version was recorded, strictly later than the previous version's
 * @param revoked the episode ended: lifted, expired, or replaced
 * @param ended how it ended ({@code lifted}, {@code expired}, {@code allowed}, {@code present}),
 *     null while it runs
 * @param reason, incidentId, requestedBy who blocked it and why, as the block's request said
 */
public record BlockVersion(
    UUID episodeId,
    String provider,
    IndicatorType type,
    String value,
    Instant validFrom,
    Instant validUntil,
    Instant modified,
    boolean revoked,
    String ended,
    String reason,
    String incidentId,
    String requestedBy) {

  /** The namespace of episode ids: the name-based UUID of {@code urn:soc-actions:block-episode}. */
  public static final UUID EPISODE_NAMESPACE =
      NameBasedUuid.v5(NameBasedUuid.URL_NAMESPACE, "urn:soc-actions:block-episode");

  public BlockVersion {
    Objects.requireNonNull(episodeId, "'episodeId' cannot be null.");
    Objects.requireNonNull(provider, "'provider' cannot be null.");
    Objects.requireNonNull(type, "'type' cannot be null.");
    Objects.requireNonNull(value, "'value' cannot be null.");
    Objects.requireNonNull(validFrom, "'validFrom' cannot be null.");
    Objects.requireNonNull(modified, "'modified' cannot be null.");
  }

  /** The next version of the same episode: same id, subject, start and requester. */
  BlockVersion successor(Instant until, Instant at, boolean isRevoked, String endedAs) {
    return new BlockVersion(
        episodeId,
        provider,
        type,
        value,
        validFrom,
        until,
        at,
        isRevoked,
        endedAs,
        reason,
        incidentId,
        requestedBy);
  }

  /**
   * The id of the episode of {@code value} on {@code provider} that started at {@code start}: a
   * version 5 UUID of {@code provider|type|value|start} (start as ISO-8601 UTC), in {@link
   * #EPISODE_NAMESPACE}. The same inputs always give the same id.
   */
  public static UUID episodeIdOf(String provider, IndicatorType type, String value, Instant start) {
    return NameBasedUuid.v5(
        EPISODE_NAMESPACE, provider + "|" + type.wireName() + "|" + value + "|" + start);
  }
}
