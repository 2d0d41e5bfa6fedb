package com.socactions.cmdb;

import static com.socactions.cmdb.CsvColumns.text;

import com.socactions.cmdb.CsvColumns.RowProblem;
import com.socactions.indicators.Cidr;
import com.socactions.indicators.DomainNames;
import com.socactions.indicators.IpAddresses;
import java.math.BigInteger;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Assets indexed for lookups by IP address, name and FQDN: built once per load, so a lookup is a
 * few map reads whatever the size of the file.
 *
 * <p>Matching: an IP address matches exactly (after normalisation, so {@code ::ffff:10.0.0.1} is
 * {@code 10.0.0.1}). A host name matches without regard to case or a trailing dot, best first: an
 * asset whose FQDN is the key, then one whose name is the key, then short-name matches: a short key
 * ({@code web01}) matches assets whose FQDN's first label it is, and an FQDN key ({@code
 * web01.contoso.com}) matches an asset named by its first label ({@code web01}) that has no FQDN of
 * its own (one that has a different FQDN is another machine of the same short name).
 *
 * <p>Containment keys ask what a block would cut off: a network ({@code 45.44.0.0/24}, host bits
 * allowed) matches every asset with an address in it; {@code *.contoso.com} matches every asset
 * whose FQDN or dotted name is under {@code contoso.com} (not {@code contoso.com} itself: ask for
 * that as a key of its own). Containment answers list critical and high-value assets first, then by
 * criticality and name. Both are range reads of sorted indexes, not scans.
 */
final class AssetIndex {
  /** The prefix of a key that asks for the subdomains of the rest: {@code *.contoso.com}. */
  static final String SUBDOMAINS = "*.";

  static final String NAME = "name";
  static final String FQDN = "fqdn";
  static final String IP_ADDRESSES = "ip_addresses";
  static final String CLASS = "class";
  static final String ENVIRONMENT = "environment";
  static final String CRITICALITY = "criticality";
  static final String IS_HVA = "is_hva";
  static final String OWNER_NAME = "owner_name";
  static final String OWNER_EMAIL = "owner_email";
  static final String SUPPORT_GROUP = "support_group";
  static final String BUSINESS_SERVICE = "business_service";
  static final String LOCATION = "location";
  static final String OS = "os";
  static final String URL = "url";
  static final Set<String> COLUMNS =
      Set.of(
          NAME,
          FQDN,
          IP_ADDRESSES,
          CLASS,
          ENVIRONMENT,
          CRITICALITY,
          IS_HVA,
          OWNER_NAME,
          OWNER_EMAIL,
          SUPPORT_GROUP,
          BUSINESS_SERVICE,
          LOCATION,
          OS,
          URL);

  private final List<Asset> assets;
  private final Map<String, List<Asset>> byIp = new HashMap<>();
  private final Map<String, List<Asset>> byFqdn = new HashMap<>();
  private final Map<String, List<Asset>> byName = new HashMap<>();

  /** Assets by the first label of their FQDN (or of a dotted name). */
  private final Map<String, List<Asset>> byFirstLabel = new HashMap<>();

  /** Assets by the number of each address, one map per family, for network ranges. */
  private final NavigableMap<BigInteger, List<Asset>> byIpv4Number = new TreeMap<>();

  private final NavigableMap<BigInteger, List<Asset>> byIpv6Number = new TreeMap<>();

  /**
   * Assets by FQDN and dotted name with the labels reversed ({@code com.contoso.web01}), so the
   * names under a domain are one range.
   */
  private final NavigableMap<String, List<Asset>> byReversedName = new TreeMap<>();

  /** Critical and high-value first, then by criticality (unknown last), then by name. */
  static final Comparator<Asset> MOST_CRITICAL_FIRST =
      Comparator.comparing((Asset asset) -> !(isCritical(asset)))
          .thenComparing(Asset::criticality, Comparator.nullsLast(Comparator.naturalOrder()))
          .thenComparing(Asset::name, String.CASE_INSENSITIVE_ORDER);

