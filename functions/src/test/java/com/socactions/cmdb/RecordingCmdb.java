package com.socactions.cmdb;

import com.socactions.providers.Readiness;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A CMDB that knows a fixed set of names and records every batch it is asked; keys in {@code
 * failing} answer with an error, as an upstream that failed for one key would.
 */
final class RecordingCmdb implements CmdbProvider {
  private final Set<String> known;
  private final Set<String> failing;
  final List<List<String>> assetBatches = new ArrayList<>();
  final List<List<String>> accountBatches = new ArrayList<>();

  RecordingCmdb(Set<String> known, Set<String> failing) {
    this.known = known;
    this.failing = failing;
  }

  @Override
  public synchronized List<AssetMatch> lookupAssets(List<String> keys) {
    assetBatches.add(List.copyOf(keys));
    return keys.stream()
        .map(
            key ->
                failing.contains(key)
                    ? AssetMatch.failed(key, "upstream timed out")
                    : AssetMatch.of(key, isKnown(key) ? List.of(asset(key)) : List.of()))
        .toList();
  }

  @Override
  public synchronized List<AccountMatch> lookupAccounts(List<String> keys) {
    accountBatches.add(List.copyOf(keys));
    return keys.stream()
        .map(
            key ->
                AccountMatch.of(
                    key,
                    isKnown(key)
                        ? List.of(new Account(key, null, key, null, null, null, true, "recording"))
                        : List.of()))
        .toList();
  }

  private boolean isKnown(String key) {
    return known.contains(key.trim().toLowerCase(Locale.ROOT));
  }

  private static Asset asset(String key) {
    return new Asset(
        key.trim().toLowerCase(Locale.ROOT),
        null,
        List.of(),
        "server",
        "prod",
        Criticality.HIGH,
        false,
        null,
        null,
        null,
        null,
        null,
        "recording",
        null);
  }

  @Override
  public String id() {
    return "recording";
  }

  @Override
  public String displayName() {
    return "Recording CMDB";
  }

  @Override
  public String description() {
    return "Answers from a fixed set of names and records every batch.";
  }

  @Override
  public boolean isConfigured() {
    return true;
  }

  @Override
  public Readiness readiness() {
    return Readiness.ok("recording");
  }
}
