package com.socactions.cmdb;

import com.socactions.cmdb.CriticalAssets.CriticalAsset;
import com.socactions.indicators.Cidr;
import com.socactions.indicators.DomainNames;
import com.socactions.indicators.Indicator;
import com.socactions.indicators.IpAddresses;
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
import java.util.stream.Stream;

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
   * The block guardrail's view: the critical or high-value assets of the default CMDB that a block
   * would cut off: an address or a URL's host that is one, a network that holds one of its
   * addresses, a domain that is one or a parent of its name. Asked once per batch ({@link
   * CriticalAssets#forBatch}) in one provider lookup: each address, network and URL host as a key,
   * each domain as itself and as {@code *.domain}. Fails closed: when the CMDB cannot answer, or
   * answers only in part and names no critical asset, the block is refused as a possible critical
   * asset (a justified override still lifts it), because blocking a domain controller is worse than
   * a block that waits for an analyst.
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
            indicators.stream().map(CmdbService::keysOf).flatMap(List::stream).distinct().toList();
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
            keysOf(indicator).stream()
                .map(key -> verdicts.getOrDefault(key, Optional.empty()))
                .flatMap(Optional::stream)
                .findFirst();
      }
    };
  }

  /**
   * The first critical match, saying which of its addresses or names a containment key covers;
   * else, when the CMDB could not answer in full, a possible critical asset.
   */
  private static Optional<CriticalAsset> verdict(AssetMatch match) {
    Optional<CriticalAsset> critical =
        match.matches().stream()
            .filter(AssetIndex::isCritical)
            .findFirst()
            .map(
                asset ->
                    new CriticalAsset(
                        asset.name(),
                        "the CMDB marks it " + whyCritical(asset),
                        covered(match.key(), asset)));
    if (critical.isPresent() || match.error() == null) {
      return critical;
    }
    return Optional.of(
        new CriticalAsset(
            match.key(),
            "the CMDB could not answer for it in full ("
                + match.error()
                + "), so it may hold a critical asset"));
  }

  /**
   * For a containment key, the asset's address in the network or name under the domain; null for an
   * exact key.
   */
  private static String covered(String key, Asset asset) {
    Optional<Cidr> network = AssetIndex.network(key);
    if (network.isPresent()) {
      return asset.ipAddresses().stream()
          .filter(ip -> IpAddresses.parse(ip).map(network.get()::contains).orElse(false))
          .findFirst()
          .orElse(null);
    }
    if (key.startsWith(AssetIndex.SUBDOMAINS)) {
      String domain = key.substring(AssetIndex.SUBDOMAINS.length());
      return Stream.of(asset.fqdn(), AssetIndex.hostKey(asset.name()))
          .filter(name -> name != null && DomainNames.isWithin(name, domain))
          .findFirst()
          .orElse(null);
    }
    return null;
  }

  private static String whyCritical(Asset asset) {
    boolean critical = asset.criticality() == Criticality.CRITICAL;
    return (critical ? "critical" : "")
        + (critical && asset.isHva() ? " and " : "")
        + (asset.isHva() ? "a high-value asset" : "");
  }

  /**
   * What to ask the CMDB about an indicator: an address, a network or a URL's host as itself (a URL
   * blocks only its own host); a domain as itself and as {@code *.domain}, its subdomains, which
   * blocking it blocks too. A public suffix or an internal name is not asked for its subdomains:
   * the guardrails refuse it on their own, and {@code *.com} would read every CI of the CMDB.
   */
  private static List<String> keysOf(Indicator indicator) {
    return switch (indicator.type()) {
      case IP, CIDR -> List.of(indicator.value());
      case DOMAIN ->
          DomainNames.isPublicSuffix(indicator.value())
                  || DomainNames.internalName(indicator.value()).isPresent()
              ? List.of(indicator.value())
              : List.of(indicator.value(), AssetIndex.SUBDOMAINS + indicator.value());
      case URL -> indicator.host().stream().toList();
      default -> List.of();
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
