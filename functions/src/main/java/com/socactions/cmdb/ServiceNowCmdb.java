package com.socactions.cmdb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.base.Suppliers;
import com.google.common.collect.Lists;
import com.socactions.indicators.Cidr;
import com.socactions.indicators.IpAddresses;
import com.socactions.platform.ConfigurationException;
import com.socactions.platform.RequestLog;
import com.socactions.platform.UpstreamException;
import com.socactions.providers.Readiness;
import com.socactions.servicenow.EncodedQuery;
import com.socactions.servicenow.ServiceNowModule;
import com.socactions.servicenow.ServiceNowSettings;
import com.socactions.servicenow.ServiceNowTableClient;
import com.socactions.servicenow.ServiceNowTableClient.DisplayValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import okhttp3.HttpUrl;

/**
 * The ServiceNow CMDB (provider {@code servicenow}), available once {@link ServiceNowSettings} are
 * set: assets from {@code cmdb_ci} and its subclasses ({@code cmdb_ci_server}, {@code
 * cmdb_ci_computer}, ...), accounts from {@code sys_user}, over the Table API.
 *
 * <p><b>Cost.</b> A batch costs one query per {@link #DEFAULT_KEYS_PER_QUERY} keys (an {@code IN}
 * on {@code ip_address}, {@code name} and {@code fqdn}, or on {@code user_name} and {@code email}),
 * fewer keys when their query would pass {@link #DEFAULT_MAX_QUERY_LENGTH} URL-encoded characters,
 * with {@code sysparm_fields} naming only the mapped columns, plus a page per {@link
 * ServiceNowTableClient#DEFAULT_PAGE_SIZE} rows: 100 keys cost two calls. Keys are data: {@link
 * EncodedQuery} leaves out any key that could change the query, so such a key matches nothing.
 *
 * <p><b>Containment keys</b> (what a block would cut off, see {@link AssetIndex}) ride in the same
 * query: a network as {@code ip_addressSTARTSWITH} on its octet-aligned prefixes ({@link
 * #addressPrefixes}), {@code *.contoso.com} as {@code fqdnENDSWITH.contoso.com^ORnameENDSWITH
 * .contoso.com}; the rows are checked exactly against the network or domain. When more rows match
 * than one page holds, every key of that query is answered with what was found and an {@code error}
 * saying the answer may be incomplete. Addresses stored with leading zeros or IPv6 written other
 * than as RFC 5952 text are not found by a network key.
 *
 * <p><b>Matching</b> is the built-in CMDB's ({@link AssetIndex}): IP exact, host names without
 * case, a short name against an FQDN's first label; best first. The query asks for the first label
 * of an FQDN key as a {@code name} too, so a CI named {@code web01} is found for {@code
 * web01.contoso.com}; a short key finds CIs whose {@code name} is that short name (what Discovery
 * writes). Accounts match a key without case on {@code user_name} or {@code email}; a {@code
 * DOMAIN\name} key on {@code user_name}; {@code name@domain} also on a {@code user_name} of {@code
 * name} whose e-mail is at {@code domain}.
 *
 * <p><b>Field mapping</b> ({@value #FIELD_MAP_SETTING}): {@code contract_field=servicenow_field}
 * pairs separated by commas, over the defaults {@link #DEFAULT_FIELD_MAP}; dot-walks such as {@code
 * owned_by.email} are allowed, an empty right side unmaps the field. Contract fields: {@code
 * criticality} (ServiceNow's {@code busines_criticality} "1 - most critical" .. "4 - not critical",
 * a leading 1-4, or critical/high/medium/low), {@code is_hva} (true/1/yes), {@code owner_name} (a
 * reference's display value), {@code owner_email}, {@code support_group}, {@code business_service},
 * {@code location}, {@code os}, {@code class}, {@code environment}.
 *
 * <p><b>Failures.</b> One key never fails the batch. When ServiceNow fails for one query of a
 * batch, its keys are answered with an {@code error} (which {@link CachingCmdb} does not cache) and
 * the other queries' keys are answered; when every query failed, the {@link UpstreamException} is
 * thrown (401 names the credential settings; 429/503 carry {@code Retry-After}). Settings that are
 * missing or malformed throw {@link ConfigurationException} naming the setting.
 */
public final class ServiceNowCmdb implements CmdbProvider {
  public static final String ID = "servicenow";
  public static final String SOURCE = "servicenow";
  public static final String FIELD_MAP_SETTING = "SERVICENOW_CMDB_FIELD_MAP";
  public static final String READINESS_TIMEOUT_SETTING = "SERVICENOW_READINESS_TIMEOUT";

