package com.socactions.enrichment.incident;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.socactions.cmdb.AssetResult;
import com.socactions.enrichment.AutonomousSystem;
import com.socactions.enrichment.DomainEnrichment;
import com.socactions.enrichment.GeoLocation;
import com.socactions.enrichment.WhoisNetwork;
import com.socactions.sentinel.IncidentSeverity;
import java.util.List;

/**
 * The answer of {@code EnrichIncident}: every distinct entity of the incident with what the lookups
 * found, what to do with the incident (tags to add, a severity), one comment, and the lookups that
 * did not answer.
 *
 * @param incidentId the incident's ARM resource id
 * @param severity the incident's severity as sent
 * @param tags tags to add, de-duplicated and sorted: {@code geo:<CC>}, {@code asset:critical},
 *     {@code vip}, {@code newly-registered-domain}
 * @param suggestedSeverity the severity the incident should have: raised to High when a critical or
 *     high-value asset or a VIP is involved, else the current one; never lower than the current one
 * @param severityReasons why the severity is suggested, one sentence each; empty when nothing
 *     raises it
 * @param warnings remarks on the answer as a whole (e.g. a stale GeoIP database)
 * @param errors one entry per lookup that failed or missed the deadline; the rest still answers
 */
public record IncidentEnrichment(
    String incidentId,
    Long incidentNumber,
    String title,
    IncidentSeverity severity,
    List<IpResult> ips,
    List<HostResult> hosts,
    List<AccountEntry> accounts,
    List<DomainResult> domains,
    List<UrlResult> urls,
    List<FileHashResult> fileHashes,
    List<String> tags,
    IncidentSeverity suggestedSeverity,
    List<String> severityReasons,
    Summary summary,
    List<String> warnings,
    String commentHtml,
    List<PartError> errors) {

  /**
   * An address of the incident.
   *
   * @param scope public, private, ... (see {@code EnrichIpAddresses}); null when not looked up
   * @param asset the CMDB's asset for the address; null when the CMDB was not asked
   * @param errors one sentence per lookup of this address that did not answer
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record IpResult(
      String ip,
      String scope,
      GeoLocation geo,
      AutonomousSystem asn,
      WhoisNetwork whois,
      AssetResult asset,
      List<String> errors) {}

  /**
   * A host of the incident.
   *
   * @param host its FQDN ({@code hostName.dnsDomain}), else its host or NetBIOS name
   * @param asset the CMDB's asset for it; null when the CMDB was not asked
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record HostResult(
      String host, String hostName, String dnsDomain, String netBiosName, AssetResult asset) {}

  /**
   * An account of the incident and what the CMDB holds for it.
   *
   * @param account the entity's display form: UPN, else {@code DOMAIN\name}, else the name
   * @param cmdbKey the form the CMDB matched, when it did
   * @param found whether the CMDB knows the account; null when the CMDB was not asked
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record AccountEntry(
      String account,
      String aadUserId,
      Boolean found,
      String cmdbKey,
      String userPrincipalName,
      String displayName,
      String department,
      String title,
      String manager,
      Boolean isVip,
      String source,
      String error) {}

  /** A DnsResolution domain and its registration (null when WHOIS was not asked for). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record DomainResult(String domain, DomainEnrichment registration) {}

  /**
   * A URL, its host, and the host's registration (null when the host is an address, WHOIS was not
   * asked for, or the URL cannot be parsed).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record UrlResult(String url, String domain, DomainEnrichment registration) {}

  /** A file hash of the incident, listed for the analyst (nothing looks it up). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record FileHashResult(String algorithm, String hashValue) {}

  /**
   * Counts.
   *
   * @param entities entities as sent
   * @param unenriched entities of kinds nothing looks up (File, Process, ...) or without the field
   *     their kind needs
   * @param criticalAssets distinct assets the CMDB marks critical or high-value
   * @param failedLookups entries in {@code errors}
   */
  public record Summary(
      int entities,
      int ips,
      int hosts,
      int accounts,
      int domains,
      int urls,
      int fileHashes,
      int unenriched,
      int criticalAssets,
      int vips,
      int newlyRegisteredDomains,
      int failedLookups) {}

  /**
   * A lookup that did not answer, e.g. {@code whois} after the deadline.
   *
   * @param lookup {@code geo}, {@code whois}, {@code domains}, {@code assets} or {@code accounts}
   */
  public record PartError(String lookup, String message) {}
}
