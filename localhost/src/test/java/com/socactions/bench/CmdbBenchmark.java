package com.socactions.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.socactions.enrichment.rdap.FakeRdapServer;
import com.socactions.enrichment.rdap.RdapOptions;
import com.socactions.indicators.IpAddresses;
import com.socactions.platform.Json;
import com.socactions.sentinel.SentinelExamples;
import com.socactions.servicenow.FakeServiceNow;
import com.socactions.testing.SharedFixtures;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * CMDB lookups and one-call incident enrichment over HTTP against the local host. A measurement,
 * not a test: it gates nothing and is not run by {@code mvn verify} (it is a {@code main}).
 *
 * <ol>
 *   <li>{@code LookupAssets} against {@code builtin} (the sample CSV), {@value #KEYS} keys a call,
 *       one client thread: keys per second per round of {@value #CALLS_PER_ROUND} calls, the median
 *       of the measured rounds after {@value #WARM_UP_ROUNDS} warm-up rounds. Twice: the same keys
 *       in every call (what an incident storm looks like: the per-key cache answers), and keys that
 *       are new in every call (every name, FQDN and address of the sample's 50 assets, which the
 *       cache soon holds, and misses that it never has, so each call reads the CSV index).
 *   <li>{@code EnrichIncident} on an incident of {@value #INCIDENT_ENTITIES} entities (IPs, hosts,
 *       accounts, URLs and domains) with {@code provider: servicenow}, the RDAP fake and the
 *       ServiceNow fake each answering after {@link #UPSTREAM_DELAY}: the wall time of the call
 *       next to the upstream calls it made (counted at the fakes) times that delay, which is what
 *       the lookups would take one after another. Every round is a new app (cold caches: every
 *       lookup goes upstream) in the same, warm JVM.
 * </ol>
 *
 * <p>Usage: {@code CmdbBenchmark [measured rounds, default 11]}
 */
public final class CmdbBenchmark {
  static final int KEYS = 1_000;
  static final int CALLS_PER_ROUND = 20;
  static final int WARM_UP_ROUNDS = 5;
  static final int DEFAULT_ROUNDS = 11;
  static final int INCIDENT_ENTITIES = 50;
  static final Duration UPSTREAM_DELAY = Duration.ofMillis(20);

  /**
   * Per RDAP server host and second: high enough that the limiter never waits in this benchmark.
   */
  static final int UNLIMITED_RDAP_RATE = 1_000;

  private static final String SERVICENOW_USER = "bench.integration";
  private static final String SERVICENOW_PASSWORD = "bench-password";

  private CmdbBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_ROUNDS;
    System.out.printf(
        "CmdbBenchmark: %d cores, %d measured rounds after %d warm-up rounds%n",
        Runtime.getRuntime().availableProcessors(), rounds, WARM_UP_ROUNDS);
    lookupAssets(rounds);
    enrichIncident(rounds);
    System.exit(0);
  }

  // ---- (a) LookupAssets against builtin ----

  private static void lookupAssets(int rounds) throws IOException {
    List<String> known = sampleAssetKeys();
    Random random = new Random(20261127);
    try (BenchmarkHost host = BenchmarkHost.start(Map.of(), Clock.systemUTC())) {
      String repeated = assetsBody(keys(known, random));
      checkFound(host.post("v1/cmdb/assets/lookup", repeated), known.size());
      List<Double> sameKeys = rounds(rounds, () -> repeated, host);
      System.out.printf(
          "(a) LookupAssets builtin, %,d keys a call, the same keys every call (cached):"
              + " median %,.0f keys/s (rounds %,.0f .. %,.0f)%n",
          KEYS, BenchmarkHost.median(sameKeys), min(sameKeys), max(sameKeys));
      List<Double> newKeys = rounds(rounds, () -> assetsBody(keys(known, random)), host);
      System.out.printf(
          "(a) LookupAssets builtin, %,d keys a call, %,d misses new in every call: median %,.0f"
              + " keys/s (rounds %,.0f .. %,.0f)%n",
          KEYS, KEYS - known.size(), BenchmarkHost.median(newKeys), min(newKeys), max(newKeys));
    }
  }

  /** Keys per second of each measured round (bodies built before the clock starts). */
  private static List<Double> rounds(int rounds, BodySource bodies, BenchmarkHost host) {
    List<Double> perRound = new ArrayList<>();
    for (int round = 0; round < WARM_UP_ROUNDS + rounds; round++) {
      List<String> calls = new ArrayList<>();
      for (int i = 0; i < CALLS_PER_ROUND; i++) {
        calls.add(bodies.next());
      }
      long start = System.nanoTime();
      for (String body : calls) {
        host.post("v1/cmdb/assets/lookup", body);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      if (round >= WARM_UP_ROUNDS) {
        perRound.add(CALLS_PER_ROUND * KEYS / seconds);
      }
    }
    return perRound;
  }

  @FunctionalInterface
  private interface BodySource {
    String next();
  }

  /**
   * The known keys, then misses up to {@value #KEYS}: private addresses and host names the sample
   * lacks.
   */
  private static List<String> keys(List<String> known, Random random) {
    List<String> keys = new ArrayList<>(known);
    while (keys.size() < KEYS) {
      keys.add(
          random.nextBoolean()
              ? "10.200." + random.nextInt(256) + "." + random.nextInt(256)
              : "host-" + Integer.toHexString(random.nextInt()) + ".branch.contoso.com");
    }
    return keys;
  }

  private static String assetsBody(List<String> keys) {
    ObjectNode body = Json.MAPPER.createObjectNode().put("provider", "builtin");
    ArrayNode list = body.putArray("keys");
    keys.forEach(list::add);
    return body.toString();
  }

  /** The sample's names, FQDNs and addresses, as the local run ships it. */
  private static List<String> sampleAssetKeys() throws IOException {
    Set<String> keys = new LinkedHashSet<>();
    try (InputStream csv =
        CmdbBenchmark.class.getResourceAsStream("/com/socactions/cmdb/sample-assets.csv")) {
      List<String> lines =
          new String(csv.readAllBytes(), StandardCharsets.UTF_8).lines().skip(1).toList();
      for (String line : lines) {
        String[] columns = line.split(",", -1);
        keys.add(columns[0]);
        keys.add(columns[1]);
        for (String ip : columns[2].split("[; ]")) {
          keys.add(ip);
        }
      }
    }
    keys.remove("");
    return List.copyOf(keys);
  }

  private static void checkFound(String answer, int expected) throws IOException {
    long found = 0;
    for (JsonNode asset : Json.UPSTREAM.readTree(answer).get("assets")) {
      found += asset.path("found").asBoolean() ? 1 : 0;
    }
    if (found != expected) {
      throw new IllegalStateException(
          "LookupAssets found " + found + " of the sample's " + expected + " keys");
    }
  }

  // ---- (b) EnrichIncident with slow upstreams ----

  private static void enrichIncident(int rounds) throws IOException {
    try (FakeRdapServer rdap = FakeRdapServer.start();
        FakeServiceNow serviceNow =
            FakeServiceNow.start(SERVICENOW_USER, SERVICENOW_PASSWORD).seedCmdb()) {
      rdap.delay(UPSTREAM_DELAY);
      serviceNow.delay(UPSTREAM_DELAY);
      Map<String, String> settings = new HashMap<>();
      settings.put("GEOIP_CITY_DB", SharedFixtures.path("geoip/GeoIP2-City-Test.mmdb").toString());
      settings.put("GEOIP_ASN_DB", SharedFixtures.path("geoip/GeoLite2-ASN-Test.mmdb").toString());
      settings.put("RDAP_BOOTSTRAP_URL", rdap.bootstrapUrl());
      settings.put("RDAP_ALLOW_INSECURE", "true");
      settings.put("SERVICENOW_URL", serviceNow.url());
      settings.put("SERVICENOW_USER", SERVICENOW_USER);
      settings.put("SERVICENOW_PASSWORD", SERVICENOW_PASSWORD);
      String delayed =
          "fakes answering after "
              + UPSTREAM_DELAY.toMillis()
              + " ms (one after another: "
              + UPSTREAM_DELAY.toMillis()
              + " ms x the calls below), ";
      incidentRounds(
          delayed
              + "default RDAP rate limit ("
              + RdapOptions.DEFAULT_RATE_LIMIT_PER_SECOND
              + "/s per server host; the fake serves every registry from one host)",
          settings,
          rdap,
          serviceNow,
          rounds);
      // In production the IP lookups spread over the five RIRs and the domains over their TLDs'
      // registries; one loopback host for all of them makes the per-host limit the bottleneck.
      settings.put(
          RdapOptions.SETTING_RATE_LIMIT_PER_SECOND, Integer.toString(UNLIMITED_RDAP_RATE));
      incidentRounds(
          delayed + RdapOptions.SETTING_RATE_LIMIT_PER_SECOND + "=" + UNLIMITED_RDAP_RATE,
          settings,
          rdap,
          serviceNow,
          rounds);
      // The app's own cost of the call (a new app: bootstrap files, connections, parsing, comment):
      // what the wall time above spends apart from waiting for upstreams.
      rdap.delay(Duration.ZERO);
      serviceNow.delay(Duration.ZERO);
      incidentRounds(
          "the same with the fakes answering at once (the app's own cost)",
          settings,
          rdap,
          serviceNow,
          rounds);
    }
  }

  private static void incidentRounds(
      String label,
      Map<String, String> settings,
      FakeRdapServer rdap,
      FakeServiceNow serviceNow,
      int rounds)
      throws IOException {
    List<Double> wall = new ArrayList<>();
    int rdapCalls = 0;
    int tableCalls = 0;
    String last = null;
    try (BenchmarkHost host = BenchmarkHost.start(settings, Clock.systemUTC())) {
      for (int round = 0; round < WARM_UP_ROUNDS + rounds; round++) {
        String request = incidentRequest(label.hashCode() * 1_000L + round);
        int rdapBefore = rdap.rdapRequestCount();
        int tableBefore = serviceNow.tableCalls();
        long start = System.nanoTime();
        last = host.post("v1/incidents/enrich", request);
        double millis = (System.nanoTime() - start) / 1e6;
        if (round >= WARM_UP_ROUNDS) {
          wall.add(millis);
        }
        // The same every round (new entities, the same shape); the last round's counts are
        // reported.
        rdapCalls = rdap.rdapRequestCount() - rdapBefore;
        tableCalls = serviceNow.tableCalls() - tableBefore;
      }
    }
    JsonNode answer = Json.UPSTREAM.readTree(last);
    if (!answer.get("errors").isEmpty()) {
      throw new IllegalStateException("EnrichIncident reported errors: " + answer.get("errors"));
    }
    System.out.printf(
        "(b) EnrichIncident, %d entities (%s), %s:%n"
            + "    %d upstream calls a call (%d RDAP, %d ServiceNow Table API);"
            + " wall time median %.0f ms (rounds %.0f .. %.0f)%n",
        INCIDENT_ENTITIES,
        summary(answer.get("summary")),
        label,
        rdapCalls + tableCalls,
        rdapCalls,
        tableCalls,
        BenchmarkHost.median(wall),
        min(wall),
        max(wall));
  }

  /**
   * An incident of 50 entities that no earlier call has asked about, so every lookup goes upstream
   * while the code, the connections and the breakers stay warm: 15 public IPs, 10 hosts, 10
   * accounts, 8 URLs and 7 DNS names, new for each {@code seed}, and among them the ServiceNow
   * fake's critical server and VIP in every incident (answered from the per-key cache after the
   * first call, as in an incident storm; the other keys still cost their query).
   */
  static String incidentRequest(long seed) {
    Random random = new Random(seed);
    String tag = Long.toString(seed & 0xffffffL, 36);
    List<ObjectNode> entities = new ArrayList<>();
    while (entities.size() < 15) {
      String ip =
          (11 + random.nextInt(180))
              + "."
              + random.nextInt(256)
              + "."
              + random.nextInt(256)
              + "."
              + (1 + random.nextInt(254));
      if (IpAddresses.scopeOf(IpAddresses.parse(ip).orElseThrow()).isPublic()) {
        entities.add(SentinelExamples.entity("Ip", "address", ip));
      }
    }
    entities.add(
        SentinelExamples.entity("Host", "hostName", "web01", "dnsDomain", "corp.contoso.com"));
    for (int i = 1; i < 10; i++) {
      entities.add(
          SentinelExamples.entity(
              "Host", "hostName", "wks-" + tag + "-" + i, "dnsDomain", "corp.contoso.com"));
    }
    entities.add(
        SentinelExamples.entity("Account", "accountName", "alee", "upnSuffix", "contoso.com"));
    for (int i = 1; i < 10; i++) {
      entities.add(
          SentinelExamples.entity(
              "Account", "accountName", "user" + i + "." + tag, "upnSuffix", "contoso.com"));
    }
    for (int i = 0; i < 8; i++) {
      entities.add(
          SentinelExamples.entity(
              "Url", "url", "https://login-" + tag + "-" + i + ".com/verify?id=" + i));
    }
    for (int i = 0; i < 7; i++) {
      entities.add(
          SentinelExamples.entity("DnsResolution", "domainName", "c2-" + tag + "-" + i + ".net"));
    }
    if (entities.size() != INCIDENT_ENTITIES) {
      throw new IllegalStateException(entities.size() + " entities, not " + INCIDENT_ENTITIES);
    }
    ObjectNode body = Json.MAPPER.createObjectNode().put("provider", "servicenow");
    body.set("incident", SentinelExamples.triggerBody(SentinelExamples.object(entities)));
    return body.toString();
  }

  private static String summary(JsonNode summary) {
    StringBuilder text = new StringBuilder();
    summary
        .fields()
        .forEachRemaining(
            field -> {
              if (field.getValue().isInt()
                  && field.getValue().asInt() > 0
                  && !field.getKey().equals("entities")) {
                text.append(text.length() == 0 ? "" : ", ")
                    .append(field.getValue().asInt())
                    .append(' ')
                    .append(field.getKey());
              }
            });
    return text.toString();
  }

  private static double min(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
  }

  private static double max(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
  }
}