  /**
   * Keys per query: keeps the URL of a query on three fields well under the 8 KB that proxies
   * accept.
   */
  public static final int DEFAULT_KEYS_PER_QUERY = 50;

  /**
   * Longest {@code sysparm_query} sent, in URL-encoded characters: with the instance, the table and
   * the other parameters, the request line stays under the 8 KB that proxies and the instance's
   * front end accept.
   */
  public static final int DEFAULT_MAX_QUERY_LENGTH = 6_000;

  /** {@code STARTSWITH} prefixes asked for one network at most (see {@link #addressPrefixes}). */
  static final int MAX_PREFIXES_PER_NETWORK = 8;

  /** Rows read per query at most: one page; a key that matches more is a query nobody meant. */
  public static final int DEFAULT_MAX_ROWS_PER_QUERY = ServiceNowTableClient.DEFAULT_PAGE_SIZE;

  /**
   * Health must answer within a few seconds even when the instance hangs: one attempt, this long.
   */
  public static final Duration DEFAULT_READINESS_TIMEOUT = Duration.ofSeconds(5);

  /** Contract field to ServiceNow column, as the out-of-the-box CMDB names them. */
  public static final Map<String, String> DEFAULT_FIELD_MAP = defaultFieldMap();

  static final String ASSET_TABLE = "cmdb_ci";
  static final String ACCOUNT_TABLE = "sys_user";
  static final List<String> ASSET_KEY_FIELDS = List.of("ip_address", "name", "fqdn");
  static final List<String> ACCOUNT_KEY_FIELDS = List.of("user_name", "email");
  private static final List<String> ACCOUNT_FIELDS =
      List.of("sys_id", "user_name", "email", "name", "department", "title", "manager", "vip");

  private static final RequestLog LOG = RequestLog.of(ServiceNowCmdb.class);

  private final ServiceNowModule serviceNow;
  private final Supplier<Map<String, String>> fieldMap;
  private final Supplier<Duration> readinessTimeout;

