package com.socactions.enrichment.incident;

import com.socactions.indicators.IndicatorType;
import com.socactions.indicators.Indicators;
import com.socactions.indicators.IpAddresses;
import com.socactions.indicators.ParseResult;
import com.socactions.sentinel.IncidentEntity;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The lookup keys in an incident's entities, each once: entities repeat (the same address in three
 * alerts), and an address given in two spellings is one address.
 *
 * @param ips canonical addresses (Ip entities, and URL hosts that are addresses); inputs that are
 *     not addresses are kept as sent and answer {@code invalid}
 * @param hosts Host entities by FQDN ({@code hostName.dnsDomain}), else host name, else NetBIOS
 *     name
 * @param accounts Account entities with the keys a CMDB may know them by
 * @param domains DnsResolution domains, lower case
 * @param urls Url entities with their hosts
 * @param fileHashes FileHash entities (listed; nothing looks hashes up)
 * @param unenriched entities of other kinds (File, Process, Mailbox, ...) and entities without the
 *     field their kind needs
 */
record IncidentEntities(
    List<String> ips,
    List<HostKey> hosts,
    List<AccountKey> accounts,
    List<String> domains,
    List<UrlKey> urls,
    List<FileHashKey> fileHashes,
    int unenriched) {

  /** A host: the name shown and the name the CMDB is asked for. */
  record HostKey(String host, String hostName, String dnsDomain, String netBiosName) {}

  /**
   * An account: its display form (UPN, else {@code DOMAIN\name}, else the name, else the Entra
   * object id) and every form the CMDB may match, best first.
   */
  record AccountKey(String account, String aadUserId, List<String> candidates) {}

  /** A URL and its host (a domain or an address), null when the URL cannot be parsed. */
  record UrlKey(String url, String host) {}

  record FileHashKey(String algorithm, String value) {}

  /** Every distinct key of these entities, in the order they first appear. */
  static IncidentEntities of(List<IncidentEntity> entities) {
    Map<String, String> ips = new LinkedHashMap<>();
    Map<String, HostKey> hosts = new LinkedHashMap<>();
    Map<String, AccountKey> accounts = new LinkedHashMap<>();
    Set<String> domains = new LinkedHashSet<>();
    Map<String, UrlKey> urls = new LinkedHashMap<>();
    Map<String, FileHashKey> hashes = new LinkedHashMap<>();
    int unenriched = 0;
    for (IncidentEntity entity : entities) {
      boolean used =
          switch (entity.kind().toLowerCase(Locale.ROOT)) {
            case "ip" -> entity.text("address").map(address -> addIp(ips, address)).isPresent();
            case "host" -> putOnce(hosts, host(entity), HostKey::host);
            case "account" -> putOnce(accounts, account(entity), AccountKey::account);
            case "url" -> entity.text("url").map(url -> addUrl(urls, ips, url)).isPresent();
            case "dnsresolution", "dns" ->
                entity
                    .text("domainName")
                    .map(domain -> domains.add(normalDomain(domain)))
                    .isPresent();
            case "filehash" -> putOnce(hashes, fileHash(entity), FileHashKey::value);
            default -> false;
          };
      if (!used) {
        unenriched++;
      }
    }
    return new IncidentEntities(
        List.copyOf(ips.values()),
        List.copyOf(hosts.values()),
        List.copyOf(accounts.values()),
        List.copyOf(domains),
        List.copyOf(urls.values()),
        List.copyOf(hashes.values()),
        unenriched);
  }

  /**
   * The names the domain lookups need: DnsResolution domains and the hosts of URLs that are not
   * addresses.
   */
  List<String> domainNames() {
    Set<String> names = new LinkedHashSet<>(domains);
    urls.stream()
        .map(UrlKey::host)
        .filter(host -> host != null && IpAddresses.parse(host).isEmpty())
        .forEach(names::add);
    return List.copyOf(names);
  }

  /** The keys the asset lookup needs: addresses, then hosts. */
  List<String> assetKeys() {
    Set<String> keys = new LinkedHashSet<>(ips);
    hosts.forEach(host -> keys.add(host.host()));
    return List.copyOf(keys);
  }

  /** Every account key to ask the CMDB for, each once. */
  List<String> accountKeys() {
    Set<String> keys = new LinkedHashSet<>();
    accounts.forEach(account -> keys.addAll(account.candidates()));
    return List.copyOf(keys);
  }

  int distinctCount() {
    return ips.size()
        + hosts.size()
        + accounts.size()
        + domains.size()
        + urls.size()
        + fileHashes.size();
  }

  /** Keeps the first key per lower-case name; true when the entity had one. */
  private static <T> boolean putOnce(
      Map<String, T> keys, Optional<T> key, Function<T, String> name) {
    key.ifPresent(value -> keys.putIfAbsent(name.apply(value).toLowerCase(Locale.ROOT), value));
    return key.isPresent();
  }

  private static Optional<FileHashKey> fileHash(IncidentEntity entity) {
    // Alert entities call the hash "Value"; the incident API calls it "hashValue".
    return entity
        .text("hashValue")
        .or(() -> entity.text("value"))
        .map(
            value ->
                new FileHashKey(
                    entity.text("algorithm").orElse(null), value.toLowerCase(Locale.ROOT)));
  }

  private static String addIp(Map<String, String> ips, String address) {
    Optional<InetAddress> parsed = IpAddresses.parse(address);
    String key = parsed.map(IpAddresses::canonical).orElse(address);
    ips.putIfAbsent(key.toLowerCase(Locale.ROOT), key);
    return key;
  }

  private static String addUrl(Map<String, UrlKey> urls, Map<String, String> ips, String url) {
    String host = null;
    ParseResult parsed = Indicators.parse(url);
    if (parsed instanceof ParseResult.Parsed valid
        && valid.indicator().type() == IndicatorType.URL) {
      host = valid.indicator().host().orElse(null);
    }
    if (host != null && IpAddresses.parse(host).isPresent()) {
      host = addIp(ips, host);
    }
    urls.putIfAbsent(url, new UrlKey(url, host));
    return url;
  }

  private static Optional<HostKey> host(IncidentEntity entity) {
    Optional<String> hostName = entity.text("hostName");
    Optional<String> dnsDomain = entity.text("dnsDomain");
    Optional<String> netBios = entity.text("netBiosName");
    Optional<String> shown =
        hostName
            .map(
                name ->
                    name.contains(".") || dnsDomain.isEmpty() ? name : name + "." + dnsDomain.get())
            .or(() -> netBios);
    return shown.map(
        name ->
            new HostKey(
                normalDomain(name),
                hostName.orElse(null),
                dnsDomain.orElse(null),
                netBios.orElse(null)));
  }

  private static Optional<AccountKey> account(IncidentEntity entity) {
    Optional<String> name = entity.text("accountName").or(() -> entity.text("name"));
    Optional<String> suffix = entity.text("upnSuffix");
    Optional<String> domain = entity.text("ntDomain");
    Optional<String> aadUserId = entity.text("aadUserId");
    List<String> candidates = new ArrayList<>(4);
    entity.text("userPrincipalName").ifPresent(candidates::add);
    name.filter(n -> n.contains("@")).ifPresent(candidates::add);
    name.filter(n -> !n.contains("@"))
        .flatMap(n -> suffix.map(s -> n + "@" + s))
        .ifPresent(candidates::add);
    name.filter(n -> !n.contains("@") && !n.contains("\\"))
        .flatMap(n -> domain.map(d -> d + "\\" + n))
        .ifPresent(candidates::add);
    name.filter(n -> !n.contains("@")).ifPresent(candidates::add);
    aadUserId.ifPresent(candidates::add);
    List<String> distinct = candidates.stream().distinct().toList();
    if (distinct.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new AccountKey(distinct.get(0), aadUserId.orElse(null), distinct));
  }

  private static String normalDomain(String name) {
    String lower = name.trim().toLowerCase(Locale.ROOT);
    return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
  }
}
