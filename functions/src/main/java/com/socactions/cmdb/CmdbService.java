package com.socactions.cmdb;

import com.socactions.blocking.CriticalAssets;
import com.socactions.blocking.CriticalAssets.CriticalAsset;
import com.socactions.indicators.Indicator;
import com.socactions.platform.ConfigurationException;
import com.socactions.platform.HtmlTable;
import com.socactions.platform.InvalidInputException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Asset and VIP lookups on the chosen CMDB provider (each behind a short per-key cache), with one
 * answer per key in order and a comment table; and the CMDB as the block guardrail's source of
 * critical assets.
 */
public final class CmdbService {
  private final Map<String, CmdbProvider> providers = new LinkedHashMap<>();
  private final String defaultProvider;

  /**
   * @param providers the providers by id, each already wrapped in its cache
   */
  public CmdbService(List<CmdbProvider> providers, String defaultProvider) {
    providers.forEach(provider -> this.providers.put(provider.id(), provider));
    this.defaultProvider = defaultProvider;
  }

  /** The answer of {@code LookupAssets}. */
  public record AssetLookup(List<AssetResult> assets, String commentHtml) {}

  /** The answer of {@code LookupAccounts}. */
  public record AccountLookup(List<AccountResult> accounts, String commentHtml) {}

  public AssetLookup lookupAssets(List<String> keys, Optional<String> provider) {
    List<AssetResult> results =
        provider(provider).lookupAssets(keys).stream().map(AssetResult::of).toList();
    HtmlTable table =
        new HtmlTable(
            "SOC Actions: assets",
            List.of(
                "Key",
                "Asset",
                "Class",
                "Environment",
                "Criticality",
                "HVA",
                "Owner",
                "Support group"));
    for (AssetResult result : results) {
      table.row(
          Arrays.asList(
              result.key(),
              result.found() ? result.name() : "not found",
              result.assetClass(),
              result.environment(),
              result.criticality() == null ? null : result.criticality().wireName(),
              Boolean.TRUE.equals(result.isHva()) ? "YES" : null,
              result.owner() == null ? null : result.owner().name(),
              result.supportGroup()));
    }
    return new AssetLookup(results, table.render());
  }

  public AccountLookup lookupAccounts(List<String> keys, Optional<String> provider) {
    List<AccountResult> results =
        provider(provider).lookupAccounts(keys).stream().map(AccountResult::of).toList();
    HtmlTable table =
        new HtmlTable(
            "SOC Actions: accounts", List.of("Account", "Name", "Title", "Department", "VIP"));
    for (AccountResult result : results) {
      table.row(
          Arrays.asList(
              result.key(),
              result.found() ? result.displayName() : "not found",
              result.title(),
              result.department(),
              Boolean.TRUE.equals(result.isVip()) ? "VIP" : null));
    }
    return new AccountLookup(results, table.render());
  }

  /**
   * The block guardrail's view: an address, a domain or a URL's host that the default CMDB marks
   * critical or high-value. Asked once per batch ({@link CriticalAssets#forBatch}). Fails closed:
   * when the CMDB cannot answer, the block is refused as a possible critical asset (a justified
   * override still lifts it), because blocking a domain controller is worse than a block that waits
   * for an analyst.
   */
  public CriticalAssets criticalAssets() {
    return new CriticalAssets() {
      @Override
      public Optional<CriticalAsset> find(Indicator indicator) {
        return forBatch(List.of(indicator)).find(indicator);
      }

      @Override
      public CriticalAssets forBatch(List<Indicator> indicators) {
        List<String> keys =
            indicators.stream()
                .map(CmdbService::keyOf)
                .flatMap(Optional::stream)
                .distinct()
                .toList();
        Map<String, Optional<CriticalAsset>> verdicts = new HashMap<>();
        if (!keys.isEmpty()) {
          try {
            for (AssetMatch match : provider(Optional.empty()).lookupAssets(keys)) {
              verdicts.put(match.key(), verdict(match));
            }
          } catch (RuntimeException e) {
            keys.forEach(
                key ->
                    verdicts.put(
                        key,
                        Optional.of(
                            new CriticalAsset(
                                key,
                                "the CMDB could not be asked ("
                                    + e.getMessage()
                                    + "), so it may be a critical asset"))));
          }
        }
        return indicator ->
            keyOf(indicator).flatMap(key -> verdicts.getOrDefault(key, Optional.empty()));
      }
    };
  }

  private static Optional<CriticalAsset> verdict(AssetMatch match) {
    if (match.error() != null) {
      return Optional.of(
          new CriticalAsset(
              match.key(), "the CMDB could not answer for it (" + match.error() + ")"));
    }
    return match.matches().stream()
        .filter(asset -> asset.isHva() || asset.criticality() == Criticality.CRITICAL)
        .findFirst()
        .map(asset -> new CriticalAsset(asset.name(), "the CMDB marks it " + whyCritical(asset)));
  }

  private static String whyCritical(Asset asset) {
    boolean critical = asset.criticality() == Criticality.CRITICAL;
    return (critical ? "critical" : "")
        + (critical && asset.isHva() ? " and " : "")
        + (asset.isHva() ? "a high-value asset" : "");
  }

  private static Optional<String> keyOf(Indicator indicator) {
    return switch (indicator.type()) {
      case IP, DOMAIN -> Optional.of(indicator.value());
      case URL -> indicator.host();
      default -> Optional.empty();
    };
  }

  private CmdbProvider provider(Optional<String> id) {
    String wanted = id.map(value -> value.toLowerCase(Locale.ROOT)).orElse(defaultProvider);
    CmdbProvider provider = providers.get(wanted);
    if (provider == null) {
      throw InvalidInputException.of(
          "provider", "'" + wanted + "' is not one of " + String.join(", ", providers.keySet()));
    }
    if (!provider.isConfigured()) {
      throw new ConfigurationException(
          null,
          "CMDB provider '"
              + provider.id()
              + "' is not configured: "
              + provider.readiness().detail());
    }
    return provider;
  }
}