  AssetIndex(List<Asset> assets) {
    this.assets = List.copyOf(assets);
    for (Asset asset : this.assets) {
      asset.ipAddresses().forEach(ip -> add(byIp, ip, asset));
      for (String ip : asset.ipAddresses()) {
        InetAddress address = IpAddresses.parse(ip).orElseThrow();
        add(numbers(address), IpAddresses.toBigInteger(address), asset);
      }
      if (asset.fqdn() != null) {
        add(byFqdn, asset.fqdn(), asset);
        add(byFirstLabel, firstLabel(asset.fqdn()), asset);
        add(byReversedName, reversed(asset.fqdn()), asset);
      }
      String name = hostKey(asset.name());
      add(byName, name, asset);
      if (name.indexOf('.') > 0 && !name.equals(asset.fqdn())) {
        add(byFirstLabel, firstLabel(name), asset);
        add(byReversedName, reversed(name), asset);
      }
    }
  }

  /**
   * Whether the guardrails hold the asset critical: criticality critical, or a high-value asset.
   */
  static boolean isCritical(Asset asset) {
    return asset.isHva() || asset.criticality() == Criticality.CRITICAL;
  }

  /**
   * Reads assets from a table; rows that cannot be used are skipped and described in {@code
   * problems}.
   *
   * @throws CsvFormatException when the table has neither a {@code name} nor an {@code fqdn} column
   */
  static AssetIndex from(CsvTable table, String source, List<String> problems) {
    if (!table.hasColumn(NAME) && !table.hasColumn(FQDN)) {
      throw new CsvFormatException(
          1,
          1,
          "the header needs a 'name' or an 'fqdn' column (it has "
              + String.join(", ", table.columns())
              + ")");
    }
    return new AssetIndex(CsvColumns.readRows(table, row -> asset(row, source), problems));
  }

  private static Asset asset(CsvTable.Row row, String source) {
    Optional<String> fqdn = row.get(FQDN).map(AssetIndex::hostKey);
    String name =
        row.get(NAME)
            .or(() -> fqdn.map(AssetIndex::firstLabel))
            .orElseThrow(() -> RowProblem.ofRow(row, "has neither a name nor an fqdn"));
    List<String> ips = new ArrayList<>();
    for (String text : row.get(IP_ADDRESSES).map(t -> t.split("[;,\\s]+")).orElse(new String[0])) {
      if (text.isEmpty()) {
        continue; // a leading or trailing separator, as spreadsheets leave them
      }
      InetAddress address =
          IpAddresses.parse(text)
              .orElseThrow(
                  () -> RowProblem.at(row, IP_ADDRESSES, "'" + text + "' is not an IP address"));
      ips.add(IpAddresses.canonical(address));
    }
    Criticality criticality =
        row.get(CRITICALITY)
            .map(
                text ->
                    Criticality.parse(text)
                        .orElseThrow(
                            () ->
                                RowProblem.at(
                                    row,
                                    CRITICALITY,
                                    "'" + text + "' is not one of critical, high, medium, low")))
            .orElse(null);
    Optional<String> ownerName = row.get(OWNER_NAME);
    Optional<String> ownerEmail = row.get(OWNER_EMAIL);
    Owner owner =
        ownerName.isPresent() || ownerEmail.isPresent()
            ? new Owner(ownerName.orElse(null), ownerEmail.orElse(null))
            : null;
    return new Asset(
        name,
        fqdn.orElse(null),
        ips,
        text(row, CLASS),
        text(row, ENVIRONMENT),
        criticality,
        CsvColumns.flag(row, IS_HVA),
        owner,
        text(row, SUPPORT_GROUP),
        text(row, BUSINESS_SERVICE),
        text(row, LOCATION),
        text(row, OS),
        source,
        text(row, URL));
  }

  int size() {
    return assets.size();
  }