  /**
   * Reads nothing yet: settings are checked and the client built on first use.
   *
   * @param serviceNow the instance, shared with ticket sync
   * @param fieldMap contract field to ServiceNow column ({@value #FIELD_MAP_SETTING} applied to the
   *     defaults); throws {@link ConfigurationException} when malformed
   * @param readinessTimeout how long health's one read may take ({@value
   *     #READINESS_TIMEOUT_SETTING})
   */
  public ServiceNowCmdb(
      ServiceNowModule serviceNow,
      Supplier<Map<String, String>> fieldMap,
      Supplier<Duration> readinessTimeout) {
    this.serviceNow = serviceNow;
    this.fieldMap = Suppliers.memoize(fieldMap::get);
    this.readinessTimeout = readinessTimeout;
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String displayName() {
    return "ServiceNow CMDB";
  }

  @Override
  public String description() {
    return "Assets from cmdb_ci and accounts (with VIP) from sys_user of the ServiceNow instance"
        + " named by "
        + ServiceNowSettings.URL
        + ", fields mapped by "
        + FIELD_MAP_SETTING
        + ".";
  }

  @Override
  public boolean isConfigured() {
    return serviceNow.isConfigured();
  }

  // ---- assets ----

  @Override
  public List<AssetMatch> lookupAssets(List<String> keys) {
    Map<String, String> fields = fieldMap.get();
    ServiceNowTableClient table = serviceNow.client();
    String instance = instance();
    List<String> columns = assetColumns(fields);
    return lookup(
        keys,
        ServiceNowCmdb::assetChunks,
        chunk -> assets(chunk, table, columns, fields, instance),
        key -> AssetMatch.of(key, List.of()),
        AssetMatch::failed);
  }

  /**
   * The answers for one chunk, from one query. When more CIs match than one page holds, any key's
   * CIs may be among those left out: the chunk is asked again in halves, so that only a key that
   * alone matches more than a page (a network or domain holding thousands of CIs) is answered with
   * what was found and an {@code error} saying it may be incomplete, and the guardrail refuses it
   * rather than miss a critical asset, without failing its neighbours. That costs at most two calls
   * per key, and only when a page fills up.
   */
  private List<AssetMatch> assets(
      List<String> chunk,
      ServiceNowTableClient table,
      List<String> columns,
      Map<String, String> fields,
      String instance) {
    ServiceNowTableClient.Rows rows =
        table.query(
            ASSET_TABLE, assetQuery(chunk), columns, DEFAULT_MAX_ROWS_PER_QUERY, DisplayValue.ALL);
    if (rows.truncated() && chunk.size() > 1) {
      List<AssetMatch> answers =
          new ArrayList<>(
              assets(chunk.subList(0, chunk.size() / 2), table, columns, fields, instance));
      answers.addAll(
          assets(chunk.subList(chunk.size() / 2, chunk.size()), table, columns, fields, instance));
      return answers;
    }
    AssetIndex index =
        new AssetIndex(
            rows.rows().stream()
                .map(row -> asset(row, fields, instance))
                .flatMap(Optional::stream)
                .toList());
    String incomplete =
        rows.truncated()
            ? "ServiceNow holds more than "
                + DEFAULT_MAX_ROWS_PER_QUERY
                + " CIs for it; the answer may be incomplete"
            : null;
    return chunk.stream()
        .map(
            key -> {
              List<Asset> found = index.find(key);
              return new AssetMatch(key, !found.isEmpty(), found, incomplete);
            })
        .toList();
  }

  /**
   * One query for a chunk of asset keys: the exact keys (and the first label of FQDN keys, for a CI
   * named by its short name) in {@code IN} lists on {@code ip_address}, {@code name} and {@code
   * fqdn}; each network key as {@code STARTSWITH} on {@code ip_address} ({@link #addressPrefixes});
   * each {@code *.domain} key as {@code ENDSWITH .domain} on {@code fqdn} and {@code name}; all
   * joined by {@code ^OR}. The answers are then matched exactly ({@link AssetIndex}), so a prefix
   * that reads more than the network costs rows, never a wrong answer.
   */
  static EncodedQuery assetQuery(List<String> chunk) {
    Set<String> exact = new LinkedHashSet<>();
    Set<EncodedQuery.Condition> containment = new LinkedHashSet<>();
    for (String key : chunk) {
      Optional<Cidr> network = AssetIndex.network(key);
      if (network.isPresent()) {
        List<String> prefixes = addressPrefixes(network.get());
        for (String prefix : prefixes) {
          containment.add(
              prefix.isEmpty()
                  ? EncodedQuery.isNotEmpty("ip_address")
                  : EncodedQuery.startsWith("ip_address", prefix));
        }
      } else if (key.startsWith(AssetIndex.SUBDOMAINS)) {
        String domain = AssetIndex.hostKey(key.substring(AssetIndex.SUBDOMAINS.length()));
        if (!domain.isEmpty()) {
          containment.add(EncodedQuery.endsWith("fqdn", "." + domain));
          containment.add(EncodedQuery.endsWith("name", "." + domain));
        }
      } else {
        exact.add(key);
        if (IpAddresses.parse(key).isEmpty() && key.indexOf('.') > 0) {
          exact.add(key.substring(0, key.indexOf('.'))); // a CI named by its short name alone
        }
      }
    }
    EncodedQuery query = EncodedQuery.anyFieldIn(ASSET_KEY_FIELDS, exact);
    for (EncodedQuery.Condition condition : containment) {
      query = query.or(condition);
    }
    return query;
  }

  /**
   * The texts that every address of {@code network} starts with, as ServiceNow stores addresses
   * (dotted quads; RFC 5952 IPv6 text), for {@code ip_addressSTARTSWITH}: at most {@value
   * #MAX_PREFIXES_PER_NETWORK}, each ending at an octet or hextet boundary so that {@code 45.44.}
   * cannot match {@code 45.440...}. Octet-aligned IPv4 networks are one prefix ({@code /24} ->
   * {@code 45.44.0.}); others are the aligned prefixes below them when there are at most {@value
   * #MAX_PREFIXES_PER_NETWORK} ({@code /22} -> four {@code /24} prefixes), else the one above
   * ({@code /18} -> {@code 45.44.}); networks narrower than /24 ask their /24. IPv6 networks ask
   * their whole leading hextets up to the first zero one (which RFC 5952 text may compress into
   * {@code ::}). An empty prefix means any address: {@code /0}, or an IPv6 network whose first
   * hextet is zero.
   */
  static List<String> addressPrefixes(Cidr network) {
    long[] words = words(network);
    if (!network.isIpv4()) {
      List<String> hextets = new ArrayList<>();
      for (int i = 0; i < network.prefixLength() / 16 && words[i] != 0; i++) {
        hextets.add(Long.toHexString(words[i]));
      }
      return List.of(hextets.isEmpty() ? "" : String.join(":", hextets) + ":");
    }
    int prefix = Math.min(network.prefixLength(), 24);
    int whole = prefix / 8;
    int spare = prefix % 8;
    if (spare == 0 || 1 << (8 - spare) > MAX_PREFIXES_PER_NETWORK) {
      return List.of(octets(words, whole));
    }
    List<String> prefixes = new ArrayList<>();
    for (long octet = words[whole]; octet < words[whole] + (1 << (8 - spare)); octet++) {
      prefixes.add(octets(words, whole) + octet + ".");
    }
    return prefixes;
  }

  /** The first {@code count} octets written with a dot after each; empty for none. */
  private static String octets(long[] words, int count) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < count; i++) {
      text.append(words[i]).append('.');
    }
    return text.toString();
  }

  /** The network's address as octets (IPv4) or hextets (IPv6). */
  private static long[] words(Cidr network) {
    byte[] bytes = network.network().getAddress();
    boolean ipv4 = network.isIpv4();
    long[] words = new long[ipv4 ? 4 : 8];
    for (int i = 0; i < words.length; i++) {
      words[i] = ipv4 ? bytes[i] & 0xff : ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
    }
    return words;
  }

  /**
   * The keys in chunks of at most {@value #DEFAULT_KEYS_PER_QUERY} whose query stays under {@value
   * #DEFAULT_MAX_QUERY_LENGTH} characters once URL-encoded (each key's terms are measured; the
   * fields and joints are a constant the margin covers).
   */
  private static List<List<String>> assetChunks(List<String> keys) {
    List<List<String>> chunks = new ArrayList<>();
    List<String> chunk = new ArrayList<>();
    int length = 0;
    for (String key : keys) {
      int cost = urlEncodedLength(assetQuery(List.of(key)).encoded());
      if (!chunk.isEmpty()
          && (chunk.size() == DEFAULT_KEYS_PER_QUERY || length + cost > DEFAULT_MAX_QUERY_LENGTH)) {
        chunks.add(chunk);
        chunk = new ArrayList<>();
        length = 0;
      }
      chunk.add(key);
      length += cost;
    }
    if (!chunk.isEmpty()) {
      chunks.add(chunk);
    }
    return chunks;
  }

  /** The length of {@code text} as a query parameter value in the URL OkHttp sends. */
  private static int urlEncodedLength(String text) {
    return HttpUrl.get("http://cmdb.invalid/")
        .newBuilder()
        .addQueryParameter("q", text)
        .build()
        .encodedQuery()
        .length();
  }

  private static List<String> assetColumns(Map<String, String> fields) {
    Set<String> columns = new LinkedHashSet<>(List.of("sys_id", "name", "fqdn", "ip_address"));
    columns.addAll(fields.values());
    return List.copyOf(columns);
  }

  private static Optional<Asset> asset(
      ObjectNode row, Map<String, String> fields, String instance) {
    String fqdn = display(row, "fqdn").map(AssetIndex::hostKey).orElse(null);
    Optional<String> name = display(row, "name").or(() -> Optional.ofNullable(fqdn));
    if (name.isEmpty()) {
      return Optional.empty(); // nothing a key could match
    }
    List<String> ips =
        value(row, "ip_address").flatMap(IpAddresses::parse).map(IpAddresses::canonical).stream()
            .toList();
    Optional<String> ownerName = mapped(row, fields, "owner_name");
    Optional<String> ownerEmail = mapped(row, fields, "owner_email");
    Owner owner =
        ownerName.isPresent() || ownerEmail.isPresent()
            ? new Owner(ownerName.orElse(null), ownerEmail.orElse(null))
            : null;
    String sysId = value(row, "sys_id").orElse(null);
    String url = sysId == null ? null : instance + "/nav_to.do?uri=cmdb_ci.do?sys_id=" + sysId;
    return Optional.of(
        new Asset(
            name.get(),
            fqdn,
            ips,
            mapped(row, fields, "class").orElse(null),
            mapped(row, fields, "environment").orElse(null),
            mapped(row, fields, "criticality").flatMap(ServiceNowCmdb::criticality).orElse(null),
            mapped(row, fields, "is_hva").map(ServiceNowCmdb::flag).orElse(false),
            owner,
            mapped(row, fields, "support_group").orElse(null),
            mapped(row, fields, "business_service").orElse(null),
            mapped(row, fields, "location").orElse(null),
            mapped(row, fields, "os").orElse(null),
            SOURCE,
            url));
  }

  /**
   * ServiceNow's {@code busines_criticality} ("1 - most critical" .. "4 - not critical", or its
   * stored value 1-4) or a contract word in a custom field.
   */
  static Optional<Criticality> criticality(String text) {
    String trimmed = text.strip();
    if (!trimmed.isEmpty()
        && trimmed.charAt(0) >= '1'
        && trimmed.charAt(0) <= '4'
        && (trimmed.length() == 1 || !Character.isDigit(trimmed.charAt(1)))) {
      return Optional.of(Criticality.values()[trimmed.charAt(0) - '1']);
    }
    return Criticality.parse(trimmed);
  }

  private static boolean flag(String text) {
    return Set.of("true", "1", "yes", "y").contains(text.strip().toLowerCase(Locale.ROOT));
  }

  // ---- accounts ----

  @Override
  public List<AccountMatch> lookupAccounts(List<String> keys) {
    ServiceNowTableClient table = serviceNow.client();
    return lookup(
        keys,
        distinct -> Lists.partition(distinct, DEFAULT_KEYS_PER_QUERY),
        chunk -> {
          Set<String> asked = new LinkedHashSet<>();
          for (String key : chunk) {
            AccountKey wanted = AccountKey.of(key);
            asked.add(wanted.exact);
            wanted.userName.ifPresent(asked::add);
          }
          List<ObjectNode> rows =
              table
                  .query(
                      ACCOUNT_TABLE,
                      EncodedQuery.anyFieldIn(ACCOUNT_KEY_FIELDS, asked),
                      ACCOUNT_FIELDS,
                      DEFAULT_MAX_ROWS_PER_QUERY,
                      DisplayValue.ALL)
                  .rows();
          return chunk.stream()
              .map(key -> AccountMatch.of(key, accountsFor(AccountKey.of(key), rows)))
              .toList();
        },
        key -> AccountMatch.of(key, List.of()),
        AccountMatch::failed);
  }

  /**
   * A key as it is asked and compared, lower case: {@code exact} against user_name or email; {@code
   * userName} the sAMAccountName part of {@code DOMAIN\name} or {@code name@domain}, with {@code
   * domain} the e-mail domain it must have in the second form.
   */
  private record AccountKey(String exact, Optional<String> userName, Optional<String> emailDomain) {
    static AccountKey of(String key) {
      String lower = key.toLowerCase(Locale.ROOT);
      int backslash = lower.indexOf('\\');
      int at = lower.indexOf('@');
      if (backslash >= 0) {
        return new AccountKey(lower, Optional.of(lower.substring(backslash + 1)), Optional.empty());
      }
      if (at > 0) {
        return new AccountKey(
            lower, Optional.of(lower.substring(0, at)), Optional.of(lower.substring(at + 1)));
      }
      return new AccountKey(lower, Optional.empty(), Optional.empty());
    }
  }

  private static List<Account> accountsFor(AccountKey key, List<ObjectNode> rows) {
    List<Account> exact = new ArrayList<>();
    List<Account> partial = new ArrayList<>();
    for (ObjectNode row : rows) {
      String userName = value(row, "user_name").orElse("").toLowerCase(Locale.ROOT);
      String email = value(row, "email").orElse("").toLowerCase(Locale.ROOT);
      if (userName.equals(key.exact) || email.equals(key.exact)) {
        exact.add(account(row));
      } else if (key.userName.isPresent()
          && userName.equals(key.userName.get())
          && key.emailDomain.map(domain -> email.endsWith("@" + domain)).orElse(true)) {
        partial.add(account(row));
      }
    }
    exact.addAll(partial);
    return exact;
  }

  private static Account account(ObjectNode row) {
    String userName = value(row, "user_name").orElse("");
    Optional<String> email = value(row, "email");
    String upn = userName.indexOf('@') > 0 ? userName : email.orElse(userName);
    return new Account(
        upn,
        email.orElse(null),
        display(row, "name").orElse(null),
        display(row, "department").orElse(null),
        display(row, "title").orElse(null),
        display(row, "manager").orElse(null),
        value(row, "vip").map(ServiceNowCmdb::flag).orElse(false),
        SOURCE);
  }

  // ---- batching and failures ----

  /**
   * Answers every key in order: blank keys without a call, the others {@link
   * #DEFAULT_KEYS_PER_QUERY} at a time (each distinct key once). A chunk whose query fails answers
   * its keys with the error, unless no chunk could be answered, when the first failure is thrown.
   */
  private static <M> List<M> lookup(
      List<String> keys,
      Function<List<String>, List<List<String>>> chunks,
      Function<List<String>, List<M>> query,
      Function<String, M> none,
      BiFunction<String, String, M> failed) {
    Map<String, M> answers = new LinkedHashMap<>();
    List<String> distinct =
        keys.stream().filter(k -> k != null && !k.isBlank()).map(String::strip).distinct().toList();
    UpstreamException firstFailure = null;
    int answered = 0;
    for (List<String> chunk : chunks.apply(distinct)) {
      try {
        List<M> matches = query.apply(chunk);
        for (int i = 0; i < chunk.size(); i++) {
          answers.put(chunk.get(i), matches.get(i));
        }
        answered++;
      } catch (UpstreamException e) {
        LOG.warning(
            () -> "ServiceNow CMDB query for " + chunk.size() + " keys failed: " + e.getMessage());
        firstFailure = firstFailure == null ? e : firstFailure;
        chunk.forEach(key -> answers.put(key, failed.apply(key, e.getMessage())));
      }
    }
    if (firstFailure != null && answered == 0) {
      throw firstFailure;
    }
    List<M> ordered = new ArrayList<>(keys.size());
    for (String key : keys) {
      ordered.add(key == null || key.isBlank() ? none.apply(key) : answers.get(key.strip()));
    }
    return ordered;
  }

  /** The instance's base URL without a trailing slash, for links into its UI. */
  private String instance() {
    String url = serviceNow.settings().instance().toString();
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  // ---- readiness ----

  /**
   * Reads one {@code sys_user} row with one attempt, within {@value #READINESS_TIMEOUT_SETTING}
   * (default {@link #DEFAULT_READINESS_TIMEOUT}). Never throws: not configured when the settings
   * are absent; error for a bad setting, refused credentials (naming the settings) or a denied
   * table; degraded when the instance is slow, rate-limited or unreachable for now.
   */
  @Override
  public Readiness readiness() {
    if (!isConfigured()) {
      return Readiness.notConfigured(
          "Set "
              + ServiceNowSettings.URL
              + " and "
              + ServiceNowSettings.USER
              + "/"
              + ServiceNowSettings.PASSWORD_SETTING
              + " (or "
              + ServiceNowSettings.CLIENT_ID
              + "/"
              + ServiceNowSettings.CLIENT_SECRET_SETTING
              + ") to use the ServiceNow CMDB.");
    }
    try {
      fieldMap.get();
      serviceNow.client().readOne(ACCOUNT_TABLE, readinessTimeout.get());
      return Readiness.ok("ServiceNow answers: sys_user is readable at " + instance() + ".");
    } catch (ConfigurationException e) {
      return Readiness.error(e.getMessage());
    } catch (UpstreamException e) {
      if (e.failure().isRefusedIdentity()) {
        return Readiness.error(e.getMessage());
      }
      return Readiness.degraded("ServiceNow did not answer the readiness check: " + e.getMessage());
    } catch (RuntimeException e) {
      return Readiness.degraded("ServiceNow readiness check failed: " + e);
    }
  }

  // ---- field mapping ----

  private static Map<String, String> defaultFieldMap() {
    Map<String, String> map = new LinkedHashMap<>();
    map.put("criticality", "busines_criticality");
    map.put("is_hva", "u_hva");
    map.put("owner_name", "owned_by");
    map.put("owner_email", "owned_by.email");
    map.put("support_group", "support_group");
    map.put("location", "location");
    map.put("os", "os");
    map.put("class", "sys_class_name");
    map.put("environment", "used_for");
    return Map.copyOf(map);
  }

  private static Optional<String> mapped(
      ObjectNode row, Map<String, String> fields, String contract) {
    String column = fields.get(contract);
    return column == null ? Optional.empty() : display(row, column);
  }

  /**
   * What a person sees: a reference's display value (with {@code sysparm_display_value=all}), else
   * the text.
   */
  private static Optional<String> display(ObjectNode row, String column) {
    JsonNode node = row.path(column);
    String text = node.isObject() ? node.path("display_value").asText("") : node.asText("");
    return text.isBlank() ? Optional.empty() : Optional.of(text.strip());
  }

  /** The stored value (a reference's sys_id, a choice's value, a flag's true/false). */
  private static Optional<String> value(ObjectNode row, String column) {
    JsonNode node = row.path(column);
    String text = node.isObject() ? node.path("value").asText("") : node.asText("");
    return text.isBlank() ? Optional.empty() : Optional.of(text.strip());
  }
}
