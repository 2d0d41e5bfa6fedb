package com.socactions.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.socactions.enrichment.rdap.FakeRdapServer;
import com.socactions.graph.FakeGraph;
import com.socactions.openapi.ConnectorRules;
import com.socactions.openapi.SwaggerResponseValidator;
import com.socactions.platform.FakeManagedIdentityEndpoint;
import com.socactions.sentinel.SentinelExamples;
import com.socactions.servicenow.FakeServiceNow;
import com.socactions.servicenow.ServiceNowSettings;
import com.socactions.testing.Azurite;
import com.socactions.tickets.ServiceNowWebhook;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The connector definition against the running app: every operation of {@code
 * openapi/apiDefinition.swagger.json} is called over HTTP through the local host, once for each
 * status it documents, and each answer's status, media type, headers and body are checked against
 * what the definition says for that status ({@link SwaggerResponseValidator}: a field the app
 * writes but the definition does not document fails too).
 *
 * <p>The operations come from the definition, not from this class: an operation without calls here,
 * without a call that answers 2xx, or with a documented status no call provokes, fails.
 *
 * <p>Two apps: a healthy one (Azurite, the MaxMind test databases, a fake RDAP) and one with a
 * malformed setting ({@code GEOIP_STALE_AFTER_DAYS}), which provokes 422 and the strict health
 * check's 503.
 */
@ExtendWith(Azurite.class)
class ConnectorConformanceEndToEndTest {
  private static final SwaggerResponseValidator DEFINITION =
      SwaggerResponseValidator.of(ConnectorRules.forTheConnector());
  private static final String MALFORMED_SETTING = "GEOIP_STALE_AFTER_DAYS";
  private static final String INCIDENT =
      "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/soc/providers/Microsoft.OperationalInsights"
          + "/workspaces/sentinel/providers/Microsoft.SecurityInsights/Incidents/7cba0d9a-5bd5-4a3f-a4e0-0d1f7a1e1c11";

  private static FakeRdapServer rdap;
  private static FakeServiceNow serviceNow;
  private static final String WEBHOOK_SECRET = "conformance-webhook-secret";
  private static FakeManagedIdentityEndpoint identity;
  private static FakeGraph graph;
  private static RunningConnector healthy;
  private static RunningConnector misconfigured;

  /** State storage on a port nothing listens on: what a storage outage answers. */
  private static RunningConnector storageDown;

  /** The healthy app without its job workers: its jobs stay queued. */
  private static RunningConnector parked;

  private static final String FEED_TOKEN = "conformance-feed-token";

