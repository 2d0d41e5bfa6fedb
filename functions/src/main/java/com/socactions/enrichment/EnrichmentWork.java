package com.socactions.enrichment;

import com.socactions.indicators.IpAddresses;
import com.socactions.jobs.BatchWork;
import com.socactions.jobs.JobWork;
import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * EnrichIpAddresses and EnrichDomains as {@link JobWork}: chunks of items, each the service call
 * the synchronous path makes, and the model of what a chunk costs before any has been observed
 * (RDAP's pacing with usual latencies; replaced by what this instance observes, see {@link
 * com.socactions.jobs.WorkRates}).
 */
public final class EnrichmentWork {
  /** Items a chunk when RDAP is asked (about ten seconds at ten calls a second). */
  public static final int RDAP_CHUNK = 100;

  /** One RDAP lookup, 8 side by side and 10 a second per registry. */
  static final Duration RDAP_PER_ITEM = Duration.ofMillis(100);

  /** A GeoIP lookup in memory. */
  static final Duration GEOIP_PER_ITEM = Duration.ofNanos(20_000);

  private EnrichmentWork() {}

  /**
   * EnrichIpAddresses.
   *
   * @param geoIpChunk addresses a chunk when RDAP is not asked (GeoIP alone is fast: the most a
   *     call takes)
   */
  public static JobWork<?> ips(
      List<String> ips, Set<Lookup> lookups, EnrichmentService service, int geoIpChunk) {
    boolean whois = lookups.contains(Lookup.WHOIS);
    // One RDAP answer covers a whole network: a batch costs its networks, not its addresses. The
    // model counts /16 (IPv4) and /32 (IPv6) networks; a batch spread over smaller allocations
    // shows its real pace in its first chunk, and the rest goes to a job if that is too slow.
    double lookupsPerItem = whois ? (double) publicNetworks(ips) / ips.size() : 0;
    return new BatchWork<>(
        new BatchWork.Spec<IpEnrichmentResponse, IpEnrichment>(
            "EnrichIpAddresses",
            "EnrichIpAddresses" + (whois ? "/whois" : ""),
            whois ? RDAP_CHUNK : geoIpChunk,
            null,
            items -> service.enrichIps(items, lookups),
            IpEnrichmentResponse::results,
            (all, ran) ->
                EnrichmentService.ipResponse(
                    all,
                    ran.isEmpty() ? List.of() : ran.get(ran.size() - 1).databases(),
                    ran.isEmpty() ? List.of() : ran.get(ran.size() - 1).warnings()),
            (input, failure) ->
                new IpEnrichment(
                    input, input, LookupStatus.FAILED, null, null, null, null, List.of(failure)),
            IpEnrichmentResponse.class,
            items ->
                GEOIP_PER_ITEM
                    .multipliedBy(items)
                    .plus(RDAP_PER_ITEM.multipliedBy((long) Math.ceil(items * lookupsPerItem)))),
        ips);
  }

  /** Distinct /16 (IPv4) and /32 (IPv6) networks of the public addresses among {@code ips}. */
  private static long publicNetworks(List<String> ips) {
    Set<String> networks = new HashSet<>();
    for (String ip : ips) {
      IpAddresses.parse(ip)
          .filter(address -> IpAddresses.scopeOf(address).isPublic())
          .ifPresent(
              address -> {
                byte[] bytes = address.getAddress();
                networks.add(HexFormat.of().formatHex(bytes, 0, bytes.length == 4 ? 2 : 4));
              });
    }
    return networks.size();
  }

  /** EnrichDomains. */
  public static JobWork<?> domains(List<String> domains, EnrichmentService service) {
    return new BatchWork<>(
        new BatchWork.Spec<DomainEnrichmentResponse, DomainEnrichment>(
            "EnrichDomains",
            "EnrichDomains",
            RDAP_CHUNK,
            null,
            service::enrichDomains,
            DomainEnrichmentResponse::results,
            (all, ran) -> EnrichmentService.domainResponse(all),
            (input, failure) ->
                new DomainEnrichment(
                    null,
                    input,
                    null,
                    LookupStatus.FAILED,
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
                    List.of(failure)),
            DomainEnrichmentResponse.class,
            RDAP_PER_ITEM::multipliedBy),
        domains);
  }
}
