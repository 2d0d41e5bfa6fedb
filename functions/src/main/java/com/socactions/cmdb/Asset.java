package com.socactions.cmdb;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One configuration item as the connector answers it ({@code LookupAssets}); every field but {@code
 * name}, {@code ipAddresses}, {@code isHva} and {@code source} may be null when the CMDB does not
 * hold it.
 *
 * @param name the asset's name in the CMDB, e.g. {@code web01}
 * @param fqdn fully qualified host name, lower case, e.g. {@code web01.contoso.com}
 * @param ipAddresses canonical IP addresses (see {@code IpAddresses.canonical}); empty when none
 * @param assetClass the CMDB class, e.g. {@code server}, {@code workstation}; JSON {@code class}
 * @param environment e.g. {@code prod}, {@code test}, {@code dev}
 * @param isHva a high-value asset (tier 0, crown jewels): blocking it needs a justified override
 * @param source the provider that answered: {@code builtin}, {@code servicenow}
 * @param url where the asset is in the CMDB's own UI, when it has one
 */
public record Asset(
    String name,
    String fqdn,
    List<String> ipAddresses,
    @JsonProperty("class") String assetClass,
    String environment,
    Criticality criticality,
    boolean isHva,
    Owner owner,
    String supportGroup,
    String businessService,
    String location,
    String os,
    String source,
    String url) {

  public Asset {
    ipAddresses = ipAddresses == null ? List.of() : List.copyOf(ipAddresses);
  }
}
