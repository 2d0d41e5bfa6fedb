package com.socactions.cmdb;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The answer for one key of {@code LookupAssets}: the best match's fields flat, as the contract
 * names them, and how many assets matched (all of them in {@code other_matches} past the first).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AssetResult(
    String key,
    boolean found,
    String name,
    String fqdn,
    List<String> ipAddresses,
    @JsonProperty("class") String assetClass,
    String environment,
    Criticality criticality,
    Boolean isHva,
    Owner owner,
    String supportGroup,
    String businessService,
    String location,
    String os,
    String source,
    String url,
    int matchCount,
    List<String> otherMatches,
    String error) {

  static AssetResult of(AssetMatch match) {
    if (match.matches().isEmpty()) {
      return new AssetResult(
          match.key(),
          false,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          0,
          null,
          match.error());
    }
    Asset best = match.matches().get(0);
    List<String> others = match.matches().stream().skip(1).map(Asset::name).toList();
    return new AssetResult(
        match.key(),
        true,
        best.name(),
        best.fqdn(),
        best.ipAddresses(),
        best.assetClass(),
        best.environment(),
        best.criticality(),
        best.isHva(),
        best.owner(),
        best.supportGroup(),
        best.businessService(),
        best.location(),
        best.os(),
        best.source(),
        best.url(),
        match.matches().size(),
        others.isEmpty() ? null : others,
        match.error());
  }
}
