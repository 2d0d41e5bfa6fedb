package com.socactions.cmdb;

import java.util.List;

/**
 * What a CMDB found for one key of a {@code LookupAssets} batch.
 *
 * @param key the key as the caller gave it
 * @param found whether anything matched
 * @param matches every asset that matched, best first (exact FQDN, then exact name, then a
 *     short-name match); empty when nothing did or the lookup failed
 * @param error why this key could not be looked up (the CMDB failed for it); null otherwise
 */
public record AssetMatch(String key, boolean found, List<Asset> matches, String error) {

  public AssetMatch {
    matches = List.copyOf(matches);
  }

  /** The answer for {@code key}: found when {@code matches} is not empty. */
  public static AssetMatch of(String key, List<Asset> matches) {
    return new AssetMatch(key, !matches.isEmpty(), matches, null);
  }

  /** The answer for a key the CMDB could not look up; {@code why} must not hold a secret. */
  public static AssetMatch failed(String key, String why) {
    return new AssetMatch(key, false, List.of(), why);
  }

  /**
   * The same answer for another spelling of the key (a cache hit for {@code WEB01} on {@code
   * web01}).
   */
  public AssetMatch withKey(String otherKey) {
    return new AssetMatch(otherKey, found, matches, error);
  }
}