  @BeforeAll
  static void start() throws Exception {
    rdap = FakeRdapServer.start();
    serviceNow = FakeServiceNow.start("soc.actions", "conformance-pw");
    Map<String, String> settings = RunningConnector.enrichmentSettings(rdap);
    identity = FakeManagedIdentityEndpoint.start(Clock.systemUTC());
    graph = FakeGraph.start(FakeManagedIdentityEndpoint::tokenFor).seedRecorded();
    settings.putAll(identity.settings());
    settings.put("GRAPH_URL", graph.baseUrl());
    settings.put("CONNECTOR_OBJECT_ID", "00000000-0000-0000-0000-00000000c0de");
    // Also without GEOIP_ASN_DB, so ListProviders?include_unconfigured=true lists an unconfigured
    // provider.
    Map<String, String> broken = new HashMap<>(settings);
    broken.remove("GEOIP_ASN_DB");
    broken.put(MALFORMED_SETTING, "a month");
    broken.put("CMDB_ASSETS_CSV", "/nonexistent/assets.csv");
    broken.put("CMDB_ACCOUNTS_CSV", "/nonexistent/accounts.csv");
    broken.put("ENRICH_INCIDENT_DEADLINE", "soon");
    broken.put("GRAPH_URL", "not a url");
    settings.put("FEED_TOKEN", FEED_TOKEN);
    // Ticket sync with a ServiceNow of its own; the misconfigured app has none (422).
    settings.put(ServiceNowSettings.URL, serviceNow.url());
    settings.put(ServiceNowSettings.USER, "soc.actions");
    settings.put(ServiceNowSettings.PASSWORD_SETTING, "conformance-pw");
    settings.put(ServiceNowWebhook.SECRET_SETTING, WEBHOOK_SECRET);
    Map<String, String> noStorage = new HashMap<>(settings);
    noStorage.put(
        "STATE_STORAGE_CONNECTION",
        Azurite.connectionString().replaceAll("127\\.0\\.0\\.1:\\d+", "127.0.0.1:" + closedPort()));
    healthy = new RunningConnector(settings);
    misconfigured = new RunningConnector(broken);
    storageDown = new RunningConnector(noStorage);
    parked = RunningConnector.withoutWorkers(settings);
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @AfterAll
  static void stop() throws Exception {
    healthy.close();
    misconfigured.close();
    storageDown.close();
    parked.close();
    rdap.close();
    serviceNow.close();
    graph.close();
    identity.close();
  }

  /** One request meant to get {@code status} from an operation. */
  private record Call(
      String operationId, int status, String what, Supplier<HttpResponse<String>> send) {}

  /**
   * Each documented status of the four identity operations, which share one body and one set of
   * answers.
   */
  private static List<Call> identityCalls() {
    String mixedAccounts =
        "{\"accounts\": [\"AdeleV@contoso.com\", \"CONTOSO\\\\adele\", \"nobody@contoso.com\","
            + " \"\", 7], \"reason\": \"phishing\", \"incident_id\": \""
            + INCIDENT
            + "\", \"revoke_sessions\": true}";
    String tooManyAccounts =
        "{\"accounts\": ["
            + IntStream.range(0, 5_001)
                .mapToObj(i -> "\"user" + i + "@contoso.com\"")
                .collect(Collectors.joining(","))
            + "]}";
    List<Call> calls = new ArrayList<>();
    for (String[] op :
        List.of(
            new String[] {"DisableAccounts", "v1/accounts/disable"},
            new String[] {"EnableAccounts", "v1/accounts/enable"},
            new String[] {"RevokeSessions", "v1/accounts/revoke-sessions"},
            new String[] {"ConfirmCompromised", "v1/accounts/confirm-compromised"})) {
      String id = op[0];
      String path = op[1];
      calls.add(
          new Call(id, 200, "accounts of every kind", () -> healthy.post(path, mixedAccounts)));
      calls.add(
          new Call(
              id,
              200,
              "a dry run with a justified override",
              () ->
                  healthy.post(
                      path,
                      "{\"accounts\": \"AdeleV@contoso.com\", \"dry_run\": true,"
                          + " \"override_guardrails\": true, \"justification\": \"CHG1\"}")));
      calls.add(
          new Call(
              id,
              400,
              "no accounts",
              () -> healthy.post(path, "{\"users\": [\"AdeleV@contoso.com\"]}")));
      calls.add(
          new Call(id, 401, "no function key", () -> withoutKey(healthy, path, mixedAccounts)));
      calls.add(new Call(id, 413, "5,001 accounts", () -> healthy.post(path, tooManyAccounts)));
      calls.add(
          new Call(
              id, 202, "Prefer: respond-async", () -> respondAsync(healthy, path, mixedAccounts)));
      calls.add(
          new Call(id, 415, "an XML body", () -> healthy.post(path, "application/xml", "<x/>")));
      calls.add(
          new Call(
              id, 422, "a malformed GRAPH_URL", () -> misconfigured.post(path, mixedAccounts)));
      calls.add(
          new Call(id, 503, "state storage down", () -> storageDown.post(path, mixedAccounts)));
    }
    return calls;
  }

  private static List<Call> calls() {
    List<Call> calls = new ArrayList<>(baseCalls());
    calls.addAll(identityCalls());
    calls.addAll(longWorkCalls());
    return calls;
  }

  /**
   * The 202 of every operation that may answer it (asked for with {@code Prefer: respond-async}),
   * the enrichment operations' 503 when their job cannot be stored, and every status of GetJob: its
   * progress on an app whose workers do not run, the answers its jobs end with, an unknown id.
   */
  private static List<Call> longWorkCalls() {
    String indicators =
        "{\"indicators\": [\"185.220.101.78\", \"10.0.0.1\"], \"reason\": \"phishing\"}";
    String incident = IncidentEndToEndTest.request(SentinelExamples.incidentResource());
    List<Call> calls = new ArrayList<>();
    for (String[] op :
        List.of(
            new String[] {"EnrichIpAddresses", "v1/enrich/ips", "{\"ips\": [\"81.2.69.142\"]}"},
            new String[] {"EnrichDomains", "v1/enrich/domains", "{\"domains\": [\"norway.no\"]}"},
            new String[] {"EnrichIncident", "v1/incidents/enrich", incident},
            new String[] {"BlockIndicators", "v1/indicators/block", indicators},
            new String[] {"AllowIndicators", "v1/indicators/allow", indicators},
            new String[] {"UnblockIndicators", "v1/indicators/unblock", indicators})) {
      calls.add(
          new Call(op[0], 202, "Prefer: respond-async", () -> respondAsync(healthy, op[1], op[2])));
      if (op[0].startsWith("Enrich")) {
        calls.add(
            new Call(
                op[0],
                503,
                "a job while state storage is down",
                () -> respondAsync(storageDown, op[1], op[2])));
      }
    }
    String accounts = "{\"accounts\": [\"AdeleV@contoso.com\"], \"dry_run\": true}";
    calls.add(
        new Call(
            "GetJob",
            200,
            "a job that finished",
            () -> finished(healthy, respondAsync(healthy, "v1/accounts/disable", accounts))));
    calls.add(
        new Call(
            "GetJob",
            202,
            "a job no worker has taken yet",
            () -> {
              HttpResponse<String> accepted = respondAsync(parked, "v1/accounts/disable", accounts);
              return parked.send(
                  HttpRequest.newBuilder(
                          java.net.URI.create(accepted.headers().firstValue("Location").get()))
                      .header("x-functions-key", RunningConnector.KEY)
                      .GET());
            }));
    calls.add(
        new Call(
            "GetJob",
            400,
            "a job whose request named an unknown provider",
            () ->
                finished(
                    healthy,
                    respondAsync(
                        healthy,
                        "v1/indicators/block",
                        "{\"indicators\": [\"185.220.101.79\"], \"provider\": \"coffee\"}"))));
    calls.add(
        new Call(
            "GetJob",
            401,
            "no function key",
            () -> withoutKey(healthy, "v1/jobs/00000000-0000-0000-0000-000000000000")));
    calls.add(
        new Call(
            "GetJob",
            404,
            "an unknown job",
            () -> healthy.get("v1/jobs/00000000-0000-0000-0000-000000000000")));
    calls.add(
        new Call(
            "GetJob",
            422,
            "a job of an app whose Graph setting is malformed",
            () ->
                finished(
                    misconfigured, respondAsync(misconfigured, "v1/accounts/disable", accounts))));
    calls.add(
        new Call(
            "GetJob",
            503,
            "state storage down",
            () -> storageDown.get("v1/jobs/00000000-0000-0000-0000-000000000000")));
    return calls;
  }

  /** The request with {@code Prefer: respond-async}: a job whatever its size. */
  private static HttpResponse<String> respondAsync(
      RunningConnector connector, String path, String json) {
    return connector.send(
        HttpRequest.newBuilder(connector.uri(path))
            .header("x-functions-key", RunningConnector.KEY)
            .header("Content-Type", "application/json")
            .header("Prefer", "respond-async")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  /** Polls a 202's Location until the job's answer comes. */
  private static HttpResponse<String> finished(
      RunningConnector connector, HttpResponse<String> accepted) {
    String location = accepted.headers().firstValue("Location").orElseThrow();
    Instant deadline = Instant.now().plusSeconds(60);
    while (true) {
      HttpResponse<String> polled =
          connector.send(
              HttpRequest.newBuilder(java.net.URI.create(location))
                  .header("x-functions-key", RunningConnector.KEY)
                  .GET());
      if (polled.statusCode() != 202 || Instant.now().isAfter(deadline)) {
        return polled;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return polled;
      }
    }
  }

  private static List<Call> baseCalls() {
    String mixedIps =
        "{\"ips\": [\"81.2.69.142\", \"1.1.1.1\", \"130.59.31.80\", \"nonsense\", 42, \"10.0.0.1\","
            + " \"2001:db8::1\"]}";
    String tooManyIps =
        "{\"ips\": ["
            + IntStream.range(0, 5_001)
                .mapToObj(i -> "\"81.2.69." + (i % 256) + "\"")
                .collect(Collectors.joining(","))
            + "]}";
    String mixedDomains =
        "{\"domains\": [\"www.google.com\", \"norway.no\", \"co.uk\", \"corp.local\","
            + " \"nothing.example\", \"\"]}";
    String mixedIndicators =
        "{\"indicators\": [\"185.220.101.77\", \"hxxps://evil[.]example[.]com/login?x=1\","
            + " \"evil.example.com\", \"10.0.0.1\", \"co.uk\", \"198.51.100.0/22\", \""
            + "ab".repeat(32)
            + "\", \"not an indicator\", 7],"
            + " \"reason\": \"phishing\", \"incident_id\": \""
            + INCIDENT
            + "\", \"requested_by\": \"analyst@contoso.com\"}";
    String tooManyIndicators =
        "{\"indicators\": ["
            + IntStream.range(0, 5_001)
                .mapToObj(i -> "\"203.0.113." + (i % 256) + "\"")
                .collect(Collectors.joining(","))
            + "]}";
    String tooManyDomains =
        "{\"domains\": ["
            + IntStream.range(0, 5_001)
                .mapToObj(i -> "\"d" + i + ".com\"")
                .collect(Collectors.joining(","))
            + "]}";
    return List.of(
        new Call("GetHealth", 200, "a healthy app", () -> healthy.get("v1/health")),
        new Call(
            "GetHealth", 200, "an unhealthy app, not strict", () -> misconfigured.get("v1/health")),
        new Call("GetHealth", 400, "strict=maybe", () -> healthy.get("v1/health?strict=maybe")),
        new Call("GetHealth", 401, "no function key", () -> withoutKey(healthy, "v1/health")),
        new Call(
            "GetHealth",
            503,
            "an unhealthy app, strict",
            () -> misconfigured.get("v1/health?strict=true")),
        new Call("ListProviders", 200, "no filter", () -> healthy.get("v1/providers")),
        new Call(
            "ListProviders",
            200,
            "capability=enrich",
            () -> healthy.get("v1/providers?capability=enrich")),
        new Call(
            "ListProviders",
            200,
            "include_unconfigured",
            () -> misconfigured.get("v1/providers?include_unconfigured=true")),
        new Call(
            "ListProviders",
            400,
            "an unknown capability",
            () -> healthy.get("v1/providers?capability=coffee")),
        new Call(
            "ListProviders",
            400,
            "include_unconfigured=perhaps",
            () -> healthy.get("v1/providers?include_unconfigured=perhaps")),
        new Call(
            "ListProviders", 401, "no function key", () -> withoutKey(healthy, "v1/providers")),
        new Call(
            "EnrichIpAddresses",
            200,
            "every lookup, items of every kind",
            () -> healthy.post("v1/enrich/ips", mixedIps)),
        new Call(
            "EnrichIpAddresses",
            200,
            "lookups as one string",
            () ->
                healthy.post(
                    "v1/enrich/ips",
                    "{\"ips\": \"81.2.69.142, 1.0.0.1\", \"lookups\": \"geo,asn\"}")),
        new Call(
            "EnrichIpAddresses",
            400,
            "no ips",
            () -> healthy.post("v1/enrich/ips", "{\"addresses\": [\"1.1.1.1\"]}")),
        new Call(
            "EnrichIpAddresses",
            400,
            "not JSON",
            () -> healthy.post("v1/enrich/ips", "{\"ips\": [")),
        new Call(
            "EnrichIpAddresses",
            401,
            "no function key",
            () -> withoutKey(healthy, "v1/enrich/ips", mixedIps)),
        new Call(
            "EnrichIpAddresses",
            413,
            "5,001 addresses",
            () -> healthy.post("v1/enrich/ips", tooManyIps)),
        new Call(
            "EnrichIpAddresses",
            415,
            "an XML body",
            () -> healthy.post("v1/enrich/ips", "application/xml", "<ips/>")),
        new Call(
            "EnrichIpAddresses",
            422,
            "a malformed setting",
            () -> misconfigured.post("v1/enrich/ips", mixedIps)),
        new Call(
            "EnrichIpAddress", 200, "every lookup", () -> healthy.get("v1/enrich/ips/1.1.1.1")),
        new Call(
            "EnrichIpAddress",
            200,
            "lookups=geo,asn",
            () -> healthy.get("v1/enrich/ips/81.2.69.142?lookups=geo,asn")),
        new Call(
            "EnrichIpAddress", 200, "not an address", () -> healthy.get("v1/enrich/ips/nonsense")),
        new Call(
            "EnrichIpAddress",
            400,
            "an unknown lookup",
            () -> healthy.get("v1/enrich/ips/1.1.1.1?lookups=geo,dns")),
        new Call(
            "EnrichIpAddress",
            401,
            "no function key",
            () -> withoutKey(healthy, "v1/enrich/ips/1.1.1.1")),
        new Call(
            "EnrichIpAddress",
            422,
            "a malformed setting",
            () -> misconfigured.get("v1/enrich/ips/81.2.69.142")),
        new Call(
            "EnrichDomains",
            200,
            "items of every kind",
            () -> healthy.post("v1/enrich/domains", mixedDomains)),
        new Call(
            "EnrichDomains",
            400,
            "domains not a list",
            () -> healthy.post("v1/enrich/domains", "{\"domains\": 5}")),
        new Call(
            "EnrichDomains",
            401,
            "no function key",
            () -> withoutKey(healthy, "v1/enrich/domains", mixedDomains)),
        new Call(
            "EnrichDomains",
            413,
            "5,001 domains",
            () -> healthy.post("v1/enrich/domains", tooManyDomains)),
        new Call(
            "EnrichDomains",
            415,
            "an XML body",
            () -> healthy.post("v1/enrich/domains", "application/xml", "<domains/>")),
        new Call(
            "EnrichDomains",
            422,
            "a malformed setting",
            () -> misconfigured.post("v1/enrich/domains", mixedDomains)),
        new Call(
            "BlockIndicators",
            200,
            "indicators of every kind",
            () -> healthy.post("v1/indicators/block", mixedIndicators)),
        new Call(
            "BlockIndicators",
            200,
            "a dry run with a justified override",
            () ->
                healthy.post(
                    "v1/indicators/block",
                    "{\"indicators\": [\"198.51.100.0/22\", \"203.0.113.9\"], \"dry_run\": true,"
                        + " \"override_guardrails\": true, \"justification\": \"approved in"
                        + " CHG0042\", \"duration\": \"P7D\"}")),
        new Call(
            "BlockIndicators",
            400,
            "an unknown provider",
            () ->
                healthy.post(
                    "v1/indicators/block",
                    "{\"indicators\": [\"203.0.113.9\"], \"provider\": \"coffee\"}")),
        new Call(
            "BlockIndicators",
            400,
            "a duration of ten years",
            () ->
                healthy.post(
                    "v1/indicators/block",
                    "{\"indicators\": [\"203.0.113.9\"], \"duration\": \"P3650D\"}")),
        new Call(
            "BlockIndicators",
            401,
            "no function key",
            () -> withoutKey(healthy, "v1/indicators/block", mixedIndicators)),
        new Call(
            "BlockIndicators",
            413,
            "5,001 indicators",
            () -> healthy.post("v1/indicators/block", tooManyIndicators)),
        new Call(
            "BlockIndicators",
            415,
            "an XML body",
            () -> healthy.post("v1/indicators/block", "application/xml", "<x/>")),
        new Call(
            "BlockIndicators",
            422,
            "a provider that is not configured",
            () ->
                healthy.post(
                    "v1/indicators/block",
                    "{\"indicators\": [\"203.0.113.9\"], \"provider\": \"panos\"}")),
        new Call(
            "BlockIndicators",
            503,
            "state storage down",
            () -> storageDown.post("v1/indicators/block", mixedIndicators)),
        new Call(
            "AllowIndicators",
            200,
            "allow what was blocked",
            () ->
                healthy.post(
                    "v1/indicators/allow",
                    "{\"indicators\": [\"evil.example.com\", \"not an indicator\"], \"reason\":"
                        + " \"false positive\"}")),
        new Call(
            "AllowIndicators",
            400,
            "dry_run not a boolean",
            () ->
                healthy.post(
                    "v1/indicators/allow",
                    "{\"indicators\": [\"evil.example.com\"], \"dry_run\": \"perhaps\"}")),
        new Call(
            "AllowIndicators",
            401,
            "no function key",
            () -> withoutKey(healthy, "v1/indicators/allow", mixedIndicators)),
        new Call(
            "AllowIndicators",
            413,
            "5,001 indicators",
            () -> healthy.post("v1/indicators/allow", tooManyIndicators)),
        new Call(
            "AllowIndicators",
            415,
            "an XML body",
            () -> healthy.post("v1/indicators/allow", "application/xml", "<x/>")),
        new Call(
            "AllowIndicators",
            422,
            "a provider that is not configured",
            () ->
                healthy.post(
                    "v1/indicators/allow",
                    "{\"indicators\": [\"evil.example.com\"], \"provider\": \"defender\"}")),
        new Call(
            "AllowIndicators",
            503,
            "state storage down",
            () -> storageDown.post("v1/indicators/allow", mixedIndicators)),
        new Call(
            "UnblockIndicators",
            200,
            "lift a block, and one never made",
            () ->
                healthy.post(
                    "v1/indicators/unblock",
                    "{\"indicators\": [\"185.220.101.77\", \"192.0.2.200\"], \"reason\": \"false"
                        + " positive\"}")),
        new Call(
            "UnblockIndicators",
            400,
            "indicators missing",
            () -> healthy.post("v1/indicators/unblock", "{\"values\": []}")),
        new Call(
            "UnblockIndicators",
            401,
            "no function key",
            () -> withoutKey(healthy, "v1/indicators/unblock", mixedIndicators)),
        new Call(
            "UnblockIndicators",
            413,
            "5,001 indicators",
            () -> healthy.post("v1/indicators/unblock", tooManyIndicators)),
        new Call(
            "UnblockIndicators",
            415,
            "an XML body",
            () -> healthy.post("v1/indicators/unblock", "application/xml", "<x/>")),
        new Call(
            "UnblockIndicators",
            422,
            "a provider that is not configured",
            () ->
                healthy.post(
                    "v1/indicators/unblock",
                    "{\"indicators\": [\"203.0.113.9\"], \"provider\": \"panos\"}")),
        new Call(
            "UnblockIndicators",
            503,
            "state storage down",
            () -> storageDown.post("v1/indicators/unblock", mixedIndicators)),
        new Call("ListIndicators", 200, "active blocks", () -> healthy.get("v1/indicators")),
        new Call(
            "ListIndicators",
            200,
            "everything of one incident",
            () ->
                healthy.get(
                    "v1/indicators?state=all&incident_id="
                        + URLEncoder.encode(INCIDENT, StandardCharsets.UTF_8)
                        + "&top=5")),
        new Call(
            "ListIndicators",
            400,
            "an unknown state",
            () -> healthy.get("v1/indicators?state=sleeping")),
        new Call(
            "ListIndicators",
            400,
            "an unknown provider",
            () -> healthy.get("v1/indicators?provider=checkpoint")),
        new Call(
            "ListIndicators",
            400,
            "a provider that is no provider id",
            () -> healthy.get("v1/indicators?provider=Not%20A%20Provider")),
        new Call(
            "ListIndicators", 401, "no function key", () -> withoutKey(healthy, "v1/indicators")),
        new Call(
            "ListIndicators", 503, "state storage down", () -> storageDown.get("v1/indicators")),
        new Call(
            "LookupAssets",
            200,
            "addresses, names and FQDNs of the sample CMDB",
            () ->
                healthy.post(
                    "v1/cmdb/assets/lookup",
                    "{\"keys\": [\"CONTOSO-DC01\", \"dc01.contoso.com\", \"10.10.1.10\","
                        + " \"nothing-here\", \"\"]}")),
        new Call(
            "LookupAssets",
            400,
            "an unknown provider",
            () ->
                healthy.post(
                    "v1/cmdb/assets/lookup", "{\"keys\": [\"dc01\"], \"provider\": \"coffee\"}")),
        new Call(
            "LookupAssets",
            401,
            "no function key",
            () -> withoutKey(healthy, "v1/cmdb/assets/lookup", "{\"keys\": [\"dc01\"]}")),
        new Call(
            "LookupAssets",
            413,
            "1,001 keys",
            () -> healthy.post("v1/cmdb/assets/lookup", tooManyIps.replace("\"ips\"", "\"keys\""))),
        new Call(
            "LookupAssets",
            415,
            "an XML body",
            () -> healthy.post("v1/cmdb/assets/lookup", "application/xml", "<keys/>")),
        new Call(
            "LookupAssets",
            422,
            "a CSV file that does not exist",
            () -> misconfigured.post("v1/cmdb/assets/lookup", "{\"keys\": [\"dc01\"]}")),
        new Call(
            "LookupAccounts",
            200,
            "UPNs and names of the sample CMDB",
            () ->
                healthy.post(
                    "v1/cmdb/accounts/lookup",
                    "{\"accounts\": [\"ceo@contoso.com\", \"CONTOSO\\\\jdoe\","
                        + " \"nobody@contoso.com\"]}")),
        new Call(
            "LookupAccounts",
            400,
            "accounts not a list",
            () -> healthy.post("v1/cmdb/accounts/lookup", "{\"accounts\": 5}")),
        new Call(
            "LookupAccounts",
            401,
            "no function key",
            () -> withoutKey(healthy, "v1/cmdb/accounts/lookup", "{\"accounts\": [\"a@b.c\"]}")),
        new Call(
            "LookupAccounts",
            413,
            "1,001 accounts",
            () ->
                healthy.post(
                    "v1/cmdb/accounts/lookup", tooManyIps.replace("\"ips\"", "\"accounts\""))),
        new Call(
            "LookupAccounts",
            415,
            "an XML body",
            () -> healthy.post("v1/cmdb/accounts/lookup", "application/xml", "<accounts/>")),
        new Call(
            "LookupAccounts",
            422,
            "a CSV file that does not exist",
            () ->
                misconfigured.post(
                    "v1/cmdb/accounts/lookup", "{\"accounts\": [\"ceo@contoso.com\"]}")),
        new Call(
            "EnrichIncident",
            200,
            "a trigger body built from the recorded examples",
            () ->
                healthy.post(
                    "v1/incidents/enrich",
                    IncidentEndToEndTest.request(IncidentEndToEndTest.triggerBody()))),
        new Call(
            "EnrichIncident",
            200,
            "an incident without entities",
            () ->
                healthy.post(
                    "v1/incidents/enrich",
                    IncidentEndToEndTest.request(SentinelExamples.incidentResource()))),
        new Call(
            "EnrichIncident",
            400,
            "an incident without properties",
            () ->
                healthy.post(
                    "v1/incidents/enrich", "{\"incident\": {\"object\": {\"title\": \"x\"}}}")),
        new Call(
            "EnrichIncident",
            401,
            "no function key",
            () ->
                withoutKey(
                    healthy,
                    "v1/incidents/enrich",
                    IncidentEndToEndTest.request(SentinelExamples.incidentResource()))),
        new Call(
            "EnrichIncident",
            413,
            "501 entities",
            () -> healthy.post("v1/incidents/enrich", tooManyEntities())),
        new Call(
            "EnrichIncident",
            415,
            "an XML body",
            () -> healthy.post("v1/incidents/enrich", "application/xml", "<incident/>")),
        new Call(
            "EnrichIncident",
            422,
            "a malformed deadline setting",
            () ->
                misconfigured.post(
                    "v1/incidents/enrich",
                    IncidentEndToEndTest.request(SentinelExamples.incidentResource()))),
        new Call(
            "SyncTicket",
            200,
            "a new incident",
            () -> healthy.post("v1/tickets/sync", syncRequest(INCIDENT_GUID))),
        new Call(
            "SyncTicket",
            200,
            "the same incident again (unchanged)",
            () -> healthy.post("v1/tickets/sync", syncRequest(INCIDENT_GUID))),
        new Call(
            "SyncTicket",
            400,
            "no system",
            () -> healthy.post("v1/tickets/sync", "{\"incident\": {}}")),
        new Call(
            "SyncTicket",
            401,
            "no function key",
            () -> withoutKey(healthy, "v1/tickets/sync", syncRequest(INCIDENT_GUID))),
        new Call(
            "SyncTicket",
            413,
            "a body over 1 MiB",
            () ->
                healthy.post(
                    "v1/tickets/sync",
                    "{\"system\": \"servicenow\", \"pad\": \"" + "x".repeat(1_100_000) + "\"}")),
        new Call(
            "SyncTicket",
            415,
            "an XML body",
            () -> healthy.post("v1/tickets/sync", "application/xml", "<incident/>")),
        new Call(
            "SyncTicket",
            422,
            "ServiceNow not configured",
            () -> misconfigured.post("v1/tickets/sync", syncRequest(INCIDENT_GUID))),
        new Call(
            "SyncTicket",
            429,
            "ServiceNow throttling for two minutes",
            () -> {
              serviceNow.failNext(1, 429, Map.of("Retry-After", "120"));
              return healthy.post("v1/tickets/sync", syncRequest(UUID.randomUUID().toString()));
            }),
        new Call(
            "SyncTicket",
            502,
            "ServiceNow refusing the request",
            () -> {
              serviceNow.failNext(1, 400, Map.of());
              return healthy.post("v1/tickets/sync", syncRequest(UUID.randomUUID().toString()));
            }),
        new Call(
            "SyncTicket",
            503,
            "state storage down",
            () -> storageDown.post("v1/tickets/sync", syncRequest(INCIDENT_GUID))),
        new Call(
            "GetTicket",
            200,
            "the incident synced above",
            () -> healthy.get("v1/tickets?incident_id=" + incidentId(INCIDENT_GUID))),
        new Call(
            "GetTicket",
            200,
            "an incident without a ticket",
            () ->
                healthy.get("v1/tickets?incident_id=" + incidentId(UUID.randomUUID().toString()))),
        new Call("GetTicket", 400, "no incident_id", () -> healthy.get("v1/tickets")),
        new Call(
            "GetTicket",
            401,
            "no function key",
            () -> withoutKey(healthy, "v1/tickets?incident_id=" + incidentId(INCIDENT_GUID))),
        new Call(
            "GetTicket",
            422,
            "ServiceNow not configured",
            () ->
                misconfigured.get(
                    "v1/tickets?system=servicenow&incident_id=" + incidentId(INCIDENT_GUID))),
        new Call(
            "GetTicket",
            503,
            "state storage down",
            () -> storageDown.get("v1/tickets?incident_id=" + incidentId(INCIDENT_GUID))),
        new Call(
            "TicketInbound",
            200,
            "a signed change of a ticket no incident links",
            () ->
                inbound(
                    healthy,
                    "servicenow",
                    "{\"sys_id\": \"" + "0".repeat(32) + "\"}",
                    WEBHOOK_SECRET)),
        new Call(
            "TicketInbound",
            400,
            "a signed body without sys_id",
            () -> inbound(healthy, "servicenow", "{}", WEBHOOK_SECRET)),
        new Call(
            "TicketInbound",
            401,
            "signed with another secret",
            () ->
                inbound(
                    healthy, "servicenow", "{\"sys_id\": \"" + "0".repeat(32) + "\"}", "guess")),
        new Call(
            "TicketInbound",
            413,
            "a body over 1 MiB",
            () -> inbound(healthy, "servicenow", "x".repeat(1_100_000), WEBHOOK_SECRET)),
        new Call(
            "TicketInbound",
            415,
            "an XML body",
            () -> healthy.post("v1/tickets/inbound/servicenow", "application/xml", "<x/>")),
        new Call(
            "TicketInbound",
            422,
            "Jira inbound is off (no secret)",
            () -> inbound(healthy, "jira", "{}", WEBHOOK_SECRET)),
        new Call(
            "TicketInbound",
            503,
            "state storage down",
            () ->
                inbound(
                    storageDown,
                    "servicenow",
                    "{\"sys_id\": \"" + "0".repeat(32) + "\"}",
                    WEBHOOK_SECRET)),
        new Call(
            "GetFeed",
            200,
            "the block list of addresses",
            () -> feed("block-ip", FEED_TOKEN, null)),
        new Call(
            "GetFeed",
            304,
            "unchanged since the last poll",
            () ->
                feed(
                    "block-ip",
                    FEED_TOKEN,
                    feed("block-ip", FEED_TOKEN, null).headers().firstValue("etag").orElseThrow())),
        new Call("GetFeed", 401, "a wrong token", () -> feed("block-ip", "guess", null)),
        new Call(
            "GetFeed", 404, "an unknown list", () -> feed("block-everything", FEED_TOKEN, null)));
  }

  @TestFactory
  Stream<DynamicTest> everyOperationAnswersEachDocumentedStatusAsDocumented() {
    Map<String, List<Call>> byOperation =
        calls().stream()
            .collect(
                Collectors.groupingBy(Call::operationId, LinkedHashMap::new, Collectors.toList()));
    DynamicTest coverage =
        dynamicTest(
            "every operation of the definition has a call that answers 2xx",
            () -> {
              assertThat(DEFINITION.operationIds()).as("operations of the definition").isNotEmpty();
              assertThat(byOperation.keySet())
                  .as("operations called here")
                  .isSubsetOf(DEFINITION.operationIds());
              assertThat(DEFINITION.operationIds())
                  .as("operations without a conformance call answering 2xx")
                  .allSatisfy(
                      id ->
                          assertThat(byOperation.getOrDefault(id, List.of()))
                              .as(id)
                              .anySatisfy(call -> assertThat(call.status()).isBetween(200, 299)));
            });
    Stream<DynamicTest> operations =
        DEFINITION.operationIds().stream()
            .map(
                id ->
                    dynamicTest(
                        id,
                        () -> answersAsDocumented(id, byOperation.getOrDefault(id, List.of()))));
    return Stream.concat(Stream.of(coverage), operations);
  }

  private static void answersAsDocumented(String operationId, List<Call> calls) {
    Set<String> provoked =
        calls.stream()
            .map(call -> Integer.toString(call.status()))
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(provoked)
        .as(operationId + ": statuses the calls provoke vs. the statuses it documents (add a call)")
        .isEqualTo(new TreeSet<>(DEFINITION.documentedStatuses(operationId)));
    SoftAssertions softly = new SoftAssertions();
    for (Call call : calls) {
      HttpResponse<String> response = call.send().get();
      String what = operationId + ", " + call.what();
      softly.assertThat(response.statusCode()).as(what + ": status").isEqualTo(call.status());
      softly
          .assertThat(
              DEFINITION.validateResponse(
                  operationId,
                  response.statusCode(),
                  name -> response.headers().firstValue(name),
                  response.body()))
          .as(what + ": answered " + response.statusCode() + " " + excerpt(response.body()))
          .isEmpty();
    }
    softly.assertAll();
  }

  private static String tooManyEntities() {
    List<ObjectNode> entities =
        IntStream.range(0, 501)
            .mapToObj(
                i ->
                    SentinelExamples.entity("Ip", "address", "10.1." + (i / 256) + "." + (i % 256)))
            .toList();
    return IncidentEndToEndTest.request(
        SentinelExamples.triggerBody(SentinelExamples.object(entities)));
  }

  private static HttpResponse<String> feed(String list, String token, String ifNoneMatch) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(healthy.uri("v1/feeds/" + list + "?token=" + token)).GET();
    if (ifNoneMatch != null) {
      request.header("If-None-Match", ifNoneMatch);
    }
    return healthy.send(request);
  }

  private static final String INCIDENT_GUID = "5e0f3b0e-2f6a-4c1e-9d51-1c2b7f0b9a11";

  private static String incidentId(String guid) {
    return "/subscriptions/d0cfe6b2-9ac0-4464-9919-dccaee2e48c0/resourceGroups/myRg/providers/Microsoft.OperationalInsights"
               + "/workspaces/myWorkspace/providers/Microsoft.SecurityInsights/incidents/"
        + guid;
  }

  /** A SyncTicket request for the recorded incident, renamed to {@code guid}. */
  private static String syncRequest(String guid) {
    ObjectNode incident = SentinelExamples.incidentResource();
    incident.put("id", incidentId(guid));
    incident.put("name", guid);
    return "{\"system\": \"servicenow\", \"incident\": " + incident + "}";
  }

  /** A webhook as the ServiceNow business rule signs it, with {@code secret}. */
  private static HttpResponse<String> inbound(
      RunningConnector connector, String system, String body, String secret) {
    String timestamp = Long.toString(Instant.now().getEpochSecond());
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return connector.send(
        HttpRequest.newBuilder(connector.uri("v1/tickets/inbound/" + system))
            .header("x-functions-key", RunningConnector.KEY)
            .header("Content-Type", "application/json")
            .header(ServiceNowWebhook.TIMESTAMP_HEADER, timestamp)
            .header(
                ServiceNowWebhook.SIGNATURE_HEADER,
                new ServiceNowWebhook(secret).signature(timestamp, bytes))
            .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)));
  }

  private static HttpResponse<String> withoutKey(RunningConnector connector, String path) {
    return connector.send(HttpRequest.newBuilder(connector.uri(path)).GET());
  }

  private static HttpResponse<String> withoutKey(
      RunningConnector connector, String path, String json) {
    return connector.send(
        HttpRequest.newBuilder(connector.uri(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  private static String excerpt(String body) {
    return body.length() <= 300 ? body : body.substring(0, 300) + "...";
  }
}