  /** Every asset matching {@code key}, best first; empty for a key that matches nothing. */
  List<Asset> find(String key) {
    if (key == null || key.isBlank()) {
      return List.of();
    }
    Optional<Cidr> network = network(key);
    if (network.isPresent()) {
      return within(network.get());
    }
    if (key.strip().startsWith(SUBDOMAINS)) {
      return under(hostKey(key.strip().substring(SUBDOMAINS.length())));
    }
    Optional<InetAddress> address = IpAddresses.parse(key);
    if (address.isPresent()) {
      return byIp.getOrDefault(IpAddresses.canonical(address.get()), List.of());
    }
    String host = hostKey(key);
    // A set: an asset both named and FQDN'd by the key is one match, kept at its best rank.
    Set<Asset> found = new LinkedHashSet<>();
    found.addAll(byFqdn.getOrDefault(host, List.of()));
    found.addAll(byName.getOrDefault(host, List.of()));
    if (host.indexOf('.') < 0) {
      found.addAll(byFirstLabel.getOrDefault(host, List.of()));
    } else {
      for (Asset asset : byName.getOrDefault(firstLabel(host), List.of())) {
        if (asset.fqdn() == null) {
          found.add(asset);
        }
      }
    }
    return List.copyOf(found);
  }

  /** The assets with an address in {@code network}, most critical first. */
  private List<Asset> within(Cidr network) {
    NavigableMap<BigInteger, List<Asset>> numbers = network.isIpv4() ? byIpv4Number : byIpv6Number;
    return mostCriticalFirst(numbers.subMap(network.first(), true, network.last(), true).values());
  }

  /** The assets named under {@code domain} (not {@code domain} itself), most critical first. */
  private List<Asset> under(String domain) {
    if (domain.isEmpty()) {
      return List.of();
    }
    String from = reversed(domain) + ".";
    // '/' sorts right after '.', and no host name holds one: the range is every name below.
    String to = reversed(domain) + "/";
    return mostCriticalFirst(byReversedName.subMap(from, true, to, false).values());
  }

  private static List<Asset> mostCriticalFirst(Collection<List<Asset>> found) {
    Set<Asset> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
    found.forEach(distinct::addAll);
    List<Asset> sorted = new ArrayList<>(distinct);
    sorted.sort(MOST_CRITICAL_FIRST);
    return List.copyOf(sorted);
  }

  /**
   * The network a key names, {@code address/prefix} with host bits allowed ({@code 45.44.0.7/24} is
   * {@code 45.44.0.0/24}); empty for any other key.
   */
  static Optional<Cidr> network(String key) {
    return Cidr.parseAllowingHostBits(key.strip());
  }

  /**
   * A host name as it is compared: lower case, no surrounding blanks, Unicode full stops as dots,
   * no trailing dot.
   */
  static String hostKey(String host) {
    String key = DomainNames.withAsciiDots(host.trim()).toLowerCase(Locale.ROOT);
    return key.endsWith(".") ? key.substring(0, key.length() - 1) : key;
  }

  /** {@code web01.contoso.com} -> {@code com.contoso.web01}. */
  private static String reversed(String host) {
    List<String> labels = new ArrayList<>(Arrays.asList(host.split("\\.", -1)));
    Collections.reverse(labels);
    return String.join(".", labels);
  }

  private NavigableMap<BigInteger, List<Asset>> numbers(InetAddress address) {
    return IpAddresses.bitsOf(address) == 32 ? byIpv4Number : byIpv6Number;
  }

  private static String firstLabel(String host) {
    int dot = host.indexOf('.');
    return dot < 0 ? host : host.substring(0, dot);
  }

  private static <K> void add(Map<K, List<Asset>> index, K key, Asset asset) {
    List<Asset> assets = index.computeIfAbsent(key, k -> new ArrayList<>(1));
    // By identity: an asset that lists one address twice is one match; two equal rows are two.
    if (assets.stream().noneMatch(listed -> listed == asset)) {
      assets.add(asset);
    }
  }
}
